import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { DomainError, DomainErrorCode } from '../domain/errors.js';
import { ESCALATION_STATE_LABELS } from '../domain/escalation.machine.js';
import { REFERRAL_STATE_LABELS } from '../domain/referral.machine.js';
import type { Directory } from './directory.js';

/**
 * Default user words for every refusal, platform-neutral plain text (no markup). Slack and Teams map
 * DomainErrors through this (src/slack/slack-errors.ts, src/teams/…), adding only their own escaping.
 */

/** What a decision looks like once taken ("countersigned by Tom Reyes"). */
const PAST_TENSE: Record<string, string> = {
  raise: 'raised',
  countersign: 'countersigned',
  return: 'returned for changes',
  resubmit: 'resubmitted',
  withdraw: 'withdrawn',
  accept: 'accepted',
  decline: 'declined',
  reallocate: 'reallocated',
  confirm_handover: 'handover confirmed',
  return_misallocated: 'returned as misallocated',
  take_back: 'taken back',
  acknowledge: 'acknowledged',
  assign: 'assigned',
  assess: 'assessed',
  plan: 'planned',
  deliver: 'delivered',
  change_release_date: 'release date changed',
};

const stateLabel = (state: unknown): string | undefined => {
  if (typeof state !== 'string') return undefined;
  return (ESCALATION_STATE_LABELS as Record<string, string>)[state] ?? (REFERRAL_STATE_LABELS as Record<string, string>)[state] ?? state.replace(/_/g, ' ');
};

const whenText = (directory: Directory | undefined, at: unknown, now: Date | undefined): string | undefined => {
  if (typeof at !== 'string' && !(at instanceof Date)) return undefined;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return undefined;
  const timeZone = directory?.org.timezone ?? 'Europe/London';
  const local = new TZDate(date, timeZone);
  const sameDay = now ? format(new TZDate(now, timeZone), 'yyyy-MM-dd') === format(local, 'yyyy-MM-dd') : false;
  return sameDay ? `at ${format(local, 'HH:mm')}` : `on ${format(local, 'EEE d MMM, HH:mm')}`;
};

const nameOf = (directory: Directory | undefined, id: unknown) =>
  typeof id === 'string' && id ? (directory?.person(id)?.name ?? id) : undefined;

type Words = (args: { details: Record<string, unknown>; directory?: Directory; now?: Date }) => string;

const WORDS: Record<DomainErrorCode, Words> = {
  'item.not_found': () => 'That item could not be found. Nothing was changed.',
  'item.moved_on': ({ details }) => {
    const state = stateLabel(details.state);
    return `This has already moved on${state ? ` (now: ${state})` : ''}. Nothing was changed.`;
  },
  'item.already_done': ({ details, directory, now }) => {
    const action = typeof details.action === 'string' ? details.action : undefined;
    const who = nameOf(directory, details.actorId);
    const when = whenText(directory, details.at, now);
    if (!action || !who) {
      const state = stateLabel(details.state);
      return `Already done${state ? ` (now: ${state})` : ''}. Nothing was changed.`;
    }
    const past = PAST_TENSE[action] ?? action.replace(/_/g, ' ');
    return `Already done: ${past} by ${who}${when ? ` ${when}` : ''}.`;
  },
  'action.not_allowed': () => 'You are not allowed to take that decision on this item. Nothing was changed.',
  'action.unknown': () => 'That button or command is not recognised any more. Nothing was changed; try /cases for the current state.',
  'escalation.own_escalation': () =>
    'You raised this escalation, so you cannot countersign or return it yourself: your manager decides. Nothing was changed.',
  'escalation.not_countersigner': () => 'Only the countersigning manager for this escalation can do that. Nothing was changed.',
  'escalation.not_receiving_unit': () =>
    "Only today's duty officer or the manager of the receiving unit can do that. Nothing was changed.",
  'escalation.not_case_manager': () => 'Only the old and the new case manager confirm the handover. Nothing was changed.',
  'escalation.handover_already_confirmed': () => 'You have already confirmed the handover; waiting for the other side.',
  'referral.not_provider': () => 'Only the provider unit for this referral can do that. Nothing was changed.',
  'rationale.required': () => 'Give your rationale: it is recorded on the case with your name and the time.',
  'person.unknown': ({ details }) =>
    details.field
      ? 'That person is not in the directory. Choose someone from the list.'
      : 'You are not in the DutyDesk directory yet: ask an administrator to add your account to the org file.',
  'person.not_in_unit': () => 'You are not a member of any unit in DutyDesk, so you cannot do that yet: ask an administrator.',
  'unit.unknown': () => 'That unit is not in the directory. Choose one from the list.',
  'duty.not_allowed': () => "Only the unit's manager or duty officers can change today's duty. Nothing was changed.",
  'input.invalid': ({ details }) =>
    `Check what you entered${typeof details.field === 'string' ? ` (${details.field.replace(/([A-Z])/g, ' $1').toLowerCase()})` : ''}. Nothing was saved.`,
  'store.unavailable': () => 'DutyDesk cannot reach its database right now, so nothing was saved or changed. Please try again in a minute.',
  // Need to know: names the CRN (the person typed it) and nothing of the case, the same whether or not it exists.
  'case.not_shown': ({ details }) =>
    `${typeof details.crn === 'string' ? details.crn : 'That case'}: not shown. Only people with a role on this case can see it.`,
  'input.not_offered': () => 'Choose from the list the form offered. Nothing was saved.',
  'duty.not_unit_member': ({ details, directory }) =>
    `${nameOf(directory, details.personId) ?? 'That person'} is not in ${typeof details.unitId === 'string' ? (directory?.unit(details.unitId)?.name ?? details.unitId) : 'that unit'}: only the unit's own people can be put on its duty. Nothing was changed.`,
};

/** Further user words that are not refusals (kept here so the catalogue has every sentence). */
export const SECURITY_WORDS = {
  /** A select value the form did not offer (a tampered form). */
  notOffered: 'Choose from the list.',
  /** An export file already there. */
  exportExists: (file: string) => `${file} already exists: choose another --out, or add --force to replace it.`,
} as const;

/** Plain words for a refusal. `now` lets "at 10:32" drop the date when the decision was today. */
export const refusalWords = (args: { error: DomainError; directory?: Directory; now?: Date }): string =>
  WORDS[args.error.code]({ details: args.error.details, directory: args.directory, now: args.now });

/** Words for a failure that is not a refusal (a bug, a timeout): never details. */
export const UNEXPECTED_WORDS = 'Something went wrong and nothing was changed. Please try again; if it keeps happening, tell your administrator.';
