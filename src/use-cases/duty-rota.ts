import type { Repositories } from '../db/store.js';
import { type DutyOnDay, addDays, resolveDuty } from '../domain/duty-rota.js';
import { localDate } from '../domain/time/working-time.js';
import type { Directory } from './directory.js';

/**
 * The one answer to "who is on duty for unit U on local date D": the newest /duty change covering D, else the
 * unit's weekly rota for D's weekday, else the unit's default `duty`. Everything that resolves duty asks this.
 */
export const dutyOn = async (args: { repos: Repositories; directory: Directory; unitId: string; date: string }): Promise<DutyOnDay> => {
  const unit = args.directory.unit(args.unitId);
  const change = await args.repos.duty.latest({ unitId: args.unitId, onDate: args.date });
  return resolveDuty({ date: args.date, change, rota: unit?.rota, defaultDuty: unit?.duty ?? [] });
};

/** Duty on the local date of `now`. */
export const dutyAt = (args: { repos: Repositories; directory: Directory; unitId: string; now: Date }): Promise<DutyOnDay> =>
  dutyOn({ ...args, date: localDate({ calendar: args.directory.calendar, at: args.now }) });

/** The next `days` days from today, each with its duty and where it comes from. */
export const dutyDays = async (args: { repos: Repositories; directory: Directory; unitId: string; now: Date; days: number }): Promise<DutyOnDay[]> => {
  const today = localDate({ calendar: args.directory.calendar, at: args.now });
  const out: DutyOnDay[] = [];
  for (let offset = 0; offset < args.days; offset += 1) out.push(await dutyOn({ ...args, date: addDays(today, offset) }));
  return out;
};

/** Does this unit keep a duty desk (it receives work, or the org file gives it a default duty or a rota)? */
export const keepsDutyDesk = (directory: Directory, unitId: string): boolean => {
  const unit = directory.unit(unitId);
  if (!unit) return false;
  const rota = Object.values(unit.rota ?? {}).some((ids) => (ids?.length ?? 0) > 0);
  return unit.duty.length > 0 || rota || unit.receives.length > 0 || directory.org.units.some((other) => other.escalatesTo === unit.id);
};

/**
 * For the digest: the name of whoever takes the duty desk's messages today when nobody is on it (the unit
 * manager), or null when the desk is covered or the unit keeps none.
 */
export const uncoveredDutyFallback = async (args: { repos: Repositories; directory: Directory; unitId: string; now: Date }): Promise<string | null> => {
  const unit = args.directory.unit(args.unitId);
  if (!unit || !keepsDutyDesk(args.directory, unit.id)) return null;
  const today = await dutyAt(args);
  if (today.personIds.length > 0) return null;
  return args.directory.person(unit.manager)?.name ?? unit.manager;
};
