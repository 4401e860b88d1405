import { StoreUnavailableError } from '../db/store.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import type { Directory } from '../use-cases/directory.js';
import { UNEXPECTED_WORDS, refusalWords } from '../use-cases/refusal-words.js';

/**
 * The one place Slack turns a failure into user words (plain text; callers escape when rendering mrkdwn).
 * DomainErrors use the shared refusal words; anything else gets a generic line and never its details.
 */
export const slackRefusal = (args: { error: unknown; directory: Directory; now: Date }): string => {
  if (isDomainError(args.error)) return refusalWords({ error: args.error, directory: args.directory, now: args.now });
  if (args.error instanceof StoreUnavailableError) {
    return refusalWords({ error: new DomainError({ code: 'store.unavailable' }), directory: args.directory });
  }
  return UNEXPECTED_WORDS;
};

/** The form field a refusal is about, when there is one (shown next to that input in the modal). */
export const fieldForRefusal = (error: unknown): string | undefined => {
  if (!isDomainError(error)) return undefined;
  const field = error.details.field;
  switch (error.code) {
    case 'rationale.required':
      return 'rationale';
    case 'unit.unknown':
      return 'receivingUnitId';
    case 'person.unknown':
    case 'input.invalid':
      if (field === 'caseManager' || field === 'worker') return 'personId';
      return typeof field === 'string' ? field : undefined;
    default:
      return undefined;
  }
};

/** A short code for logs (never the words, never user text). */
export const errorCode = (error: unknown): string =>
  isDomainError(error) ? error.code : error instanceof StoreUnavailableError ? 'store.unavailable' : 'unexpected';
