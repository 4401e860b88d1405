import type { Middleware, AnyMiddlewareArgs, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../use-cases/context.js';

/** How long an envelope id is remembered: Slack redelivers unacknowledged envelopes within minutes. */
const REMEMBER_MS = 30 * 60_000;
const MAX_REMEMBERED = 50_000;

/**
 * Socket Mode's two operational needs. Slack redelivers an envelope it did not see acknowledged (for instance
 * after a reconnect) with the same `envelope_id`: the guard acknowledges the repeat and handles it once. And
 * readiness: whether a socket is open now (`/readyz` says 503 while it is not).
 */
export const createSocketModeGuard = (args: { logger: Logger; now?: () => number }) => {
  const now = args.now ?? Date.now;
  const seen = new Map<string, number>();
  let open = false;

  const remember = (envelopeId: string): boolean => {
    const at = now();
    for (const [key, expiry] of seen) {
      if (expiry > at && seen.size < MAX_REMEMBERED) break;
      seen.delete(key);
    }
    if (seen.has(envelopeId)) return false;
    seen.set(envelopeId, at + REMEMBER_MS);
    return true;
  };

  const middleware: Middleware<AnyMiddlewareArgs> = async (context) => {
    const envelopeId = (context.context as { socketEnvelopeId?: unknown }).socketEnvelopeId;
    if (typeof envelopeId === 'string' && !remember(envelopeId)) {
      args.logger.info({ component: 'slack', envelopeId, code: 'socket.redelivered' }, 'slack envelope seen before: acknowledged, not handled again');
      const ack = (context as { ack?: (response?: unknown) => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await context.next();
  };

  return {
    /** SocketModeReceiver's customPropertiesExtractor: the envelope id reaches the middleware through the context. */
    extract: (socketArgs: Record<string, unknown>) => ({ socketEnvelopeId: socketArgs.envelope_id }),
    middleware,
    /** Follow the Socket Mode client's connection state. */
    watch(receiver: SocketModeReceiver) {
      const set = (state: boolean, what: string) => () => {
        if (open !== state) args.logger.info({ component: 'slack', socket: what }, state ? 'slack socket open' : 'slack socket closed');
        open = state;
      };
      receiver.client.on('connected', set(true, 'connected'));
      for (const state of ['reconnecting', 'disconnecting', 'disconnected', 'close']) receiver.client.on(state, set(false, state));
    },
    isOpen: () => open,
  };
};
