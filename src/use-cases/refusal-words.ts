import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { StoreUnavailableError } from '../db/store.js';
import { type DomainError, isDomainError } from '../domain/errors.js';
import { actionWords, stateWords, words } from '../words/catalogue.js';
import type { Directory } from './directory.js';
import { awayRefusalWords } from './away-words.js';

/**
 * Plain words for every refusal and failure, from the one catalogue (src/words/). Slack and Teams add only their
 * own escaping.
 */

const whenText = (directory: Directory | undefined, at: unknown, now: Date | undefined): string | undefined => {
  if (typeof at !== 'string' && !(at instanceof Date)) return undefined;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return undefined;
  const timeZone = directory?.org.timezone ?? 'Europe/London';
  const local = new TZDate(date, timeZone);
  const sameDay = now ? format(new TZDate(now, timeZone), 'yyyy-MM-dd') === format(local, 'yyyy-MM-dd') : false;
  return sameDay ? words('when.today', { time: format(local, 'HH:mm') }) : words('when.other', { time: format(local, 'EEE d MMM, HH:mm') });
};

const nameOf = (directory: Directory | undefined, id: unknown) => (typeof id === 'string' && id ? (directory?.person(id)?.name ?? id) : undefined);

const stateOf = (details: Record<string, unknown>) => (typeof details.state === 'string' ? stateWords(details.state, typeof details.itemType === 'string' ? details.itemType : undefined) : undefined);

const alreadyDone = (details: Record<string, unknown>, directory?: Directory, now?: Date) => {
  const action = typeof details.action === 'string' ? details.action : undefined;
  const who = nameOf(directory, details.actorId);
  if (!action || !who) {
    const state = stateOf(details);
    return state ? words('refusal.item.already_done_state', { state }) : words('refusal.item.already_done');
  }
  const itemType = typeof details.itemType === 'string' ? details.itemType : '';
  const past = actionWords(itemType, action).past;
  const when = whenText(directory, details.at, now);
  return when ? words('refusal.item.already_done_by_when', { past, who, when }) : words('refusal.item.already_done_by', { past, who });
};

/** Further user words that are not refusals (kept here so the catalogue has every sentence). */
export const SECURITY_WORDS = {
  /** A select value the form did not offer (a tampered form). */
  notOffered: words('security.not_offered'),
  /** An export file already there. */
  exportExists: (file: string) => words('security.export_exists', { file }),
} as const;

/** Plain words for a refusal. `now` lets "at 10:32" drop the date when the decision was today. */
export const refusalWords = (args: { error: Pick<DomainError, 'code' | 'details'>; directory?: Directory; now?: Date }): string => {
  const { code, details } = args.error;
  switch (code) {
    case 'item.moved_on': {
      const state = stateOf(details);
      return state ? words('refusal.item.moved_on_state', { state }) : words('refusal.item.moved_on');
    }
    case 'item.already_done':
      return alreadyDone(details, args.directory, args.now);
    case 'person.unknown':
      return words(details.field ? 'refusal.person.unknown_field' : 'refusal.person.unknown');
    case 'case.not_shown':
      // Need to know: names the CRN (the person typed it) and nothing of the case, the same whether or not it exists.
      return words('refusal.case.not_shown', { crn: typeof details.crn === 'string' ? details.crn : words('refusal.case.that_case') });
    case 'duty.not_unit_member':
      return words('refusal.duty.not_unit_member', {
        person: nameOf(args.directory, details.personId) ?? words('refusal.duty.that_person'),
        unit: typeof details.unitId === 'string' ? (args.directory?.unit(details.unitId)?.name ?? details.unitId) : words('refusal.duty.that_unit'),
      });
    case 'duty.date_malformed':
    case 'duty.date_past':
    case 'duty.range_end_before_start':
    case 'duty.range_too_long':
      return words(`refusal.${code}`, { input: typeof details.input === 'string' ? details.input : '' });
    case 'referral.no_other_provider':
      return words('refusal.referral.no_other_provider', { type: typeof details.type === 'string' ? details.type : '' });
    case 'input.invalid':
      return typeof details.field === 'string' ? words('refusal.input.invalid_field', { field: details.field.replace(/([A-Z])/g, ' $1').toLowerCase() }) : words('refusal.input.invalid');
    default:
      if (code.startsWith('away.')) return awayRefusalWords({ code, details, directory: args.directory });
      return words(`refusal.${code}`);
  }
};

/** Words for a failure that is not a refusal (a bug, a timeout): never details. */
export const UNEXPECTED_WORDS = words('failure.unexpected');

/** Words for any failure: a refusal's explanation, the database being down, or the generic words (never details). */
export const failureWords = (args: { error: unknown; directory?: Directory; now?: Date }): string => {
  if (isDomainError(args.error)) return refusalWords({ error: args.error, directory: args.directory, now: args.now });
  if (args.error instanceof StoreUnavailableError) return words('refusal.store.unavailable');
  return UNEXPECTED_WORDS;
};
