import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';

/** STUB — replaced by the chase scheduler (issue 6). */
export const createChaseScheduler = (_args: { ctx: UseCaseContext; sweepCron: string; digestCron: string; metrics: Metrics }) => ({
  sweepOnce: async () => ({ reminders: 0 }),
  digestOnce: async (_options?: { force?: boolean }) => ({ digests: 0 }),
  start: () => undefined,
  rearm: () => undefined,
  stop: () => undefined,
});
