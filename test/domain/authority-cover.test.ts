import { describe, expect, it } from 'vitest';
import { type AbsenceFact, coveredRoles, withCover } from '../../src/domain/policy/absence-cover.js';
import { escalationPolicy } from '../../src/domain/policy/escalation.policy.js';
import type { OrgUnitView, OrgView } from '../../src/domain/policy/org-view.js';
import { ESCALATION_ACTIONS, ESCALATION_STATES, type EscalationFacts, type EscalationState, escalationWorkflow } from '../../src/domain/workflows/escalation.workflow.js';
import { authorityRefusal } from '../../src/domain/workflows/workflow.js';
import { decisionCapacity } from '../../src/use-cases/cover-decision.js';
import type { AnyModule } from '../../src/use-cases/workflows/workflow-module.js';

/**
 * Absence cover in the exhaustive authority pattern (test/domain/authority.test.ts): who holds which roles as a
 * delegate or an acting manager is written out by hand below, then every state × action is checked against the
 * hand-written table of what those roles allow. A delegate acts with the absent person's roles; a senior manager
 * may act as a unit manager in their line; the usual refusals stay (nobody countersigns their own escalation).
 */
const AT = new Date('2026-11-24T10:00:00Z');
const UNITS: OrgUnitView[] = [
  { id: 'sender', manager: 'tom', seniorManager: 'sam', deputy: 'ben', members: ['amara', 'ben'] },
  { id: 'receiving', manager: 'kate', seniorManager: 'sam', members: ['dev', 'omar'] },
];
const away = (personId: string, delegateId: string | null = null): AbsenceFact => ({
  id: 1,
  personId,
  startsAt: new Date('2026-11-24T09:00:00Z'),
  endsAt: new Date('2026-11-28T00:00:00Z'),
  delegateId,
});
const orgWith = (absences: AbsenceFact[]): OrgView => ({
  unit: (id) => UNITS.find((unit) => unit.id === id),
  units: () => UNITS,
  dutyOf: (unitId) => (unitId === 'receiving' ? ['dev'] : []),
  cover: { at: AT, absences },
});
const facts = (state: EscalationState, raisedBy = 'amara'): EscalationFacts => ({
  state,
  raisedBy,
  countersignerId: 'tom',
  senderUnitId: 'sender',
  receivingUnitId: 'receiving',
  acceptedBy: 'dev',
  newCaseManagerId: 'omar',
  handoverOldConfirmedAt: null,
  handoverNewConfirmedAt: null,
});

/** The same hand-written table as authority.test.ts: which role may take which action in which state. */
const ALLOWED: [string, string, string][] = [
  ['countersign', 'awaiting_countersign', 'countersigner'],
  ['return', 'awaiting_countersign', 'countersigner'],
  ['resubmit', 'returned', 'raiser'],
  ['edit_resubmit', 'returned', 'raiser'],
  ...['awaiting_countersign', 'returned', 'awaiting_acceptance'].flatMap((state): [string, string, string][] => [
    ['withdraw', state, 'raiser'],
    ['withdraw', state, 'sender_manager'],
  ]),
  ...['accept', 'decline'].flatMap((action): [string, string, string][] => [
    [action, 'awaiting_acceptance', 'receiving_duty'],
    [action, 'awaiting_acceptance', 'receiving_manager'],
  ]),
  ['reallocate', 'awaiting_reallocation', 'receiving_duty'],
  ['reallocate', 'awaiting_reallocation', 'receiving_manager'],
  ['reallocate', 'awaiting_reallocation', 'acceptor'],
  ['confirm_handover', 'awaiting_handover', 'old_case_manager'],
  ['confirm_handover', 'awaiting_handover', 'new_case_manager'],
  ['schedule_handover', 'awaiting_handover', 'new_case_manager'],
  ...['awaiting_reallocation', 'awaiting_handover'].flatMap((state): [string, string, string][] => [
    ['return_misallocated', state, 'receiving_duty'],
    ['return_misallocated', state, 'receiving_manager'],
  ]),
  ['take_back', 'misallocated', 'sender_manager'],
];

interface Relation {
  name: string;
  personId: string;
  absences: AbsenceFact[];
  raisedBy?: string;
  /** Written by hand: the roles held in one's own right, and per person acted for. */
  own: string[];
  borrowed: { onBehalfOf: string; as: 'delegate' | 'acting_manager'; roles: string[] }[];
}

const RELATIONS: Relation[] = [
  { name: 'deputy, manager away', personId: 'ben', absences: [away('tom')], own: [], borrowed: [{ onBehalfOf: 'tom', as: 'delegate', roles: ['countersigner', 'sender_manager'] }] },
  { name: 'the absent manager themselves', personId: 'tom', absences: [away('tom')], own: [], borrowed: [] },
  {
    name: 'senior manager, nobody away (acting manager)',
    personId: 'sam',
    absences: [],
    own: ['sender_manager', 'receiving_manager'],
    borrowed: [
      { onBehalfOf: 'tom', as: 'acting_manager', roles: ['countersigner', 'sender_manager'] },
      { onBehalfOf: 'kate', as: 'acting_manager', roles: ['receiving_manager'] },
    ],
  },
  {
    name: 'senior manager, manager away and no deputy named (delegate, not acting)',
    personId: 'sam',
    absences: [away('kate')],
    own: ['sender_manager', 'receiving_manager'],
    borrowed: [
      { onBehalfOf: 'kate', as: 'delegate', roles: ['receiving_manager'] },
      { onBehalfOf: 'tom', as: 'acting_manager', roles: ['countersigner', 'sender_manager'] },
    ],
  },
  {
    name: 'unit manager, officer away (sick)',
    personId: 'tom',
    absences: [away('amara')],
    own: ['countersigner', 'sender_manager'],
    borrowed: [{ onBehalfOf: 'amara', as: 'delegate', roles: ['raiser', 'old_case_manager'] }],
  },
  {
    name: 'unit manager, duty officer away',
    personId: 'kate',
    absences: [away('dev')],
    own: ['receiving_manager'],
    borrowed: [{ onBehalfOf: 'dev', as: 'delegate', roles: ['receiving_duty', 'acceptor'] }],
  },
  {
    name: 'deputy who raised it, manager away',
    personId: 'ben',
    raisedBy: 'ben',
    absences: [away('tom')],
    own: ['raiser', 'old_case_manager'],
    borrowed: [{ onBehalfOf: 'tom', as: 'delegate', roles: ['countersigner', 'sender_manager'] }],
  },
  {
    name: 'end of a named chain (Tom → Ben, away → Priya)',
    personId: 'priya',
    absences: [away('tom', 'ben'), away('ben', 'priya')],
    own: [],
    borrowed: [{ onBehalfOf: 'tom', as: 'delegate', roles: ['countersigner', 'sender_manager'] }],
  },
  {
    name: 'a cycle covers nobody (Tom → Ben → Tom): both keep their roles',
    personId: 'tom',
    absences: [away('tom', 'ben'), away('ben', 'tom')],
    own: ['countersigner', 'sender_manager'],
    borrowed: [],
  },
  { name: 'someone with no relation, others away', personId: 'omar', absences: [away('tom'), away('amara')], own: ['new_case_manager'], borrowed: [] },
];

describe.each(RELATIONS)('absence cover: $name', (relation) => {
  const org = orgWith(relation.absences);
  it('holds exactly the roles written by hand', () => {
    const { own, borrowed } = coveredRoles({ policy: escalationPolicy, facts: facts('awaiting_countersign', relation.raisedBy), personId: relation.personId, org });
    expect([...own].sort()).toEqual([...relation.own].sort());
    expect(borrowed.map((entry) => ({ ...entry, roles: [...entry.roles].sort() }))).toEqual(relation.borrowed.map((entry) => ({ ...entry, roles: [...entry.roles].sort() })));
  });

  const held = new Set([...relation.own, ...relation.borrowed.flatMap((entry) => entry.roles)]);
  const cases = ESCALATION_STATES.flatMap((state) => ESCALATION_ACTIONS.map((action) => ({ state, action })));
  it.each(cases)('$action in $state', ({ state, action }) => {
    const own = (relation.raisedBy ?? 'amara') === relation.personId && (action === 'countersign' || action === 'return');
    const allowed = !own && ALLOWED.some(([a, s, r]) => a === action && s === state && held.has(r));
    const roles = withCover(escalationPolicy).roles({ facts: facts(state, relation.raisedBy), personId: relation.personId, org });
    const refusal = authorityRefusal({ definition: escalationWorkflow, facts: facts(state, relation.raisedBy), command: { action, actorId: relation.personId, actorRoles: roles, at: AT } });
    if (allowed) expect(refusal).toBeNull();
    else expect(refusal?.code).toMatch(/^(item\.moved_on|escalation\.not_countersigner|escalation\.not_receiving_unit|escalation\.not_case_manager|escalation\.own_escalation|action\.not_allowed)$/);
  });
});

describe('absence cover: how a decision is recorded', () => {
  const module = { definition: escalationWorkflow, policy: withCover(escalationPolicy) } as unknown as AnyModule;
  const command = (personId: string, action: string, rationale: string | null) => ({ action, actorId: personId, actorRoles: new Set<string>(), rationale, at: AT });

  it('a delegate decides on behalf of the absent person, with both roles', () => {
    const capacity = decisionCapacity({ module, facts: facts('awaiting_countersign'), command: command('ben', 'countersign', 'Agreed.'), org: orgWith([away('tom')]) });
    expect({ actorRole: capacity.actorRole, onBehalfOf: capacity.onBehalfOf, onBehalfRole: capacity.onBehalfRole }).toEqual({
      actorRole: 'delegate',
      onBehalfOf: 'tom',
      onBehalfRole: 'countersigner+sender_manager',
    });
  });

  it('an acting manager needs a rationale, and is recorded on behalf of the manager; in their own right they are not', () => {
    const org = orgWith([]);
    expect(() => decisionCapacity({ module, facts: facts('awaiting_countersign'), command: command('sam', 'countersign', ' '), org })).toThrow('rationale.required');
    const acting = decisionCapacity({ module, facts: facts('awaiting_countersign'), command: command('sam', 'countersign', 'Tom is in court all day.'), org });
    expect({ actorRole: acting.actorRole, onBehalfOf: acting.onBehalfOf, onBehalfRole: acting.onBehalfRole }).toEqual({
      actorRole: 'sender_manager+receiving_manager+acting_manager',
      onBehalfOf: 'tom',
      onBehalfRole: 'countersigner+sender_manager',
    });
    const ownRight = decisionCapacity({ module, facts: facts('awaiting_countersign'), command: command('sam', 'withdraw', 'No longer needed.'), org });
    expect({ actorRole: ownRight.actorRole, onBehalfOf: ownRight.onBehalfOf }).toEqual({ actorRole: 'sender_manager+receiving_manager', onBehalfOf: null });
  });
});
