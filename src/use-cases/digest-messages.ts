import { words } from '../words/catalogue.js';
import type { ChatAction, ChatMessage } from './chat-message.js';

/** One open deadline in a digest: reference, CRN, kind, who owes it and how late. Never narrative. */
export interface DigestEntry {
  ref: string;
  crn: string;
  kindLabel: string;
  owedBy: string;
  /** "2 h 5 min" for an overdue entry; null when due later today. */
  late: string | null;
  /** Local "HH:MM" the entry is due, for due-today entries. */
  dueTime: string;
}

/** A referral whose release is close (under 12 weeks) and which still has no action plan. */
export interface ReleaseCallout {
  ref: string;
  crn: string;
  /** Local YYYY-MM-DD. */
  release: string;
  provider: string;
}

/**
 * Operational notes a unit needs to see: an uncovered duty desk, undelivered messages, unreachable people. Another
 * note is one more field here, its line in `noteLines`, and one line filling it in `notesFor` (digest.service.ts).
 */
export interface DigestNotes {
  uncoveredFallback: string | null;
  undelivered: string[];
  unreachable: string[];
  /** Unit channels the bot cannot post to now (a Teams channel whose team has not installed the app). */
  channelsNotReached?: string[];
  /** People the Teams app could not be installed for (Microsoft Graph refused). */
  teamsInstallRefused?: string[];
}

/** What a unit's digest lists besides its own deadlines (both optional: a unit with no referrals has neither). */
export interface DigestReferrals {
  /** Overdue steps of referrals this unit made, owed by a provider elsewhere. */
  referred?: DigestEntry[];
  releaseSoon?: ReleaseCallout[];
}

const entryLine = (entry: DigestEntry) => [entry.ref, entry.crn, entry.kindLabel, entry.owedBy, entry.late ? `${entry.late} late` : `due ${entry.dueTime}`].join(' · ');

const noteLines = (notes: DigestNotes): string[] => [
  ...(notes.uncoveredFallback ? [`Duty desk uncovered today: nobody is on duty, duty messages go to ${notes.uncoveredFallback}.`] : []),
  ...notes.undelivered.map((line) => `Not delivered: ${line}`),
  ...(notes.unreachable.length > 0 ? [`The bot cannot reach: ${notes.unreachable.join(', ')} (no usable Slack or Teams account).`] : []),
  ...(notes.channelsNotReached ?? []).map((line) => `Channel not reached: ${line}.`),
  ...(notes.teamsInstallRefused?.length ? [`Teams app could not be installed for: ${notes.teamsInstallRefused.join(', ')} (refused by Microsoft Graph; see "Not delivered").`] : []),
];

const referralLines = (extra: DigestReferrals): string[] => [
  ...(extra.referred ?? []).map((entry) => words('digest.referred_overdue', { line: entryLine(entry) })),
  ...(extra.releaseSoon ?? []).map((callout) => words('digest.release_soon', { ...callout })),
];

const countsText = (overdue: number, dueToday: number) => `${overdue} overdue, ${dueToday} due today`;

/** ", 2 overdue referrals" after the counts, only when there are some. */
const referredText = (extra: DigestReferrals) => {
  const count = extra.referred?.length ?? 0;
  return count > 0 ? `, ${count} overdue referral${count === 1 ? '' : 's'} with providers` : '';
};

/** The unit channel's morning digest: counts, then each overdue and due-today item, then the notes. */
export const renderChannelDigest = (args: { unitName: string; dateLabel: string; overdue: DigestEntry[]; dueToday: DigestEntry[]; notes: DigestNotes } & DigestReferrals): ChatMessage => {
  const lines = [...args.overdue.map((entry) => `Overdue: ${entryLine(entry)}`), ...args.dueToday.map((entry) => `Due today: ${entryLine(entry)}`), ...referralLines(args), ...noteLines(args.notes)];
  if (args.overdue.length === 0 && args.dueToday.length === 0 && !args.referred?.length) lines.unshift('Nothing overdue and nothing due today.');
  const fields = [
    { label: 'Overdue', value: String(args.overdue.length) },
    { label: 'Due today', value: String(args.dueToday.length) },
  ];
  if (args.referred?.length) fields.push({ label: 'Overdue referrals', value: String(args.referred.length) });
  return {
    text: `Daily digest for ${args.unitName}, ${args.dateLabel}: ${countsText(args.overdue.length, args.dueToday.length)}${referredText(args)}`,
    title: `Daily digest: ${args.unitName}, ${args.dateLabel}`,
    fields,
    actions: [],
    lines,
  };
};

/** A unit manager's morning DM: their unit's overdue items (and its overdue referrals) with the buttons to act on them. */
export const renderManagerDigest = (args: { unitName: string; dateLabel: string; overdue: DigestEntry[]; actions: ChatAction[]; notes: DigestNotes } & DigestReferrals): ChatMessage => {
  const fields = [{ label: 'Overdue', value: String(args.overdue.length) }];
  if (args.referred?.length) fields.push({ label: 'Overdue referrals', value: String(args.referred.length) });
  return {
    text: `Overdue in ${args.unitName}, ${args.dateLabel}: ${args.overdue.length} item${args.overdue.length === 1 ? '' : 's'}${referredText(args)}`,
    title: `Overdue in ${args.unitName}: ${args.overdue.length}`,
    fields,
    actions: args.actions,
    lines: [...args.overdue.map(entryLine), ...referralLines(args), ...noteLines(args.notes)],
  };
};
