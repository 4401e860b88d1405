import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { words } from '../words/catalogue.js';
import type { Directory } from './directory.js';

/** A day as people read it in the org's zone ("Fri 27 Nov"). */
export const dayText = (directory: Directory, at: Date) => format(new TZDate(at, directory.org.timezone), 'EEE d MMM');

/** The last day of an absence (it ends at the start of the next day). */
export const lastDayText = (directory: Directory, endsAt: Date) => dayText(directory, new Date(endsAt.getTime() - 1));

/** A /away refusal in words: people named by their names, the rest of the details as given. */
export const awayRefusalWords = (args: { code: string; details: Record<string, unknown>; directory?: Directory }): string => {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(args.details)) {
    if (typeof value !== 'string') continue;
    values[key] = ['person', 'delegate'].includes(key) ? (args.directory?.person(value)?.name ?? value) : value;
  }
  return words(`away.refusal.${args.code.slice('away.'.length)}`, values);
};
