import type { DeadlineSpec } from './time/deadline-spec.js';
import { type WorkCalendar, addDeadline, isWorkingTime, nextWorkingTime } from './time/working-time.js';

/**
 * The chase (docs/operations.md "How the chase works"): at the deadline the person who owes the action, again every `repeatEvery`;
 * after `managerAfter` their manager; after `seniorManagerAfter` the senior manager. Standard items chase
 * only in working time; urgent ones at any hour. Each rung is planned from stored facts, so a restart or a
 * second replica plans the same thing, and the outbox's unique key makes each send happen once.
 */
export interface ReminderPolicy {
  repeatEvery: DeadlineSpec;
  managerAfter: DeadlineSpec;
  seniorManagerAfter: DeadlineSpec;
}

export type Rung = 'owner' | 'manager' | 'seniorManager';

export interface ChaseFacts {
  dueAt: Date;
  urgent: boolean;
  ownerRemindersSent: number;
  lastOwnerReminderAt: Date | null;
  managerRemindedAt: Date | null;
  seniorRemindedAt: Date | null;
}

export interface PlannedReminder {
  rung: Rung;
  /** 0 for the first owner reminder, 1 for the first repeat, … ; always 0 for manager rungs. */
  sequence: number;
}

export interface ChasePlan {
  send: PlannedReminder[];
  /** When the sweep should look at this deadline again. */
  nextCheckAt: Date;
}

const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

/**
 * An offset on the ladder ("manager after 1 working day") is a day's worth of working time from the
 * deadline, not "the end of the next working day": Tuesday 10:00 + 1 working day chases on Wednesday 10:00.
 */
const asOffset = (spec: DeadlineSpec, calendar: WorkCalendar): DeadlineSpec => {
  if (spec.kind !== 'workingDays') return spec;
  const { start, end } = calendar.workingHours;
  let known = offsets.get(spec);
  if (!known || known.start !== start || known.end !== end) {
    const dayMinutes = minutesOf(end) - minutesOf(start);
    known = { start, end, offset: { kind: 'workingHours', text: spec.text, hours: (spec.days * dayMinutes) / 60 } };
    offsets.set(spec, known);
  }
  return known.offset;
};
/** A policy's specs are planned thousands of times a sweep: each working-days offset is worked out once per hours. */
const offsets = new WeakMap<DeadlineSpec, { start: string; end: string; offset: DeadlineSpec }>();

export const planChase = (args: { facts: ChaseFacts; policy: ReminderPolicy; calendar: WorkCalendar; now: Date }): ChasePlan => {
  const { facts, policy, calendar, now } = args;
  const chaseable = (at: Date) => (facts.urgent ? at : nextWorkingTime({ calendar, from: at }));
  const canChaseNow = facts.urgent || isWorkingTime({ calendar, at: now });

  const ownerAt = facts.ownerRemindersSent === 0 || !facts.lastOwnerReminderAt ? facts.dueAt : addDeadline({ calendar, from: facts.lastOwnerReminderAt, spec: asOffset(policy.repeatEvery, calendar) });
  const managerAt = addDeadline({ calendar, from: facts.dueAt, spec: asOffset(policy.managerAfter, calendar) });
  const seniorAt = addDeadline({ calendar, from: facts.dueAt, spec: asOffset(policy.seniorManagerAfter, calendar) });

  const send: PlannedReminder[] = [];
  const upcoming: Date[] = [];
  const consider = (rung: Rung, at: Date, done: boolean, sequence: number) => {
    if (done) return;
    if (now.getTime() >= at.getTime() && canChaseNow) send.push({ rung, sequence });
    else upcoming.push(chaseable(later(at, now)));
  };
  consider('owner', ownerAt, false, facts.ownerRemindersSent);
  consider('manager', managerAt, facts.managerRemindedAt !== null, 0);
  consider('seniorManager', seniorAt, facts.seniorRemindedAt !== null, 0);

  // After sending an owner reminder now, the next one is a full repeat away.
  if (send.some((reminder) => reminder.rung === 'owner')) {
    upcoming.push(chaseable(addDeadline({ calendar, from: now, spec: asOffset(policy.repeatEvery, calendar) })));
  }
  const nextCheckAt = upcoming.reduce((min, at) => (at.getTime() < min.getTime() ? at : min));
  return { send, nextCheckAt };
};

/** One rung of a chase as planned ahead: when it first goes out, and for the owner how often it repeats. */
export interface PlanStep {
  rung: Rung;
  at: Date;
  /** The owner's repeat, as written in the policy (PT2H); manager rungs go once. */
  repeat?: string;
}

/**
 * When each rung of a fresh deadline first goes out, read off the same arithmetic `planChase` uses (so the plan
 * shown on raise is the chase the sweep runs): owner at the deadline, then manager, then senior manager.
 */
export const chaseSchedule = (args: { dueAt: Date; urgent: boolean; policy: ReminderPolicy; calendar: WorkCalendar }): PlanStep[] => {
  const { dueAt, urgent, policy, calendar } = args;
  const chaseable = (at: Date) => (urgent ? at : nextWorkingTime({ calendar, from: at }));
  return [
    // The owner is asked "by" the deadline itself (their request went out at the start); the rungs above from
    // the first moment the sweep may send them (working time for standard items).
    { rung: 'owner', at: dueAt, repeat: policy.repeatEvery.text },
    { rung: 'manager', at: chaseable(addDeadline({ calendar, from: dueAt, spec: asOffset(policy.managerAfter, calendar) })) },
    { rung: 'seniorManager', at: chaseable(addDeadline({ calendar, from: dueAt, spec: asOffset(policy.seniorManagerAfter, calendar) })) },
  ];
};

/** The facts after the planned reminders were sent at `now`. */
export const applyChase = (args: { facts: ChaseFacts; sent: PlannedReminder[]; now: Date }): ChaseFacts => {
  const next = { ...args.facts };
  for (const reminder of args.sent) {
    if (reminder.rung === 'owner') {
      next.ownerRemindersSent += 1;
      next.lastOwnerReminderAt = args.now;
    }
    if (reminder.rung === 'manager') next.managerRemindedAt = args.now;
    if (reminder.rung === 'seniorManager') next.seniorRemindedAt = args.now;
  }
  return next;
};
