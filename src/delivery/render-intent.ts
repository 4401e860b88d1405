import type { DeadlineKind } from '../domain/workflow.types.js';
import { renderItemMessage } from '../presenters/item-message.presenter.js';
import type { ChatMessage } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { withoutStaleActions } from '../use-cases/item-status.js';
import { coverAt, orgViewFor, orgViewWithDuty } from '../use-cases/org-view.js';
import { type AnyModule, type ItemRecord, dutyUnitsOf, loadItem } from '../use-cases/workflows/workflow-module.js';
import type { ItemIntent, OutboxPayload } from './message-intent.js';
import { DeliveryError } from './sender.types.js';
import type { CoverSnapshot } from '../domain/policy/absence-cover.js';
import type { OrgView } from '../domain/policy/org-view.js';
import { dutyToday } from '../use-cases/recipients.js';

type RenderContext = Pick<UseCaseContext, 'store' | 'directory' | 'workflows'>;

/**
 * What the rows of one claimed batch read to be rendered (an item, the duty of its units, who is away), read once
 * for the batch: a submission's two DMs are about the same item and are claimed together. On the embedded engine
 * every statement runs in this thread, so reading the item once, not four times, is most of a delivery's cost.
 */
export interface RenderReads {
  item(module: AnyModule, itemId: number): Promise<ItemRecord | undefined>;
  orgView(dutyUnits: readonly string[], now: Date): Promise<OrgView>;
}

/** Reads for one batch, shared by its rows (a fresh one per batch: the next batch sees the items as they then stand). */
export const batchReads = (ctx: RenderContext): RenderReads => {
  const { repos } = ctx.store;
  const items = new Map<string, Promise<ItemRecord | undefined>>();
  const duty = new Map<string, Promise<readonly string[]>>();
  let cover: Promise<CoverSnapshot> | null = null;
  const once = <T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    let value = map.get(key);
    if (!value) {
      value = read();
      // A failed read is not kept: the row fails and retries, and the next row reads again.
      value.catch(() => map.delete(key));
      map.set(key, value);
    }
    return value;
  };
  return {
    item: (module, itemId) => once(items, `${module.definition.itemType}:${itemId}`, () => loadItem(module, repos, itemId)),
    orgView: async (dutyUnits, now) => {
      const units = [...new Set(dutyUnits)];
      const rota = await Promise.all(units.map((unitId) => once(duty, unitId, () => dutyToday({ repos, directory: ctx.directory, unitId, now }))));
      if (!cover) {
        const reading = coverAt({ repos, now });
        reading.catch(() => {
          if (cover === reading) cover = null;
        });
        cover = reading;
      }
      return orgViewWithDuty({ directory: ctx.directory, duty: new Map(units.map((unitId, index) => [unitId, rota[index] as readonly string[]])), cover: await cover });
    },
  };
};

/** An item message, rendered from the item as it stands now; if it moved on since the intent was queued, no buttons. */
const renderItem = async (args: { ctx: RenderContext; intent: ItemIntent; now: Date; reads?: RenderReads }): Promise<ChatMessage> => {
  const { ctx, intent, now } = args;
  const { repos } = ctx.store;
  const module = ctx.workflows.get(intent.itemType);
  const row = module ? await (args.reads ? args.reads.item(module, intent.itemId) : loadItem(module, repos, intent.itemId)) : undefined;
  // The item is gone (retention or a removed workflow): there is nothing true left to say, and retrying will not help.
  if (!module || !row) throw new DeliveryError({ code: 'intent.item_not_found', retryable: false });
  const dutyUnits = dutyUnitsOf(module, row);
  const org = args.reads ? await args.reads.orgView(dutyUnits, now) : await orgViewFor({ repos, directory: ctx.directory, now, dutyUnits });
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
  const pinned = { ...message, item: { ...message.item, version: intent.version } };
  // The row just read is the item's current version: a message still current goes as it is, without reading it again.
  if (row.version <= intent.version) return pinned;
  return withoutStaleActions({ repos, directory: ctx.directory, workflows: ctx.workflows, message: pinned });
};

/**
 * The one place an outbox row becomes a chat message, at send time. Item messages go through the presenter;
 * reminders, digests and static messages were prepared when queued (see message-intent.ts for why) and only lose
 * buttons that no longer apply.
 */
export const renderIntent = async (args: { ctx: RenderContext; payload: OutboxPayload; now: Date; reads?: RenderReads }): Promise<ChatMessage> => {
  const { ctx, payload } = args;
  if ('cleared' in payload) throw new DeliveryError({ code: 'intent.cleared', retryable: false });
  // A row queued before intents existed holds the rendered message itself (no `kind`): send it as it was.
  if (!('kind' in payload)) return withoutStaleActions({ repos: ctx.store.repos, directory: ctx.directory, workflows: ctx.workflows, message: payload as unknown as ChatMessage });
  switch (payload.kind) {
    case 'item':
      return renderItem({ ctx, intent: payload, now: args.now, reads: args.reads });
    case 'reminder':
    case 'digest':
    case 'static':
      return withoutStaleActions({ repos: ctx.store.repos, directory: ctx.directory, workflows: ctx.workflows, message: payload.message });
    case 'refresh':
      throw new DeliveryError({ code: 'intent.refresh_is_not_a_message', retryable: false });
  }
};
