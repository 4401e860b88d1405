// The plain working-time arithmetic, as src/domain/time/working-time.ts was before its memoised fast path: a TZDate
// for every local date and time asked, nothing remembered. The property test checks the fast path against it.
import { TZDate } from '@date-fns/tz';
import { add, format } from 'date-fns';
import type { DeadlineSpec } from '../../src/domain/time/deadline-spec.js';
import type { WorkCalendar } from '../../src/domain/time/working-time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Safety net for day-by-day scans (a calendar with no working days at all). */
const MAX_SCAN_DAYS = 366 * 50;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

// ---------- plain local-date helpers (no time zone involved) ----------

function parseDate(date: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(date);
  if (!match) throw new RangeError(`expected a date 'YYYY-MM-DD', got '${date}'`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: '${date}'`);
  }
  return { y, m, d };
}

function parseTime(time: string): { h: number; min: number } {
  const match = TIME_RE.exec(time);
  if (!match) throw new RangeError(`expected a time 'HH:MM', got '${time}'`);
  return { h: Number(match[1]), min: Number(match[2]) };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function nextDate(date: string): string {
  const { y, m, d } = parseDate(date);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

function isWorkingDate(calendar: WorkCalendar, date: string): boolean {
  const { y, m, d } = parseDate(date);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(date);
}

function checkCalendar(calendar: WorkCalendar): void {
  const s = parseTime(calendar.workingHours.start);
  const e = parseTime(calendar.workingHours.end);
  if (s.h * 60 + s.min >= e.h * 60 + e.min) {
    throw new RangeError(`working hours must start before they end (got ${calendar.workingHours.start}–${calendar.workingHours.end})`);
  }
}

/** Start and end instants of working hours on a local date. */
function workingWindow(calendar: WorkCalendar, date: string): { start: Date; end: Date } {
  const { timeZone, workingHours } = calendar;
  return {
    start: atLocalTime({ timeZone, date, time: workingHours.start }),
    end: atLocalTime({ timeZone, date, time: workingHours.end }),
  };
}

function nextWorkingDate(calendar: WorkCalendar, after: string): string {
  let date = after;
  for (let i = 0; i < MAX_SCAN_DAYS; i++) {
    date = nextDate(date);
    if (isWorkingDate(calendar, date)) return date;
  }
  throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days after ${after}`);
}

// ---------- public API ----------

function zonedDate(timeZone: string, ms: number): string {
  const t = new TZDate(ms, timeZone);
  return `${pad(t.getFullYear(), 4)}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

export function localDate(args: { calendar: WorkCalendar; at: Date }): string {
  return zonedDate(args.calendar.timeZone, args.at.getTime());
}

export function atLocalTime(args: { timeZone: string; date: string; time: string }): Date {
  const { y, m, d } = parseDate(args.date);
  const { h, min } = parseTime(args.time);
  return new Date(TZDate.tz(args.timeZone, y, m - 1, d, h, min).getTime());
}

export function startOfLocalDay(args: { timeZone: string; date: string }): Date {
  return atLocalTime({ timeZone: args.timeZone, date: args.date, time: '00:00' });
}

export function isWorkingDay(args: { calendar: WorkCalendar; at: Date }): boolean {
  return isWorkingDate(args.calendar, localDate(args));
}

export function isWorkingTime(args: { calendar: WorkCalendar; at: Date }): boolean {
  const { calendar, at } = args;
  checkCalendar(calendar);
  const date = localDate({ calendar, at });
  if (!isWorkingDate(calendar, date)) return false;
  const { start, end } = workingWindow(calendar, date);
  return at.getTime() >= start.getTime() && at.getTime() < end.getTime();
}

export function nextWorkingTime(args: { calendar: WorkCalendar; from: Date }): Date {
  const { calendar, from } = args;
  checkCalendar(calendar);
  const date = localDate({ calendar, at: from });
  if (isWorkingDate(calendar, date)) {
    const { start, end } = workingWindow(calendar, date);
    if (from.getTime() < start.getTime()) return start;
    if (from.getTime() < end.getTime()) return new Date(from.getTime());
  }
  return workingWindow(calendar, nextWorkingDate(calendar, date)).start;
}

export function addDeadline(args: { calendar: WorkCalendar; from: Date; spec: DeadlineSpec }): Date {
  const { calendar, from, spec } = args;
  switch (spec.kind) {
    case 'duration': {
      const elapsedOnly = spec.hours * HOUR + spec.minutes * MINUTE + spec.seconds * 1000;
      // No calendar part (e.g. PT2H): plain elapsed time, no time-zone arithmetic needed.
      if (!spec.years && !spec.months && !spec.weeks && !spec.days) return new Date(from.getTime() + elapsedOnly);
      const local = new TZDate(from.getTime(), calendar.timeZone);
      const dated = add(local, {
        years: spec.years,
        months: spec.months,
        weeks: spec.weeks,
        days: spec.days,
      });
      const elapsed = spec.hours * HOUR + spec.minutes * MINUTE + spec.seconds * 1000;
      return new Date(dated.getTime() + elapsed);
    }
    case 'workingDays': {
      checkCalendar(calendar);
      const date = localDate({ calendar, at: from });
      if (spec.days <= 0) {
        if (isWorkingDate(calendar, date)) {
          const { end } = workingWindow(calendar, date);
          if (from.getTime() < end.getTime()) return end;
        }
        return workingWindow(calendar, nextWorkingDate(calendar, date)).end;
      }
      let due = date;
      for (let i = 0; i < spec.days; i++) due = nextWorkingDate(calendar, due);
      return workingWindow(calendar, due).end;
    }
    case 'workingHours': {
      let remaining = Math.max(0, spec.hours) * HOUR;
      let cursor = nextWorkingTime({ calendar, from });
      for (;;) {
        const { end } = workingWindow(calendar, localDate({ calendar, at: cursor }));
        const available = end.getTime() - cursor.getTime();
        if (remaining <= available) return new Date(cursor.getTime() + remaining);
        remaining -= available;
        cursor = nextWorkingTime({ calendar, from: end });
      }
    }
  }
}

export function workingMsBetween(args: { calendar: WorkCalendar; from: Date; to: Date }): number {
  const { calendar, from, to } = args;
  if (to.getTime() <= from.getTime()) return 0;
  checkCalendar(calendar);
  const last = localDate({ calendar, at: to });
  let date = localDate({ calendar, at: from });
  let total = 0;
  for (;;) {
    if (isWorkingDate(calendar, date)) {
      const { start, end } = workingWindow(calendar, date);
      const lo = Math.max(start.getTime(), from.getTime());
      const hi = Math.min(end.getTime(), to.getTime());
      if (hi > lo) total += hi - lo;
    }
    if (date >= last) return total;
    date = nextDate(date);
  }
}

export function localDateTime(args: { timeZone: string; at: Date }): string {
  return format(new TZDate(args.at.getTime(), args.timeZone), 'EEE d MMM yyyy, HH:mm');
}
