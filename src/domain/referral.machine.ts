import { DomainError } from './errors.js';
import { type DeadlineKind, type Effect, type RationaleRule, type TransitionResult, notify, person } from './workflow.types.js';

/**
 * Referral to a provider unit (shared/domain.md): sent → acknowledged → assessed → action plan → delivered,
 * with decline and withdraw branches. Deadlines come from the release date and the org's policy.
 */
export const REFERRAL_STATES = ['awaiting_acknowledgement', 'acknowledged', 'assessed', 'planned', 'delivered', 'declined', 'withdrawn'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

export const REFERRAL_STATE_LABELS: Record<ReferralState, string> = {
  awaiting_acknowledgement: 'Sent, awaiting acknowledgement',
  acknowledged: 'Acknowledged, awaiting assessment',
  assessed: 'Assessed, awaiting action plan',
  planned: 'Action plan submitted, awaiting delivery',
  delivered: 'Delivered',
  declined: 'Declined by the provider',
  withdrawn: 'Withdrawn',
};

export const REFERRAL_TERMINAL: ReadonlySet<ReferralState> = new Set(['delivered', 'declined', 'withdrawn']);

export const REFERRAL_ROLES = ['raiser', 'sender_manager', 'provider_duty', 'provider_manager', 'assigned_worker'] as const;
export type ReferralRole = (typeof REFERRAL_ROLES)[number];

export const REFERRAL_ACTIONS = [
  'acknowledge',
  'assign',
  'record_assessment',
  'submit_action_plan',
  'record_delivery',
  'decline',
  'withdraw',
  'change_release_date',
] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

const OPEN: readonly ReferralState[] = ['awaiting_acknowledgement', 'acknowledged', 'assessed', 'planned'];
const PROVIDER: readonly ReferralRole[] = ['provider_duty', 'provider_manager'];
const WORKER: readonly ReferralRole[] = ['assigned_worker', 'provider_manager'];

export const REFERRAL_RULES: Record<
  ReferralAction,
  { from: readonly ReferralState[]; roles: readonly ReferralRole[]; rationale: RationaleRule; label: string }
> = {
  acknowledge: { from: ['awaiting_acknowledgement'], roles: PROVIDER, rationale: 'optional', label: 'Acknowledge' },
  assign: { from: ['awaiting_acknowledgement', 'acknowledged'], roles: PROVIDER, rationale: 'none', label: 'Assign' },
  record_assessment: { from: ['acknowledged'], roles: WORKER, rationale: 'required', label: 'Record assessment' },
  submit_action_plan: { from: ['assessed'], roles: WORKER, rationale: 'required', label: 'Submit action plan' },
  record_delivery: { from: ['planned'], roles: WORKER, rationale: 'required', label: 'Record delivery' },
  decline: { from: ['awaiting_acknowledgement', 'acknowledged'], roles: PROVIDER, rationale: 'required', label: 'Decline' },
  withdraw: { from: OPEN, roles: ['raiser', 'sender_manager'], rationale: 'required', label: 'Withdraw' },
  change_release_date: { from: OPEN, roles: ['raiser', 'sender_manager'], rationale: 'optional', label: 'Change release date' },
};

export interface ReferralFacts {
  state: ReferralState;
  raisedBy: string;
  senderUnitId: string;
  providerUnitId: string;
  assignedWorkerId: string | null;
}

export interface ReferralPatch {
  state?: ReferralState;
  assignedWorkerId?: string;
  releaseDate?: string;
  closedAt?: Date;
}

export interface ReferralCommand {
  action: ReferralAction;
  actorId: string;
  actorRoles: ReadonlySet<ReferralRole>;
  rationale?: string | null;
  workerId?: string | null;
  releaseDate?: string | null;
  at: Date;
}

export const checkReferralAuthority = (args: { facts: ReferralFacts; command: ReferralCommand }): DomainError | null => {
  const { facts, command } = args;
  const rule = REFERRAL_RULES[command.action];
  if (!rule) return new DomainError({ code: 'action.unknown', details: { action: command.action } });
  if (!rule.from.includes(facts.state)) return new DomainError({ code: 'item.moved_on', details: { state: facts.state } });
  if (!rule.roles.some((role) => command.actorRoles.has(role))) {
    const providerSide = rule.roles.some((role) => PROVIDER.includes(role) || WORKER.includes(role));
    return new DomainError({ code: providerSide ? 'referral.not_provider' : 'action.not_allowed', details: { action: command.action } });
  }
  if (rule.rationale === 'required' && !command.rationale?.trim()) return new DomainError({ code: 'rationale.required' });
  if (command.action === 'assign' && !command.workerId) return new DomainError({ code: 'input.invalid', details: { field: 'worker' } });
  if (command.action === 'change_release_date' && !command.releaseDate) {
    return new DomainError({ code: 'input.invalid', details: { field: 'releaseDate' } });
  }
  return null;
};

export const transitionReferral = (args: {
  facts: ReferralFacts;
  command: ReferralCommand;
}): TransitionResult<ReferralState, ReferralPatch> => {
  const refusal = checkReferralAuthority(args);
  if (refusal) throw refusal;
  const { facts, command } = args;
  const raiser = person(facts.raisedBy);
  const provider = facts.providerUnitId;
  const owner = facts.assignedWorkerId ? person(facts.assignedWorkerId) : { kind: 'unitDuty' as const, unitId: provider };
  const meet = (kinds: DeadlineKind[] | 'all'): Effect => ({ type: 'meetDeadlines', kinds });
  const result = (to: ReferralState, patch: ReferralPatch, effects: Effect[]) => ({ from: facts.state, to, patch: { ...patch, state: to }, effects });

  switch (command.action) {
    case 'acknowledge':
      return result('acknowledged', {}, [notify(raiser, 'referral.acknowledged'), notify(owner, 'referral.assessment_requested', { withActions: true })]);
    case 'assign': {
      const worker = command.workerId as string;
      const to = facts.state === 'awaiting_acknowledgement' ? 'acknowledged' : facts.state;
      return result(to, { assignedWorkerId: worker }, [
        { type: 'recomputeDeadlines' },
        notify(raiser, 'referral.assigned'),
        notify(person(worker), 'referral.assessment_requested', { withActions: true }),
      ]);
    }
    case 'record_assessment':
      return result('assessed', {}, [
        meet(['providerAssessment']),
        { type: 'startDeadline', kind: 'actionPlan', owners: [owner], unitId: provider },
        notify(raiser, 'referral.assessed'),
        notify(owner, 'referral.action_plan_requested', { withActions: true }),
      ]);
    case 'submit_action_plan':
      return result('planned', {}, [
        meet(['actionPlan']),
        notify(raiser, 'referral.action_planned'),
        notify(owner, 'referral.delivery_requested', { withActions: true }),
      ]);
    case 'record_delivery':
      return result('delivered', { closedAt: command.at }, [meet('all'), notify(raiser, 'referral.delivered')]);
    case 'decline':
      return result('declined', { closedAt: command.at }, [
        meet('all'),
        notify(raiser, 'referral.declined'),
        notify({ kind: 'unitManager', unitId: facts.senderUnitId }, 'referral.declined'),
      ]);
    case 'withdraw':
      return result('withdrawn', { closedAt: command.at }, [meet('all'), notify(owner, 'referral.withdrawn')]);
    case 'change_release_date':
      return result(facts.state, { releaseDate: command.releaseDate as string }, [
        { type: 'recomputeDeadlines' },
        notify(raiser, 'referral.release_date_changed'),
        notify(owner, 'referral.release_date_changed'),
      ]);
  }
};

/** Raising a referral starts the provider's assessment clock and the delivery deadline (before release). */
export const raiseReferralEffects = (args: { raisedBy: string; providerUnitId: string }): Effect[] => [
  { type: 'startDeadline', kind: 'providerAssessment', owners: [{ kind: 'unitDuty', unitId: args.providerUnitId }], unitId: args.providerUnitId },
  { type: 'startDeadline', kind: 'delivery', owners: [{ kind: 'unitDuty', unitId: args.providerUnitId }], unitId: args.providerUnitId },
  notify({ kind: 'unitDuty', unitId: args.providerUnitId }, 'referral.received', { withActions: true }),
  notify(person(args.raisedBy), 'referral.raised_confirmation'),
];

/** Whole weeks a referral is late: refer by = release − weeksBeforeRelease. Dates are local 'YYYY-MM-DD'. */
export const referralLateness = (args: { releaseDate: string; weeksBeforeRelease: number; today: string }) => {
  const day = 86_400_000;
  const release = Date.parse(`${args.releaseDate}T00:00:00Z`);
  const referBy = new Date(release - args.weeksBeforeRelease * 7 * day).toISOString().slice(0, 10);
  const lateDays = Math.round((Date.parse(`${args.today}T00:00:00Z`) - Date.parse(`${referBy}T00:00:00Z`)) / day);
  return { referBy, lateWeeks: lateDays > 0 ? Math.ceil(lateDays / 7) : 0, lateDays: Math.max(0, lateDays) };
};

export const availableReferralActions = (args: { facts: ReferralFacts; roles: ReadonlySet<ReferralRole>; actorId: string }): ReferralAction[] =>
  REFERRAL_ACTIONS.filter(
    (action) =>
      action !== 'change_release_date' &&
      checkReferralAuthority({
        facts: args.facts,
        command: { action, actorId: args.actorId, actorRoles: args.roles, rationale: 'x', workerId: 'x', releaseDate: 'x', at: new Date(0) },
      }) === null,
  );
