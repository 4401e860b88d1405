import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { ChatSender } from './sender.types.js';

/** STUB — replaced by the outbox dispatcher (issue 6). */
export const createOutboxDispatcher = (_args: { ctx: UseCaseContext; senders: Partial<Record<'slack' | 'teams', ChatSender>>; maxAttempts: number; metrics: Metrics }) => ({
  drain: async () => 0,
  start: () => undefined,
  wake: () => undefined,
  stop: async () => undefined,
});
