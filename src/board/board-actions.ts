/**
 * The board's only door to decisions: the same form definitions and the same decision use cases as the DM
 * buttons (commands/decide.command.ts → decideEscalation / decideReferral). One file on purpose, so the
 * decision entry point can be rewired in one place.
 */
import { decisionForm, runDecision } from '../../commands/decide.command.js';
import type { EscalationRow, ReferralRow } from '../db/items.repository.js';
import { ESCALATION_ACTIONS, ESCALATION_RULES } from '../domain/escalation.machine.js';
import { REFERRAL_ACTIONS, REFERRAL_RULES } from '../domain/referral.machine.js';
import type { ChatAction } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { escalationActionButtons, escalationRoles } from '../use-cases/escalation-messages.js';
import type { FormDefinition, FormValues } from '../use-cases/form.types.js';
import { referralActionButtons, referralRoles } from '../use-cases/referral-messages.js';

/** Resubmitting reopens the whole escalation form with what was sent: that stays in chat. */
const CHAT_ONLY = new Set(['escalation.resubmit']);

export type BoardItem = { itemType: 'escalation'; row: EscalationRow } | { itemType: 'referral'; row: ReferralRow };

/** A person's roles on an item (the duty list of the receiving or provider unit is looked up by the caller). */
export const rolesOn = (args: { ctx: UseCaseContext; item: BoardItem; personId: string; duty: readonly string[] }): Set<string> =>
  args.item.itemType === 'escalation'
    ? escalationRoles({ row: args.item.row, personId: args.personId, directory: args.ctx.directory, receivingDuty: args.duty })
    : referralRoles({ row: args.item.row, personId: args.personId, directory: args.ctx.directory, providerDuty: args.duty });

/** The decisions this person may take on this item now: the buttons a DM would carry. */
export const boardActions = (args: { ctx: UseCaseContext; item: BoardItem; personId: string; duty: readonly string[] }): ChatAction[] => {
  const { item, personId } = args;
  const actions =
    item.itemType === 'escalation'
      ? escalationActionButtons({ row: item.row, personId, roles: rolesOn(args) as never, only: [...ESCALATION_ACTIONS] })
      : referralActionButtons({ row: item.row, personId, roles: rolesOn(args) as never, only: [...REFERRAL_ACTIONS] });
  return actions.filter((action) => !CHAT_ONLY.has(action.id));
};

export const boardDecisionForm = (args: { ctx: UseCaseContext; personId: string; action: ChatAction }): Promise<FormDefinition> =>
  decisionForm({ ctx: args.ctx, actorId: args.personId, action: args.action });

/** Take the decision; refusals throw the same DomainError a button click gets. */
export const boardDecide = (args: { ctx: UseCaseContext; personId: string; actionId: string; itemId: number; values: FormValues }) =>
  runDecision({ ctx: args.ctx, actorId: args.personId, actionId: args.actionId, itemId: args.itemId, values: args.values, platform: 'board' });

/** May the board post this action at all? (Who may take it now is the use case's to decide, as for a button.) */
export const isBoardDecision = (actionId: string) => decisionLabel(actionId) !== null && !CHAT_ONLY.has(actionId);

/** A decision's label ("Countersign") from its action id, or null for anything that is not a decision. */
export const decisionLabel = (actionId: string): string | null => {
  const [itemType, action] = actionId.split('.');
  if (itemType === 'escalation' && action && Object.hasOwn(ESCALATION_RULES, action)) return ESCALATION_RULES[action as keyof typeof ESCALATION_RULES].label;
  if (itemType === 'referral' && action && Object.hasOwn(REFERRAL_RULES, action)) return REFERRAL_RULES[action as keyof typeof REFERRAL_RULES].label;
  return null;
};
