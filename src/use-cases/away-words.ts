import { words } from '../words/catalogue.js';
import type { Directory } from './directory.js';

/** A /away refusal in words: people named by their names, the rest of the details as given. */
export const awayRefusalWords = (args: { code: string; details: Record<string, unknown>; directory?: Directory }): string => {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(args.details)) {
    if (typeof value !== 'string') continue;
    values[key] = ['person', 'delegate'].includes(key) ? (args.directory?.person(value)?.name ?? value) : value;
  }
  return words(`away.refusal.${args.code.slice('away.'.length)}`, values);
};
