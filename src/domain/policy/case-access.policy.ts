// Need to know (shared/interface.md "Need to know"): who may see a CRN's case, decided from the items on that CRN
// and a read-only view of the organisation. Pure: the caller loads the items and today's duty lists.

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
}

/** Why a person may see an item; empty = no role on it. Words for the audit record, not for users. */
export type AccessReason = 'raiser' | 'countersigner' | 'receiving_duty' | 'acceptor' | 'case_manager' | 'provider_staff' | 'assigned_worker' | 'unit_manager' | 'senior_manager';

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
 * Delegates (absence cover) do not exist yet: when they do, a delegate's reasons are the absent person's.
 */
export const itemAccessReasons = (args: { personId: string; item: ItemAccessFacts; view: AccessView }): AccessReason[] => {
  const { personId, item, view } = args;
  const reasons = new Set<AccessReason>();
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

/** Whether a person may see a CRN's case: a role on at least one of its items. No items = nobody (same answer). */
export const caseAccess = (args: { personId: string; items: readonly ItemAccessFacts[]; view: AccessView }): { allowed: boolean; reasons: AccessReason[] } => {
  const reasons = new Set<AccessReason>();
  for (const item of args.items) itemAccessReasons({ personId: args.personId, item, view: args.view }).forEach((reason) => reasons.add(reason));
  return { allowed: reasons.size > 0, reasons: [...reasons].sort() };
};
