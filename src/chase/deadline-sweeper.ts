import type { Repositories } from '../db/store.js';
import type { PlannedReminder } from '../domain/reminder-ladder.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { type PlannedDeadline, planBatch, writeChaseBatch } from './chase-batch.js';
import { loadSweepSnapshot } from './sweep-snapshot.js';
import { passStartedAbsences } from '../use-cases/away.use-case.js';

export { type Owed, loadChasedItem, resolveOwners, rungRecipients } from './chase-recipients.js';

/**
 * Deadlines claimed per transaction. Each batch is planned in memory and written with one set-based statement; a
 * smaller batch holds its row locks for less time and shares the work between replicas more evenly.
 */
const BATCH = 500;
/** A sweep never loops forever: at most this many batches per call (the next sweep carries on). */
const MAX_BATCHES = 50;

interface BatchResult {
  claimed: number;
  sent: PlannedReminder[];
  unreachable: number;
}

/**
 * One batch in one transaction: claim, plan every deadline in memory, then write the batch set-based. `before`
 * settles when the previous batch has committed: the write waits for it, so rows and audit entries are written in
 * claim order as a one-at-a-time sweep writes them (and a batch after a failed one writes nothing).
 */
const sweepBatch = async (args: { ctx: UseCaseContext; repos: Repositories; now: Date; before: Promise<unknown>; claimed: (count: number) => void }): Promise<BatchResult> => {
  const { ctx, repos, now } = args;
  const due = await repos.deadlines.claimDue({ now, limit: BATCH });
  args.claimed(due.length);
  await args.before;
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
 *
 * On a PostgreSQL server two batches overlap: once a batch has claimed a full batch, the next one claims the
 * following rows (SKIP LOCKED passes over the rows the first holds, as a second replica would) and reads its
 * snapshot while the first is planned and written, so this process's CPU and the server's work run side by side.
 * The embedded database has one connection: there batches run one after another.
 */
export const sweepDeadlines = async (args: { ctx: UseCaseContext; metrics: Metrics }): Promise<{ reminders: number; deadlines: number }> => {
  const { ctx, metrics } = args;
  await passStartedAbsences({ ctx }); // absences whose start has come: their pending requests go to the delegate
  const overlap = ctx.store.kind === 'server';
  let reminders = 0;
  let deadlines = 0;
  const batches: Promise<BatchResult>[] = [];
  let committed: Promise<unknown> = Promise.resolve();
  let failed = false;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    // At most two batches in flight: the one being written and the next one being claimed and planned.
    if (batches.length >= 2) await batches[batches.length - 2]?.catch(() => undefined);
    if (failed) break;
    const now = ctx.clock.now();
    let claimed: (count: number) => void = () => undefined;
    const claim = new Promise<number>((resolve) => {
      claimed = resolve;
    });
    const before = committed;
    const result = ctx.store.transaction((repos) => sweepBatch({ ctx, repos, now, before, claimed }));
    result.then(
      (done) => {
        if (done.unreachable > 0) metrics.unreachable.inc(done.unreachable);
        deadlines += done.claimed;
        reminders += done.sent.length;
        for (const reminder of done.sent) metrics.remindersSent.inc({ rung: reminder.rung });
        if (done.sent.length > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
      },
      () => {
        failed = true;
        claimed(-1);
      },
    );
    batches.push(result);
    committed = result;
    const count = overlap
      ? await claim
      : await result.then(
          (done) => done.claimed,
          () => -1,
        );
    if (count < BATCH) break;
  }
  const settled = await Promise.allSettled(batches);
  const error = settled.find((outcome) => outcome.status === 'rejected');
  if (error) throw error.reason;
  if (deadlines > 0) ctx.logger.debug({ deadlines, reminders }, 'sweep');
  return { reminders, deadlines };
};
