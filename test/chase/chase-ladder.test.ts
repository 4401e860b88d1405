import { afterEach, describe, expect, it } from 'vitest';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { exampleOrg } from '../support/test-org.js';
import { type ChaseHarness, startChase } from './chase-support.js';

const REMINDERS_LINE = 'reminders: { repeatEvery: PT2H, managerAfter: "1 working day", seniorManagerAfter: "2 working days" }';

/** The example org with short deadlines and a short ladder, so a test can walk it in minutes. */
const shortOrg = () =>
  exampleOrg((text) =>
    text
      .replace('countersign:  { standard: "1 working day",  urgent: PT2H }', 'countersign:  { standard: PT1H,  urgent: PT2H }')
      .replace('acceptance:   { standard: "1 working day",  urgent: PT1H }', 'acceptance:   { standard: PT1H,  urgent: PT1H }')
      .replace(REMINDERS_LINE, 'reminders: { repeatEvery: PT10M, managerAfter: PT30M, seniorManagerAfter: PT1H }'),
  );

// Each test starts the real app on a fresh database: generous time on a busy machine (no timing assertions).
describe('the chase: reminders on the ladder, exactly once', { timeout: 120_000 }, () => {
  let h: ChaseHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('carries a countersign deadline across a weekend and two bank holidays, then reminds once at the next working morning', async () => {
    expect(exampleOrg().reminders.repeatEvery.text).toBe('PT2H');
    h = await startChase({ now: '2026-12-24T10:00:00Z' }); // Thursday 24 Dec 2026, 10:00 London
    const id = await h.raise({ crn: 'X100001' });
    const [deadline] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id });
    // Fri 25 Dec (Christmas), the weekend and Mon 28 Dec (Boxing Day, substitute) are not working days.
    expect(deadline).toMatchObject({ kind: 'countersign', dueAt: new Date('2026-12-29T17:00:00Z') });

    for (const at of ['2026-12-24T17:30:00Z', '2026-12-25T12:00:00Z', '2026-12-26T12:00:00Z', '2026-12-28T12:00:00Z', '2026-12-29T16:59:00Z']) {
      await h.at(at);
    }
    // Due at 17:00, the end of the working day: a standard item waits for the morning.
    await h.at('2026-12-29T17:00:00Z');
    await h.at('2026-12-29T23:00:00Z');
    expect(await h.reminders()).toEqual([]);

    await h.at('2026-12-30T09:00:00Z');
    await h.at('2026-12-30T09:00:00Z');
    await h.at('2026-12-30T10:59:00Z');
    const reminders = await h.reminders();
    expect(reminders.map((r) => [r.key, r.status])).toEqual([[`reminder:${deadline!.id}:owner:0:tom:slack:U0TOM`, 'sent']]);
    const message = reminders[0]!.message;
    expect(message.title).toBe('Reminder: Countersign ESC-000001, 16 h late');
    expect(message.fields).toContainEqual({ label: 'Late by', value: '16 h' });
    expect(message.actions.map((action) => action.id)).toEqual(['escalation.countersign', 'escalation.return']);
    expect(h.reminderDms('U0TOM')).toHaveLength(1);
    expect(await (await fetch(`${h.t.baseUrl}/metrics`)).text()).toMatch(/dutydesk_overdue_deadlines\{kind="countersign"\} 1/);

    await h.at('2026-12-30T11:00:00Z'); // repeatEvery PT2H
    expect((await h.reminders()).map((r) => r.key)).toContain(`reminder:${deadline!.id}:owner:1:tom:slack:U0TOM`);
    expect(h.reminderDms('U0TOM')).toHaveLength(2);
  });

  it('holds a standard reminder until the morning and sends an urgent one at night', async () => {
    h = await startChase({ org: shortOrg(), now: '2026-11-24T16:30:00Z' });
    const standard = await h.raise({ crn: 'X200001' }); // countersign due 17:30
    const urgent = await h.raise({ crn: 'X200002', urgency: 'urgent' }); // due 18:30
    const [standardDeadline] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: standard });
    const [urgentDeadline] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: urgent });
    expect(urgentDeadline).toMatchObject({ urgent: true, dueAt: new Date('2026-11-24T18:30:00Z') });

    await h.at('2026-11-24T17:30:00Z');
    expect(await h.reminders()).toEqual([]);
    await h.at('2026-11-24T18:30:00Z');
    expect((await h.reminders()).map((r) => r.key)).toEqual([`reminder:${urgentDeadline!.id}:owner:0:tom:slack:U0TOM`]);
    expect((await h.reminders())[0]!.message.title).toBe('Reminder: Countersign ESC-000002, due now');

    await h.at('2026-11-24T23:00:00Z');
    const night = (await h.reminders()).map((r) => r.key);
    expect(night.filter((key) => key.startsWith(`reminder:${standardDeadline!.id}:`))).toEqual([]);
    expect(night).toContain(`reminder:${urgentDeadline!.id}:owner:1:tom:slack:U0TOM`);

    await h.at('2026-11-25T09:00:00Z');
    const morning = (await h.reminders()).filter((r) => r.key.startsWith(`reminder:${standardDeadline!.id}:`));
    // A night longer than the short ladder: the owner and the rungs above all hear at 09:00. Tom owes the countersign
    // himself, so the rung above him is Sam (who may act as manager: the countersign button itself), and Sam is not
    // chased a second time as the senior-manager rung (issue #13: both higher rungs went to the same person).
    expect(morning.map((r) => r.key)).toEqual([`reminder:${standardDeadline!.id}:owner:0:tom:slack:U0TOM`, `reminder:${standardDeadline!.id}:manager:0:sam:slack:U0SAM`]);
    expect(morning[1]!.message.actions.map((action) => action.id)).toEqual(['escalation.countersign', 'escalation.return']);
    expect(morning[0]!.message.fields).toContainEqual({ label: 'Late by', value: '15 h 30 min' });
  });

  it('climbs to the manager and then the senior manager, never twice per rung, and stops when the action is taken', async () => {
    h = await startChase({ org: shortOrg(), now: '2026-11-24T10:00:00Z' });
    const id = await h.raise({ crn: 'X300001' });
    await decideEscalation({ ctx: h.t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    await h.dispatcher.drain();
    const [acceptance] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id });
    expect(acceptance).toMatchObject({ kind: 'acceptance', unitId: 'north-pp', dueAt: new Date('2026-11-24T11:00:00Z') });
    const key = (rung: string, seq: number, who: string, slack: string) => `reminder:${acceptance!.id}:${rung}:${seq}:${who}:slack:${slack}`;

    await h.at('2026-11-24T10:59:00Z');
    expect(await h.reminders()).toEqual([]);
    await h.at('2026-11-24T11:00:00Z');
    await h.at('2026-11-24T11:05:00Z');
    await h.at('2026-11-24T11:10:00Z');
    await h.at('2026-11-24T11:30:00Z');
    await h.at('2026-11-24T11:30:00Z');
    await h.at('2026-11-24T12:00:00Z');
    await h.at('2026-11-24T12:00:00Z');
    expect((await h.reminders()).map((r) => r.key).sort()).toEqual(
      [
        key('owner', 0, 'dev', 'U0DEV'),
        key('owner', 1, 'dev', 'U0DEV'),
        key('owner', 2, 'dev', 'U0DEV'),
        key('manager', 0, 'kate', 'U0KATE'),
        key('owner', 3, 'dev', 'U0DEV'),
        key('seniorManager', 0, 'sam', 'U0SAM'),
      ].sort(),
    );
    expect((await h.reminders()).every((r) => r.status === 'sent')).toBe(true);
    expect(h.reminderDms('U0DEV')).toHaveLength(4);
    expect(h.reminderDms('U0KATE')).toHaveLength(1);
    expect(h.reminderDms('U0SAM')).toHaveLength(1);
    const toKate = (await h.reminders()).find((r) => r.key === key('manager', 0, 'kate', 'U0KATE'))!.message;
    expect(toKate.text).toBe('Overdue in your team: Duty acceptance for ESC-000001 (X300001) (owed by Dev Patel) is 30 min late');
    expect(toKate.actions.map((action) => action.id)).toEqual(['escalation.accept', 'escalation.decline']);
    const audit = await h.t.app.store.repos.records.auditEvents('reminder.sent');
    expect(audit.map((event) => event.details.rung)).toEqual(['owner', 'owner', 'owner', 'manager', 'owner', 'seniorManager']);
    const metrics = await (await fetch(`${h.t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/dutydesk_reminders_sent_total\{rung="seniorManager"\} 1/);
    expect(metrics).toMatch(/dutydesk_reminders_sent_total\{rung="owner"\} 4/);

    // Dev accepts: the deadline is met in the decision's transaction, so nobody is chased about it again.
    h.t.clock.set('2026-11-24T12:05:00Z');
    await decideEscalation({ ctx: h.t.app.ctx, actorId: 'dev', escalationId: id, action: 'accept', rationale: 'On duty.', caseManagerId: 'omar', platform: 'slack' });
    for (const at of ['2026-11-24T12:10:00Z', '2026-11-24T13:00:00Z', '2026-11-24T16:00:00Z']) await h.at(at);
    expect((await h.reminders()).filter((r) => r.key.startsWith(`reminder:${acceptance!.id}:`))).toHaveLength(6);
    expect(h.reminderDms('U0DEV')).toHaveLength(4);
  });

  it('chases the unit manager when nobody is on duty, and the senior manager as their manager', async () => {
    h = await startChase({ org: shortOrg(), now: '2026-11-24T10:00:00Z' });
    await h.t.app.store.repos.duty.set({ unitId: 'north-pp', onDate: '2026-11-24', personIds: [], setBy: null, at: h.t.clock.now() });
    const id = await h.raise({ crn: 'X400001' });
    await decideEscalation({ ctx: h.t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    const [acceptance] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id });
    await h.at('2026-11-24T11:00:00Z');
    await h.at('2026-11-24T11:30:00Z');
    const reminders = await h.reminders();
    expect(reminders.map((r) => r.key)).toEqual([
      `reminder:${acceptance!.id}:owner:0:kate:slack:U0KATE`,
      `reminder:${acceptance!.id}:owner:1:kate:slack:U0KATE`,
      `reminder:${acceptance!.id}:manager:0:sam:slack:U0SAM`,
    ]);
    expect(reminders[0]!.message.fields).toContainEqual({ label: 'Owed by', value: 'Kate Morgan (duty desk uncovered)' });
  });
});
