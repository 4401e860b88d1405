import { notify, person } from '../workflow.types.js';
import type { ReferralFacts, ReferralPatch, ReferralRole, ReferralState } from './referral.workflow.js';
import type { ActionDefinition } from './workflow.js';

/**
 * A referral sent to the wrong provider: the provider returns it as misallocated (with a reason), and the referring
 * unit must take it back or send it on to another provider within `deadlines.takeBack`, chased like any deadline.
 * Sending it on starts the new provider's clocks as a fresh referral would.
 */
type Rule = ActionDefinition<ReferralState, ReferralRole, ReferralFacts, ReferralPatch>;

const PROVIDER: readonly ReferralRole[] = ['provider_duty', 'provider_manager'];
const SENDER: readonly ReferralRole[] = ['raiser', 'sender_manager'];
const REFERRING_SIDE = ['referral.take_back_requested', 'deadline:takeBack'];

export const misallocationActions: Record<'return_misallocated' | 'take_back' | 'send_on', Rule> = {
  return_misallocated: {
    from: ['awaiting_acknowledgement', 'acknowledged'],
    roles: PROVIDER,
    refusal: 'referral.not_provider',
    input: { rationale: 'required' },
    meets: 'all',
    starts: ['takeBack'],
    buttonOn: ['referral.received', 'referral.assessment_requested', 'deadline:providerAssessment'],
    style: 'danger',
    apply: ({ facts }) => ({
      to: 'misallocated',
      patch: { assignedWorkerId: null },
      effects: [
        { type: 'startDeadline', kind: 'takeBack', owners: [person(facts.raisedBy)], unitId: facts.senderUnitId },
        notify(person(facts.raisedBy), 'referral.take_back_requested', { withActions: true }),
        notify({ kind: 'unitManager', unitId: facts.senderUnitId }, 'referral.misallocated'),
      ],
    }),
  },
  take_back: {
    from: ['misallocated'],
    roles: SENDER,
    refusal: 'action.not_allowed',
    input: { rationale: 'optional' },
    meets: 'takeBack',
    buttonOn: REFERRING_SIDE,
    apply: ({ facts, command }) => ({
      to: 'taken_back',
      patch: { closedAt: command.at },
      effects: [notify({ kind: 'unitManager', unitId: facts.providerUnitId }, 'referral.taken_back')],
    }),
  },
  send_on: {
    from: ['misallocated'],
    roles: SENDER,
    refusal: 'action.not_allowed',
    input: { rationale: 'optional', unit: { need: 'required', field: 'providerUnitId' } },
    meets: 'takeBack',
    starts: ['providerAssessment', 'delivery'],
    buttonOn: REFERRING_SIDE,
    style: 'primary',
    apply: ({ facts, command }) => {
      const providerUnitId = command.unitId as string;
      const duty = { kind: 'unitDuty' as const, unitId: providerUnitId };
      return {
        to: 'awaiting_acknowledgement',
        patch: { providerUnitId, assignedWorkerId: null },
        effects: [
          { type: 'startDeadline', kind: 'providerAssessment', owners: [duty], unitId: providerUnitId },
          { type: 'startDeadline', kind: 'delivery', owners: [duty], unitId: providerUnitId },
          notify(duty, 'referral.received', { withActions: true }),
          notify(person(facts.raisedBy), 'referral.sent_on'),
        ],
      };
    },
  },
};
