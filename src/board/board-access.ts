import type { Directory } from '../use-cases/directory.js';

/**
 * Who may see what on the board (need to know), kept pure and in one place so a shared policy can replace it:
 * a unit manager sees every item of the units they manage, a senior manager every item of the units in their
 * line, and anyone else only the items they hold a role on (raiser, countersigner, duty officer, case manager, …).
 */
export interface BoardScope {
  personId: string;
  /** Units whose every item this person may see (managed, or in their line as senior manager). */
  overseen: ReadonlySet<string>;
  /** Units the person belongs to without overseeing them: listed, but only items they have a role on. */
  member: ReadonlySet<string>;
  /** The absent people this person acts for now (their delegate): the board shows what those people would see. */
  covering: readonly string[];
}

/**
 * A delegate sees the board of the people they act for, as the DM buttons passed to them: an absent manager's
 * units as overseen, an absent officer's units with the items that officer holds a role on.
 */
export const boardScope = (args: { directory: Directory; personId: string; covering?: readonly string[] }): BoardScope => {
  const { directory, personId } = args;
  const covering = (args.covering ?? []).filter((id) => id !== personId);
  const people = [personId, ...covering];
  const overseen = new Set(directory.org.units.filter((unit) => people.includes(unit.manager) || (unit.seniorManager !== undefined && people.includes(unit.seniorManager))).map((unit) => unit.id));
  const member = new Set(
    people
      .flatMap((id) => directory.unitsOf(id))
      .map((unit) => unit.id)
      .filter((id) => !overseen.has(id)),
  );
  return { personId, overseen, member, covering };
};

/** Every unit that appears on the person's board. */
export const scopeUnits = (scope: BoardScope) => [...scope.overseen, ...scope.member];

/** May this person see this item? `unitIds`: the units the item runs between; `roleCount`: their roles on it. */
export const maySeeItem = (args: { scope: BoardScope; unitIds: readonly string[]; roleCount: number }) => args.unitIds.some((id) => args.scope.overseen.has(id)) || args.roleCount > 0;

/** Reports are per unit and only for those who oversee it. */
export const maySeeUnitReport = (args: { scope: BoardScope; unitId: string }) => args.scope.overseen.has(args.unitId);
