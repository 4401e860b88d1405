import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { EscalationRow, ReferralRow } from '../db/items.repository.js';
import { ROSH_LABELS, type RoshLevel } from '../domain/case-facts.js';
import type { Rung } from '../domain/reminder-ladder.js';
import { DEADLINE_LABELS, type DeadlineKind } from '../domain/workflow.types.js';
import { formatLateness, localDateTime } from '../domain/time/time-format.js';
import { type ChatAction, type ChatMessage, itemRef } from './chat-message.js';
import type { Directory } from './directory.js';
import { withCaseLinks } from './case-links.js';
import type { OrgView } from '../domain/policy/org-view.js';
import { actionsOn } from '../domain/workflows/workflow.js';
import { actionButtons } from '../presenters/item-message.presenter.js';
import type { WorkflowRegistry } from './workflows/workflow-module.js';

/** The item a deadline belongs to, as loaded by the sweep. */
export type ChasedItem = { itemType: 'escalation'; row: EscalationRow } | { itemType: 'referral'; row: ReferralRow };

const RUNG_HEADLINES: Record<Rung, string> = {
  owner: 'Reminder',
  manager: 'Overdue in your team',
  seniorManager: 'Overdue, needs a senior manager',
};

export const deadlineLabel = (kind: string) => DEADLINE_LABELS[kind as DeadlineKind] ?? kind;

/** The buttons of the action a deadline waits for, for this person (none when they cannot take it). */
export const deadlineButtons = (args: { workflows: WorkflowRegistry; item: ChasedItem; kind: string; personId: string; org: OrgView }): ChatAction[] => {
  const module = args.workflows.get(args.item.itemType);
  return module ? actionButtons({ module, row: args.item.row, personId: args.personId, org: args.org, on: `deadline:${args.kind}` }) : [];
};

/**
 * May this person still do their part for a deadline? False only when an action answering it is open in the
 * item's state and this person may take none of them (e.g. the side of a handover that has already confirmed).
 */
export const mayAnswerDeadline = (args: {
  workflows: WorkflowRegistry;
  item: ChasedItem;
  kind: string;
  personId: string;
  org: OrgView;
  /** This person's deadlineButtons over the same item and org, when the caller already has (or keeps) them. */
  buttons?: () => ChatAction[];
}): boolean => {
  const module = args.workflows.get(args.item.itemType);
  if (!module) return true;
  const key = `${args.item.itemType}|${args.kind}|${args.item.row.state}`;
  let open = openActions.get(module.definition)?.get(key);
  if (open === undefined) {
    open = actionsOn(module.definition, `deadline:${args.kind}`).filter((action) => module.definition.actions[action]?.from.includes(args.item.row.state)).length;
    const byKey = openActions.get(module.definition) ?? new Map<string, number>();
    byKey.set(key, open);
    openActions.set(module.definition, byKey);
  }
  return open === 0 || (args.buttons ? args.buttons() : deadlineButtons(args)).length > 0;
};

/** How many actions answering a deadline kind are open in a state, per workflow definition (definitions never change). */
const openActions = new WeakMap<object, Map<string, number>>();

/**
 * A reminder for one rung of the chase, in a direct message: the reference, CRN, risk, what is owed, by whom,
 * when it was due and how late it is, with the action's own buttons. No case narrative.
 */
export const renderReminderMessage = (args: {
  item: ChasedItem;
  deadline: DeadlineRow;
  rung: Rung;
  personId: string;
  owedBy: string;
  directory: Directory;
  workflows: WorkflowRegistry;
  org: OrgView;
  now: Date;
  /** This person's deadlineButtons over the same item and org, when the caller already worked them out. */
  actions?: ChatAction[];
}): ChatMessage => {
  const { item, deadline, directory } = args;
  const ref = itemRef(item.itemType, item.row.id);
  const label = deadlineLabel(deadline.kind);
  const lateMs = args.now.getTime() - deadline.dueAt.getTime();
  const late = formatLateness(lateMs);
  const lateText = lateMs < 1000 ? 'due now' : `${late} late`;
  const due = localDateTime({ timeZone: directory.org.timezone, at: deadline.dueAt });
  const headline = RUNG_HEADLINES[args.rung];
  const fields = [
    { label: 'CRN', value: item.row.crn },
    { label: 'Waiting for', value: label },
    { label: 'Owed by', value: args.owedBy },
    { label: 'Due', value: due },
    { label: 'Late by', value: late },
    { label: 'Urgency', value: deadline.urgent ? 'Urgent' : 'Standard' },
  ];
  if (item.itemType === 'escalation') {
    const risk = `${ROSH_LABELS[item.row.roshCurrent as RoshLevel] ?? item.row.roshCurrent} → ${ROSH_LABELS[item.row.roshNew as RoshLevel] ?? item.row.roshNew}`;
    fields.splice(1, 0, { label: 'Risk (RoSH)', value: risk });
  }
  const actions = args.actions ?? deadlineButtons({ workflows: args.workflows, item, kind: deadline.kind, personId: args.personId, org: args.org });
  const whose = args.rung === 'owner' ? '' : ` (owed by ${args.owedBy})`;
  const message: ChatMessage = {
    text: `${headline}: ${label} for ${ref} (${item.row.crn})${whose} is ${lateText}`,
    title: `${headline}: ${label} ${ref}, ${lateText}`,
    fields,
    // Someone who cannot act (a senior manager above the provider) is asked to see that it is done, never sent to a command.
    notice: actions.length > 0 ? undefined : `Please make sure ${args.owedBy} acts on this today.`,
    actions,
    item: { type: item.itemType, id: item.row.id, version: item.row.version, ref },
  };
  return withCaseLinks({ directory, crn: item.row.crn, message });
};
