// Need to know (shared/interface.md "Need to know"): who may see a CRN's case, decided from the items on that CRN
// and a read-only view of the organisation. Pure: the caller loads the items and today's duty lists.
import { type CoverSnapshot, effectiveDelegate, isAwayAt } from './absence-cover.js';
import type { OrgUnitView } from './org-view.js';

/** The parts of an escalation that name people and units. */
export interface EscalationAccessFacts {
  kind: 'escalation';
  raisedBy: string;
  countersignerId: string;
  senderUnitId: string;
  receivingUnitId: string;
  acceptedBy: string | null;
  newCaseManagerId: string | null;
}

/** The parts of a referral that name people and units. */
export interface ReferralAccessFacts {
  kind: 'referral';
  raisedBy: string;
  senderUnitId: string;
  providerUnitId: string;
  assignedWorkerId: string | null;
}

export type ItemAccessFacts = EscalationAccessFacts | ReferralAccessFacts;

/** A unit as the policy needs it. */
export interface AccessUnit {
  id: string;
  manager: string;
  seniorManager?: string | null;
  members: readonly string[];
}

export interface AccessView {
  unit(id: string): AccessUnit | undefined;
  /** Today's duty officers of a unit (rota and run-time changes). */
  dutyOf(unitId: string): readonly string[];
  /** Who is away, and every unit (for who covers whom); absent = nobody is away. */
  cover?: CoverSnapshot;
  allUnits?(): readonly OrgUnitView[];
}

/** Why a person may see an item; empty = no role on it. Words for the audit record, not for users. */
export type AccessReason = 'delegate' | 'raiser' | 'countersigner' | 'receiving_duty' | 'acceptor' | 'case_manager' | 'provider_staff' | 'assigned_worker' | 'unit_manager' | 'senior_manager';

const managersOf = (unit: AccessUnit | undefined, personId: string): AccessReason[] => {
  if (!unit) return [];
  const reasons: AccessReason[] = [];
  if (unit.manager === personId) reasons.push('unit_manager');
  if (unit.seniorManager === personId) reasons.push('senior_manager');
  return reasons;
};

/**
 * Every reason a person has to see one item. An escalation: its raiser, its countersigner, the receiving unit's
 * duty officers today and whoever accepted it, the named case managers (old = the raiser, new), and the managers
 * and senior managers of the sending and receiving units. A referral: its raiser, the provider unit's staff
 * (members, duty, manager), the assigned worker, and the managers and senior managers of both units.
 * A delegate (absence cover) of an absent person who has a reason to see it sees it too ('delegate').
 */
export const itemAccessReasons = (args: { personId: string; item: ItemAccessFacts; view: AccessView }): AccessReason[] => {
  const { personId, item, view } = args;
  const reasons = new Set<AccessReason>(delegateReason(args));
  if (item.raisedBy === personId) reasons.add('raiser');
  const sender = view.unit(item.senderUnitId);
  managersOf(sender, personId).forEach((reason) => reasons.add(reason));
  if (item.kind === 'escalation') {
    if (item.countersignerId === personId) reasons.add('countersigner');
    if (view.dutyOf(item.receivingUnitId).includes(personId)) reasons.add('receiving_duty');
    if (item.acceptedBy === personId) reasons.add('acceptor');
    if (item.newCaseManagerId === personId) reasons.add('case_manager');
    managersOf(view.unit(item.receivingUnitId), personId).forEach((reason) => reasons.add(reason));
  } else {
    const provider = view.unit(item.providerUnitId);
    if (provider && (provider.members.includes(personId) || provider.manager === personId || view.dutyOf(provider.id).includes(personId))) {
      reasons.add('provider_staff');
    }
    if (item.assignedWorkerId === personId) reasons.add('assigned_worker');
    managersOf(provider, personId).forEach((reason) => reasons.add(reason));
  }
  return [...reasons];
};

/** 'delegate' when the person covers someone away now who may see the item in their own right. */
const delegateReason = (args: { personId: string; item: ItemAccessFacts; view: AccessView }): AccessReason[] => {
  const { cover } = args.view;
  const units = args.view.allUnits?.() ?? [];
  if (!cover || units.length === 0) return [];
  const own: AccessView = { unit: args.view.unit, dutyOf: args.view.dutyOf };
  for (const absence of cover.absences) {
    if (absence.personId === args.personId || !isAwayAt(absence, cover.at)) continue;
    if (effectiveDelegate({ units, cover, personId: absence.personId }) !== args.personId) continue;
    if (itemAccessReasons({ personId: absence.personId, item: args.item, view: own }).length > 0) return ['delegate'];
  }
  return [];
};

/** Whether a person may see a CRN's case: a role on at least one of its items. No items = nobody (same answer). */
export const caseAccess = (args: { personId: string; items: readonly ItemAccessFacts[]; view: AccessView }): { allowed: boolean; reasons: AccessReason[] } => {
  const reasons = new Set<AccessReason>();
  for (const item of args.items) itemAccessReasons({ personId: args.personId, item, view: args.view }).forEach((reason) => reasons.add(reason));
  return { allowed: reasons.size > 0, reasons: [...reasons].sort() };
};
