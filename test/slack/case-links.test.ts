// Links out over Slack HTTP: with `links.case` in the org file every DM about a case carries an "Open case record"
// url button (the CRN filled in), and no channel post ever does; the OASys reference reaches DMs only. The
// template is checked when the org file is read: https only, and it must contain {crn}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env.config.js';
import { parseOrgText } from '../../src/config/org.loader.js';
import { blockActionPayload, stateValue } from '../support/slack-requests.js';
import { EXAMPLE_ORG_FILE, SLACK, exampleOrg } from '../support/test-org.js';
import { readFileSync } from 'node:fs';
import { type Harness, blocksOf, startHarness, buttonsOf, clickForForm, dmsTo, escalationValues, interact, openedView, slash, submit, textOf } from './slack-harness.js';

const problemsOf = (links: string) => {
  try {
    parseOrgText({ text: `${readFileSync(EXAMPLE_ORG_FILE, 'utf8')}\nlinks: ${links}\n`, fileName: 'org.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

/** The url buttons of a message (links out), as [label, url]. */
const linksOf = (call: Parameters<typeof blocksOf>[0]) =>
  blocksOf(call).flatMap((block) => (block.type === 'actions' ? block.elements.flatMap((element) => (element.type === 'button' && element.url ? [[element.text.text, element.url]] : [])) : []));

describe('links.case in the org file', () => {
  it('takes an https template with {crn}, and refuses anything else with one line each', () => {
    expect(problemsOf('{ case: "https://ndelius.example.org/case/{crn}" }')).toEqual([]);
    expect(problemsOf('{ case: "http://ndelius.example.org/case/{crn}" }')).toEqual([expect.stringMatching(/links\.case.*expected an https:\/\/ URL template/)]);
    expect(problemsOf('{ case: "https://ndelius.example.org/case/" }')).toEqual([expect.stringMatching(/links\.case.*expected the URL template to contain \{crn\}/)]);
    expect(problemsOf('{ case: "https://ndelius.example.org/{crn}", other: "x" }')).toHaveLength(1);
  });
});

describe('Slack: case record links in DMs, never in channels', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: { ...exampleOrg(), links: { case: 'https://ndelius.example.org/case/{crn}?view=summary' } } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('adds "Open case record" to every DM and reminder, and nothing to channel posts', async () => {
    const { fake, t } = h;
    await slash(h, { command: '/escalate', text: 'X123456', userId: SLACK.amara });
    const form = await openedView(fake, 1);
    await submit(h, { userId: SLACK.amara, view: form, values: escalationValues({ oasysRef: stateValue.text('7654321') }) });
    await t.app.dispatcher.drain();
    const url = 'https://ndelius.example.org/case/X123456?view=summary';
    const [toTom] = dmsTo(fake, SLACK.tom);
    expect(linksOf(toTom!)).toEqual([['Open case record', url]]);
    // The decision buttons are unchanged by the link (it is its own block).
    expect(
      buttonsOf(toTom!)
        .filter((button) => !button.url)
        .map((button) => button.action_id),
    ).toEqual(['escalation.countersign', 'escalation.return']);
    expect(textOf(toTom!)).toContain('*OASys assessment*\n7654321');
    expect(linksOf(dmsTo(fake, SLACK.amara)[0]!)).toEqual([['Open case record', url]]);

    const rationale = await clickForForm(h, { userId: SLACK.tom, message: toTom!, actionId: 'escalation.countersign' });
    await submit(h, { userId: SLACK.tom, view: rationale, values: { rationale: 'Agreed.' } });
    await t.app.dispatcher.drain();
    const [toDev] = dmsTo(fake, SLACK.dev);
    expect(linksOf(toDev!)).toEqual([['Open case record', url]]);
    const channel = fake.messagesTo('C0NORTHPP');
    expect(channel).toHaveLength(1);
    for (const post of [...channel, ...fake.callsTo('chat.update').filter((call) => call.args.channel === 'C0NORTHPP')]) {
      expect(linksOf(post)).toEqual([]);
      expect(textOf(post)).not.toContain('7654321');
      expect(textOf(post)).not.toContain('ndelius');
    }

    // A reminder rung (Dev has not accepted a day later) carries the link too.
    t.clock.advance(2 * 86_400_000);
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    const reminder = dmsTo(fake, SLACK.dev).at(-1)!;
    expect(textOf(reminder)).toMatch(/Reminder: Duty acceptance/);
    expect(linksOf(reminder)).toEqual([['Open case record', url]]);
    // Clicking a link button is acked and changes nothing.
    const clicked = await interact(h, blockActionPayload({ userId: SLACK.dev, actionId: 'open_link_0', value: '', channelId: String(reminder.args.channel) }));
    expect(clicked.status).toBe(200);
    expect((await t.app.store.repos.items.escalation(1))?.state).toBe('awaiting_acceptance');
    expect(fake.violations).toEqual([]);
  });
});
