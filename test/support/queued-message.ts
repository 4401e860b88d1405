import type { OutboxRow } from '../../src/db/outbox.repository.js';
import { renderIntent } from '../../src/delivery/render-intent.js';
import type { ChatMessage } from '../../src/use-cases/chat-message.js';
import type { UseCaseContext } from '../../src/use-cases/context.js';

/**
 * The message a queued outbox row would send if the dispatcher sent it now: rows hold intents, rendered at send
 * time, so a test reads a queued message by rendering it the dispatcher's way (the same function, no copy).
 */
export const queuedMessage = (args: { ctx: Pick<UseCaseContext, 'store' | 'directory' | 'workflows' | 'clock'>; row: OutboxRow }): Promise<ChatMessage> =>
  renderIntent({ ctx: args.ctx, payload: args.row.payload, now: args.ctx.clock.now() });
