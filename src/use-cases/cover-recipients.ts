import type { Repositories } from '../db/store.js';
import { effectiveDelegate } from '../domain/policy/absence-cover.js';
import type { Directory } from './directory.js';
import { coverAt } from './org-view.js';

/**
 * A decision owed by someone who is away is offered to whoever covers them (shared/interface.md "Absence and
 * delegation"): the people a message with buttons goes to, each replaced by their cover when they are away.
 */
export const coverRecipients = async (args: { repos: Repositories; directory: Directory; now: Date; personIds: readonly string[] }): Promise<string[]> => {
  if (args.personIds.length === 0) return [];
  const cover = await coverAt({ repos: args.repos, now: args.now });
  if (cover.absences.length === 0) return [...args.personIds];
  const units = args.directory.org.units;
  return [...new Set(args.personIds.map((personId) => effectiveDelegate({ units, cover, personId }) ?? personId))];
};
