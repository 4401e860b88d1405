import type { DecisionRow } from '../db/records.repository.js';
import type { Repositories } from '../db/store.js';
import type { ItemType } from '../domain/workflow.types.js';
import { localDateTime } from '../domain/time/time-format.js';
import type { ChatMessage } from './chat-message.js';
import type { UseCaseContext } from './context.js';
import type { Directory } from './directory.js';
import { renderEscalationMessage } from './escalation-messages.js';
import { renderReferralMessage } from './referral-messages.js';

/** How a decision reads once done: "Countersigned by Tom Reyes, Wed 25 Nov 2026, 10:32". */
const DONE_LABELS: Record<string, string> = {
  raise: 'Raised',
  countersign: 'Countersigned',
  return: 'Returned for changes',
  resubmit: 'Resubmitted',
  withdraw: 'Withdrawn',
  accept: 'Accepted',
  decline: 'Declined',
  reallocate: 'Reallocated',
  confirm_handover: 'Handover confirmed',
  return_misallocated: 'Returned as misallocated',
  take_back: 'Taken back',
  acknowledge: 'Acknowledged',
  assign: 'Assigned',
  record_assessment: 'Assessment recorded',
  submit_action_plan: 'Action plan submitted',
  record_delivery: 'Delivery recorded',
  change_release_date: 'Release date changed',
};

export const decisionLine = (args: { directory: Directory; decision: Pick<DecisionRow, 'action' | 'actorId' | 'decidedAt'> }): string => {
  const { directory, decision } = args;
  const label = DONE_LABELS[decision.action] ?? decision.action.replaceAll('_', ' ');
  const who = directory.person(decision.actorId)?.name ?? decision.actorId;
  return `${label} by ${who}, ${localDateTime({ timeZone: directory.org.timezone, at: decision.decidedAt })}`;
};

/**
 * An item as it stands now, for a message whose buttons no longer apply (the clicked card after a decision, an
 * earlier message refreshed by the outbox): the item message without buttons, plus who did the last thing and
 * when. `personId` null = a shared channel: the privacy-safe variant (no narrative, no rationale).
 * Returns null when the item does not exist.
 */
export const renderItemStatus = async (args: {
  ctx: Pick<UseCaseContext, 'store' | 'directory'>;
  itemType: ItemType;
  itemId: number;
  personId: string | null;
}): Promise<ChatMessage | null> => {
  const { ctx, itemType, itemId } = args;
  const { repos } = ctx.store;
  const last = await repos.records.lastDecision({ itemType, itemId });
  const notice = last ? decisionLine({ directory: ctx.directory, decision: last }) : undefined;
  const common = { directory: ctx.directory, personId: args.personId, withActions: false, deadlines: new Map(), notice } as const;
  if (itemType === 'escalation') {
    const row = await repos.items.escalation(itemId);
    if (!row) return null;
    return { ...renderEscalationMessage({ ...common, row, message: 'escalation.status', receivingDuty: [] }), notice, actions: [] };
  }
  const row = await repos.items.referral(itemId);
  if (!row) return null;
  return { ...renderReferralMessage({ ...common, row, message: 'referral.status', providerDuty: [] }), notice, actions: [] };
};

/** The item's current version (null when it no longer exists), to tell whether a queued message is stale. */
export const currentItemVersion = async (args: { repos: Repositories; itemType: ItemType; itemId: number }): Promise<number | null> => {
  const row = args.itemType === 'escalation' ? await args.repos.items.escalation(args.itemId) : await args.repos.items.referral(args.itemId);
  return row ? row.version : null;
};

/**
 * A queued item message whose item has moved on since it was written: same content, no buttons, and a short
 * line saying what happened meanwhile. Messages that are still current come back unchanged.
 */
export const withoutStaleActions = async (args: { repos: Repositories; directory: Directory; message: ChatMessage }): Promise<ChatMessage> => {
  const { message } = args;
  if (!message.item) return message;
  const current = await currentItemVersion({ repos: args.repos, itemType: message.item.type, itemId: message.item.id });
  if (current === null || current <= message.item.version) return message;
  const last = await args.repos.records.lastDecision({ itemType: message.item.type, itemId: message.item.id });
  const since = last ? `: ${decisionLine({ directory: args.directory, decision: last })}` : '';
  return { ...message, actions: [], notice: `Moved on since this was sent${since}.` };
};
