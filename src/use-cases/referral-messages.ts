import type { ReferralRow } from '../db/items.repository.js';
import {
  REFERRAL_RULES,
  REFERRAL_STATE_LABELS,
  type ReferralAction,
  type ReferralFacts,
  type ReferralRole,
  type ReferralState,
  availableReferralActions,
} from '../domain/referral.machine.js';
import type { DeadlineKind } from '../domain/workflow.types.js';
import { localDateTime } from '../domain/time/time-format.js';
import { type ChatAction, type ChatMessage, itemRef } from './chat-message.js';
import type { Directory } from './directory.js';

/** Release date types used by HMPPS: conditional, automatic, parole eligibility, HDC eligibility, post-recall. */
export const RELEASE_TYPES: Record<string, string> = {
  CRD: 'CRD (conditional release date)',
  ARD: 'ARD (automatic release date)',
  PED: 'PED (parole eligibility date)',
  HDCED: 'HDCED (home detention curfew eligibility)',
  PRRD: 'PRRD (post-recall release date)',
  confirmed: 'Confirmed release date',
  other: 'Other',
};

/** Resettlement needs (the pathways used by through-the-gate services). At most 10: Slack's checkbox limit. */
export const REFERRAL_NEEDS: Record<string, string> = {
  accommodation: 'Accommodation',
  ete: 'Education, training and employment',
  finance: 'Finance, benefits and debt',
  health: 'Health (physical and mental)',
  substance: 'Drugs and alcohol',
  family: 'Children, families and communities',
  attitudes: 'Attitudes, thinking and behaviour',
  victims: 'Victims of abuse or exploitation',
};

/** The buttons that belong with each kind of request. */
const ACTIONS_FOR_MESSAGE: Record<string, ReferralAction[]> = {
  'referral.received': ['acknowledge', 'assign', 'decline'],
  'referral.assessment_requested': ['record_assessment', 'assign', 'decline'],
  'referral.action_plan_requested': ['submit_action_plan'],
  'referral.delivery_requested': ['record_delivery'],
};

export const REFERRAL_ACTIONS_FOR_DEADLINE: Record<string, ReferralAction[]> = {
  providerAssessment: ['acknowledge', 'assign', 'record_assessment', 'decline'],
  actionPlan: ['submit_action_plan'],
  delivery: ['record_delivery'],
};

const HEADLINES: Record<string, string> = {
  'referral.received': 'New referral',
  'referral.raised_confirmation': 'Referral sent',
  'referral.acknowledged': 'Referral acknowledged',
  'referral.assigned': 'Referral assigned to a worker',
  'referral.assessment_requested': 'Assessment needed',
  'referral.assessed': 'Assessment recorded',
  'referral.action_plan_requested': 'Action plan needed',
  'referral.action_planned': 'Action plan submitted',
  'referral.delivery_requested': 'Delivery to record',
  'referral.delivered': 'Delivery recorded',
  'referral.declined': 'Referral declined',
  'referral.withdrawn': 'Referral withdrawn',
  'referral.release_date_changed': 'Release date changed',
  'referral.status': 'Referral',
};

const STYLE: Partial<Record<ReferralAction, 'primary' | 'danger'>> = {
  acknowledge: 'primary',
  record_assessment: 'primary',
  submit_action_plan: 'primary',
  record_delivery: 'primary',
  decline: 'danger',
  withdraw: 'danger',
};

export const referralFacts = (row: ReferralRow): ReferralFacts => ({
  state: row.state as ReferralState,
  raisedBy: row.raisedBy,
  senderUnitId: row.senderUnitId,
  providerUnitId: row.providerUnitId,
  assignedWorkerId: row.assignedWorkerId,
});

/** A person's relations to a referral (the provider's duty list is looked up by the caller). */
export const referralRoles = (args: {
  row: ReferralRow;
  personId: string;
  directory: Directory;
  providerDuty: readonly string[];
}): Set<ReferralRole> => {
  const { row, personId, directory } = args;
  const roles = new Set<ReferralRole>();
  const sender = directory.unit(row.senderUnitId);
  const provider = directory.unit(row.providerUnitId);
  if (row.raisedBy === personId) roles.add('raiser');
  if (sender && (sender.manager === personId || sender.seniorManager === personId)) roles.add('sender_manager');
  if (args.providerDuty.includes(personId)) roles.add('provider_duty');
  if (provider && (provider.manager === personId || provider.seniorManager === personId)) roles.add('provider_manager');
  if (row.assignedWorkerId === personId) roles.add('assigned_worker');
  return roles;
};

export const referralActionButtons = (args: {
  row: ReferralRow;
  personId: string;
  roles: ReadonlySet<ReferralRole>;
  only: ReferralAction[];
}): ChatAction[] =>
  availableReferralActions({ facts: referralFacts(args.row), roles: args.roles, actorId: args.personId })
    .filter((action) => args.only.includes(action))
    .map((action) => ({
      id: `referral.${action}`,
      label: REFERRAL_RULES[action].label,
      style: STYLE[action],
      needsForm: REFERRAL_RULES[action].rationale !== 'none' || action === 'assign',
      itemType: 'referral',
      itemId: args.row.id,
    }));


/** "5 weeks late" / "1 week late" / null when on time. */
export const latenessText = (lateWeeks: number) => (lateWeeks > 0 ? `${lateWeeks} week${lateWeeks === 1 ? '' : 's'} late` : null);

export const renderReferralMessage = (args: {
  row: ReferralRow;
  directory: Directory;
  message: string;
  personId: string | null;
  withActions: boolean;
  providerDuty: readonly string[];
  deadlines: ReadonlyMap<DeadlineKind, Date>;
  rationale?: { actorId: string; text: string | null; action: string } | null;
  notice?: string;
}): ChatMessage => {
  const { row, directory } = args;
  const ref = itemRef('referral', row.id);
  const headline = HEADLINES[args.message] ?? 'Referral update';
  const dueEntries = [...args.deadlines.entries()].filter(([kind]) => kind !== 'delivery');
  const due = dueEntries.length > 0 ? (dueEntries[dueEntries.length - 1] as [DeadlineKind, Date])[1] : undefined;
  const dueText = due ? localDateTime({ timeZone: directory.org.timezone, at: due }) : undefined;
  const state = REFERRAL_STATE_LABELS[row.state as ReferralState] ?? row.state;
  const fields = [
    { label: 'CRN', value: row.crn },
    { label: 'State', value: state },
    { label: 'Release', value: `${row.releaseDate} (${row.releaseType})` },
  ];
  if (dueText) fields.push({ label: 'Due', value: dueText });
  const text = `${headline}: ${ref} for ${row.crn}${dueText ? `, due ${dueText}` : ''}`;
  const item = { type: 'referral' as const, id: row.id, version: row.version, ref };
  if (args.personId === null) {
    // A shared channel: CRN, state and deadline only.
    return { text, title: `${headline}: ${ref}`, fields, actions: [], item };
  }
  fields.push(
    { label: 'Type', value: row.referralType },
    { label: 'From', value: `${directory.nameOf(row.raisedBy)} (${directory.unit(row.senderUnitId)?.name ?? row.senderUnitId})` },
    { label: 'To', value: directory.unit(row.providerUnitId)?.name ?? row.providerUnitId },
  );
  if (row.assignedWorkerId) fields.push({ label: 'Worker', value: directory.nameOf(row.assignedWorkerId) });
  const details = [{ label: 'Prison', value: row.prison }];
  if (row.noms) details.push({ label: 'Prison number', value: row.noms });
  if (row.needs.length > 0) details.push({ label: 'Needs', value: row.needs.map((need) => REFERRAL_NEEDS[need] ?? need).join(', ') });
  if (row.notes.trim()) details.push({ label: 'Notes', value: row.notes });
  const late = latenessText(row.lateWeeks);
  if (late) details.push({ label: 'Referred late', value: `${late} (refer by ${row.referBy})` });
  if (args.rationale) {
    const label = `${directory.nameOf(args.rationale.actorId)} (${args.rationale.action.replaceAll('_', ' ')})`;
    details.push({ label, value: args.rationale.text?.trim() ? args.rationale.text : 'No note given' });
  }
  const roles = referralRoles({ row, personId: args.personId, directory, providerDuty: args.providerDuty });
  const actions = args.withActions ? referralActionButtons({ row, personId: args.personId, roles, only: ACTIONS_FOR_MESSAGE[args.message] ?? [] }) : [];
  return { text, title: `${headline}: ${ref}`, fields, details, notice: args.notice, actions, item };
};
