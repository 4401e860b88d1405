import type { ChaseState, DeadlineRow } from '../db/deadlines.repository.js';
import type { NewOutboxRow } from '../db/outbox.repository.js';
import type { SweepAuditRow } from '../db/bulk-writes.js';
import type { Repositories } from '../db/store.js';
import { type ChasePlan, type PlannedReminder, type ReminderPolicy, applyChase, planChase } from '../domain/reminder-ladder.js';
import type { ChatAction, Target } from '../use-cases/chat-message.js';
import { itemRef } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { targetsForPerson } from '../use-cases/effects.js';
import { type ChasedItem, deadlineButtons, mayAnswerDeadline, renderReminderMessage } from '../use-cases/reminder-messages.js';
import { snapshotPolicy } from '../use-cases/reminder-policy.js';
import { dutyUnitsOf } from '../use-cases/workflows/workflow-module.js';
import { type Owed, factsOf, resolveOwners, rungRecipients } from './chase-recipients.js';
import type { SweepSnapshot } from './sweep-snapshot.js';

/** One rung planned for one deadline: who it goes to and its outbox rows, not yet written. */
interface PlannedRung {
  reminder: PlannedReminder;
  personIds: string[];
  rows: NewOutboxRow[];
}

/** What the sweep will write for one claimed deadline. */
export interface PlannedDeadline {
  deadline: DeadlineRow;
  item: ChasedItem | null;
  rungs: PlannedRung[];
  /** People who could not be reached (their messages went to their manager), each once. */
  unreachable: string[];
  chase: ChaseState;
}

const NOBODY: Owed = { personIds: [], owedBy: '' };
const at = (date: Date | null) => (date ? date.getTime() : '');

/**
 * Plan a claimed batch in bulk over its snapshot, in three passes with no round trip per deadline:
 * 1. the ladder, once per policy and distinct chase facts (deadlines due together share one plan), and who owes
 *    each deadline, once per distinct set of owners;
 * 2. who each rung goes to (one call into chase-recipients per deadline), then where each of those people can
 *    be reached, once per person;
 * 3. each reminder rendered synchronously and its outbox rows built.
 */
export const planBatch = async (args: { ctx: UseCaseContext; snapshot: SweepSnapshot; due: DeadlineRow[]; now: Date }): Promise<PlannedDeadline[]> => {
  const { ctx, snapshot, due, now } = args;
  const { directory, workflows } = ctx;
  const policies = new Map<string, ReminderPolicy>();
  const plans = new Map<string, ChasePlan>();
  const owners = new Map<string, Promise<Owed>>();
  const planOf = (deadline: DeadlineRow): ChasePlan => {
    const policyKey = JSON.stringify(deadline.policy);
    let policy = policies.get(policyKey);
    if (!policy) {
      policy = snapshotPolicy({ directory, snapshot: deadline.policy });
      policies.set(policyKey, policy);
    }
    const facts = factsOf(deadline);
    const key = `${policyKey}|${facts.urgent}|${facts.dueAt.getTime()}|${facts.ownerRemindersSent}|${at(facts.lastOwnerReminderAt)}|${at(facts.managerRemindedAt)}|${at(facts.seniorRemindedAt)}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = planChase({ facts, policy, calendar: directory.calendar, now });
      plans.set(key, plan);
    }
    return plan;
  };

  // Pass 1: the ladder and the owners.
  const first = due.map((deadline) => {
    const item = snapshot.itemOf(deadline);
    const plan = item ? planOf(deadline) : null;
    let owed: Promise<Owed> | null = null;
    if (item && plan && plan.send.length > 0) {
      const key = `${deadline.unitId}|${JSON.stringify(deadline.owners)}`;
      owed = owners.get(key) ?? resolveOwners({ repos: snapshot.repos, directory, deadline, now });
      owners.set(key, owed);
    }
    return { deadline, item, plan, owed };
  });
  const owedBy = new Map<Promise<Owed>, Owed>();
  await Promise.all([...owners.values()].map(async (promise) => owedBy.set(promise, await promise)));

  // Pass 2: who each rung goes to, then how each person is reached.
  const second = first.map(({ deadline, item, plan, owed }) => {
    if (!item || !plan) return { deadline, item, plan, owed: NOBODY, org: null, recipients: [] as { reminder: PlannedReminder; personIds: string[] }[], buttonsOf: null };
    const module = workflows.get(item.itemType);
    const org = snapshot.orgView(module ? dutyUnitsOf(module, item.row) : []);
    const who = owed ? (owedBy.get(owed) ?? NOBODY) : NOBODY;
    // An owner who has already done their part (one side of a handover) is not reminded of it.
    // Each person's buttons are worked out once per deadline: "may they act" and the reminder's buttons share them.
    const buttons = new Map<string, ChatAction[]>();
    const buttonsOf = (personId: string) => {
      let actions = buttons.get(personId);
      if (!actions) {
        actions = deadlineButtons({ workflows, item, kind: deadline.kind, personId, org });
        buttons.set(personId, actions);
      }
      return actions;
    };
    const canAct = (personId: string) => mayAnswerDeadline({ workflows, item, kind: deadline.kind, personId, org, buttons: () => buttonsOf(personId) });
    const recipients = plan.send.map((reminder) => ({ reminder, personIds: rungRecipients({ directory, deadline, rung: reminder.rung, owed: who, canAct, org }) }));
    return { deadline, item, plan, owed: who, org, recipients, buttonsOf };
  });
  const people = new Set(second.flatMap((entry) => entry.recipients.flatMap((recipient) => recipient.personIds)));
  const reachOf = new Map<string, { targets: Target[]; unreachable: string[] }>();
  await Promise.all(
    [...people].map(async (personId) => reachOf.set(personId, await targetsForPerson({ repos: snapshot.repos, directory, reach: ctx.reach, personId, teamsReachable: snapshot.teamsReachable }))),
  );

  // Pass 3: render and build the rows, synchronously.
  return second.map(({ deadline, item, plan, owed, org, recipients, buttonsOf }): PlannedDeadline => {
    if (!item || !plan || !org || !buttonsOf) {
      ctx.logger.warn({ deadlineId: deadline.id, itemType: deadline.itemType, itemId: deadline.itemId, code: 'item.not_found' }, 'deadline without item');
      const chase = { ...factsOf(deadline), id: deadline.id, nextCheckAt: new Date(now.getTime() + 86_400_000) };
      return { deadline, item, rungs: [], unreachable: [], chase };
    }
    const base = { itemType: item.itemType, itemId: item.row.id, nextAttemptAt: now, createdAt: now };
    const unreachable: string[] = [];
    const rungs: PlannedRung[] = recipients.map(({ reminder, personIds }) => {
      const dedupePrefix = `reminder:${deadline.id}:${reminder.rung}:${reminder.sequence}`;
      const rows: NewOutboxRow[] = [];
      for (const personId of personIds) {
        const reach = reachOf.get(personId) ?? { targets: [], unreachable: [personId] };
        unreachable.push(...reach.unreachable);
        if (reach.targets.length === 0) continue;
        const payload = {
          kind: 'reminder' as const,
          deadlineId: deadline.id,
          rung: reminder.rung,
          message: renderReminderMessage({ item, deadline, rung: reminder.rung, personId, owedBy: owed.owedBy, directory, workflows, org, now, actions: buttonsOf(personId) }),
        };
        for (const target of reach.targets) rows.push({ ...base, dedupeKey: `${dedupePrefix}:${personId}:${target.platform}:${target.id}`, platform: target.platform, target, payload });
      }
      return { reminder, personIds, rows };
    });
    const next = applyChase({ facts: factsOf(deadline), sent: plan.send, now });
    // A plan always looks ahead; never leave a row due now, or the batch loop would claim it again.
    const nextCheckAt = plan.nextCheckAt.getTime() > now.getTime() ? plan.nextCheckAt : new Date(now.getTime() + 1000);
    return { deadline, item, rungs, unreachable: [...new Set(unreachable)], chase: { ...next, id: deadline.id, nextCheckAt } };
  });
};

/**
 * Write a planned batch in the batch's transaction with one statement (src/db/bulk-writes.ts writeSweepRows): the
 * outbox rows (ON CONFLICT DO NOTHING, so a rung already written by another sweep does nothing), the audit rows
 * ('reminder.sent' per rung counting its rows written now, 'person.unreachable' per deadline, in the order
 * planned) and the chase states.
 */
export const writeChaseBatch = async (args: { repos: Repositories; planned: PlannedDeadline[]; now: Date }): Promise<void> => {
  const { repos, planned, now } = args;
  const outbox: NewOutboxRow[] = [];
  const audits: SweepAuditRow[] = [];
  for (const { deadline, item, rungs, unreachable } of planned) {
    for (const rung of rungs) for (const row of rung.rows) outbox.push(row);
    if (!item) continue;
    const about = { at: now, actorId: null, itemType: item.itemType, itemId: item.row.id, crn: item.row.crn };
    for (const { reminder, personIds, rows } of rungs) {
      audits.push({
        ...about,
        event: 'reminder.sent',
        details: {
          ref: itemRef(item.itemType, item.row.id),
          deadlineId: deadline.id,
          kind: deadline.kind,
          rung: reminder.rung,
          sequence: reminder.sequence,
          recipients: personIds,
        },
        // details.enqueued: how many of these rows were new (the statement counts them from its INSERT).
        enqueuedOf: rows.map((row) => row.dedupeKey),
      });
    }
    if (unreachable.length > 0) audits.push({ ...about, event: 'person.unreachable', details: { people: unreachable, deadlineId: deadline.id } });
  }
  await repos.deadlines.writeSweepBatch({ outbox, audits, chase: planned.map((entry) => entry.chase) });
};
