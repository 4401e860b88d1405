import { type RoshLevel, type Urgency, deriveUrgency } from '../case-facts.js';
import { type DeadlineKind, type Effect, type Recipient, notify, person } from '../workflow.types.js';
import { changedPatch, fieldChanges } from './item-edits.js';
import type { ActionDefinition, Command, WorkflowDefinition } from './workflow.js';

/**
 * The risk escalation workflow (the domain specification): raised → awaiting countersign → awaiting acceptance →
 * accepted (awaiting reallocation) → reallocated (awaiting handover) → closed, with return, withdraw,
 * decline and misallocation-return branches.
 */
export const ESCALATION_STATES = [
  'awaiting_countersign',
  'returned',
  'awaiting_acceptance',
  'awaiting_reallocation',
  'awaiting_handover',
  'closed',
  'declined',
  'withdrawn',
  'misallocated',
  'taken_back',
] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

/** The relations a person can have to one escalation (src/domain/policy/escalation.policy.ts works them out). */
export const ESCALATION_ROLES = ['raiser', 'old_case_manager', 'countersigner', 'sender_manager', 'receiving_duty', 'receiving_manager', 'acceptor', 'new_case_manager'] as const;
export type EscalationRole = (typeof ESCALATION_ROLES)[number];

export const ESCALATION_ACTIONS = [
  'countersign',
  'return',
  'resubmit',
  'withdraw',
  'accept',
  'decline',
  'reallocate',
  'confirm_handover',
  'return_misallocated',
  'take_back',
  'schedule_handover',
  'edit_resubmit',
] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

/** The facts of an escalation the workflow needs; the store holds more. */
export interface EscalationFacts {
  state: EscalationState;
  raisedBy: string;
  countersignerId: string;
  senderUnitId: string;
  receivingUnitId: string;
  acceptedBy: string | null;
  newCaseManagerId: string | null;
  handoverOldConfirmedAt: Date | null;
  handoverNewConfirmedAt: Date | null;
  /** The agreed handover meeting, once scheduled. */
  handoverAt?: Date | null;
  handoverLink?: string | null;
}

export interface EscalationPatch {
  state?: EscalationState;
  /** An edit's changed fields (edit and resubmit), with the urgency they now imply. */
  [field: string]: unknown;
  acceptedBy?: string;
  newCaseManagerId?: string;
  handoverOldConfirmedAt?: Date;
  handoverNewConfirmedAt?: Date;
  closedAt?: Date;
  handoverAt?: Date;
  handoverLink?: string | null;
}

type Rule = ActionDefinition<EscalationState, EscalationRole, EscalationFacts, EscalationPatch>;
type Args = { facts: EscalationFacts; command: Command<EscalationRole> };

const receivingDuty = (facts: EscalationFacts) => ({ kind: 'unitDuty' as const, unitId: facts.receivingUnitId });
const manager = (unitId: string) => ({ kind: 'unitManager' as const, unitId });

const start = (kind: DeadlineKind, owners: Recipient[], unitId: string): Effect => ({
  type: 'startDeadline',
  kind,
  owners,
  unitId,
});

const handoverEffects = (facts: EscalationFacts, newCaseManagerId: string): Effect[] => [
  start('handover', [person(facts.raisedBy), person(newCaseManagerId)], facts.receivingUnitId),
  notify(person(facts.raisedBy), 'escalation.handover_requested', { withActions: true }),
  notify(person(newCaseManagerId), 'escalation.handover_requested', { withActions: true }),
];

const RECEIVING: readonly EscalationRole[] = ['receiving_duty', 'receiving_manager'];

const notOwnEscalation = ({ facts, command }: Args) => (command.actorId === facts.raisedBy ? { code: 'escalation.own_escalation' as const } : null);

const countersign: Rule = {
  from: ['awaiting_countersign'],
  roles: ['countersigner'],
  refusal: 'escalation.not_countersigner',
  input: { rationale: 'required' },
  meets: 'countersign',
  starts: ['acceptance'],
  buttonOn: ['escalation.countersign_requested', 'deadline:countersign'],
  style: 'primary',
  precheck: notOwnEscalation,
  apply: ({ facts }) => ({
    to: 'awaiting_acceptance',
    effects: [
      start('acceptance', [receivingDuty(facts)], facts.receivingUnitId),
      notify(receivingDuty(facts), 'escalation.acceptance_requested', { withActions: true }),
      notify(person(facts.raisedBy), 'escalation.countersigned'),
      notify({ kind: 'unitChannel', unitId: facts.receivingUnitId }, 'escalation.channel_incoming'),
    ],
  }),
};

const accept: Rule = {
  from: ['awaiting_acceptance'],
  roles: RECEIVING,
  refusal: 'escalation.not_receiving_unit',
  input: { rationale: 'required', person: { need: 'optional', field: 'caseManager' } },
  meets: 'acceptance',
  starts: ['reallocation', 'handover'],
  buttonOn: ['escalation.acceptance_requested', 'deadline:acceptance'],
  style: 'primary',
  apply: ({ facts, command }) => {
    const told = [notify(person(facts.raisedBy), 'escalation.accepted'), notify(person(facts.countersignerId), 'escalation.accepted')];
    const named = command.personId ?? null;
    if (named) return { to: 'awaiting_handover', patch: { acceptedBy: command.actorId, newCaseManagerId: named }, effects: [...told, ...handoverEffects(facts, named)] };
    return {
      to: 'awaiting_reallocation',
      patch: { acceptedBy: command.actorId },
      effects: [...told, start('reallocation', [person(command.actorId)], facts.receivingUnitId), notify(person(command.actorId), 'escalation.reallocation_requested', { withActions: true })],
    };
  },
};

const confirmHandover: Rule = {
  from: ['awaiting_handover'],
  roles: ['old_case_manager', 'new_case_manager'],
  refusal: 'escalation.not_case_manager',
  input: { rationale: 'optional' },
  buttonOn: ['escalation.handover_requested', 'escalation.handover_half_confirmed', 'deadline:handover', 'escalation.handover_scheduled', 'deadline:handoverMeeting'],
  style: 'primary',
  check: ({ facts, command }) => {
    const done =
      (command.actorRoles.has('old_case_manager') ? facts.handoverOldConfirmedAt !== null : true) && (command.actorRoles.has('new_case_manager') ? facts.handoverNewConfirmedAt !== null : true);
    return done ? { code: 'escalation.handover_already_confirmed' } : null;
  },
  apply: ({ facts, command }) => {
    const patch: EscalationPatch = {};
    if (command.actorRoles.has('old_case_manager') && !facts.handoverOldConfirmedAt) patch.handoverOldConfirmedAt = command.at;
    if (command.actorRoles.has('new_case_manager') && !facts.handoverNewConfirmedAt) patch.handoverNewConfirmedAt = command.at;
    const oldDone = Boolean(patch.handoverOldConfirmedAt ?? facts.handoverOldConfirmedAt);
    const newDone = Boolean(patch.handoverNewConfirmedAt ?? facts.handoverNewConfirmedAt);
    if (oldDone && newDone) {
      return {
        to: 'closed',
        patch: { ...patch, closedAt: command.at },
        effects: [
          notify(person(facts.raisedBy), 'escalation.closed'),
          notify(person(facts.newCaseManagerId ?? command.actorId), 'escalation.closed'),
          notify(manager(facts.receivingUnitId), 'escalation.closed'),
        ],
      };
    }
    const other = oldDone ? facts.newCaseManagerId : facts.raisedBy;
    return { to: 'awaiting_handover', patch, effects: other ? [notify(person(other), 'escalation.handover_half_confirmed', { withActions: true })] : [] };
  },
};

/**
 * The new case manager agrees a time (and optionally a video-call link) for the professional conversation. Both
 * are told; the meeting becomes a deadline at that time, chased like any other until both confirm the handover.
 * Scheduling again replaces the earlier time.
 */
const scheduleHandover: Rule = {
  from: ['awaiting_handover'],
  roles: ['new_case_manager'],
  refusal: 'escalation.not_case_manager',
  input: { rationale: 'none', meeting: { need: 'required', field: 'handoverAt' } },
  starts: ['handoverMeeting'],
  buttonOn: ['escalation.handover_requested', 'escalation.handover_scheduled'],
  apply: ({ facts, command }) => {
    const meeting = command.meeting as { at: Date; link: string | null };
    const both = [person(facts.raisedBy), person(facts.newCaseManagerId ?? command.actorId)];
    return {
      to: 'awaiting_handover',
      patch: { handoverAt: meeting.at, handoverLink: meeting.link },
      effects: [start('handoverMeeting', both, facts.receivingUnitId), ...both.map((to) => notify(to, 'escalation.handover_scheduled', { withActions: true }))],
    };
  },
};

/** What the raiser may change after a return (the CRN names the case and stays). */
export const ESCALATION_EDITABLE = ['noms', 'roshCurrent', 'roshNew', 'mappaCategory', 'mappaLevel', 'reason', 'urgency', 'receivingUnitId', 'summary', 'oasysRef'] as const;

const editsOf = (facts: EscalationFacts, command: Command<EscalationRole>) => (command.edits ? fieldChanges({ before: facts as unknown as Record<string, unknown>, edits: command.edits }) : []);

/** Edit and resubmit: the returned escalation, changed, back to the countersigner; an edit that changes nothing is refused. */
const editResubmit: Rule = {
  from: ['returned'],
  roles: ['raiser'],
  refusal: 'action.not_allowed',
  input: { rationale: 'optional', form: 'escalate' },
  starts: ['countersign'],
  buttonOn: ['escalation.returned', 'mine'],
  style: 'primary',
  check: ({ facts, command }) => (command.edits && editsOf(facts, command).length === 0 ? { code: 'edit.no_change' } : null),
  apply: ({ facts, command }) => {
    const patch: EscalationPatch = changedPatch(editsOf(facts, command));
    const merged = { ...(facts as unknown as Record<string, unknown>), ...patch };
    patch.urgency = deriveUrgency({ requested: merged.urgency as Urgency, roshNew: merged.roshNew as RoshLevel, mappaLevel: merged.mappaLevel as number | null });
    return {
      to: 'awaiting_countersign',
      patch,
      effects: [start('countersign', [person(facts.countersignerId)], facts.senderUnitId), notify(person(facts.countersignerId), 'escalation.countersign_requested', { withActions: true })],
    };
  },
};

const actions: Record<EscalationAction, Rule> = {
  countersign,
  return: {
    from: ['awaiting_countersign'],
    roles: ['countersigner'],
    refusal: 'escalation.not_countersigner',
    input: { rationale: 'required' },
    meets: 'countersign',
    buttonOn: ['escalation.countersign_requested', 'deadline:countersign'],
    precheck: notOwnEscalation,
    apply: ({ facts }) => ({ to: 'returned', effects: [notify(person(facts.raisedBy), 'escalation.returned', { withActions: true })] }),
  },
  resubmit: {
    from: ['returned'],
    roles: ['raiser'],
    refusal: 'action.not_allowed',
    input: { rationale: 'optional' },
    starts: ['countersign'],
    buttonOn: ['escalation.returned'],
    style: 'primary',
    apply: ({ facts }) => ({
      to: 'awaiting_countersign',
      effects: [start('countersign', [person(facts.countersignerId)], facts.senderUnitId), notify(person(facts.countersignerId), 'escalation.countersign_requested', { withActions: true })],
    }),
  },
  withdraw: {
    from: ['awaiting_countersign', 'returned', 'awaiting_acceptance'],
    roles: ['raiser', 'sender_manager'],
    refusal: 'action.not_allowed',
    input: { rationale: 'required' },
    buttonOn: ['escalation.returned', 'mine'],
    style: 'danger',
    apply: ({ facts }) => ({
      to: 'withdrawn',
      effects: [notify(person(facts.raisedBy), 'escalation.withdrawn'), notify(person(facts.countersignerId), 'escalation.withdrawn')],
    }),
  },
  accept,
  decline: {
    from: ['awaiting_acceptance'],
    roles: RECEIVING,
    refusal: 'escalation.not_receiving_unit',
    input: { rationale: 'required' },
    meets: 'acceptance',
    buttonOn: ['escalation.acceptance_requested', 'deadline:acceptance'],
    style: 'danger',
    apply: ({ facts }) => ({
      to: 'declined',
      effects: [notify(person(facts.raisedBy), 'escalation.declined'), notify(manager(facts.senderUnitId), 'escalation.declined'), notify(manager(facts.receivingUnitId), 'escalation.declined')],
    }),
  },
  reallocate: {
    from: ['awaiting_reallocation'],
    roles: [...RECEIVING, 'acceptor'],
    refusal: 'escalation.not_receiving_unit',
    input: { rationale: 'none', person: { need: 'required', field: 'caseManager' } },
    meets: 'reallocation',
    starts: ['handover'],
    buttonOn: ['escalation.reallocation_requested', 'deadline:reallocation'],
    style: 'primary',
    apply: ({ facts, command }) => {
      const named = command.personId as string;
      return {
        to: 'awaiting_handover',
        patch: { newCaseManagerId: named },
        effects: [notify(person(facts.raisedBy), 'escalation.reallocated'), ...handoverEffects(facts, named)],
      };
    },
  },
  confirm_handover: confirmHandover,
  schedule_handover: scheduleHandover,
  return_misallocated: {
    from: ['awaiting_reallocation', 'awaiting_handover'],
    roles: RECEIVING,
    refusal: 'escalation.not_receiving_unit',
    input: { rationale: 'required' },
    meets: 'all',
    starts: ['takeBack'],
    // Wherever the receiving side sees the case before the handover is done: once a case manager is named at
    // acceptance, the handover request (to a named duty officer), its reminders and the manager's digest.
    buttonOn: ['escalation.reallocation_requested', 'deadline:reallocation', 'escalation.handover_requested', 'escalation.handover_half_confirmed', 'deadline:handover'],
    style: 'danger',
    apply: ({ facts }) => ({
      to: 'misallocated',
      effects: [
        start('takeBack', [manager(facts.senderUnitId)], facts.senderUnitId),
        notify(manager(facts.senderUnitId), 'escalation.take_back_requested', { withActions: true }),
        notify(person(facts.raisedBy), 'escalation.misallocated'),
      ],
    }),
  },
  edit_resubmit: editResubmit,
  take_back: {
    from: ['misallocated'],
    roles: ['sender_manager'],
    refusal: 'action.not_allowed',
    input: { rationale: 'optional' },
    meets: 'takeBack',
    buttonOn: ['escalation.take_back_requested', 'deadline:takeBack'],
    style: 'primary',
    apply: ({ facts, command }) => ({
      to: 'taken_back',
      patch: { closedAt: command.at },
      effects: [notify(person(facts.raisedBy), 'escalation.taken_back'), notify(manager(facts.receivingUnitId), 'escalation.taken_back')],
    }),
  },
};

export const escalationWorkflow: WorkflowDefinition<EscalationState, EscalationRole, EscalationAction, EscalationFacts, EscalationPatch> = {
  itemType: 'escalation',
  states: ESCALATION_STATES,
  terminal: ['closed', 'declined', 'withdrawn', 'taken_back'],
  roles: ESCALATION_ROLES,
  roleOrder: ESCALATION_ROLES,
  actions,
};

/** The effects of raising a new escalation (it starts awaiting countersign). */
export const raiseEscalationEffects = (args: { raisedBy: string; countersignerId: string; senderUnitId: string }): Effect[] => [
  start('countersign', [person(args.countersignerId)], args.senderUnitId),
  notify(person(args.countersignerId), 'escalation.countersign_requested', { withActions: true }),
  notify(person(args.raisedBy), 'escalation.raised_confirmation'),
];
