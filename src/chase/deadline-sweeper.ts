import type { Repositories } from '../db/store.js';
import type { PlannedReminder } from '../domain/reminder-ladder.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { type PlannedDeadline, planBatch, writeChaseBatch } from './chase-batch.js';
import { loadSweepSnapshot } from './sweep-snapshot.js';
import { passStartedAbsences } from '../use-cases/away.use-case.js';

export { type Owed, loadChasedItem, resolveOwners, rungRecipients } from './chase-recipients.js';

/**
 * Deadlines claimed per transaction. Each batch is planned in memory and written with a handful of set-based
 * statements; 1,000 or 2,000 measured no faster (the cost left is planning and rendering), and a smaller batch
 * holds its row locks for less time and shares the work between replicas more evenly.
 */
const BATCH = 500;
/** A sweep never loops forever: at most this many batches per call (the next sweep carries on). */
const MAX_BATCHES = 50;

/** One batch in one transaction: claim, plan every deadline in memory, then write the batch set-based. */
const sweepBatch = async (args: { ctx: UseCaseContext; repos: Repositories; now: Date }) => {
  const { ctx, repos, now } = args;
  const due = await repos.deadlines.claimDue({ now, limit: BATCH });
  if (due.length === 0) return { claimed: 0, sent: [], unreachable: 0 };
  const snapshot = await loadSweepSnapshot({ ctx, repos, due, now });
  const planned: PlannedDeadline[] = await planBatch({ ctx, snapshot, due, now });
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
