import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { EscalationRow, ReferralRow } from '../db/items.repository.js';
import { ROSH_LABELS, type RoshLevel } from '../domain/case-facts.js';
import type { Rung } from '../domain/reminder-ladder.js';
import { DEADLINE_LABELS, type DeadlineKind } from '../domain/workflow.types.js';
import { formatLateness, localDateTime } from '../domain/time/time-format.js';
import { type ChatAction, type ChatMessage, itemRef } from './chat-message.js';
import type { Directory } from './directory.js';
import { ESCALATION_ACTIONS_FOR_DEADLINE, escalationActionButtons, escalationRoles } from './escalation-messages.js';

/** The item a deadline belongs to, as loaded by the sweep. */
export type ChasedItem = { itemType: 'escalation'; row: EscalationRow } | { itemType: 'referral'; row: ReferralRow };

const RUNG_HEADLINES: Record<Rung, string> = {
  owner: 'Reminder',
  manager: 'Overdue in your team',
  seniorManager: 'Overdue, needs a senior manager',
};

export const deadlineLabel = (kind: string) => DEADLINE_LABELS[kind as DeadlineKind] ?? kind;

/** The buttons of the action a deadline waits for, for this person (none when they cannot take it). */
export const deadlineButtons = (args: {
  item: ChasedItem;
  kind: string;
  personId: string;
  directory: Directory;
  receivingDuty: readonly string[];
}): ChatAction[] => {
  if (args.item.itemType !== 'escalation') return [];
  const only = ESCALATION_ACTIONS_FOR_DEADLINE[args.kind] ?? [];
  if (only.length === 0) return [];
  const roles = escalationRoles({ row: args.item.row, personId: args.personId, directory: args.directory, receivingDuty: args.receivingDuty });
  return escalationActionButtons({ row: args.item.row, personId: args.personId, roles, only });
};

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
  receivingDuty: readonly string[];
  now: Date;
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
  const actions = deadlineButtons({ item, kind: deadline.kind, personId: args.personId, directory, receivingDuty: args.receivingDuty });
  const whose = args.rung === 'owner' ? '' : ` (owed by ${args.owedBy})`;
  return {
    text: `${headline}: ${label} for ${ref} (${item.row.crn})${whose} is ${lateText}`,
    title: `${headline}: ${label} ${ref}, ${lateText}`,
    fields,
    notice:
      actions.length > 0
        ? undefined
        : item.itemType === 'referral'
          ? `Open /cases ${item.row.crn} to see the referral and act on it.`
          : `Please make sure ${args.owedBy} acts on this today.`,
    actions,
    item: { type: item.itemType, id: item.row.id, version: item.row.version, ref },
  };
};
