import type { EscalationRow } from '../db/items.repository.js';
import { ROSH_LABELS, type RoshLevel } from '../domain/case-facts.js';
import {
  ESCALATION_RULES,
  ESCALATION_STATE_LABELS,
  type EscalationAction,
  type EscalationFacts,
  type EscalationRole,
  type EscalationState,
  availableEscalationActions,
} from '../domain/escalation.machine.js';
import type { DeadlineKind } from '../domain/workflow.types.js';
import { localDateTime } from '../domain/time/time-format.js';
import { type ChatAction, type ChatMessage, itemRef } from './chat-message.js';
import type { Directory } from './directory.js';

export const ESCALATION_REASONS: Record<string, string> = {
  rosh_increase: 'RoSH increase',
  mappa_change: 'MAPPA change',
  breach_or_new_offence: 'Breach or new offence',
  misallocation: 'Misallocation',
  other: 'Other',
};

/** The buttons that belong with each kind of request. */
const ACTIONS_FOR_MESSAGE: Record<string, EscalationAction[]> = {
  'escalation.countersign_requested': ['countersign', 'return'],
  'escalation.acceptance_requested': ['accept', 'decline'],
  'escalation.reallocation_requested': ['reallocate', 'return_misallocated'],
  'escalation.handover_requested': ['confirm_handover'],
  'escalation.handover_half_confirmed': ['confirm_handover'],
  'escalation.returned': ['resubmit', 'withdraw'],
  'escalation.take_back_requested': ['take_back'],
};

export const ESCALATION_ACTIONS_FOR_DEADLINE: Record<string, EscalationAction[]> = {
  countersign: ['countersign', 'return'],
  acceptance: ['accept', 'decline'],
  reallocation: ['reallocate', 'return_misallocated'],
  handover: ['confirm_handover'],
  takeBack: ['take_back'],
};

const HEADLINES: Record<string, string> = {
  'escalation.countersign_requested': 'Countersign needed',
  'escalation.raised_confirmation': 'Escalation raised',
  'escalation.countersigned': 'Countersigned',
  'escalation.returned': 'Returned for changes',
  'escalation.acceptance_requested': 'Escalation to accept',
  'escalation.channel_incoming': 'Incoming escalation',
  'escalation.accepted': 'Accepted by the receiving unit',
  'escalation.declined': 'Declined by the receiving unit',
  'escalation.reallocation_requested': 'Name the new case manager',
  'escalation.reallocated': 'New case manager named',
  'escalation.handover_requested': 'Handover needed',
  'escalation.handover_half_confirmed': 'Handover confirmed by one side',
  'escalation.closed': 'Handover completed, escalation closed',
  'escalation.withdrawn': 'Escalation withdrawn',
  'escalation.misallocated': 'Returned as misallocated',
  'escalation.take_back_requested': 'Take back a misallocated case',
  'escalation.taken_back': 'Case taken back by the sending unit',
  'escalation.status': 'Escalation',
};

export const ACTION_STYLE: Partial<Record<string, 'primary' | 'danger'>> = {
  countersign: 'primary',
  accept: 'primary',
  reallocate: 'primary',
  confirm_handover: 'primary',
  take_back: 'primary',
  resubmit: 'primary',
  decline: 'danger',
  withdraw: 'danger',
  return_misallocated: 'danger',
};

export const escalationFacts = (row: EscalationRow): EscalationFacts => ({
  state: row.state as EscalationState,
  raisedBy: row.raisedBy,
  countersignerId: row.countersignerId,
  senderUnitId: row.senderUnitId,
  receivingUnitId: row.receivingUnitId,
  acceptedBy: row.acceptedBy,
  newCaseManagerId: row.newCaseManagerId,
  handoverOldConfirmedAt: row.handoverOldConfirmedAt,
  handoverNewConfirmedAt: row.handoverNewConfirmedAt,
});

/** A person's relations to an escalation (the duty list of the receiving unit is looked up by the caller). */
export const escalationRoles = (args: {
  row: EscalationRow;
  personId: string;
  directory: Directory;
  receivingDuty: readonly string[];
}): Set<EscalationRole> => {
  const { row, personId, directory } = args;
  const roles = new Set<EscalationRole>();
  const sender = directory.unit(row.senderUnitId);
  const receiving = directory.unit(row.receivingUnitId);
  if (row.raisedBy === personId) roles.add('raiser').add('old_case_manager');
  if (row.countersignerId === personId) roles.add('countersigner');
  if (sender && (sender.manager === personId || sender.seniorManager === personId)) roles.add('sender_manager');
  if (args.receivingDuty.includes(personId)) roles.add('receiving_duty');
  if (receiving && (receiving.manager === personId || receiving.seniorManager === personId)) roles.add('receiving_manager');
  if (row.acceptedBy === personId) roles.add('acceptor');
  if (row.newCaseManagerId === personId) roles.add('new_case_manager');
  return roles;
};

export const escalationActionButtons = (args: {
  row: EscalationRow;
  personId: string;
  roles: ReadonlySet<EscalationRole>;
  only: EscalationAction[];
}): ChatAction[] =>
  availableEscalationActions({ facts: escalationFacts(args.row), roles: args.roles, actorId: args.personId })
    .filter((action) => args.only.includes(action))
    .map((action) => ({
      id: `escalation.${action}`,
      label: ESCALATION_RULES[action].label,
      style: ACTION_STYLE[action],
      needsForm: ESCALATION_RULES[action].rationale === 'required' || action === 'reallocate',
      itemType: 'escalation',
      itemId: args.row.id,
    }));


export const renderEscalationMessage = (args: {
  row: EscalationRow;
  directory: Directory;
  message: string;
  personId: string | null;
  withActions: boolean;
  receivingDuty: readonly string[];
  deadlines: ReadonlyMap<DeadlineKind, Date>;
  rationale?: { actorId: string; text: string | null; action: string } | null;
  notice?: string;
}): ChatMessage => {
  const { row, directory } = args;
  const ref = itemRef('escalation', row.id);
  const risk = `${ROSH_LABELS[row.roshCurrent as RoshLevel] ?? row.roshCurrent} → ${ROSH_LABELS[row.roshNew as RoshLevel] ?? row.roshNew}`;
  const urgency = row.urgency === 'urgent' ? 'Urgent' : 'Standard';
  const headline = HEADLINES[args.message] ?? 'Escalation update';
  const dueEntries = [...args.deadlines.entries()];
  const due = dueEntries.length > 0 ? (dueEntries[dueEntries.length - 1] as [DeadlineKind, Date])[1] : undefined;
  const dueText = due ? localDateTime({ timeZone: directory.org.timezone, at: due }) : undefined;
  const fields = [
    { label: 'CRN', value: row.crn },
    { label: 'Risk (RoSH)', value: risk },
    { label: 'Urgency', value: urgency },
    { label: 'State', value: ESCALATION_STATE_LABELS[row.state as EscalationState] ?? row.state },
  ];
  if (dueText) fields.push({ label: 'Due', value: dueText });
  const text = `${headline}: ${ref} for ${row.crn} (${risk}, ${urgency.toLowerCase()})${dueText ? `, due ${dueText}` : ''}`;
  if (args.personId === null) {
    // A shared channel: CRN, risk level, state and deadline only.
    return { text, title: `${headline}: ${ref}`, fields, actions: [], item: { type: 'escalation', id: row.id, version: row.version, ref } };
  }
  fields.push(
    { label: 'From', value: `${directory.nameOf(row.raisedBy)} (${directory.unit(row.senderUnitId)?.name ?? row.senderUnitId})` },
    { label: 'To', value: directory.unit(row.receivingUnitId)?.name ?? row.receivingUnitId },
  );
  if (row.newCaseManagerId) fields.push({ label: 'New case manager', value: directory.nameOf(row.newCaseManagerId) });
  const details = [
    { label: 'Reason', value: ESCALATION_REASONS[row.reason] ?? row.reason },
    { label: 'Summary', value: row.summary },
  ];
  if (row.noms) details.push({ label: 'Prison number', value: row.noms });
  if (row.mappaCategory || row.mappaLevel) details.push({ label: 'MAPPA', value: `Category ${row.mappaCategory ?? '—'}, level ${row.mappaLevel ?? '—'}` });
  details.push({ label: 'OASys review', value: row.oasysReviewed ? 'Done' : 'Not done' });
  if (args.rationale) {
    const label = `${directory.nameOf(args.rationale.actorId)} (${args.rationale.action.replace('_', ' ')})`;
    details.push({ label, value: args.rationale.text?.trim() ? args.rationale.text : 'No rationale given' });
  }
  const roles = escalationRoles({ row, personId: args.personId, directory, receivingDuty: args.receivingDuty });
  const actions = args.withActions
    ? escalationActionButtons({ row, personId: args.personId, roles, only: ACTIONS_FOR_MESSAGE[args.message] ?? [] })
    : [];
  return {
    text,
    title: `${headline}: ${ref}`,
    fields,
    details,
    notice: args.notice,
    actions,
    item: { type: 'escalation', id: row.id, version: row.version, ref },
  };
};
