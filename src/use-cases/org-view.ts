import type { Repositories } from '../db/store.js';
import type { OrgView } from '../domain/policy/org-view.js';
import type { Directory } from './directory.js';
import { dutyToday } from './effects.js';

/** A read-only view of the org for role policies, with today's duty of the given units read once, now. */
export const orgViewFor = async (args: { repos: Repositories; directory: Directory; now: Date; dutyUnits: readonly string[] }): Promise<OrgView> => {
  const duty = new Map<string, readonly string[]>();
  for (const unitId of new Set(args.dutyUnits)) duty.set(unitId, await dutyToday({ repos: args.repos, directory: args.directory, unitId, now: args.now }));
  return orgViewWithDuty({ directory: args.directory, duty });
};

/** The same view over a duty snapshot the caller already holds (a sweep or a queue reads the rota once). */
export const orgViewWithDuty = (args: { directory: Directory; duty: ReadonlyMap<string, readonly string[]> }): OrgView => ({
  unit: (id) => args.directory.unit(id),
  units: () => args.directory.org.units,
  dutyOf: (unitId) => args.duty.get(unitId) ?? [],
});
