import { StoreUnavailableError } from '../db/store.js';
import { isDomainError } from '../domain/errors.js';
import type { Directory } from '../use-cases/directory.js';
import { failureWords } from '../use-cases/refusal-words.js';

/**
 * The one place Slack turns a failure into user words (plain text; callers escape when rendering mrkdwn).
 * DomainErrors use the shared refusal words; anything else gets a generic line and never its details.
 */
export const slackRefusal = (args: { error: unknown; directory: Directory; now: Date }): string => failureWords(args);

/** A short code for logs (never the words, never user text). */
export const errorCode = (error: unknown): string => (isDomainError(error) ? error.code : error instanceof StoreUnavailableError ? 'store.unavailable' : 'unexpected');
