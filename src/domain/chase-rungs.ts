import { effectiveDelegate } from './policy/absence-cover.js';
import type { OrgUnitView, OrgView } from './policy/org-view.js';
import type { Rung } from './reminder-ladder.js';

/**
 * Who each rung of a chase goes to, from who can act now (shared/interface.md: "A reminder rung is never sent to
 * someone who could not act on it"). Pure over a snapshot: the org view (units, duty, absences) and `canAct`, the
 * caller's answer to "may this person take an action that answers this deadline?" over the same snapshot.
 *
 * - owner: each person who owes it, or whoever covers them while they are away;
 * - manager: the deadline unit's manager (or their cover); when that is already an owner, or cannot act (their own
 *   escalation, a handover they have no side in), the senior manager instead: a manager's own escalation climbs
 *   straight to the senior manager;
 * - senior manager: the unit's senior manager (or their cover), who may act as the unit manager.
 * A rung whose people are owners or were reached by the rung below, or cannot act, goes to nobody rather than to
 * someone who cannot act.
 */
export const rungPeople = (args: { rung: Rung; owners: readonly string[]; unitId: string; org: OrgView; canAct: (personId: string) => boolean }): string[] => {
  const { rung, owners, org, canAct } = args;
  const units = org.units();
  const cover = (personId: string) => effectiveDelegate({ units, cover: org.cover, personId }) ?? personId;
  const unit: OrgUnitView | undefined = org.unit(args.unitId);
  if (rung === 'owner') return [...new Set(owners.map(cover))].filter(canAct);
  if (!unit) return [];
  const ownersNow = new Set(owners.map(cover));
  const fresh = (personId: string | null | undefined) => (personId ? [cover(personId)].filter((id) => !ownersNow.has(id) && canAct(id)) : []);
  const manager = fresh(unit.manager);
  const managerRung = manager.length > 0 ? manager : fresh(unit.seniorManager);
  if (rung === 'manager') return managerRung;
  // Someone the manager rung already reached is not chased again as a different rung.
  return fresh(unit.seniorManager).filter((id) => !managerRung.includes(id));
};
