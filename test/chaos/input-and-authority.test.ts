/**
 * Bad input end to end (mrkdwn, mentions, SQL, 10,000 characters over signed HTTP), 50 concurrent Countersign
 * submissions on one escalation, and the record: every decision row has its audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK } from '../support/test-org.js';
import { type Harness, buttonsOf, click, dmsTo, escalationValues, openedView, slash, startHarness, submit, textOf } from '../slack/slack-harness.js';
import { queryRows, tableCounts } from './chaos-support.js';

const HOSTILE = [
  '*bold* _it_ ~strike~ `code` ```block``` > quote <https://evil.example|click me> <!channel> <!here> @here @channel',
  '<@U0SAM> <#C0NORTH3> <!subteam^S123|@team> &amp; &lt; &gt; & < >',
  "'); DROP TABLE escalations; -- \" OR 1=1; SELECT * FROM audit_log; \\x00 \\' $$ $1",
  'ünïcödé 🚨 \u202Eright-to-left\u202C zero\u200Bwidth',
].join('\n');

describe('bad input, concurrency and the record, over signed HTTP', () => {
  let h: Harness;
  let escalationId = 0;
  const figures: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    console.info(`[figures] input and authority:\n  ${figures.join('\n  ')}`);
  });

  it('refuses a 10,000-character summary with a field error and stores nothing', async () => {
    await slash(h, { command: '/escalate', text: 'X450001', userId: SLACK.amara });
    const form = await openedView(h.fake, 1);
    const before = await tableCounts(h.t.app);
    const long = `${HOSTILE}\n${'x'.repeat(10_000)}`;
    const answer = await submit(h, { userId: SLACK.amara, view: form, values: escalationValues({ crn: 'X450001', summary: long }) });
    expect(answer.json).toEqual({ response_action: 'errors', errors: { summary: 'Keep the summary under 3000 characters' } });
    expect(await tableCounts(h.t.app)).toEqual(before);
    figures.push(`summary of ${long.length} characters: refused with the field error "Keep the summary under 3000 characters", rows unchanged`);
  });

  it('stores hostile text verbatim and shows it escaped and cut to Slack limits', async () => {
    const form = await openedView(h.fake, 1);
    const summary = `${HOSTILE}\n${'y'.repeat(3000 - HOSTILE.length - 1)}`;
    expect(summary.length).toBe(3000);
    const answer = await submit(h, { userId: SLACK.amara, view: form, values: escalationValues({ crn: 'x450001', summary }) });
    expect(answer.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Done' } } });
    const [row] = await h.t.app.store.repos.items.escalationsByCrn('X450001');
    escalationId = row!.id;
    expect(row!.summary).toBe(summary.trim());
    expect(row!.crn).toBe('X450001');
    await h.t.app.dispatcher.drain();
    const [toTom] = dmsTo(h.fake, SLACK.tom);
    const shown = textOf(toTom!);
    expect(shown).not.toMatch(/<!channel>|<!here>|<@U0SAM>|<#C0NORTH3>|<https:\/\/evil/);
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('DROP TABLE escalations');
    expect(h.fake.violations).toEqual([]);
    // The shared channel never carries the narrative.
    for (const post of h.fake.messagesTo('C0NORTHPP')) expect(textOf(post)).not.toContain('DROP TABLE');
    expect((await tableCounts(h.t.app)).escalations).toBe(1);
    figures.push(
      `3,000-character summary of mrkdwn, mentions, SQL and RTL marks: stored verbatim (${row!.summary.length} chars), DM escaped (no live mention or link), cut to Block Kit limits, fake.violations = 0, channel post without narrative`,
    );
  });

  it('takes one of 50 concurrent Countersign submissions; the rest are told it is done', async () => {
    const [toTom] = dmsTo(h.fake, SLACK.tom);
    await click(h, { userId: SLACK.tom, message: toTom!, actionId: 'escalation.countersign' });
    const form = await openedView(h.fake, 2);
    expect(form.callbackId).toBe('decision');
    const outboxBefore = (await h.t.app.store.repos.outbox.byDedupePrefix('')).length;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(h, { userId: SLACK.tom, view: form, values: { rationale: `Agreed (${i}).` } })));
    const titles = answers.map((a) => (a.json as { view?: { title?: { text?: string } } }).view?.title?.text);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(titles.filter((title) => title === 'Done')).toHaveLength(1);
    const refusals = answers.filter((_, i) => titles[i] !== 'Done').map((a) => JSON.stringify(a.json));
    expect(refusals.every((text) => /Already done: countersigned by Tom Reyes|already moved on/.test(text))).toBe(true);
    const decisions = await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: escalationId }]);
    expect(decisions.filter((d) => d.action === 'countersign')).toHaveLength(1);
    expect((await h.t.app.store.repos.items.escalation(escalationId))?.state).toBe('awaiting_acceptance');
    await h.t.app.dispatcher.drain();
    const devDms = dmsTo(h.fake, SLACK.dev).filter((call) => buttonsOf(call).some((b) => b.action_id === 'escalation.accept'));
    expect(devDms).toHaveLength(1);
    const outboxAfter = (await h.t.app.store.repos.outbox.byDedupePrefix('')).length;
    figures.push(
      `50 concurrent Countersign submissions: 1 "Done", ${refusals.length} "Already done: countersigned by Tom Reyes …", 1 decision row, 1 DM to Dev, ${outboxAfter - outboxBefore} outbox rows (one set)`,
    );
  });

  it('has an audit row for every decision row', async () => {
    // Take the escalation on: accept with Omar, both confirm the handover.
    const [toDev] = dmsTo(h.fake, SLACK.dev);
    await click(h, { userId: SLACK.dev, message: toDev!, actionId: 'escalation.accept' });
    const accept = await openedView(h.fake, 3);
    await submit(h, {
      userId: SLACK.dev,
      view: accept,
      values: { personId: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'omar' }, value: 'omar' } }, rationale: 'Taken on.' },
    });
    await h.t.app.dispatcher.drain();
    const decisions = await queryRows<{ id: number; action: string }>(h.t.app, 'SELECT id, action FROM decisions');
    const orphans = await queryRows<{ id: number; action: string }>(
      h.t.app,
      `SELECT d.id, d.action FROM decisions d WHERE NOT EXISTS (
         SELECT 1 FROM audit_log a WHERE a.item_type = d.item_type AND a.item_id = d.item_id AND a.actor_id = d.actor_id
           AND (a.details->>'decisionId' = d.id::text OR (d.action = 'raise' AND a.event = d.item_type || '.raised')))`,
    );
    expect(decisions.map((d) => d.action)).toEqual(['raise', 'countersign', 'accept']);
    expect(orphans).toEqual([]);
    figures.push(`decisions after raise → countersign → accept: ${decisions.length}, each with its audit row (0 without)`);
  });
});
