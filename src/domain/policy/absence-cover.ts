import type { OrgUnitView, OrgView, RolePolicy } from './org-view.js';

// Absence and delegation (shared/interface.md "Absence and delegation"), pure: who is away at the snapshot's
// moment, who acts for them, and which roles a person holds on an item because they act for someone else.

/** One absence as the policy needs it. */
export interface AbsenceFact {
  id: number;
  personId: string;
  startsAt: Date;
  endsAt: Date;
  /** The delegate named when it was recorded; null = the org's default order. */
  delegateId: string | null;
}

/** The absences not yet over, read once (per decision, per sweep), and the moment they are judged at. */
export interface CoverSnapshot {
  at: Date;
  absences: readonly AbsenceFact[];
}

/** Why someone acts for another: a delegate of an absent person, or a senior manager acting as a unit manager. */
export type CoverKind = 'delegate' | 'acting_manager';

export const isAwayAt = (absence: AbsenceFact, at: Date): boolean => absence.startsAt.getTime() <= at.getTime() && at.getTime() < absence.endsAt.getTime();

/** The absence running at the snapshot's moment for this person, if any. */
export const absenceOf = (cover: CoverSnapshot | undefined, personId: string): AbsenceFact | undefined =>
  cover?.absences.find((absence) => absence.personId === personId && isAwayAt(absence, cover.at));

const managedUnit = (units: readonly OrgUnitView[], personId: string) => units.find((unit) => unit.manager === personId);
const memberUnit = (units: readonly OrgUnitView[], personId: string) => units.find((unit) => unit.members?.includes(personId));

/**
 * The first choice of delegate for a person, before anyone's absence is looked at: the one named, else (for a
 * manager) the unit's deputy, else (for staff) the unit manager, else the senior manager. Undefined: nobody.
 */
export const firstDelegate = (args: { units: readonly OrgUnitView[]; personId: string; named: string | null }): string | undefined => {
  const { units, personId } = args;
  if (args.named && args.named !== personId) return args.named;
  const managed = managedUnit(units, personId);
  if (managed?.deputy && managed.deputy !== personId) return managed.deputy;
  const home = memberUnit(units, personId);
  if (!managed && home && home.manager !== personId) return home.manager;
  const senior = (managed ?? home)?.seniorManager;
  return senior && senior !== personId ? senior : undefined;
};

/** The chain of delegates from a person, as far as it goes; `cycle` when it comes back to someone already in it. */
export const delegateChain = (args: { units: readonly OrgUnitView[]; cover: CoverSnapshot | undefined; personId: string; named?: string | null }): { chain: string[]; cycle: boolean } => {
  const { units, cover } = args;
  const chain: string[] = [];
  const seen = new Set([args.personId]);
  let current = args.personId;
  let named = args.named !== undefined ? args.named : (absenceOf(cover, current)?.delegateId ?? null);
  for (;;) {
    const next = firstDelegate({ units, personId: current, named });
    if (!next) return { chain, cycle: false };
    if (seen.has(next)) return { chain, cycle: true };
    chain.push(next);
    seen.add(next);
    const away = absenceOf(cover, next);
    if (!away) return { chain, cycle: false };
    current = next;
    named = away.delegateId;
  }
};

/** Who acts for an absent person now: the end of their delegate chain (null: nobody can, so they keep their roles). */
export const effectiveDelegate = (args: { units: readonly OrgUnitView[]; cover: CoverSnapshot | undefined; personId: string }): string | null => {
  if (!absenceOf(args.cover, args.personId)) return null;
  const { chain, cycle } = delegateChain(args);
  const last = chain.at(-1);
  return !cycle && last && !absenceOf(args.cover, last) ? last : null;
};

/** Roles a person holds for someone else, with whose they are. */
export interface BorrowedRoles {
  onBehalfOf: string;
  as: CoverKind;
  roles: Set<string>;
}

/**
 * A person's roles on an item with absence cover: their own (none while they are away and someone covers them),
 * and per person they act for, that person's roles: every absent person whose delegate they are now, and, for a
 * senior manager, each unit manager in their line (who may always be acted for, with a rationale).
 */
export const coveredRoles = <Facts>(args: { policy: RolePolicy<Facts>; facts: Facts; personId: string; org: OrgView }): { own: Set<string>; borrowed: BorrowedRoles[] } => {
  const { policy, facts, personId, org } = args;
  const cover = org.cover;
  const units = org.units();
  const covered = Boolean(cover && effectiveDelegate({ units, cover, personId }));
  const own = covered ? new Set<string>() : policy.roles({ facts, personId, org });
  const borrowed: BorrowedRoles[] = [];
  const absent = new Set((cover?.absences ?? []).filter((absence) => cover && isAwayAt(absence, cover.at)).map((absence) => absence.personId));
  for (const other of absent) {
    if (other === personId || effectiveDelegate({ units, cover, personId: other }) !== personId) continue;
    const roles = policy.roles({ facts, personId: other, org });
    if (roles.size > 0) borrowed.push({ onBehalfOf: other, as: 'delegate', roles });
  }
  if (!covered) {
    for (const unit of units) {
      if (unit.seniorManager !== personId || unit.manager === personId || borrowed.some((entry) => entry.onBehalfOf === unit.manager)) continue;
      const roles = policy.roles({ facts, personId: unit.manager, org });
      if (roles.size > 0) borrowed.push({ onBehalfOf: unit.manager, as: 'acting_manager', roles });
    }
  }
  return { own, borrowed };
};

/** A role policy that answers with absence cover included (own roles and every borrowed role, as one set). */
export const withCover = <Facts>(policy: RolePolicy<Facts>): RolePolicy<Facts> & { base: RolePolicy<Facts> } => ({
  base: policy,
  dutyUnits: (facts) => policy.dutyUnits(facts),
  roles: (args) => {
    if (!args.org.cover && !args.org.units().some((unit) => unit.seniorManager === args.personId)) return policy.roles(args);
    const { own, borrowed } = coveredRoles({ policy, ...args });
    for (const entry of borrowed) for (const role of entry.roles) own.add(role);
    return own;
  },
});
