import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../../src/config/calendar.js';
import { type ChaseFacts, type ReminderPolicy, applyChase, planChase } from '../../src/domain/reminder-ladder.js';
import { parseDeadlineSpec } from '../../src/domain/time/deadline-spec.js';

const spec = (text: string) => {
  const parsed = parseDeadlineSpec(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.spec;
};
const calendar = buildWorkCalendar({ timeZone: 'Europe/London', workingHours: { start: '09:00', end: '17:00' }, calendar: 'england-and-wales' });
const policy: ReminderPolicy = { repeatEvery: spec('PT2H'), managerAfter: spec('1 working day'), seniorManagerAfter: spec('2 working days') };
const fresh = (dueAt: string, urgent = false): ChaseFacts => ({ dueAt: new Date(dueAt), urgent, ownerRemindersSent: 0, lastOwnerReminderAt: null, managerRemindedAt: null, seniorRemindedAt: null });
const at = (iso: string) => new Date(iso);

describe('the reminder ladder', () => {
  it('sends nothing before the deadline and checks again at it', () => {
    const plan = planChase({ facts: fresh('2026-11-25T15:00:00Z'), policy, calendar, now: at('2026-11-25T10:00:00Z') });
    expect(plan).toEqual({ send: [], nextCheckAt: at('2026-11-25T15:00:00Z') });
    // A standard deadline at the end of the working day is first chased the next working morning.
    const endOfDay = planChase({ facts: fresh('2026-11-25T17:00:00Z'), policy, calendar, now: at('2026-11-25T10:00:00Z') });
    expect(endOfDay.nextCheckAt).toEqual(at('2026-11-26T09:00:00Z'));
  });

  it('holds a standard reminder due at 17:00 until 09:00 the next working day; an urgent one goes at once', () => {
    const standard = planChase({ facts: fresh('2026-11-27T17:00:00Z'), policy, calendar, now: at('2026-11-27T17:00:00Z') });
    expect(standard.send).toEqual([]);
    expect(standard.nextCheckAt).toEqual(at('2026-11-30T09:00:00Z')); // Friday evening → Monday morning
    const urgent = planChase({ facts: fresh('2026-11-27T22:00:00Z', true), policy, calendar, now: at('2026-11-27T22:00:00Z') });
    expect(urgent.send).toEqual([{ rung: 'owner', sequence: 0 }]);
    expect(urgent.nextCheckAt).toEqual(at('2026-11-28T00:00:00Z'));
  });

  it('repeats every two hours, then adds the manager after a working day and the senior manager after two', () => {
    let facts = fresh('2026-11-24T10:00:00Z');
    const sent: string[] = [];
    let now = at('2026-11-24T10:00:00Z');
    for (let step = 0; step < 40 && now < at('2026-11-27T12:00:00Z'); step += 1) {
      const plan = planChase({ facts, policy, calendar, now });
      for (const reminder of plan.send) sent.push(`${now.toISOString().slice(5, 16)} ${reminder.rung}#${reminder.sequence}`);
      facts = applyChase({ facts, sent: plan.send, now });
      expect(plan.nextCheckAt.getTime()).toBeGreaterThan(now.getTime());
      now = plan.nextCheckAt;
    }
    expect(sent.slice(0, 4)).toEqual(['11-24T10:00 owner#0', '11-24T12:00 owner#1', '11-24T14:00 owner#2', '11-24T16:00 owner#3']);
    expect(sent).toContain('11-25T09:00 owner#4');
    // A day's worth of working time after a Tuesday 10:00 deadline: the manager on Wednesday 10:00, the senior manager on Thursday 10:00.
    expect(sent.filter((line) => / manager#0$/.test(line))).toEqual(['11-25T10:00 manager#0']);
    expect(sent.filter((line) => / seniorManager#0$/.test(line))).toEqual(['11-26T10:00 seniorManager#0']);
  });
});
