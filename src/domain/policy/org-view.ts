/**
 * The small, read-only view of the organisation that role derivation needs: who manages a unit and who is on
 * its duty desk today (a snapshot taken by the caller, so a policy never reads the store or the clock).
 */
export interface OrgUnitView {
  id: string;
  manager: string;
  seniorManager?: string | null;
}

export interface OrgView {
  unit(id: string): OrgUnitView | undefined;
  units(): readonly OrgUnitView[];
  /** Today's duty officers for a unit (the /duty change of the day, else the rota). */
  dutyOf(unitId: string): readonly string[];
}

export const managesUnit = (unit: OrgUnitView | undefined, personId: string): boolean => Boolean(unit && (unit.manager === personId || unit.seniorManager === personId));

/** A workflow's role policy: a person's roles on an item, and the units whose duty desk those depend on. */
export interface RolePolicy<Facts> {
  roles(args: { facts: Facts; personId: string; org: OrgView }): Set<string>;
  dutyUnits(facts: Facts): string[];
}
