import { z } from 'zod';
import { words } from '../src/words/catalogue.js';

/** The latest release date a form takes: 3 years from today (a later one is a typing mistake, or not yet known). */
export const MAX_YEARS_AHEAD = 3;

const yearsAhead = (today: string, years: number) => `${String(Number(today.slice(0, 4)) + years).padStart(4, '0')}${today.slice(4)}`;

/** The latest release date a form takes. */
export const latestReleaseDate = (today: string) => yearsAhead(today, MAX_YEARS_AHEAD);

/** A release date (local YYYY-MM-DD) after `today` and at most 3 years ahead. */
export const releaseDateSchema = (args: { today: string; message: string }) =>
  z.iso
    .date({ message: args.message })
    .refine((value) => value > args.today, words('release.past'))
    .refine((value) => value <= yearsAhead(args.today, MAX_YEARS_AHEAD), words('release.too_far'));
