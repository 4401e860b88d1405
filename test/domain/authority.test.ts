import { describe, expect, it } from 'vitest';
import {
  ESCALATION_ACTIONS,
  ESCALATION_ROLES,
  ESCALATION_STATES,
  type EscalationFacts,
  type EscalationRole,
  type EscalationState,
  escalationWorkflow,
} from '../../src/domain/workflows/escalation.workflow.js';
import { REFERRAL_ACTIONS, REFERRAL_ROLES, REFERRAL_STATES, type ReferralRole, referralWorkflow } from '../../src/domain/workflows/referral.workflow.js';
import { type AnyWorkflow, type Command, refusalOf, transition } from '../../src/domain/workflows/workflow.js';

/** The generic transition over a definition, as the old per-workflow functions were called: throws when refused. */
const checkWith =
  (definition: AnyWorkflow) =>
  <F extends { state: string }>(args: { facts: F; command: Command }) =>
    refusalOf({ definition, ...args });
const transitionWith =
  (definition: AnyWorkflow) =>
  <F extends { state: string }>(args: { facts: F; command: Command }) => {
    const applied = transition({ definition, ...args });
    if ('refusal' in applied) throw new Error(applied.refusal.code);
    return applied.result;
  };
const checkEscalationAuthority = checkWith(escalationWorkflow);
const transitionEscalation = transitionWith(escalationWorkflow);
const checkReferralAuthority = checkWith(referralWorkflow);
const transitionReferral = transitionWith(referralWorkflow);

/**
 * Who may do what, written out by hand from shared/domain.md (not derived from the rules table), then
 * checked against every (state × action × role) combination: exactly these succeed, all others are refused.
 */
/** The handover meeting an action may take (Schedule handover), as the form hands it over. */
const MEETING = { at: new Date('2026-11-25T14:00:00Z'), link: null };

const ESCALATION_ALLOWED: [string, string, EscalationRole][] = [
  ['countersign', 'awaiting_countersign', 'countersigner'],
  ['return', 'awaiting_countersign', 'countersigner'],
  ['resubmit', 'returned', 'raiser'],
  ...(['awaiting_countersign', 'returned', 'awaiting_acceptance'] as const).flatMap((state) => [
    ['withdraw', state, 'raiser'] as [string, string, EscalationRole],
    ['withdraw', state, 'sender_manager'] as [string, string, EscalationRole],
  ]),
  ['accept', 'awaiting_acceptance', 'receiving_duty'],
  ['accept', 'awaiting_acceptance', 'receiving_manager'],
  ['decline', 'awaiting_acceptance', 'receiving_duty'],
  ['decline', 'awaiting_acceptance', 'receiving_manager'],
  ['reallocate', 'awaiting_reallocation', 'receiving_duty'],
  ['reallocate', 'awaiting_reallocation', 'receiving_manager'],
  ['reallocate', 'awaiting_reallocation', 'acceptor'],
  ['confirm_handover', 'awaiting_handover', 'old_case_manager'],
  ['confirm_handover', 'awaiting_handover', 'new_case_manager'],
  ['schedule_handover', 'awaiting_handover', 'new_case_manager'],
  ...(['awaiting_reallocation', 'awaiting_handover'] as const).flatMap((state) => [
    ['return_misallocated', state, 'receiving_duty'] as [string, string, EscalationRole],
    ['return_misallocated', state, 'receiving_manager'] as [string, string, EscalationRole],
  ]),
  ['take_back', 'misallocated', 'sender_manager'],
  ['edit_resubmit', 'returned', 'raiser'],
];

const facts = (state: EscalationState): EscalationFacts => ({
  state,
  raisedBy: 'raiser',
  countersignerId: 'manager',
  senderUnitId: 'sender',
  receivingUnitId: 'receiving',
  acceptedBy: 'acceptor',
  newCaseManagerId: 'newcm',
  handoverOldConfirmedAt: null,
  handoverNewConfirmedAt: null,
});

describe('escalation authority: every state × action × role', () => {
  const cases = ESCALATION_STATES.flatMap((state) => ESCALATION_ACTIONS.flatMap((action) => ESCALATION_ROLES.map((role) => ({ state, action, role }))));
  it.each(cases)('$action in $state by $role', ({ state, action, role }) => {
    const allowed = ESCALATION_ALLOWED.some(([a, s, r]) => a === action && s === state && r === role);
    const command = {
      action,
      actorId: 'someone',
      actorRoles: new Set([role]),
      rationale: 'Because.',
      personId: 'newcm',
      meeting: MEETING,
      edits: { summary: 'Changed.' },
      at: new Date('2026-11-24T10:00:00Z'),
    };
    const refusal = checkEscalationAuthority({ facts: facts(state), command });
    if (allowed) {
      expect(refusal).toBeNull();
      expect(transitionEscalation({ facts: facts(state), command }).from).toBe(state);
    } else {
      expect(refusal?.code).toMatch(/^(item\.moved_on|escalation\.not_countersigner|escalation\.not_receiving_unit|escalation\.not_case_manager|action\.not_allowed)$/);
      expect(() => transitionEscalation({ facts: facts(state), command })).toThrow();
    }
  });

  it('never lets the raiser countersign or return their own escalation, even holding the countersigner role', () => {
    const command = { action: 'countersign' as const, actorId: 'raiser', actorRoles: new Set<EscalationRole>(['raiser', 'countersigner']), rationale: 'ok', at: new Date(0) };
    expect(checkEscalationAuthority({ facts: facts('awaiting_countersign'), command })?.code).toBe('escalation.own_escalation');
    expect(checkEscalationAuthority({ facts: facts('awaiting_countersign'), command: { ...command, action: 'return' } })?.code).toBe('escalation.own_escalation');
  });

  it('requires a rationale for countersign, return, accept, decline, withdraw and misallocation returns', () => {
    const needs = [
      ['countersign', 'awaiting_countersign', 'countersigner'],
      ['return', 'awaiting_countersign', 'countersigner'],
      ['accept', 'awaiting_acceptance', 'receiving_duty'],
      ['decline', 'awaiting_acceptance', 'receiving_duty'],
      ['withdraw', 'awaiting_countersign', 'raiser'],
      ['return_misallocated', 'awaiting_handover', 'receiving_manager'],
    ] as const;
    for (const [action, state, role] of needs) {
      const refusal = checkEscalationAuthority({ facts: facts(state), command: { action, actorId: 'x', actorRoles: new Set([role]), rationale: '   ', at: new Date(0) } });
      expect(refusal?.code, action).toBe('rationale.required');
    }
  });

  it('closes only when both sides have confirmed the handover, and tells the other side to confirm', () => {
    const first = transitionEscalation({
      facts: facts('awaiting_handover'),
      command: { action: 'confirm_handover', actorId: 'newcm', actorRoles: new Set(['new_case_manager']), at: new Date('2026-11-24T10:00:00Z') },
    });
    expect(first.to).toBe('awaiting_handover');
    expect(first.effects).toEqual([{ type: 'notify', to: { kind: 'person', personId: 'raiser' }, message: 'escalation.handover_half_confirmed', withActions: true, private: true }]);
    const second = transitionEscalation({
      facts: { ...facts('awaiting_handover'), handoverNewConfirmedAt: new Date('2026-11-24T10:00:00Z') },
      command: { action: 'confirm_handover', actorId: 'raiser', actorRoles: new Set(['old_case_manager', 'raiser']), at: new Date('2026-11-24T11:00:00Z') },
    });
    expect(second.to).toBe('closed');
    expect(second.effects[0]).toEqual({ type: 'meetDeadlines', kinds: 'all' });
  });

  it('on decline notifies the raiser and both managers, and meets every deadline', () => {
    const result = transitionEscalation({
      facts: facts('awaiting_acceptance'),
      command: { action: 'decline', actorId: 'duty', actorRoles: new Set(['receiving_duty']), rationale: 'Not ours', at: new Date(0) },
    });
    expect(result.effects).toEqual([
      { type: 'meetDeadlines', kinds: 'all' },
      { type: 'notify', to: { kind: 'person', personId: 'raiser' }, message: 'escalation.declined', withActions: false, private: true },
      { type: 'notify', to: { kind: 'unitManager', unitId: 'sender' }, message: 'escalation.declined', withActions: false, private: true },
      { type: 'notify', to: { kind: 'unitManager', unitId: 'receiving' }, message: 'escalation.declined', withActions: false, private: true },
    ]);
  });

  it('on countersign starts the duty acceptance deadline and tells the channel without narrative', () => {
    const result = transitionEscalation({
      facts: facts('awaiting_countersign'),
      command: { action: 'countersign', actorId: 'manager', actorRoles: new Set(['countersigner']), rationale: 'Agreed', at: new Date(0) },
    });
    expect(result.to).toBe('awaiting_acceptance');
    expect(result.effects).toContainEqual({ type: 'startDeadline', kind: 'acceptance', owners: [{ kind: 'unitDuty', unitId: 'receiving' }], unitId: 'receiving' });
    expect(result.effects).toContainEqual({ type: 'notify', to: { kind: 'unitChannel', unitId: 'receiving' }, message: 'escalation.channel_incoming', withActions: false, private: false });
  });
});

const REFERRAL_ALLOWED: [string, string, ReferralRole][] = [
  ['send_planned', 'to_refer', 'raiser'],
  ['send_planned', 'to_refer', 'sender_manager'],
  ['cancel_planned', 'to_refer', 'raiser'],
  ['cancel_planned', 'to_refer', 'sender_manager'],
  ['acknowledge', 'awaiting_acknowledgement', 'provider_duty'],
  ['acknowledge', 'awaiting_acknowledgement', 'provider_manager'],
  ...(['awaiting_acknowledgement', 'acknowledged'] as const).flatMap((state) => [
    ['assign', state, 'provider_duty'] as [string, string, ReferralRole],
    ['assign', state, 'provider_manager'] as [string, string, ReferralRole],
    ['decline', state, 'provider_duty'] as [string, string, ReferralRole],
    ['decline', state, 'provider_manager'] as [string, string, ReferralRole],
  ]),
  ['record_assessment', 'acknowledged', 'assigned_worker'],
  ['record_assessment', 'acknowledged', 'provider_manager'],
  ['submit_action_plan', 'assessed', 'assigned_worker'],
  ['submit_action_plan', 'assessed', 'provider_manager'],
  ['record_delivery', 'planned', 'assigned_worker'],
  ['record_delivery', 'planned', 'provider_manager'],
  ...(['awaiting_acknowledgement', 'acknowledged', 'assessed', 'planned'] as const).flatMap((state) => [
    ['withdraw', state, 'raiser'] as [string, string, ReferralRole],
    ['withdraw', state, 'sender_manager'] as [string, string, ReferralRole],
    ['change_release_date', state, 'raiser'] as [string, string, ReferralRole],
    ['change_release_date', state, 'sender_manager'] as [string, string, ReferralRole],
  ]),
  // A provider returns a referral sent to it wrongly; the referring unit takes it back or sends it on.
  ...(['awaiting_acknowledgement', 'acknowledged'] as const).flatMap((state) => [
    ['return_misallocated', state, 'provider_duty'] as [string, string, ReferralRole],
    ['return_misallocated', state, 'provider_manager'] as [string, string, ReferralRole],
  ]),
  ['take_back', 'misallocated', 'raiser'],
  ['take_back', 'misallocated', 'sender_manager'],
  ['send_on', 'misallocated', 'raiser'],
  ['send_on', 'misallocated', 'sender_manager'],
];

describe('referral authority: every state × action × role', () => {
  const cases = REFERRAL_STATES.flatMap((state) => REFERRAL_ACTIONS.flatMap((action) => REFERRAL_ROLES.map((role) => ({ state, action, role }))));
  it.each(cases)('$action in $state by $role', ({ state, action, role }) => {
    const allowed = REFERRAL_ALLOWED.some(([a, s, r]) => a === action && s === state && r === role);
    const referral = { state, raisedBy: 'officer', senderUnitId: 'sender', providerUnitId: 'provider', assignedWorkerId: 'worker' };
    const command = {
      action,
      actorId: 'someone',
      actorRoles: new Set([role]),
      rationale: 'Because.',
      personId: 'worker',
      date: '2027-03-01',
      unitId: 'other-provider',
      edits: { notes: 'Sent.' },
      at: new Date(0),
    };
    const refusal = checkReferralAuthority({ facts: referral, command });
    if (allowed) {
      expect(refusal).toBeNull();
      expect(transitionReferral({ facts: referral, command }).from).toBe(state);
    } else {
      expect(refusal).not.toBeNull();
      expect(() => transitionReferral({ facts: referral, command })).toThrow();
    }
  });
});

/**
 * Every registered definition, whatever its workflow: each state × action × role either refuses (with a refusal
 * that names the reason) or transitions to a state of the workflow, starts only the deadlines it declares, and
 * has its words in the catalogue.
 */
const DEFINITIONS: { definition: AnyWorkflow; facts: (state: string) => { state: string } }[] = [
  { definition: escalationWorkflow, facts: (state) => facts(state as EscalationState) },
  { definition: referralWorkflow, facts: (state) => ({ state, raisedBy: 'officer', senderUnitId: 'sender', providerUnitId: 'provider', assignedWorkerId: 'worker' }) },
];

describe.each(DEFINITIONS)('$definition.itemType definition: every state × action × role', ({ definition, facts: factsFor }) => {
  const cases = definition.states.flatMap((state: string) => Object.keys(definition.actions).flatMap((action) => definition.roles.map((role: string) => ({ state, action, role }))));
  it.each(cases)('$action in $state by $role', ({ state, action, role }) => {
    const command = {
      action,
      actorId: 'someone',
      actorRoles: new Set([role]),
      rationale: 'Because.',
      personId: 'newcm',
      date: '2027-03-01',
      unitId: 'other-provider',
      meeting: MEETING,
      edits: { summary: 'Changed.' },
      at: new Date(0),
    };
    const applied = transition({ definition, facts: factsFor(state), command });
    if ('refusal' in applied) {
      expect(applied.refusal.code).toMatch(/^(item\.moved_on|[a-z]+\.not_[a-z_]+|action\.not_allowed|escalation\.own_escalation|escalation\.handover_already_confirmed)$/);
      return;
    }
    expect(definition.actions[action]!.from).toContain(state);
    expect(definition.actions[action]!.roles).toContain(role);
    expect(definition.states).toContain(applied.result.to);
  });

  it('names every action, state and message in the words catalogue', async () => {
    const { hasWords } = await import('../../src/words/catalogue.js');
    const missing = [
      ...Object.keys(definition.actions).flatMap((action) => ['label', 'past', 'done'].map((part) => `workflow.${definition.itemType}.action.${action}.${part}`)),
      ...definition.states.map((state: string) => `workflow.${definition.itemType}.state.${state}`),
    ].filter((key) => !hasWords(key));
    expect(missing).toEqual([]);
  });
});
