// The chase reaches someone who can act (issue #13 part 3), over signed Slack HTTP with a clock the test moves:
// the chase plan shown on raise is the reminders the sweep then sends; with the manager away and no deputy the
// senior manager gets the countersign button itself; an absence whose start arrives passes requests on the tick.
import { afterEach, describe, expect, it } from 'vitest';
import { chasePlanFor } from '../../src/use-cases/chase-plan.js';
import { type Harness, buttonsOf, dmsTo, textOf } from '../slack/slack-harness.js';
import { SLACK, exampleOrg } from '../support/test-org.js';
import { away, raise, startAwayHarness, withDeputy } from './away-support.js';

const REMINDERS_LINE = 'reminders: { repeatEvery: PT2H, managerAfter: "1 working day", seniorManagerAfter: "2 working days" }';
/** Short deadlines and ladder; `deputy` kept or taken out. */
const shortOrg = (options: { deputy: boolean }) =>
  exampleOrg((text) => {
    const short = text
      .replace('countersign:  { standard: "1 working day",  urgent: PT2H }', 'countersign:  { standard: PT1H,  urgent: PT2H }')
      .replace(REMINDERS_LINE, 'reminders: { repeatEvery: PT10M, managerAfter: PT30M, seniorManagerAfter: PT1H }');
    return options.deputy ? withDeputy(short) : short;
  });

/** Sweep at a moment and send what is due; the reminder rows written so far, as "rung:sequence:person". */
const tickAt = async (h: Harness, iso: string) => {
  h.t.clock.set(iso);
  await h.t.app.scheduler.sweepOnce();
  await h.t.app.dispatcher.drain();
};
const reminderKeys = async (h: Harness, deadlineId: number) =>
  (await h.t.app.store.repos.outbox.byDedupePrefix(`reminder:${deadlineId}:`)).map((row) => row.dedupeKey.split(':').slice(2, 5).join(':'));

describe('a chase that reaches someone who can act', { timeout: 180_000 }, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('the chase plan shown on raise is the reminders actually sent, rung by rung', async () => {
    h = await startAwayHarness({ org: shortOrg({ deputy: true }) });
    const { id, confirmation } = await raise(h, { userId: SLACK.amara, crn: 'X400001' });
    expect(confirmation).toBe(
      'ESC-000001 raised for X400001. Tom Reyes has been asked to countersign by Tue 24 Nov 2026, 11:00. Chase plan: Tom Reyes by Tue 11:00, again every 10 min; then Sam Adeyemi from Tue 11:30.',
    );
    const plan = await chasePlanFor({ ctx: h.t.app.ctx, itemType: 'escalation', itemId: id, kind: 'countersign' });
    expect(plan.steps.map((step) => ({ rung: step.rung, people: step.people, at: step.at.toISOString() }))).toEqual([
      { rung: 'owner', people: ['tom'], at: '2026-11-24T11:00:00.000Z' },
      { rung: 'manager', people: ['sam'], at: '2026-11-24T11:30:00.000Z' },
    ]);
    const [deadline] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id });

    await tickAt(h, '2026-11-24T10:59:00Z');
    expect(await reminderKeys(h, deadline!.id)).toEqual([]);
    await tickAt(h, '2026-11-24T11:00:00Z'); // the first step: Tom, at the deadline
    expect(await reminderKeys(h, deadline!.id)).toEqual(['owner:0:tom']);
    await tickAt(h, '2026-11-24T11:10:00Z'); // again every 10 min
    await tickAt(h, '2026-11-24T11:20:00Z');
    expect(await reminderKeys(h, deadline!.id)).toEqual(['owner:0:tom', 'owner:1:tom', 'owner:2:tom']);
    await tickAt(h, '2026-11-24T11:29:00Z');
    expect(await reminderKeys(h, deadline!.id)).toEqual(['owner:0:tom', 'owner:1:tom', 'owner:2:tom']);
    await tickAt(h, '2026-11-24T11:30:00Z'); // the next step: Sam, from 11:30
    expect(await reminderKeys(h, deadline!.id)).toEqual(['owner:0:tom', 'owner:1:tom', 'owner:2:tom', 'owner:3:tom', 'manager:0:sam']);
    await tickAt(h, '2026-11-24T12:05:00Z'); // the senior-manager rung: Sam was reached already, nobody else
    const keys = await reminderKeys(h, deadline!.id);
    expect(keys.filter((key) => !key.startsWith('owner:'))).toEqual(['manager:0:sam']);
    // Sam's rung offers the countersign itself (he may act as manager), not a "make sure Tom acts" note.
    const [toSam] = dmsTo(h.fake, SLACK.sam);
    expect(buttonsOf(toSam!).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    expect(textOf(toSam!)).not.toContain('Please make sure');
  });

  it('a countersign overdue with the manager away and no deputy: the senior manager gets the countersign button', async () => {
    h = await startAwayHarness({ org: shortOrg({ deputy: false }) });
    expect((await away(h, SLACK.tom, 'until 2026-11-27')).text).toBe('Tom Reyes away from now until Fri 27 Nov; Sam Adeyemi acts for them (the senior manager). Recorded with your name and the time.');
    const { id, confirmation } = await raise(h, { userId: SLACK.amara, crn: 'X400002' });
    expect(confirmation).toBe(
      'ESC-000001 raised for X400002. Sam Adeyemi has been asked to countersign for Tom Reyes, who is away, by Tue 24 Nov 2026, 11:00. Chase plan: Sam Adeyemi by Tue 11:00, again every 10 min.',
    );
    const [deadline] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id });
    await h.t.app.dispatcher.drain();
    await tickAt(h, '2026-11-24T11:00:00Z');
    await tickAt(h, '2026-11-24T11:35:00Z'); // past the manager rung (11:30): nobody else can act, so nobody else
    expect(await reminderKeys(h, deadline!.id)).toEqual(['owner:0:sam', 'owner:1:sam']);
    expect(dmsTo(h.fake, SLACK.tom)).toHaveLength(0);
    const toSam = dmsTo(h.fake, SLACK.sam);
    expect(toSam.map((call) => textOf(call).split('\n')[0])).toEqual([
      'Countersign needed: ESC-000001 for X400002 (High → High, standard), due Tue 24 Nov 2026, 11:00',
      'Reminder: Countersign for ESC-000001 (X400002) is due now',
      'Reminder: Countersign for ESC-000001 (X400002) is 35 min late',
    ]);
    for (const call of toSam) expect(buttonsOf(call).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    expect(toSam.map(textOf).join('\n')).not.toContain('Please make sure');
  });

  it('an absence ahead: on the sweep tick when it starts, the pending request goes to the deputy', async () => {
    h = await startAwayHarness({ org: shortOrg({ deputy: true }) });
    const { id } = await raise(h, { userId: SLACK.amara, crn: 'X400003' });
    expect((await away(h, SLACK.tom, '2026-11-25..2026-11-27')).text).toBe(
      "Tom Reyes away from Wed 25 Nov until Fri 27 Nov; Ben Carter acts for them (the unit's deputy). Recorded with your name and the time.",
    );
    await h.t.app.dispatcher.drain();
    expect(dmsTo(h.fake, SLACK.ben)).toHaveLength(0);
    await tickAt(h, '2026-11-24T23:59:00Z');
    expect(dmsTo(h.fake, SLACK.ben)).toHaveLength(0);
    await tickAt(h, '2026-11-25T00:00:00Z');
    const toBen = dmsTo(h.fake, SLACK.ben).filter((call) => textOf(call).includes('Passed to you'));
    expect(toBen).toHaveLength(1);
    expect(buttonsOf(toBen[0]!).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    const audit = (await h.t.app.store.repos.records.auditForCrn('X400003')).filter((row) => row.event === 'request.passed');
    expect(audit.map((row) => row.details)).toMatchObject([{ from: 'tom', to: 'ben', kind: 'countersign' }]);
    await tickAt(h, '2026-11-25T00:01:00Z'); // once: a later tick passes nothing again
    expect((await h.t.app.store.repos.records.auditForCrn('X400003')).filter((row) => row.event === 'request.passed')).toHaveLength(1);
    expect((await h.t.app.store.repos.items.escalation(id))?.state).toBe('awaiting_countersign');
  });
});
