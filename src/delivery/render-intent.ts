import type { DeadlineKind } from '../domain/workflow.types.js';
import { renderItemMessage } from '../presenters/item-message.presenter.js';
import type { ChatMessage } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { withoutStaleActions } from '../use-cases/item-status.js';
import { orgViewFor } from '../use-cases/org-view.js';
import { dutyUnitsOf, loadItem } from '../use-cases/workflows/workflow-module.js';
import type { ItemIntent, OutboxPayload } from './message-intent.js';
import { DeliveryError } from './sender.types.js';

type RenderContext = Pick<UseCaseContext, 'store' | 'directory' | 'workflows'>;

/** An item message, rendered from the item as it stands now; if it moved on since the intent was queued, no buttons. */
const renderItem = async (args: { ctx: RenderContext; intent: ItemIntent; now: Date }): Promise<ChatMessage> => {
  const { ctx, intent, now } = args;
  const { repos } = ctx.store;
  const module = ctx.workflows.get(intent.itemType);
  const row = module ? await loadItem(module, repos, intent.itemId) : undefined;
  // The item is gone (retention or a removed workflow): there is nothing true left to say, and retrying will not help.
  if (!module || !row) throw new DeliveryError({ code: 'intent.item_not_found', retryable: false });
  const org = await orgViewFor({ repos, directory: ctx.directory, now, dutyUnits: dutyUnitsOf(module, row) });
  const deadlines = new Map<DeadlineKind, Date>(intent.deadlines.map((deadline) => [deadline.kind, new Date(deadline.dueAt)]));
  const message = renderItemMessage({
    module,
    row,
    directory: ctx.directory,
    org,
    message: intent.messageKey,
    personId: intent.personId,
    withActions: intent.withActions,
    deadlines,
    rationale: intent.rationale,
    notice: intent.notice,
  });
  if (!message.item) return message;
  // Pinned to the queued version: a message about an item that moved on loses its buttons and says why, and its
  // message ref keeps the older version so the item's pending refresh brings it up to the final status.
  return withoutStaleActions({ repos, directory: ctx.directory, workflows: ctx.workflows, message: { ...message, item: { ...message.item, version: intent.version } } });
};

/**
 * The one place an outbox row becomes a chat message, at send time. Item messages go through the presenter;
 * reminders, digests and static messages were prepared when queued (see message-intent.ts for why) and only lose
 * buttons that no longer apply.
 */
export const renderIntent = async (args: { ctx: RenderContext; payload: OutboxPayload; now: Date }): Promise<ChatMessage> => {
  const { ctx, payload } = args;
  if ('cleared' in payload) throw new DeliveryError({ code: 'intent.cleared', retryable: false });
  // A row queued before intents existed holds the rendered message itself (no `kind`): send it as it was.
  if (!('kind' in payload)) return withoutStaleActions({ repos: ctx.store.repos, directory: ctx.directory, workflows: ctx.workflows, message: payload as unknown as ChatMessage });
  switch (payload.kind) {
    case 'item':
      return renderItem({ ctx, intent: payload, now: args.now });
    case 'reminder':
    case 'digest':
    case 'static':
      return withoutStaleActions({ repos: ctx.store.repos, directory: ctx.directory, workflows: ctx.workflows, message: payload.message });
    case 'refresh':
      throw new DeliveryError({ code: 'intent.refresh_is_not_a_message', retryable: false });
  }
};
