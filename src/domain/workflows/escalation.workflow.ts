import { type Effect, notify, person } from '../workflow.types.js';
import { countersignRequested, handoverEffects, manager, receivingDuty, start } from './escalation-effects.js';
import { handoverActions } from './escalation-handover.workflow.js';
import { raiserActions } from './escalation-raiser.workflow.js';
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
  resubmit: raiserActions.resubmit,
  withdraw: raiserActions.withdraw,
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
  ...handoverActions,
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
  edit_resubmit: raiserActions.edit_resubmit,
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
  ...countersignRequested(args),
  notify(person(args.raisedBy), 'escalation.raised_confirmation'),
];
