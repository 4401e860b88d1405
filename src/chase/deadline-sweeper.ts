import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { Repositories } from '../db/store.js';
import type { PlannedReminder } from '../domain/reminder-ladder.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { type PlannedDeadline, planDeadline, writeChaseBatch } from './chase-batch.js';
import { passStartedAbsences } from '../use-cases/away.use-case.js';
import { absencesOnce } from './chase-recipients.js';

export { type Owed, loadChasedItem, resolveOwners, rungRecipients } from './chase-recipients.js';

/**
 * Deadlines claimed per transaction. Each batch is planned in memory and written with a handful of set-based
 * statements; 1,000 or 2,000 measured no faster (the cost left is planning and rendering), and a smaller batch
 * holds its row locks for less time and shares the work between replicas more evenly.
 */
const BATCH = 500;
/** A sweep never loops forever: at most this many batches per call (the next sweep carries on). */
const MAX_BATCHES = 50;

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
    absences: absencesOnce(repos), // who is away, read once per batch
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

/** One batch in one transaction: claim, plan every deadline in memory, then write the batch set-based. */
const sweepBatch = async (args: { ctx: UseCaseContext; repos: Repositories; now: Date }) => {
  const { ctx, repos, now } = args;
  const due = await repos.deadlines.claimDue({ now, limit: BATCH });
  if (due.length === 0) return { claimed: 0, sent: [], unreachable: 0 };
  const batchRepos = await withBatchCache({ repos, due });
  const teamsReachable = await repos.teams.reachable();
  const planned: PlannedDeadline[] = [];
  for (const deadline of due) planned.push(await planDeadline({ ctx, repos: batchRepos, deadline, now, teamsReachable }));
  await writeChaseBatch({ repos, planned, now });
  const sent: PlannedReminder[] = planned.flatMap((entry) => entry.rungs.map((rung) => rung.reminder));
  const unreachable = planned.reduce((sum, entry) => sum + entry.unreachable.length, 0);
  return { claimed: due.length, sent, unreachable };
};

/**
 * One sweep: claim due deadlines (FOR UPDATE SKIP LOCKED, so replicas share them), plan each rung, write the
 * reminders to the outbox with unique keys and save the chase, all in the batch's transaction.
 */
export const sweepDeadlines = async (args: { ctx: UseCaseContext; metrics: Metrics }): Promise<{ reminders: number; deadlines: number }> => {
  const { ctx, metrics } = args;
  await passStartedAbsences({ ctx }); // absences whose start has come: their pending requests go to the delegate
  let reminders = 0;
  let deadlines = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const now = ctx.clock.now();
    const result = await ctx.store.transaction((repos) => sweepBatch({ ctx, repos, now }));
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
