import type { ChaseState, DeadlineRow } from '../db/deadlines.repository.js';
import type { NewOutboxRow } from '../db/outbox.repository.js';
import type { NewAuditRow } from '../db/records.repository.js';
import type { Repositories } from '../db/store.js';
import { type PlannedReminder, applyChase, planChase } from '../domain/reminder-ladder.js';
import { itemRef } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { type ItemHandle, outboxRowsFor } from '../use-cases/effects.js';
import { orgViewFor } from '../use-cases/org-view.js';
import { dutyUnitsOf } from '../use-cases/workflows/workflow-module.js';
import { type ChasedItem, mayAnswerDeadline, renderReminderMessage } from '../use-cases/reminder-messages.js';
import { snapshotPolicy } from '../use-cases/reminder-policy.js';
import { factsOf, loadChasedItem, resolveOwners, rungRecipients } from './chase-recipients.js';

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

/**
 * Plan one claimed deadline in memory: the rungs due, their recipients and outbox rows, and the chase state to
 * save. Reads only the batch's caches (items, duty rotas, Teams reachability), so it costs no round trips.
 */
export const planDeadline = async (args: { ctx: UseCaseContext; repos: Repositories; deadline: DeadlineRow; now: Date; teamsReachable: ReadonlySet<string> }): Promise<PlannedDeadline> => {
  const { ctx, repos, deadline, now, teamsReachable } = args;
  const { directory } = ctx;
  const item = await loadChasedItem({ repos, deadline });
  if (!item) {
    ctx.logger.warn({ deadlineId: deadline.id, itemType: deadline.itemType, itemId: deadline.itemId, code: 'item.not_found' }, 'deadline without item');
    const chase = { ...factsOf(deadline), id: deadline.id, nextCheckAt: new Date(now.getTime() + 86_400_000) };
    return { deadline, item, rungs: [], unreachable: [], chase };
  }
  const policy = snapshotPolicy({ directory, snapshot: deadline.policy });
  const plan = planChase({ facts: factsOf(deadline), policy, calendar: directory.calendar, now });
  const module = ctx.workflows.get(item.itemType);
  const org = await orgViewFor({ repos, directory, now, dutyUnits: module ? dutyUnitsOf(module, item.row) : [] });
  const { workflows } = ctx;
  const owed = plan.send.length > 0 ? await resolveOwners({ repos, directory, deadline, now }) : { personIds: [], owedBy: '' };
  const handle: ItemHandle = { itemType: item.itemType, itemId: item.row.id, version: item.row.version, crn: item.row.crn, urgent: deadline.urgent };
  // An owner who has already done their part (one side of a handover) is not reminded of it.
  const canAct = (personId: string) => mayAnswerDeadline({ workflows, item, kind: deadline.kind, personId, org });
  const rungs: PlannedRung[] = [];
  const unreachable: string[] = [];
  for (const reminder of plan.send) {
    const personIds = rungRecipients({ directory, deadline, rung: reminder.rung, owed, canAct, org });
    const message = await outboxRowsFor({
      repos,
      directory,
      reach: ctx.reach,
      item: handle,
      dedupePrefix: `reminder:${deadline.id}:${reminder.rung}:${reminder.sequence}`,
      recipient: { personIds },
      intent: (personId) => ({
        kind: 'reminder',
        deadlineId: deadline.id,
        rung: reminder.rung,
        message: renderReminderMessage({ item, deadline, rung: reminder.rung, personId: personId ?? '', owedBy: owed.owedBy, directory, workflows, org, now }),
      }),
      now,
      teamsReachable,
    });
    unreachable.push(...message.unreachable);
    rungs.push({ reminder, personIds, rows: message.rows });
  }
  const next = applyChase({ facts: factsOf(deadline), sent: plan.send, now });
  // A plan always looks ahead; never leave a row due now, or the batch loop would claim it again.
  const nextCheckAt = plan.nextCheckAt.getTime() > now.getTime() ? plan.nextCheckAt : new Date(now.getTime() + 1000);
  return { deadline, item, rungs, unreachable: [...new Set(unreachable)], chase: { ...next, id: deadline.id, nextCheckAt } };
};

/**
 * Write a planned batch in the batch's transaction with a handful of statements: the outbox rows (one multi-row
 * INSERT … ON CONFLICT DO NOTHING, so a rung already written by another sweep does nothing), one audit INSERT
 * ('reminder.sent' per rung, 'person.unreachable' per deadline, in the order planned) and one chase UPDATE.
 */
export const writeChaseBatch = async (args: { repos: Repositories; planned: PlannedDeadline[]; now: Date }): Promise<void> => {
  const { repos, planned, now } = args;
  const inserted = await repos.outbox.enqueueMany(planned.flatMap((entry) => entry.rungs.flatMap((rung) => rung.rows)));
  const audits: NewAuditRow[] = [];
  for (const { deadline, item, rungs, unreachable } of planned) {
    if (!item) continue;
    const about = { at: now, actorId: null, itemType: item.itemType, itemId: item.row.id, crn: item.row.crn };
    for (const { reminder, personIds, rows } of rungs) {
      const enqueued = new Set(rows.map((row) => row.dedupeKey).filter((key) => inserted.has(key))).size;
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
          enqueued,
        },
      });
    }
    if (unreachable.length > 0) audits.push({ ...about, event: 'person.unreachable', details: { people: unreachable, deadlineId: deadline.id } });
  }
  await repos.records.auditMany(audits);
  await repos.deadlines.saveChaseMany(planned.map((entry) => entry.chase));
};
