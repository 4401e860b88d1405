import type { OrgView } from '../domain/policy/org-view.js';
import { actionsOn, authorityRefusal, needsForm } from '../domain/workflows/workflow.js';
import type { DeadlineKind } from '../domain/workflow.types.js';
import { localDateTime } from '../domain/time/time-format.js';
import type { ChatAction, ChatMessage } from '../use-cases/chat-message.js';
import type { Directory } from '../use-cases/directory.js';
import { changeLines } from '../use-cases/item-changes.js';
import { withCaseLinks } from '../use-cases/case-links.js';
import type { AnyModule, ItemRecord } from '../use-cases/workflows/workflow-module.js';
import { actionWords, headlineWords, words } from '../words/catalogue.js';

export const refOf = (module: AnyModule, id: number) => `${module.refPrefix}-${String(id).padStart(6, '0')}`;

/**
 * The buttons a person gets on a message: the actions that belong there (the definition's `buttonOn`) which
 * they may take now. Whether a click opens a form is the definition's answer, the same on every platform.
 */
export const actionButtons = (args: { module: AnyModule; row: ItemRecord; personId: string; org: OrgView; on: string }): ChatAction[] => {
  const { module, row, personId } = args;
  const { definition } = module;
  const only = actionsOn(definition, args.on);
  if (only.length === 0) return [];
  const facts = module.facts(row);
  const roles = module.policy.roles({ facts, personId, org: args.org });
  // allowedActions() narrowed to the actions that belong here, in the same (definition) order, without asking the
  // authority of every other action first: a digest asks this of every overdue item of every unit.
  return only
    .filter((action) => authorityRefusal({ definition, facts, command: { action, actorId: personId, actorRoles: roles, at: new Date(0) } }) === null)
    .map((action) => ({
      id: `${definition.itemType}.${action}`,
      label: actionWords(definition.itemType, action).label,
      style: definition.actions[action]?.style,
      needsForm: needsForm(definition, action),
      itemType: definition.itemType as ChatAction['itemType'],
      itemId: row.id,
    }));
};

/**
 * Any item's message for one recipient (`personId` null = a shared channel: CRN, risk, state and deadline only),
 * built from its workflow module: headline from the message key, fields, narrative for DMs, the rationale just
 * given, and the buttons the definition puts on this message for this person.
 */
export const renderItemMessage = (args: {
  module: AnyModule;
  row: ItemRecord;
  directory: Directory;
  org: OrgView;
  message: string;
  personId: string | null;
  withActions: boolean;
  deadlines: ReadonlyMap<DeadlineKind, Date>;
  rationale?: { actorId: string; text: string | null; action: string; changes?: { field: string; from: unknown; to: unknown }[] } | null;
  notice?: string;
}): ChatMessage => {
  const { module, row, directory } = args;
  const itemType = module.definition.itemType;
  const ref = refOf(module, row.id);
  const headline = headlineWords(itemType, args.message);
  const shown = [...args.deadlines.entries()].filter(([kind]) => !module.hiddenDue?.includes(kind));
  const due = shown.at(-1)?.[1];
  const dueText = due ? localDateTime({ timeZone: directory.org.timezone, at: due }) : undefined;
  const presentation = module.present({ row, directory });
  const fields = [...presentation.shared];
  if (dueText) fields.push({ label: words('item.due'), value: dueText });
  const text = `${headline}: ${ref} for ${row.crn}${presentation.summary ? ` ${presentation.summary}` : ''}${dueText ? `, due ${dueText}` : ''}`;
  const item = { type: itemType as ChatAction['itemType'], id: row.id, version: row.version, ref };
  if (args.personId === null) {
    // A shared channel: CRN, risk level, state and deadline only.
    return { text, title: `${headline}: ${ref}`, fields, actions: [], item };
  }
  fields.push(...presentation.people);
  const details = [...presentation.details];
  if (args.rationale) {
    const label = `${directory.nameOf(args.rationale.actorId)} (${args.rationale.action.replaceAll('_', ' ')})`;
    details.push({ label, value: args.rationale.text?.trim() ? args.rationale.text : words(`workflow.${itemType}.rationale_none`) });
  }
  const actions = args.withActions ? actionButtons({ module, row, personId: args.personId, org: args.org, on: args.message }) : [];
  // An edit's changes, one line each (direct messages only, like the rest of the narrative).
  const changed = args.rationale?.changes?.length ? [words('changes.heading'), ...changeLines({ changes: args.rationale.changes, directory })] : [];
  const message = { text, title: `${headline}: ${ref}`, fields, details, notice: args.notice, actions, item, ...(changed.length ? { lines: changed } : {}) };
  return withCaseLinks({ directory, crn: row.crn, message });
};
