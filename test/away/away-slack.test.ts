// Absence and delegation over signed Slack HTTP (issue #13 parts 1 and 3): the manager away before the raise, away
// after the request was sent, a sick officer recorded by their manager, and every bad /away input refused.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { EXPORT_COLUMNS } from '../../src/use-cases/export.use-case.js';
import { type Harness, buttonsOf, click, clickForForm, dmsTo, submit, textOf } from '../slack/slack-harness.js';
import { SLACK } from '../support/test-org.js';
import { away, command, csvCells, raise, startAwayHarness } from './away-support.js';

describe('/away on Slack', { timeout: 120_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('manager away before the raise: the deputy gets the countersign request and decides on behalf of the manager', async () => {
    h = await startAwayHarness();
    const { t, fake } = h;
    const recorded = await away(h, SLACK.tom, 'until 2026-11-27');
    expect(recorded.text).toBe("Tom Reyes away from now until Fri 27 Nov; Ben Carter acts for them (the unit's deputy). Recorded with your name and the time.");
    expect(await t.app.store.repos.absences.history('tom')).toMatchObject([
      { personId: 'tom', delegateId: null, recordedBy: 'tom', startsAt: new Date('2026-11-24T10:00:00Z'), endsAt: new Date('2026-11-28T00:00:00Z'), endedAt: null },
    ]);

    const { id, confirmation } = await raise(h, { userId: SLACK.amara, crn: 'X123456' });
    expect(confirmation).toBe(
      'ESC-000001 raised for X123456. Ben Carter has been asked to countersign for Tom Reyes, who is away, by Wed 25 Nov 2026, 17:00. Chase plan: Ben Carter by Wed 17:00, again every 2 h; then Sam Adeyemi from Fri 09:00.',
    );
    await t.app.dispatcher.drain();
    expect(dmsTo(fake, SLACK.tom)).toHaveLength(0);
    const [toBen] = dmsTo(fake, SLACK.ben);
    expect(buttonsOf(toBen!).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    // The new request says whom Ben acts for, as a request passed to him would.
    expect(
      textOf(toBen!)
        .split('\n')
        .filter((line) => line.includes('Tom Reyes')),
    ).toEqual(['For Tom Reyes, away until Fri 27 Nov: you act for them on this.']);

    const form = await clickForForm(h, { userId: SLACK.ben, message: toBen!, actionId: 'escalation.countersign' });
    const done = await submit(h, { userId: SLACK.ben, view: form, values: { rationale: 'Agree, risk has risen.' } });
    expect((done.json as { response_action: string }).response_action).toBe('update');
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('awaiting_acceptance');
    const decisions = await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]);
    expect(decisions.map(({ action, actorId, actorRole, onBehalfOf, onBehalfRole }) => ({ action, actorId, actorRole, onBehalfOf, onBehalfRole }))).toEqual([
      { action: 'raise', actorId: 'amara', actorRole: 'raiser', onBehalfOf: null, onBehalfRole: null },
      { action: 'countersign', actorId: 'ben', actorRole: 'delegate', onBehalfOf: 'tom', onBehalfRole: 'countersigner+sender_manager' },
    ]);

    // The timeline (Ben may see it: he covers the countersigner) and the CSV export say on whose behalf.
    const timeline = await command(h, { command: '/cases', userId: SLACK.ben, text: 'X123456' });
    expect(JSON.stringify(timeline.body)).toContain('Ben Carter (delegate) on behalf of Tom Reyes (countersigner+sender_manager) · countersign · “Agree, risk has risen.”');
    await command(h, { command: '/cases', userId: SLACK.sam, text: 'X123456 export' });
    await vi.waitFor(() => expect(fake.uploads).toHaveLength(1));
    const [header, ...rows] = fake.uploads[0]!.bytes.toString('utf8').trim().split('\r\n').map(csvCells);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const countersign = rows.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index]]))).find((row) => row.event === 'countersign');
    expect(countersign).toMatchObject({ actor_id: 'ben', actor_role: 'delegate', on_behalf_of_id: 'tom', on_behalf_of_name: 'Tom Reyes', on_behalf_role: 'countersigner+sender_manager' });
  });

  it('away after the request was sent: the request moves to the deputy at once and the old buttons go', async () => {
    h = await startAwayHarness();
    const { t, fake } = h;
    const { id } = await raise(h, { userId: SLACK.amara, crn: 'X123457' });
    await t.app.dispatcher.drain();
    const [toTom] = dmsTo(fake, SLACK.tom);
    expect(buttonsOf(toTom!).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);

    const recorded = await away(h, SLACK.tom, 'until 2026-11-27');
    expect(recorded.text).toBe(
      "Tom Reyes away from now until Fri 27 Nov; Ben Carter acts for them (the unit's deputy). Recorded with your name and the time. 1 pending request(s) passed to Ben Carter now.",
    );
    await t.app.dispatcher.drain();
    const [toBen] = dmsTo(fake, SLACK.ben);
    expect(buttonsOf(toBen!).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    expect(textOf(toBen!)).toContain('Passed to you: Tom Reyes is away until Fri 27 Nov, and you act for them on this.');
    const updates = fake.callsTo('chat.update').filter((call) => call.args.channel === toTom!.args.channel);
    expect(updates).toHaveLength(1);
    expect(buttonsOf(updates[0]!)).toEqual([]);
    expect(textOf(updates[0]!)).toContain('Passed to Ben Carter while you are away.');
    const audit = (await t.app.store.repos.records.auditForCrn('X123457')).filter((row) => row.event === 'request.passed');
    expect(audit.map((row) => row.details)).toMatchObject([{ from: 'tom', to: 'ben', reason: 'absence.started', kind: 'countersign' }]);

    // Tom's old button no longer decides anything.
    await click(h, { userId: SLACK.tom, message: toTom!, actionId: 'escalation.countersign' });
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('awaiting_countersign');
    expect(fake.callsTo('views.open')).toHaveLength(1); // only the /escalate form: no rationale form for Tom
  });

  it('a sick officer recorded by their manager: their handover confirmation goes to the manager', async () => {
    h = await startAwayHarness();
    const { t, fake } = h;
    const { id } = await raise(h, { userId: SLACK.amara, crn: 'X123458' });
    const ctx = t.app.ctx;
    await decideEscalation({ ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    await decideEscalation({ ctx, actorId: 'dev', escalationId: id, action: 'accept', rationale: 'Accepted.', caseManagerId: 'omar', platform: 'slack' });
    await t.app.dispatcher.drain();
    const tomBefore = dmsTo(fake, SLACK.tom).length;

    const recorded = await away(h, SLACK.tom, `<@${SLACK.amara}> until 2026-11-30`);
    expect(recorded.text).toBe(
      'Amara Okafor away from now until Mon 30 Nov; Tom Reyes acts for them (the unit manager). Recorded with your name and the time. 1 pending request(s) passed to Tom Reyes now.',
    );
    expect(await t.app.store.repos.absences.history('amara')).toMatchObject([{ personId: 'amara', recordedBy: 'tom', delegateId: null }]);
    await t.app.dispatcher.drain();
    const toTom = dmsTo(fake, SLACK.tom).slice(tomBefore);
    expect(toTom).toHaveLength(1);
    expect(buttonsOf(toTom[0]!).map((button) => button.action_id)).toEqual(['escalation.confirm_handover']);

    await click(h, { userId: SLACK.tom, message: toTom[0]!, actionId: 'escalation.confirm_handover' });
    await vi.waitFor(async () => expect((await t.app.store.repos.items.escalation(id))?.handoverOldConfirmedAt).toEqual(new Date('2026-11-24T10:00:00Z')));
    const row = await t.app.store.repos.items.escalation(id);
    expect(row).toMatchObject({ state: 'awaiting_handover', handoverNewConfirmedAt: null });
    const last = await t.app.store.repos.records.lastDecision({ itemType: 'escalation', itemId: id });
    expect(last).toMatchObject({ action: 'confirm_handover', actorId: 'tom', actorRole: 'countersigner+sender_manager+delegate', onBehalfOf: 'amara', onBehalfRole: 'raiser+old_case_manager' });
  });

  it('bad input: one clear private line each, and nothing is stored', async () => {
    h = await startAwayHarness();
    const { t } = h;
    const refused = async (userId: string, text: string) => {
      const before = (await t.app.store.repos.absences.notOverAt(new Date(0))).length;
      const answer = (await away(h!, userId, text)).text;
      expect((await t.app.store.repos.absences.notOverAt(new Date(0))).length).toBe(before);
      return answer;
    };
    expect(await refused(SLACK.tom, 'until 2026-11-20')).toBe('2026-11-20 is in the past: an absence runs from today or later. Nothing was changed.');
    expect(await refused(SLACK.tom, '2026-12-10..2026-12-05')).toBe('The end (2026-12-05) is before the start (2026-12-10). Nothing was changed.');
    expect(await refused(SLACK.tom, '2026-12-01..2027-12-31')).toBe('An absence can be at most a year long; record a longer one as it comes. Nothing was changed.');
    expect(await refused(SLACK.tom, `until 2026-11-27 <@${SLACK.tom}>`)).toBe("You cannot be Tom Reyes's own delegate: name someone else, or leave the delegate out. Nothing was changed.");
    expect(await refused(SLACK.lena, `<@${SLACK.amara}> until 2026-11-27`)).toBe(
      "Only Amara Okafor's unit manager, deputy or senior manager can record or end an absence for them. Nothing was changed.",
    );
    expect(await refused(SLACK.tom, 'until 2026-13-45')).toBe('"2026-13-45" is not a date: write it as YYYY-MM-DD. Nothing was changed.');
    expect(await refused(SLACK.tom, 'next week')).toBe(
      'Try /away, /away until YYYY-MM-DD [@delegate], /away YYYY-MM-DD..YYYY-MM-DD [@delegate], /away @person until YYYY-MM-DD or /away off. Nothing was changed.',
    );

    // A delegate who is away too: the chain is walked (Ben → Priya) …
    expect((await away(h, SLACK.ben, `until 2026-12-04 <@${SLACK.priya}>`)).text).toBe(
      'Ben Carter away from now until Fri 4 Dec; Priya Shah acts for them (named). Recorded with your name and the time.',
    );
    expect((await away(h, SLACK.tom, `until 2026-11-27 <@${SLACK.ben}>`)).text).toBe(
      'Tom Reyes away from now until Fri 27 Nov; Priya Shah acts for them (named). Recorded with your name and the time. Ben Carter is away too, so Priya Shah acts for them.',
    );
    // … and a chain that comes back (Priya → Tom → Ben → Priya) is refused.
    expect(await refused(SLACK.priya, `until 2026-11-26 <@${SLACK.tom}>`)).toBe('Tom Reyes is away too, and their cover leads back to Priya Shah: name someone who is here. Nothing was changed.');

    // The list, and /away off ends an absence without deleting it.
    const list = await away(h, SLACK.amara, '');
    expect(JSON.stringify(list.body)).toContain('Tom Reyes: away now until Fri 27 Nov, Priya Shah acts for them');
    expect(JSON.stringify(list.body)).toContain('Ben Carter: away now until Fri 4 Dec, Priya Shah acts for them');
    t.clock.advance(60 * 60_000);
    expect((await away(h, SLACK.tom, 'off')).text).toBe("Tom Reyes's absence ended now (it stays in the history).");
    expect(await t.app.store.repos.absences.history('tom')).toMatchObject([{ endsAt: new Date('2026-11-24T11:00:00Z'), endedBy: 'tom', endedAt: new Date('2026-11-24T11:00:00Z') }]);
    expect(await refused(SLACK.tom, 'off')).toBe('Tom Reyes has no absence now or ahead to end. Nothing was changed.');
  });
});
