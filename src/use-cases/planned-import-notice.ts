import type { ReferralRow } from '../db/items.repository.js';
import type { Repositories } from '../db/store.js';
import type { ReachProvider } from '../delivery/reach.js';
import { words } from '../words/catalogue.js';
import { calendarDayText } from './calendar-day.js';
import { itemRef } from './chat-message.js';
import type { ChatMessage } from './chat-message.js';
import type { Directory } from './directory.js';
import { enqueueMessage } from './outbox-rows.js';

/** A DM lists at most this many plans; the rest are counted (the officer's /cases mine lists them all). */
const LISTED = 20;

/** The DM an officer gets when someone else imported planned referrals for them. */
export const importNotice = (args: { directory: Directory; importedBy: string; unitName: string; rows: readonly ReferralRow[] }): ChatMessage => {
  const { rows } = args;
  const lines = rows
    .slice(0, LISTED)
    .map((row) => words('planned.import_line', { ref: itemRef('referral', row.id), crn: row.crn, release: calendarDayText(row.releaseDate), referBy: calendarDayText(row.referBy) }));
  if (rows.length > LISTED) lines.push(words('mine.more', { count: rows.length - LISTED }));
  const title = words('planned.import_title', { count: rows.length, by: args.directory.nameOf(args.importedBy), unit: args.unitName });
  return { text: title, title, fields: [], lines: [...lines, words('planned.import_after')], actions: [] };
};

/**
 * After an import, inside its transaction: each officer the plans were recorded for (other than the person who
 * imported them) is told by DM which releases are now theirs to refer and by when. Keyed by the import, so a retry
 * writes nothing twice.
 */
export const enqueueImportNotices = async (args: {
  repos: Repositories;
  directory: Directory;
  reach: readonly ReachProvider[];
  importedBy: string;
  unitName: string;
  rows: readonly ReferralRow[];
  now: Date;
}): Promise<number> => {
  const byOfficer = new Map<string, ReferralRow[]>();
  for (const row of args.rows) if (row.raisedBy !== args.importedBy) byOfficer.set(row.raisedBy, [...(byOfficer.get(row.raisedBy) ?? []), row]);
  let told = 0;
  for (const [officer, rows] of byOfficer) {
    const message = importNotice({ directory: args.directory, importedBy: args.importedBy, unitName: args.unitName, rows });
    const result = await enqueueMessage({
      repos: args.repos,
      directory: args.directory,
      reach: args.reach,
      item: null,
      dedupePrefix: `releases-imported:${itemRef('referral', rows[0]!.id)}:${officer}`,
      recipient: { personIds: [officer] },
      intent: () => ({ kind: 'static', message }),
      now: args.now,
    });
    if (result.enqueued > 0) told += 1;
  }
  return told;
};
