import type { Repositories } from '../db/store.js';
import type { CoverSnapshot } from '../domain/policy/absence-cover.js';
import type { OrgView } from '../domain/policy/org-view.js';
import type { Directory } from './directory.js';
import { dutyToday } from './effects.js';

/** A read-only view of the org for role policies, with today's duty of the given units read once, now. */
export const orgViewFor = async (args: { repos: Repositories; directory: Directory; now: Date; dutyUnits: readonly string[] }): Promise<OrgView> => {
  const duty = new Map<string, readonly string[]>();
  for (const unitId of new Set(args.dutyUnits)) duty.set(unitId, await dutyToday({ repos: args.repos, directory: args.directory, unitId, now: args.now }));
  return orgViewWithDuty({ directory: args.directory, duty, cover: await coverAt({ repos: args.repos, now: args.now }) });
};

/** Who is away (and ahead), judged at `now`: one query, read with the duty so a decision sees one snapshot. */
export const coverAt = async (args: { repos: Repositories; now: Date }): Promise<CoverSnapshot> => ({
  at: args.now,
  absences: (await args.repos.absences.notOverAt(args.now)).map(({ id, personId, startsAt, endsAt, delegateId }) => ({ id, personId, startsAt, endsAt, delegateId })),
});

/** The same view over a duty snapshot the caller already holds (a sweep or a queue reads the rota once). */
export const orgViewWithDuty = (args: { directory: Directory; duty: ReadonlyMap<string, readonly string[]>; cover?: CoverSnapshot }): OrgView => ({
  unit: (id) => args.directory.unit(id),
  units: () => args.directory.org.units,
  dutyOf: (unitId) => args.duty.get(unitId) ?? [],
  cover: args.cover,
});
