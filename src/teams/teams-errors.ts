// The one place where Teams turns a failure into words for the person who clicked or typed. The words are the
// shared defaults (src/use-cases/refusal-words.ts).
import { type DomainError, isDomainError } from '../domain/errors.js';
import { StoreUnavailableError } from '../db/store.js';
import type { Directory } from '../use-cases/directory.js';
import { UNEXPECTED_WORDS, refusalWords } from '../use-cases/refusal-words.js';

export const teamsRefusal = (args: { error: DomainError; directory: Directory; now: Date }): string =>
  refusalWords({ error: args.error, directory: args.directory, now: args.now });

/** Words for any failure: a refusal's explanation, the database being down, or the generic words (never details). */
export const teamsFailureWords = (args: { error: unknown; directory: Directory; now: Date }): string => {
  if (isDomainError(args.error)) return teamsRefusal({ error: args.error, directory: args.directory, now: args.now });
  if (args.error instanceof StoreUnavailableError) return 'DutyDesk cannot reach its database right now, so nothing was saved or changed. Please try again in a minute.';
  return UNEXPECTED_WORDS;
};

/** Refusals where the item has moved on: the clicked card is replaced by the item's current state. */
export const isMovedOn = (error: unknown): boolean => isDomainError(error) && (error.code === 'item.already_done' || error.code === 'item.moved_on');

export const NOT_IN_DIRECTORY =
  'Hello, I am DutyDesk. Your Teams account is not in this organisation’s DutyDesk directory yet, so I cannot act for you. Ask your administrator to add your Microsoft Entra object id (teams:) to the org file.';
