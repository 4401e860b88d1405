import type { DecisionRow } from '../db/records.repository.js';
import type { Repositories } from '../db/store.js';
import type { ItemType } from '../domain/workflow.types.js';
import { localDateTime } from '../domain/time/time-format.js';
import type { ChatMessage } from './chat-message.js';
import { renderItemMessage } from '../presenters/item-message.presenter.js';
import { actionWords, words } from '../words/catalogue.js';
import type { UseCaseContext } from './context.js';
import type { Directory } from './directory.js';
import { orgViewWithDuty } from './org-view.js';
import { type WorkflowRegistry, loadItem } from './workflows/workflow-module.js';

export const decisionLine = (args: { directory: Directory; decision: Pick<DecisionRow, 'itemType' | 'action' | 'actorId' | 'decidedAt'> }): string => {
  const { directory, decision } = args;
  return words('status.done_by', {
    done: actionWords(decision.itemType, decision.action).done,
    who: directory.person(decision.actorId)?.name ?? decision.actorId,
    when: localDateTime({ timeZone: directory.org.timezone, at: decision.decidedAt }),
  });
};

/**
 * An item as it stands now, for a message whose buttons no longer apply (the clicked card after a decision, an
 * earlier message refreshed by the outbox): the item message without buttons, plus who did the last thing and
 * when. `personId` null = a shared channel: the privacy-safe variant (no narrative, no rationale).
 * Returns null when the item does not exist.
 */
export const renderItemStatus = async (args: {
  ctx: Pick<UseCaseContext, 'store' | 'directory' | 'workflows'>;
  itemType: ItemType;
  itemId: number;
  personId: string | null;
}): Promise<ChatMessage | null> => {
  const { ctx, itemType, itemId } = args;
  const { repos } = ctx.store;
  const last = await repos.records.lastDecision({ itemType, itemId });
  const notice = last ? decisionLine({ directory: ctx.directory, decision: last }) : undefined;
  const module = ctx.workflows.get(itemType);
  const row = module ? await loadItem(module, repos, itemId) : undefined;
  if (!module || !row) return null;
  const org = orgViewWithDuty({ directory: ctx.directory, duty: new Map() });
  const message = renderItemMessage({
    module,
    row,
    directory: ctx.directory,
    org,
    message: `${itemType}.status`,
    personId: args.personId,
    withActions: false,
    deadlines: new Map(),
    notice,
  });
  return { ...message, notice, actions: [] };
};

/** The item's current version (null when it no longer exists), to tell whether a queued message is stale. */
export const currentItemVersion = async (args: { repos: Repositories; workflows: WorkflowRegistry; itemType: string; itemId: number }): Promise<number | null> => {
  const module = args.workflows.get(args.itemType);
  const row = module ? await loadItem(module, args.repos, args.itemId) : undefined;
  return row ? row.version : null;
};

/**
 * A queued item message whose item has moved on since it was written: same content, no buttons, and a short
 * line saying what happened meanwhile. Messages that are still current come back unchanged.
 */
export const withoutStaleActions = async (args: { repos: Repositories; directory: Directory; workflows: WorkflowRegistry; message: ChatMessage }): Promise<ChatMessage> => {
  const { message } = args;
  if (!message.item) return message;
  const current = await currentItemVersion({ repos: args.repos, workflows: args.workflows, itemType: message.item.type, itemId: message.item.id });
  if (current === null || current <= message.item.version) return message;
  const last = await args.repos.records.lastDecision({ itemType: message.item.type, itemId: message.item.id });
  const notice = last ? words('status.moved_on_since', { line: decisionLine({ directory: args.directory, decision: last }) }) : words('status.moved_on');
  return { ...message, actions: [], notice };
};
