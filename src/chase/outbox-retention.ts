// Sent messages keep their rendered text (case narrative) only as long as they may still be needed for a refresh or
// an investigation of a delivery: after OUTBOX_RETENTION (default 7 days) the payload of a sent row is cleared.
// The canonical record stays in the items, decisions and audit log; the row itself (what went where, when) stays.
import type { UseCaseContext } from '../use-cases/context.js';

/** What a cleared payload holds: no message, just the fact that it was cleared. */
export const CLEARED_PAYLOAD = { cleared: true } as const;
const HOUR_MS = 60 * 60 * 1000;
/** Rows per UPDATE: bounded transactions on a large outbox. */
const BATCH = 500;

export const createOutboxRetention = (args: { ctx: UseCaseContext; retentionMs: number; everyMs?: number }) => {
  const { ctx } = args;
  let timer: NodeJS.Timeout | null = null;
  const job = {
    /** Clear the payload of every row sent more than the retention ago; returns how many rows were cleared. */
    async runOnce(): Promise<{ cleared: number }> {
      const before = new Date(ctx.clock.now().getTime() - args.retentionMs);
      let cleared = 0;
      for (;;) {
        const n = await ctx.store.transaction((repos) => repos.outbox.clearSentPayloads({ before, limit: BATCH, cleared: CLEARED_PAYLOAD }));
        cleared += n;
        if (n < BATCH) break;
      }
      if (cleared > 0) ctx.logger.info({ event: 'outbox.narrative_cleared', rows: cleared }, 'outbox.narrative_cleared');
      return { cleared };
    },
    start() {
      if (timer) return;
      const run = () => void job.runOnce().catch((error: unknown) => ctx.logger.error({ code: (error as Error)?.name }, 'outbox retention failed'));
      run();
      timer = setInterval(run, args.everyMs ?? HOUR_MS);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return job;
};
