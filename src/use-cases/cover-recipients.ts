import type { Repositories } from '../db/store.js';
import { absenceOf, effectiveDelegate } from '../domain/policy/absence-cover.js';
import { words } from '../words/catalogue.js';
import { lastDayText } from './away-words.js';
import type { Directory } from './directory.js';
import { coverAt } from './org-view.js';

/**
 * A decision owed by someone who is away is offered to whoever covers them (shared/interface.md "Absence and
 * delegation"): the people a message with buttons goes to, each replaced by their cover when they are away, and
 * for each delegate the line that says whom they act for ("For Tom Reyes, away until Fri 27 Nov: …"), so a new
 * request reads like one passed on.
 */
export const coverFor = async (args: {
  repos: Repositories;
  directory: Directory;
  now: Date;
  personIds: readonly string[];
}): Promise<{ personIds: string[]; notices: ReadonlyMap<string, string> }> => {
  const notices = new Map<string, string>();
  if (args.personIds.length === 0) return { personIds: [], notices };
  const cover = await coverAt({ repos: args.repos, now: args.now });
  if (cover.absences.length === 0) return { personIds: [...args.personIds], notices };
  const { directory } = args;
  const units = directory.org.units;
  const forWhom = new Map<string, string[]>();
  const personIds = args.personIds.map((personId) => {
    const delegate = effectiveDelegate({ units, cover, personId });
    if (!delegate || args.personIds.includes(delegate)) return delegate ?? personId;
    forWhom.set(delegate, [...(forWhom.get(delegate) ?? []), personId]);
    return delegate;
  });
  for (const [delegate, absent] of forWhom) {
    const lines = absent.map((personId) => {
      const absence = absenceOf(cover, personId);
      return words('away.for_line', { person: directory.nameOf(personId), end: absence ? lastDayText(directory, absence.endsAt) : '' });
    });
    notices.set(delegate, lines.join('\n'));
  }
  return { personIds: [...new Set(personIds)], notices };
};
