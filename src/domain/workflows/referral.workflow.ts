import { type Effect, notify, person } from '../workflow.types.js';
import { misallocationActions } from './referral-misallocation.workflow.js';
import { changedPatch, fieldChanges } from './item-edits.js';
import type { ActionDefinition, WorkflowDefinition } from './workflow.js';

/**
 * Referral to a provider unit (the domain specification): sent → acknowledged → assessed → action plan → delivered,
 * with decline and withdraw branches. Deadlines come from the release date and the org's policy.
 */
export const REFERRAL_STATES = ['awaiting_acknowledgement', 'acknowledged', 'assessed', 'planned', 'delivered', 'declined', 'withdrawn', 'misallocated', 'taken_back', 'to_refer'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

export const REFERRAL_ROLES = ['assigned_worker', 'provider_duty', 'provider_manager', 'raiser', 'sender_manager'] as const;
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
  'return_misallocated',
  'take_back',
  'send_on',
  'send_planned',
  'cancel_planned',
] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

export interface ReferralFacts {
  state: ReferralState;
  raisedBy: string;
  senderUnitId: string;
  providerUnitId: string;
  assignedWorkerId: string | null;
}

export interface ReferralPatch {
  state?: ReferralState;
  /** The referral's fields as sent (a planned referral completed and sent). */
  [field: string]: unknown;
  assignedWorkerId?: string | null;
  releaseDate?: string;
  providerUnitId?: string;
  closedAt?: Date;
}

type Rule = ActionDefinition<ReferralState, ReferralRole, ReferralFacts, ReferralPatch>;

const OPEN: readonly ReferralState[] = ['awaiting_acknowledgement', 'acknowledged', 'assessed', 'planned'];
const PROVIDER: readonly ReferralRole[] = ['provider_duty', 'provider_manager'];
const WORKER: readonly ReferralRole[] = ['assigned_worker', 'provider_manager'];
const SENDER: readonly ReferralRole[] = ['raiser', 'sender_manager'];

/** Who does the provider's next step: the assigned worker, else the provider's duty desk. */
const owner = (facts: ReferralFacts) => (facts.assignedWorkerId ? person(facts.assignedWorkerId) : { kind: 'unitDuty' as const, unitId: facts.providerUnitId });
const raiser = (facts: ReferralFacts) => person(facts.raisedBy);

const providerStep = (rule: Omit<Rule, 'roles' | 'refusal' | 'input' | 'style'>): Rule => ({
  ...rule,
  roles: WORKER,
  refusal: 'referral.not_provider',
  input: { rationale: 'required' },
  style: 'primary',
});

/**
 * A planned referral (`to_refer`): the release is known, the referral is not ready. Its refer-by deadline chases
 * the officer, then their manager; sending it (the referral form, filled in with what was planned) makes it the
 * real referral, with the provider's deadlines; cancelling it (a reason) ends the chase.
 */
const sendPlanned: Rule = {
  from: ['to_refer'],
  roles: SENDER,
  refusal: 'action.not_allowed',
  input: { rationale: 'optional', form: 'refer' },
  meets: 'referBy',
  starts: ['providerAssessment', 'delivery'],
  buttonOn: ['deadline:referBy', 'mine'],
  style: 'primary',
  apply: ({ facts, command }) => {
    const patch = command.edits ? changedPatch(fieldChanges({ before: facts as unknown as Record<string, unknown>, edits: command.edits })) : {};
    const providerUnitId = (patch.providerUnitId as string | undefined) ?? facts.providerUnitId;
    return { to: 'awaiting_acknowledgement', patch, effects: raiseReferralEffects({ raisedBy: facts.raisedBy, providerUnitId }) };
  },
};

const cancelPlanned: Rule = {
  from: ['to_refer'],
  roles: SENDER,
  refusal: 'action.not_allowed',
  input: { rationale: 'required' },
  buttonOn: ['deadline:referBy', 'mine'],
  style: 'danger',
  apply: ({ command }) => ({ to: 'withdrawn', patch: { closedAt: command.at }, effects: [] }),
};

const actions: Record<ReferralAction, Rule> = {
  acknowledge: {
    from: ['awaiting_acknowledgement'],
    roles: PROVIDER,
    refusal: 'referral.not_provider',
    input: { rationale: 'optional' },
    buttonOn: ['referral.received', 'deadline:providerAssessment'],
    style: 'primary',
    apply: ({ facts }) => ({
      to: 'acknowledged',
      effects: [notify(raiser(facts), 'referral.acknowledged'), notify(owner(facts), 'referral.assessment_requested', { withActions: true })],
    }),
  },
  assign: {
    from: ['awaiting_acknowledgement', 'acknowledged'],
    roles: PROVIDER,
    refusal: 'referral.not_provider',
    input: { rationale: 'none', person: { need: 'required', field: 'worker' } },
    buttonOn: ['referral.received', 'referral.assessment_requested', 'deadline:providerAssessment'],
    apply: ({ facts, command }) => {
      const worker = command.personId as string;
      return {
        to: facts.state === 'awaiting_acknowledgement' ? 'acknowledged' : facts.state,
        patch: { assignedWorkerId: worker },
        effects: [{ type: 'recomputeDeadlines' }, notify(raiser(facts), 'referral.assigned'), notify(person(worker), 'referral.assessment_requested', { withActions: true })],
      };
    },
  },
  record_assessment: providerStep({
    from: ['acknowledged'],
    meets: 'providerAssessment',
    starts: ['actionPlan'],
    buttonOn: ['referral.assessment_requested', 'deadline:providerAssessment'],
    apply: ({ facts }) => ({
      to: 'assessed',
      effects: [
        { type: 'startDeadline', kind: 'actionPlan', owners: [owner(facts)], unitId: facts.providerUnitId },
        notify(raiser(facts), 'referral.assessed'),
        notify(owner(facts), 'referral.action_plan_requested', { withActions: true }),
      ],
    }),
  }),
  submit_action_plan: providerStep({
    from: ['assessed'],
    meets: 'actionPlan',
    buttonOn: ['referral.action_plan_requested', 'deadline:actionPlan'],
    apply: ({ facts }) => ({
      to: 'planned',
      effects: [notify(raiser(facts), 'referral.action_planned'), notify(owner(facts), 'referral.delivery_requested', { withActions: true })],
    }),
  }),
  record_delivery: providerStep({
    from: ['planned'],
    meets: 'delivery',
    buttonOn: ['referral.delivery_requested', 'deadline:delivery'],
    apply: ({ facts, command }) => ({ to: 'delivered', patch: { closedAt: command.at }, effects: [notify(raiser(facts), 'referral.delivered')] }),
  }),
  decline: {
    from: ['awaiting_acknowledgement', 'acknowledged'],
    roles: PROVIDER,
    refusal: 'referral.not_provider',
    input: { rationale: 'required' },
    buttonOn: ['referral.received', 'referral.assessment_requested', 'deadline:providerAssessment'],
    style: 'danger',
    apply: ({ facts, command }) => ({
      to: 'declined',
      patch: { closedAt: command.at },
      effects: [notify(raiser(facts), 'referral.declined'), notify({ kind: 'unitManager', unitId: facts.senderUnitId }, 'referral.declined')],
    }),
  },
  withdraw: {
    from: OPEN,
    roles: SENDER,
    refusal: 'action.not_allowed',
    input: { rationale: 'required' },
    buttonOn: ['mine'],
    style: 'danger',
    apply: ({ facts, command }) => ({ to: 'withdrawn', patch: { closedAt: command.at }, effects: [notify(owner(facts), 'referral.withdrawn')] }),
  },
  change_release_date: {
    from: OPEN,
    roles: SENDER,
    refusal: 'action.not_allowed',
    input: { rationale: 'optional', date: { need: 'required', field: 'releaseDate' } },
    buttonOn: ['mine'],
    apply: ({ facts, command }) => ({
      to: facts.state,
      patch: { releaseDate: command.date as string },
      effects: [{ type: 'recomputeDeadlines' }, notify(raiser(facts), 'referral.release_date_changed'), notify(owner(facts), 'referral.release_date_changed')],
    }),
  },
  ...misallocationActions,
  send_planned: sendPlanned,
  cancel_planned: cancelPlanned,
};

export const referralWorkflow: WorkflowDefinition<ReferralState, ReferralRole, ReferralAction, ReferralFacts, ReferralPatch> = {
  itemType: 'referral',
  states: REFERRAL_STATES,
  terminal: ['delivered', 'declined', 'withdrawn', 'taken_back'],
  roles: REFERRAL_ROLES,
  roleOrder: REFERRAL_ROLES,
  actions,
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
