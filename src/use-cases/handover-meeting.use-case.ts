import { localDateTime } from '../domain/time/time-format.js';
import { atLocalTime } from '../domain/time/working-time.js';
import { itemIntent } from '../delivery/message-intent.js';
import type { DeadlineKind } from '../domain/workflow.types.js';
import { words } from '../words/catalogue.js';
import type { UseCaseContext } from './context.js';
import type { Directory } from './directory.js';
import type { FieldErrors, FormField, FormValues } from './form.types.js';
import { enqueueMessage } from './outbox-rows.js';
import { loadItem } from './workflows/workflow-module.js';

/**
 * The handover meeting (the "handover scheduled" step): the new case manager agrees a time and optionally a
 * video-call link; both case managers are reminded an hour before; missing the time without both confirmations
 * is chased as the `handoverMeeting` deadline through the usual ladder.
 */

const REMIND_BEFORE_MS = 60 * 60_000;
const TIME_RE = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** What the item's private messages show of the meeting. */
export const handoverMeetingFields = (args: { directory: Directory; at: Date; link: string | null }) => [
  { label: words('meeting.field_at'), value: localDateTime({ timeZone: args.directory.org.timezone, at: args.at }) },
  ...(args.link ? [{ label: words('meeting.field_link'), value: args.link }] : []),
];

/** The form fields of Schedule handover. */
export const meetingFormFields = (): FormField[] => [
  { kind: 'date', name: 'handoverDate', label: words('meeting.date') },
  { kind: 'text', name: 'handoverTime', label: words('meeting.time'), placeholder: 'HH:MM', maxLength: 5, hint: words('meeting.time_hint') },
  { kind: 'text', name: 'handoverLink', label: words('meeting.link'), optional: true, maxLength: 500, placeholder: 'https://' },
];

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** A real https URL with a host name, or the words saying why not. */
const linkProblem = (value: string): string | null => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && !/\s/.test(value) ? null : words('meeting.link_not_https');
  } catch {
    return words('meeting.link_not_https');
  }
};

/** Read and check the meeting fields: a real date, a time HH:MM, not in the past, an https link if any. */
export const parseMeeting = (args: { values: FormValues; directory: Directory; now: Date }): { ok: true; meeting: { at: Date; link: string | null } } | { ok: false; fieldErrors: FieldErrors } => {
  const errors: FieldErrors = {};
  const date = text(args.values.handoverDate);
  const time = text(args.values.handoverTime);
  const link = text(args.values.handoverLink) ?? null;
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)
    errors.handoverDate = words('meeting.choose_date');
  const match = time ? TIME_RE.exec(time) : null;
  if (!match) errors.handoverTime = words('meeting.choose_time');
  const linkError = link ? linkProblem(link) : null;
  if (linkError) errors.handoverLink = linkError;
  const at = date && match && !errors.handoverDate ? atLocalTime({ timeZone: args.directory.org.timezone, date, time: `${match[1]?.padStart(2, '0')}:${match[2]}` }) : null;
  if (at && at.getTime() <= args.now.getTime()) errors.handoverTime = words('meeting.in_the_past');
  // Every mistake at once, so the form is corrected in one go.
  if (Object.keys(errors).length > 0 || !at) return { ok: false, fieldErrors: errors };
  return { ok: true, meeting: { at, link } };
};

/**
 * On each tick: both case managers are told an hour before the agreed time (once per scheduled meeting, by the
 * outbox's unique key; a rescheduled meeting is a new deadline and gets its own reminder).
 */
export const remindHandoverMeetings = async (args: { ctx: UseCaseContext }): Promise<number> => {
  const { ctx } = args;
  const now = ctx.clock.now();
  const due = await ctx.store.repos.deadlines.openOfKindDueBetween({ kind: 'handoverMeeting', after: now, until: new Date(now.getTime() + REMIND_BEFORE_MS) });
  let queued = 0;
  for (const deadline of due) {
    const module = ctx.workflows.get(deadline.itemType);
    const wrote = await ctx.store.transaction(async (repos) => {
      const row = module ? await loadItem(module, repos, deadline.itemId) : undefined;
      if (!module || !row) return 0;
      const item = module.handle(row);
      const personIds = deadline.owners.flatMap((owner) => (owner.kind === 'person' && owner.personId ? [owner.personId] : []));
      const deadlines = new Map<DeadlineKind, Date>([['handoverMeeting', deadline.dueAt]]);
      const result = await enqueueMessage({
        repos,
        directory: ctx.directory,
        reach: ctx.reach,
        item,
        dedupePrefix: `handover-meeting:${deadline.id}:soon`,
        recipient: { personIds },
        intent: (personId) =>
          itemIntent({ itemType: item.itemType, itemId: item.itemId, version: item.version, messageKey: `${item.itemType}.handover_meeting_soon`, personId, withActions: false, deadlines }),
        now,
      });
      return result.enqueued;
    });
    queued += wrote;
  }
  if (queued > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
  return queued;
};
