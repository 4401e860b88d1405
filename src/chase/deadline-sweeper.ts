import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { Repositories } from '../db/store.js';
import { type ChaseFacts, type PlannedReminder, type Rung, applyChase, planChase } from '../domain/reminder-ladder.js';
import type { Recipient } from '../domain/workflow.types.js';
import type { Metrics } from '../http/metrics.js';
import { itemRef } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { Directory } from '../use-cases/directory.js';
import { type ItemHandle, dutyToday, enqueueMessage, resolveRecipient } from '../use-cases/effects.js';
import { type ChasedItem, deadlineButtons, renderReminderMessage } from '../use-cases/reminder-messages.js';
import { snapshotPolicy } from '../use-cases/reminder-policy.js';

const BATCH = 500;
/** A sweep never loops forever: at most this many batches per call (the next sweep carries on). */
const MAX_BATCHES = 50;

export interface Owed {
  personIds: string[];
  owedBy: string;
}

const nameOf = (directory: Directory, id: string) => directory.person(id)?.name ?? id;

/** Who owes a deadline now: its owners, with an uncovered duty desk resolved to the unit manager. */
export const resolveOwners = async (args: { repos: Repositories; directory: Directory; deadline: DeadlineRow; now: Date }): Promise<Owed> => {
  const personIds: string[] = [];
  const names: string[] = [];
  for (const owner of args.deadline.owners) {
    const resolved = await resolveRecipient({ repos: args.repos, directory: args.directory, recipient: owner as unknown as Recipient, now: args.now });
    for (const id of resolved.personIds) if (!personIds.includes(id)) personIds.push(id);
    const who = resolved.personIds.map((id) => nameOf(args.directory, id)).join(', ');
    names.push(resolved.uncovered ? `${who} (duty desk uncovered)` : who);
  }
  return { personIds, owedBy: names.filter(Boolean).join(', ') || 'nobody on record' };
};

/** The people one rung of the chase goes to. */
export const rungRecipients = (args: { directory: Directory; deadline: DeadlineRow; rung: Rung; owed: Owed; canAct: (personId: string) => boolean }): string[] => {
  const unit = args.directory.unit(args.deadline.unitId);
  if (args.rung === 'owner') return args.owed.personIds.filter(args.canAct);
  if (!unit) return [];
  if (args.rung === 'manager') {
    // The owner's manager; when the owner IS the unit's manager, the senior manager is their manager.
    if (!args.owed.personIds.includes(unit.manager)) return [unit.manager];
    return unit.seniorManager ? [unit.seniorManager] : [];
  }
  return [unit.seniorManager ?? unit.manager];
};

/** The escalation or referral a deadline belongs to. */
export const loadChasedItem = async (repos: Repositories, deadline: DeadlineRow): Promise<ChasedItem | null> => {
  if (deadline.itemType === 'escalation') {
    const row = await repos.items.escalation(deadline.itemId);
    return row ? { itemType: 'escalation', row } : null;
  }
  const row = await repos.items.referral(deadline.itemId);
  return row ? { itemType: 'referral', row } : null;
};

const factsOf = (deadline: DeadlineRow): ChaseFacts => ({
  dueAt: deadline.dueAt,
  urgent: deadline.urgent,
  ownerRemindersSent: deadline.ownerRemindersSent,
  lastOwnerReminderAt: deadline.lastOwnerReminderAt,
  managerRemindedAt: deadline.managerRemindedAt,
  seniorRemindedAt: deadline.seniorRemindedAt,
});

/** Chase one claimed deadline inside the sweep's transaction; returns the rungs sent and who was unreachable. */
const chaseDeadline = async (args: {
  ctx: UseCaseContext;
  repos: Repositories;
  deadline: DeadlineRow;
  now: Date;
}): Promise<{ sent: PlannedReminder[]; unreachable: number }> => {
  const { ctx, repos, deadline, now } = args;
  const { directory } = ctx;
  const item = await loadChasedItem(repos, deadline);
  if (!item) {
    ctx.logger.warn({ deadlineId: deadline.id, itemType: deadline.itemType, itemId: deadline.itemId, code: 'item.not_found' }, 'deadline without item');
    await repos.deadlines.saveChase({ ...factsOf(deadline), id: deadline.id, nextCheckAt: new Date(now.getTime() + 86_400_000) });
    return { sent: [], unreachable: 0 };
  }
  const policy = snapshotPolicy({ directory, snapshot: deadline.policy });
  const plan = planChase({ facts: factsOf(deadline), policy, calendar: directory.calendar, now });
  const receivingDuty =
    item.itemType === 'escalation' ? await dutyToday({ repos, directory, unitId: item.row.receivingUnitId, now }) : [];
  const owed = plan.send.length > 0 ? await resolveOwners({ repos, directory, deadline, now }) : { personIds: [], owedBy: '' };
  const handle: ItemHandle = {
    itemType: item.itemType,
    itemId: item.row.id,
    version: item.row.version,
    crn: item.row.crn,
    urgent: deadline.urgent,
  };
  // An owner who has already done their part (one side of a handover) is not reminded of it.
  const canAct = (personId: string) =>
    item.itemType !== 'escalation' || deadlineButtons({ item, kind: deadline.kind, personId, directory, receivingDuty }).length > 0;
  const unreachable: string[] = [];
  for (const reminder of plan.send) {
    const personIds = rungRecipients({ directory, deadline, rung: reminder.rung, owed, canAct });
    const result = await enqueueMessage({
      repos,
      directory,
      item: handle,
      dedupePrefix: `reminder:${deadline.id}:${reminder.rung}:${reminder.sequence}`,
      recipient: { personIds },
      render: (personId) =>
        renderReminderMessage({ item, deadline, rung: reminder.rung, personId: personId ?? '', owedBy: owed.owedBy, directory, receivingDuty, now }),
      now,
    });
    unreachable.push(...result.unreachable);
    await repos.records.audit({
      at: now,
      actorId: null,
      event: 'reminder.sent',
      itemType: item.itemType,
      itemId: item.row.id,
      crn: item.row.crn,
      details: {
        ref: itemRef(item.itemType, item.row.id),
        deadlineId: deadline.id,
        kind: deadline.kind,
        rung: reminder.rung,
        sequence: reminder.sequence,
        recipients: personIds,
        enqueued: result.enqueued,
      },
    });
  }
  if (unreachable.length > 0) {
    await repos.records.audit({
      at: now, actorId: null, event: 'person.unreachable', itemType: item.itemType, itemId: item.row.id, crn: item.row.crn,
      details: { people: [...new Set(unreachable)], deadlineId: deadline.id },
    });
  }
  const next = applyChase({ facts: factsOf(deadline), sent: plan.send, now });
  // A plan always looks ahead; never leave a row due now, or the batch loop would claim it again.
  const nextCheckAt = plan.nextCheckAt.getTime() > now.getTime() ? plan.nextCheckAt : new Date(now.getTime() + 1000);
  await repos.deadlines.saveChase({ ...next, id: deadline.id, nextCheckAt });
  return { sent: plan.send, unreachable: new Set(unreachable).size };
};

/**
 * One sweep: claim due deadlines (FOR UPDATE SKIP LOCKED, so replicas share them), plan each rung, write the
 * reminders to the outbox with unique keys and save the chase, all in the batch's transaction.
 */
/**
 * The batch's repositories with its items loaded in one query per type and each unit's duty rota read once
 * (inside the batch's transaction nothing else changes them): fewer round trips per deadline.
 */
const withBatchCache = async (args: { repos: Repositories; due: DeadlineRow[] }): Promise<Repositories> => {
  const { repos, due } = args;
  const idsOf = (type: string) => due.filter((deadline) => deadline.itemType === type).map((deadline) => deadline.itemId);
  const escalations = new Map((await repos.items.escalationsByIds(idsOf('escalation'))).map((row) => [row.id, row]));
  const referrals = new Map((await repos.items.referralsByIds(idsOf('referral'))).map((row) => [row.id, row]));
  const duty = new Map<string, ReturnType<Repositories['duty']['latest']>>();
  return {
    ...repos,
    items: {
      ...repos.items,
      escalation: async (id) => escalations.get(id) ?? repos.items.escalation(id),
      referral: async (id) => referrals.get(id) ?? repos.items.referral(id),
    },
    duty: {
      ...repos.duty,
      latest: (query) => {
        const key = `${query.unitId}|${query.onDate}`;
        const rota = duty.get(key) ?? repos.duty.latest(query);
        duty.set(key, rota);
        return rota;
      },
    },
  };
};

export const sweepDeadlines = async (args: { ctx: UseCaseContext; metrics: Metrics }): Promise<{ reminders: number; deadlines: number }> => {
  const { ctx, metrics } = args;
  let reminders = 0;
  let deadlines = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const now = ctx.clock.now();
    const result = await ctx.store.transaction(async (repos) => {
      const due = await repos.deadlines.claimDue({ now, limit: BATCH });
      const batchRepos = await withBatchCache({ repos, due });
      const sent: PlannedReminder[] = [];
      let unreachable = 0;
      for (const deadline of due) {
        const chased = await chaseDeadline({ ctx, repos: batchRepos, deadline, now });
        sent.push(...chased.sent);
        unreachable += chased.unreachable;
      }
      return { claimed: due.length, sent, unreachable };
    });
    if (result.unreachable > 0) metrics.unreachable.inc(result.unreachable);
    deadlines += result.claimed;
    reminders += result.sent.length;
    for (const reminder of result.sent) metrics.remindersSent.inc({ rung: reminder.rung });
    if (result.sent.length > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
    if (result.claimed < BATCH) break;
  }
  if (deadlines > 0) ctx.logger.debug({ deadlines, reminders }, 'sweep');
  return { reminders, deadlines };
};
