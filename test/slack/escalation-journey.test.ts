import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateValue } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, buttonsOf, click, dmsTo, inputBlock, openedView, slash, startHarness, submit, textOf, until, escalationValues } from './slack-harness.js';

const SUMMARY = 'Breached licence <!channel> & <@U0SAM> said @here: new intelligence from police.';

describe('Slack: /escalate to handover completed, over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('carries an escalation from the form to closed, each message to the right person', async () => {
    const { fake, t } = h;
    const drain = () => t.app.dispatcher.drain();

    // 1. /escalate opens the form straight away with the command's trigger_id, CRN prefilled.
    const command = await slash(h, { command: '/escalate', text: 'x123456', userId: SLACK.amara });
    expect(command.status).toBe(200);
    const form = await openedView(fake, 1);
    expect(form.callbackId).toBe('escalate');
    const crnBlock = inputBlock(form.blocks, 'crn');
    expect((crnBlock?.element as { initial_value?: string } | undefined)?.initial_value).toBe('X123456');
    const receiving = inputBlock(form.blocks, 'receivingUnitId');
    expect((receiving?.element as { initial_option?: { value: string } } | undefined)?.initial_option?.value).toBe('north-pp');

    // 2. Submitting: the modal turns into a confirmation with the reference and the countersign deadline.
    const submitted = await submit(h, { userId: SLACK.amara, view: form, values: escalationValues({ summary: SUMMARY }) });
    expect(submitted.status).toBe(200);
    const confirmation = submitted.json as { response_action: string; view: { blocks: { text?: { text: string } }[] } };
    expect(confirmation.response_action).toBe('update');
    expect(confirmation.view.blocks[0]?.text?.text).toMatch(/ESC-000001 raised for X123456\. Tom Reyes has been asked to countersign by Wed 25 Nov 2026, 17:00\./);
    const [row] = await t.app.store.repos.items.recentEscalations(1);
    const id = row!.id;

    // 3. Tom (the manager) gets a DM with Countersign / Return; the summary is escaped and pings nobody.
    await drain();
    const [toTom] = dmsTo(fake, SLACK.tom);
    expect(toTom).toBeDefined();
    expect(buttonsOf(toTom!).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    const tomText = textOf(toTom!);
    expect(tomText).toContain('Breached licence &lt;!channel&gt; &amp; &lt;@U0SAM&gt; said @\u200Bhere');
    expect(tomText).not.toMatch(/<!channel>|<@U0SAM>|(?<!\u200B)@here/);
    expect(dmsTo(fake, SLACK.amara)).toHaveLength(1);

    // 4. Tom clicks Countersign: the rationale form opens; he submits it.
    await click(h, { userId: SLACK.tom, message: toTom!, actionId: 'escalation.countersign', responseId: 'tom-1' });
    const rationaleForm = await openedView(fake, 2);
    expect(rationaleForm.callbackId).toBe('decision');
    expect(rationaleForm.blocks.map((block) => block.block_id)).toContain('rationale');
    const countersigned = await submit(h, { userId: SLACK.tom, view: rationaleForm, values: { rationale: 'Agree, risk has risen.' } });
    expect((countersigned.json as { response_action: string }).response_action).toBe('update');
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('awaiting_acceptance');

    // 5. Dev (duty officer) gets Accept / Decline; the unit channel gets facts only; Tom's DM loses its buttons.
    await drain();
    const [toDev] = dmsTo(fake, SLACK.dev);
    expect(buttonsOf(toDev!).map((button) => button.action_id)).toEqual(['escalation.accept', 'escalation.decline']);
    const channelPosts = fake.messagesTo('C0NORTHPP');
    expect(channelPosts.length).toBeGreaterThan(0);
    for (const post of channelPosts) {
      const text = textOf(post);
      expect(text).toContain('X123456');
      expect(text).toContain('High');
      expect(text).not.toContain('Breached licence');
      expect(text).not.toContain('Agree, risk has risen');
      expect(buttonsOf(post)).toEqual([]);
    }
    const updatesOfTom = fake.callsTo('chat.update').filter((call) => call.args.channel === fake.dmChannelFor(SLACK.tom));
    expect(updatesOfTom.length).toBeGreaterThan(0);
    for (const update of updatesOfTom) expect(buttonsOf(update)).toEqual([]);
    expect(textOf(updatesOfTom[0]!)).toMatch(/Countersigned by Tom Reyes, Tue 24 Nov 2026, 10:00/);

    // 6. Dev accepts, naming Omar as the new case manager.
    await click(h, { userId: SLACK.dev, message: toDev!, actionId: 'escalation.accept', responseId: 'dev-1' });
    const acceptForm = await openedView(fake, 3);
    const personBlock = inputBlock(acceptForm.blocks, 'personId');
    expect((personBlock?.element as { options: { value: string }[] } | undefined)?.options.map((option) => option.value)).toContain('omar');
    const accepted = await submit(h, { userId: SLACK.dev, view: acceptForm, values: { personId: stateValue.select('omar'), rationale: 'Accepted on duty.' } });
    expect((accepted.json as { response_action: string }).response_action).toBe('update');
    expect(await t.app.store.repos.items.escalation(id)).toMatchObject({ state: 'awaiting_handover', acceptedBy: 'dev', newCaseManagerId: 'omar' });

    // 7. Handover DMs to Amara and Omar, each with Handover done; both click it; the escalation closes.
    await drain();
    const handoverTo = (userId: string) => dmsTo(fake, userId).find((call) => buttonsOf(call).some((button) => button.action_id === 'escalation.confirm_handover'));
    const toOmar = handoverTo(SLACK.omar);
    const toAmara = handoverTo(SLACK.amara);
    expect(toOmar).toBeDefined();
    expect(toAmara).toBeDefined();
    await click(h, { userId: SLACK.omar, message: toOmar!, actionId: 'escalation.confirm_handover', responseId: 'omar-1' });
    const omarReply = await until(() => fake.responsesTo('omar-1')[0], 'the reply to Omar');
    expect(omarReply.body).toMatchObject({ response_type: 'ephemeral' });
    expect((omarReply.body as { text: string }).text).toMatch(/Handover done: done for ESC-000001/);
    await click(h, { userId: SLACK.amara, message: toAmara!, actionId: 'escalation.confirm_handover', responseId: 'amara-1' });
    await until(() => fake.responsesTo('amara-1')[0], 'the reply to Amara');
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('closed');
    await drain();

    const decisions = await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]);
    expect(decisions.map((d) => [d.action, d.actorId, d.platform])).toEqual([
      ['raise', 'amara', 'slack'],
      ['countersign', 'tom', 'slack'],
      ['accept', 'dev', 'slack'],
      ['confirm_handover', 'omar', 'slack'],
      ['confirm_handover', 'amara', 'slack'],
    ]);
    // Nothing the fake received broke a Block Kit limit, and nothing failed.
    expect(fake.violations).toEqual([]);
    expect(fake.calls.filter((call) => call.failed)).toEqual([]);
    // Every DM was opened with conversations.open; no Web API call lacked the bot token.
    expect(fake.calls.every((call) => call.token === 'xoxb-test')).toBe(true);
  });
});
