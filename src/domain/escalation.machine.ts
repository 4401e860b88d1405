import { DomainError, type DomainErrorCode } from './errors.js';
import {
  type DeadlineKind,
  type Effect,
  type RationaleRule,
  type TransitionResult,
  notify,
  person,
} from './workflow.types.js';

/**
 * The risk escalation workflow (shared/domain.md): raised → awaiting countersign → awaiting acceptance →
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

export const ESCALATION_STATE_LABELS: Record<EscalationState, string> = {
  awaiting_countersign: 'Awaiting countersign',
  returned: 'Returned for changes',
  awaiting_acceptance: 'Awaiting duty acceptance',
  awaiting_reallocation: 'Accepted, awaiting reallocation',
  awaiting_handover: 'Reallocated, awaiting handover',
  closed: 'Closed (handover completed)',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
  misallocated: 'Returned as misallocated, awaiting take-back',
  taken_back: 'Taken back by the sending unit',
};

export const ESCALATION_TERMINAL: ReadonlySet<EscalationState> = new Set([
  'closed',
  'declined',
  'withdrawn',
  'taken_back',
]);

/** The relations a person can have to one escalation; the use-case layer works these out from the org. */
export const ESCALATION_ROLES = [
  'raiser',
  'countersigner',
  'sender_manager',
  'receiving_duty',
  'receiving_manager',
  'acceptor',
  'old_case_manager',
  'new_case_manager',
] as const;
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
] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

interface ActionRule {
  from: readonly EscalationState[];
  roles: readonly EscalationRole[];
  rationale: RationaleRule;
  label: string;
  /** The deadline this action meets. */
  meets?: DeadlineKind;
}

export const ESCALATION_RULES: Record<EscalationAction, ActionRule> = {
  countersign: { from: ['awaiting_countersign'], roles: ['countersigner'], rationale: 'required', label: 'Countersign', meets: 'countersign' },
  return: { from: ['awaiting_countersign'], roles: ['countersigner'], rationale: 'required', label: 'Return for changes', meets: 'countersign' },
  resubmit: { from: ['returned'], roles: ['raiser'], rationale: 'optional', label: 'Resubmit' },
  withdraw: {
    from: ['awaiting_countersign', 'returned', 'awaiting_acceptance'],
    roles: ['raiser', 'sender_manager'],
    rationale: 'required',
    label: 'Withdraw',
  },
  accept: { from: ['awaiting_acceptance'], roles: ['receiving_duty', 'receiving_manager'], rationale: 'required', label: 'Accept', meets: 'acceptance' },
  decline: { from: ['awaiting_acceptance'], roles: ['receiving_duty', 'receiving_manager'], rationale: 'required', label: 'Decline', meets: 'acceptance' },
  reallocate: {
    from: ['awaiting_reallocation'],
    roles: ['receiving_duty', 'receiving_manager', 'acceptor'],
    rationale: 'none',
    label: 'Name the case manager',
    meets: 'reallocation',
  },
  confirm_handover: {
    from: ['awaiting_handover'],
    roles: ['old_case_manager', 'new_case_manager'],
    rationale: 'optional',
    label: 'Handover done',
  },
  return_misallocated: {
    from: ['awaiting_reallocation', 'awaiting_handover'],
    roles: ['receiving_duty', 'receiving_manager'],
    rationale: 'required',
    label: 'Return as misallocated',
  },
  take_back: { from: ['misallocated'], roles: ['sender_manager'], rationale: 'optional', label: 'Take back', meets: 'takeBack' },
};

/** The facts of an escalation the machine needs; the store holds more. */
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
}

export interface EscalationPatch {
  state?: EscalationState;
  acceptedBy?: string;
  newCaseManagerId?: string;
  handoverOldConfirmedAt?: Date;
  handoverNewConfirmedAt?: Date;
  closedAt?: Date;
}

export interface EscalationCommand {
  action: EscalationAction;
  actorId: string;
  actorRoles: ReadonlySet<EscalationRole>;
  rationale?: string | null;
  /** accept (optional) and reallocate (required): the named new case manager. */
  caseManagerId?: string | null;
  at: Date;
}

/** A refusal as plain data (no Error, no stack): cheap enough to ask for every button on every message. */
export interface Refusal {
  code: DomainErrorCode;
  details?: Record<string, unknown>;
}

/** Who may act now: the first refusal that applies, or null when the actor may take the action. */
export const escalationRefusal = (args: { facts: EscalationFacts; command: EscalationCommand }): Refusal | null => {
  const { facts, command } = args;
  const rule = ESCALATION_RULES[command.action];
  if (!rule) return ({ code: 'action.unknown', details: { action: command.action } });
  if (!rule.from.includes(facts.state)) {
    return ({ code: 'item.moved_on', details: { state: facts.state, action: command.action } });
  }
  const isRaiser = command.actorId === facts.raisedBy;
  if ((command.action === 'countersign' || command.action === 'return') && isRaiser) {
    return { code: 'escalation.own_escalation' };
  }
  const allowed = rule.roles.some((role) => command.actorRoles.has(role));
  if (!allowed) return ({ code: refusalCodeFor(command.action), details: { action: command.action } });
  if (command.action === 'confirm_handover') {
    const alreadyConfirmed =
      (command.actorRoles.has('old_case_manager') ? facts.handoverOldConfirmedAt !== null : true) &&
      (command.actorRoles.has('new_case_manager') ? facts.handoverNewConfirmedAt !== null : true);
    if (alreadyConfirmed) return { code: 'escalation.handover_already_confirmed' };
  }
  if (rule.rationale === 'required' && !command.rationale?.trim()) {
    return ({ code: 'rationale.required', details: { action: command.action } });
  }
  if (command.action === 'reallocate' && !command.caseManagerId) {
    return ({ code: 'input.invalid', details: { field: 'caseManager' } });
  }
  return null;
};

export const checkEscalationAuthority = (args: { facts: EscalationFacts; command: EscalationCommand }): DomainError | null => {
  const refusal = escalationRefusal(args);
  return refusal ? new DomainError(refusal) : null;
};

const refusalCodeFor = (action: EscalationAction) => {
  switch (action) {
    case 'countersign':
    case 'return':
      return 'escalation.not_countersigner' as const;
    case 'accept':
    case 'decline':
    case 'reallocate':
    case 'return_misallocated':
      return 'escalation.not_receiving_unit' as const;
    case 'confirm_handover':
      return 'escalation.not_case_manager' as const;
    default:
      return 'action.not_allowed' as const;
  }
};

/**
 * Apply a command. Throws the DomainError of `checkEscalationAuthority` when refused; otherwise returns the
 * next state, the fields to store and the effects (who to tell, which deadlines start and which are met).
 */
export const transitionEscalation = (args: {
  facts: EscalationFacts;
  command: EscalationCommand;
}): TransitionResult<EscalationState, EscalationPatch> => {
  const refusal = checkEscalationAuthority(args);
  if (refusal) throw refusal;
  const { facts, command } = args;
  const raiser = person(facts.raisedBy);
  const sender = facts.senderUnitId;
  const receiving = facts.receivingUnitId;
  const meet = (kinds: DeadlineKind[] | 'all'): Effect => ({ type: 'meetDeadlines', kinds });
  const result = (to: EscalationState, patch: EscalationPatch, effects: Effect[]) => ({
    from: facts.state,
    to,
    patch: { ...patch, state: to },
    effects,
  });

  switch (command.action) {
    case 'countersign':
      return result('awaiting_acceptance', {}, [
        meet(['countersign']),
        { type: 'startDeadline', kind: 'acceptance', owners: [{ kind: 'unitDuty', unitId: receiving }], unitId: receiving },
        notify({ kind: 'unitDuty', unitId: receiving }, 'escalation.acceptance_requested', { withActions: true }),
        notify(raiser, 'escalation.countersigned'),
        notify({ kind: 'unitChannel', unitId: receiving }, 'escalation.channel_incoming'),
      ]);
    case 'return':
      return result('returned', {}, [meet(['countersign']), notify(raiser, 'escalation.returned', { withActions: true })]);
    case 'resubmit':
      return result('awaiting_countersign', {}, [
        { type: 'startDeadline', kind: 'countersign', owners: [person(facts.countersignerId)], unitId: sender },
        notify(person(facts.countersignerId), 'escalation.countersign_requested', { withActions: true }),
      ]);
    case 'withdraw':
      return result('withdrawn', {}, [
        meet('all'),
        notify(raiser, 'escalation.withdrawn'),
        notify(person(facts.countersignerId), 'escalation.withdrawn'),
      ]);
    case 'accept': {
      const named = command.caseManagerId ?? null;
      const base: Effect[] = [meet(['acceptance']), notify(raiser, 'escalation.accepted'), notify(person(facts.countersignerId), 'escalation.accepted')];
      if (named) {
        return result('awaiting_handover', { acceptedBy: command.actorId, newCaseManagerId: named }, [
          ...base,
          ...handoverEffects({ facts, newCaseManagerId: named }),
        ]);
      }
      return result('awaiting_reallocation', { acceptedBy: command.actorId }, [
        ...base,
        { type: 'startDeadline', kind: 'reallocation', owners: [person(command.actorId)], unitId: receiving },
        notify(person(command.actorId), 'escalation.reallocation_requested', { withActions: true }),
      ]);
    }
    case 'decline':
      return result('declined', {}, [
        meet('all'),
        notify(raiser, 'escalation.declined'),
        notify({ kind: 'unitManager', unitId: sender }, 'escalation.declined'),
        notify({ kind: 'unitManager', unitId: receiving }, 'escalation.declined'),
      ]);
    case 'reallocate': {
      const named = command.caseManagerId as string;
      return result('awaiting_handover', { newCaseManagerId: named }, [
        meet(['reallocation']),
        notify(raiser, 'escalation.reallocated'),
        ...handoverEffects({ facts, newCaseManagerId: named }),
      ]);
    }
    case 'confirm_handover': {
      const patch: EscalationPatch = {};
      if (command.actorRoles.has('old_case_manager') && !facts.handoverOldConfirmedAt) patch.handoverOldConfirmedAt = command.at;
      if (command.actorRoles.has('new_case_manager') && !facts.handoverNewConfirmedAt) patch.handoverNewConfirmedAt = command.at;
      const oldDone = Boolean(patch.handoverOldConfirmedAt ?? facts.handoverOldConfirmedAt);
      const newDone = Boolean(patch.handoverNewConfirmedAt ?? facts.handoverNewConfirmedAt);
      if (oldDone && newDone) {
        return result('closed', { ...patch, closedAt: command.at }, [
          meet('all'),
          notify(raiser, 'escalation.closed'),
          notify({ kind: 'person', personId: facts.newCaseManagerId ?? command.actorId }, 'escalation.closed'),
          notify({ kind: 'unitManager', unitId: receiving }, 'escalation.closed'),
        ]);
      }
      const other = oldDone ? facts.newCaseManagerId : facts.raisedBy;
      return result('awaiting_handover', patch, other ? [notify(person(other), 'escalation.handover_half_confirmed', { withActions: true })] : []);
    }
    case 'return_misallocated':
      return result('misallocated', {}, [
        meet('all'),
        { type: 'startDeadline', kind: 'takeBack', owners: [{ kind: 'unitManager', unitId: sender }], unitId: sender },
        notify({ kind: 'unitManager', unitId: sender }, 'escalation.take_back_requested', { withActions: true }),
        notify(raiser, 'escalation.misallocated'),
      ]);
    case 'take_back':
      return result('taken_back', { closedAt: command.at }, [
        meet('all'),
        notify(raiser, 'escalation.taken_back'),
        notify({ kind: 'unitManager', unitId: receiving }, 'escalation.taken_back'),
      ]);
  }
};

const handoverEffects = (args: { facts: EscalationFacts; newCaseManagerId: string }): Effect[] => [
  {
    type: 'startDeadline',
    kind: 'handover',
    owners: [person(args.facts.raisedBy), person(args.newCaseManagerId)],
    unitId: args.facts.receivingUnitId,
  },
  notify(person(args.facts.raisedBy), 'escalation.handover_requested', { withActions: true }),
  notify(person(args.newCaseManagerId), 'escalation.handover_requested', { withActions: true }),
];

/** The effects of raising a new escalation (it starts awaiting countersign). */
export const raiseEscalationEffects = (args: { raisedBy: string; countersignerId: string; senderUnitId: string }): Effect[] => [
  { type: 'startDeadline', kind: 'countersign', owners: [person(args.countersignerId)], unitId: args.senderUnitId },
  notify(person(args.countersignerId), 'escalation.countersign_requested', { withActions: true }),
  notify(person(args.raisedBy), 'escalation.raised_confirmation'),
];

/** Actions a person with these roles could take now (to draw their buttons). */
export const availableEscalationActions = (args: {
  facts: EscalationFacts;
  roles: ReadonlySet<EscalationRole>;
  actorId: string;
}): EscalationAction[] =>
  ESCALATION_ACTIONS.filter((action) => {
    const refusal = escalationRefusal({
      facts: args.facts,
      command: { action, actorId: args.actorId, actorRoles: args.roles, rationale: 'x', caseManagerId: 'x', at: new Date(0) },
    });
    return refusal === null;
  });

/** Who owes the next action in each open state (for /cases queues and reminders). */
export const escalationDeadlineForState: Partial<Record<EscalationState, DeadlineKind>> = {
  awaiting_countersign: 'countersign',
  awaiting_acceptance: 'acceptance',
  awaiting_reallocation: 'reallocation',
  awaiting_handover: 'handover',
  misallocated: 'takeBack',
};
