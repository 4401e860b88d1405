/**
 * The board's only door to decisions: the same workflow definitions, form definitions and the one generic decide
 * (through commands/decide.command.ts) as the DM buttons. One file on purpose: the board never decides a rule itself.
 */
import { decisionForm, runDecision } from '../../commands/decide.command.js';
import type { EscalationRow, ReferralRow } from '../db/items.repository.js';
import type { CoverSnapshot } from '../domain/policy/absence-cover.js';
import { allowedActions, needsForm } from '../domain/workflows/workflow.js';
import type { ChatAction } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { FormDefinition, FormValues } from '../use-cases/form.types.js';
import { orgViewWithDuty } from '../use-cases/org-view.js';
import type { AnyModule } from '../use-cases/workflows/workflow-module.js';
import { actionWords } from '../words/catalogue.js';

/** Resubmitting reopens the whole escalation form with what was sent: that stays in chat. */
const CHAT_ONLY = new Set(['escalation.resubmit']);

export type BoardItem = { itemType: 'escalation'; row: EscalationRow } | { itemType: 'referral'; row: ReferralRow };

const moduleOf = (ctx: Pick<UseCaseContext, 'workflows'>, itemType: string): AnyModule => {
  const module = ctx.workflows.get(itemType);
  if (!module) throw new Error(`no workflow ${itemType}`);
  return module;
};

/** `cover`: the absences now, so a delegate holds the roles of the person they act for (as in chat). */
type RoleArgs = { ctx: UseCaseContext; item: BoardItem; personId: string; duty: readonly string[]; cover?: CoverSnapshot };

/** The item's facts and the person's roles on it, from the workflow's own policy (duty of the work unit given). */
const factsAndRoles = (args: RoleArgs) => {
  const module = moduleOf(args.ctx, args.item.itemType);
  const facts = module.facts(args.item.row);
  const duty = new Map(module.policy.dutyUnits(facts).map((unitId: string) => [unitId, args.duty] as const));
  const org = orgViewWithDuty({ directory: args.ctx.directory, duty, cover: args.cover });
  return { module, facts, roles: module.policy.roles({ facts, personId: args.personId, org }) as Set<string> };
};

/** A person's roles on an item (the duty list of the receiving or provider unit is looked up by the caller). */
export const rolesOn = (args: RoleArgs): Set<string> => factsAndRoles(args).roles;

/** The decisions this person may take on this item now: the buttons a DM would carry. */
export const boardActions = (args: RoleArgs): ChatAction[] => {
  const { module, facts, roles } = factsAndRoles(args);
  const { definition } = module;
  return allowedActions({ definition, facts, roles, actorId: args.personId })
    .map((action) => ({
      id: `${definition.itemType}.${action}`,
      label: actionWords(definition.itemType, action).label,
      style: definition.actions[action]?.style,
      needsForm: needsForm(definition, action),
      itemType: args.item.itemType,
      itemId: args.item.row.id,
    }))
    .filter((action) => !CHAT_ONLY.has(action.id));
};

export const boardDecisionForm = (args: { ctx: UseCaseContext; personId: string; action: ChatAction }): Promise<FormDefinition> =>
  decisionForm({ ctx: args.ctx, actorId: args.personId, action: args.action });

/** Take the decision; refusals throw the same DomainError a button click gets. */
export const boardDecide = (args: { ctx: UseCaseContext; personId: string; actionId: string; itemId: number; values: FormValues }) =>
  runDecision({ ctx: args.ctx, actorId: args.personId, actionId: args.actionId, itemId: args.itemId, values: args.values, platform: 'board' });

/** May the board post this action at all? (Who may take it now is the use case's to decide, as for a button.) */
export const isBoardDecision = (ctx: Pick<UseCaseContext, 'workflows'>, actionId: string) => decisionLabel(ctx, actionId) !== null && !CHAT_ONLY.has(actionId);

/** A decision's label ("Countersign") from its action id, or null for anything that is not a decision. */
export const decisionLabel = (ctx: Pick<UseCaseContext, 'workflows'>, actionId: string): string | null => {
  const [itemType = '', action = ''] = actionId.split('.');
  if (itemType !== 'escalation' && itemType !== 'referral') return null;
  const module = ctx.workflows.get(itemType);
  if (!module || !Object.hasOwn(module.definition.actions, action)) return null;
  return actionWords(itemType, action).label;
};
