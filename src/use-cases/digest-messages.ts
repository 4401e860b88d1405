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

/** Operational notes a unit needs to see: an uncovered duty desk, undelivered messages, unreachable people. */
export interface DigestNotes {
  uncoveredFallback: string | null;
  undelivered: string[];
  unreachable: string[];
  /** Unit channels the bot cannot post to now (a Teams channel whose team has not installed the app). */
  channelsNotReached?: string[];
  /** People the Teams app could not be installed for (Microsoft Graph refused). */
  teamsInstallRefused?: string[];
}

const entryLine = (entry: DigestEntry) => [entry.ref, entry.crn, entry.kindLabel, entry.owedBy, entry.late ? `${entry.late} late` : `due ${entry.dueTime}`].join(' · ');

const noteLines = (notes: DigestNotes): string[] => [
  ...(notes.uncoveredFallback ? [`Duty desk uncovered today: nobody is on duty, duty messages go to ${notes.uncoveredFallback}.`] : []),
  ...notes.undelivered.map((line) => `Not delivered: ${line}`),
  ...(notes.unreachable.length > 0 ? [`The bot cannot reach: ${notes.unreachable.join(', ')} (no usable Slack or Teams account).`] : []),
  ...(notes.channelsNotReached ?? []).map((line) => `Channel not reached: ${line}.`),
  ...(notes.teamsInstallRefused?.length ? [`Teams app could not be installed for: ${notes.teamsInstallRefused.join(', ')} (refused by Microsoft Graph; see "Not delivered").`] : []),
];

const countsText = (overdue: number, dueToday: number) => `${overdue} overdue, ${dueToday} due today`;

/** The unit channel's morning digest: counts, then each overdue and due-today item, then the notes. */
export const renderChannelDigest = (args: { unitName: string; dateLabel: string; overdue: DigestEntry[]; dueToday: DigestEntry[]; notes: DigestNotes }): ChatMessage => {
  const lines = [...args.overdue.map((entry) => `Overdue: ${entryLine(entry)}`), ...args.dueToday.map((entry) => `Due today: ${entryLine(entry)}`), ...noteLines(args.notes)];
  if (args.overdue.length === 0 && args.dueToday.length === 0) lines.unshift('Nothing overdue and nothing due today.');
  return {
    text: `Daily digest for ${args.unitName}, ${args.dateLabel}: ${countsText(args.overdue.length, args.dueToday.length)}`,
    title: `Daily digest: ${args.unitName}, ${args.dateLabel}`,
    fields: [
      { label: 'Overdue', value: String(args.overdue.length) },
      { label: 'Due today', value: String(args.dueToday.length) },
    ],
    actions: [],
    lines,
  };
};

/** A unit manager's morning DM: their unit's overdue items with the buttons to act on them. */
export const renderManagerDigest = (args: { unitName: string; dateLabel: string; overdue: DigestEntry[]; actions: ChatAction[]; notes: DigestNotes }): ChatMessage => ({
  text: `Overdue in ${args.unitName}, ${args.dateLabel}: ${args.overdue.length} item${args.overdue.length === 1 ? '' : 's'}`,
  title: `Overdue in ${args.unitName}: ${args.overdue.length}`,
  fields: [{ label: 'Overdue', value: String(args.overdue.length) }],
  actions: args.actions,
  lines: [...args.overdue.map(entryLine), ...noteLines(args.notes)],
});
