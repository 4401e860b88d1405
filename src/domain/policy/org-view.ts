/**
 * The small, read-only view of the organisation that role derivation needs: who manages a unit and who is on
 * its duty desk today (a snapshot taken by the caller, so a policy never reads the store or the clock).
 */
export interface OrgUnitView {
  id: string;
  manager: string;
  seniorManager?: string | null;
  /** Acts for the manager while the manager is away (absence cover). */
  deputy?: string | null;
  members?: readonly string[];
}

export interface OrgView {
  unit(id: string): OrgUnitView | undefined;
  units(): readonly OrgUnitView[];
  /** Today's duty officers for a unit (the /duty change of the day, else the rota). */
  dutyOf(unitId: string): readonly string[];
  /** Who is away, read once with the duty (absence-cover.ts); absent = nobody is away. */
  cover?: import('./absence-cover.js').CoverSnapshot;
}

export const managesUnit = (unit: OrgUnitView | undefined, personId: string): boolean => Boolean(unit && (unit.manager === personId || unit.seniorManager === personId));

/** A workflow's role policy: a person's roles on an item, and the units whose duty desk those depend on. */
export interface RolePolicy<Facts> {
  roles(args: { facts: Facts; personId: string; org: OrgView }): Set<string>;
  dutyUnits(facts: Facts): string[];
}
