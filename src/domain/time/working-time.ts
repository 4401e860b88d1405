// Working-time arithmetic on the organisation's one calendar (time zone, working hours, holidays): local dates,
// working days and hours, and when a deadline falls. Never reads the system clock: every instant is a parameter.
import { TZDate } from '@date-fns/tz';
import { add } from 'date-fns';
import type { DeadlineSpec } from './deadline-spec.js';
import { zonedDateFast } from './zone-memo.js';

export interface WorkCalendar {
  timeZone: string; // IANA, e.g. 'Europe/London'
  workingHours: { start: string; end: string }; // local 'HH:MM'
  holidays: ReadonlySet<string>; // local dates 'YYYY-MM-DD' that are not working days
}

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

function plainNextDate(date: string): string {
  const { y, m, d } = parseDate(date);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

function plainIsWorkingDate(calendar: WorkCalendar, date: string): boolean {
  const { y, m, d } = parseDate(date);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(date);
}

function plainCheckCalendar(calendar: WorkCalendar): void {
  const s = parseTime(calendar.workingHours.start);
  const e = parseTime(calendar.workingHours.end);
  if (s.h * 60 + s.min >= e.h * 60 + e.min) {
    throw new RangeError(`working hours must start before they end (got ${calendar.workingHours.start}–${calendar.workingHours.end})`);
  }
}

// ---------- per-calendar memo ----------
// A sweep plans thousands of deadlines on a few local dates: what a date is (working or not, its working window,
// the next date) is worked out once per calendar and date. The memo is dropped when the calendar's zone, hours or
// holiday set change; every answer is what the plain helpers above give (errors are thrown, never remembered).

interface DayFacts {
  working?: boolean;
  window?: { start: number; end: number };
}
interface CalendarMemo {
  timeZone: string;
  start: string;
  end: string;
  holidays: ReadonlySet<string>;
  checked: boolean;
  days: Map<string, DayFacts>;
}
const memos = new WeakMap<WorkCalendar, CalendarMemo>();
const nextDates = new Map<string, string>();
const MEMO_DAYS_MAX = 20_000;

function memoOf(calendar: WorkCalendar): CalendarMemo {
  const { timeZone, workingHours, holidays } = calendar;
  let memo = memos.get(calendar);
  if (!memo || memo.timeZone !== timeZone || memo.start !== workingHours.start || memo.end !== workingHours.end || memo.holidays !== holidays) {
    memo = { timeZone, start: workingHours.start, end: workingHours.end, holidays, checked: false, days: new Map() };
    memos.set(calendar, memo);
  }
  return memo;
}

function factsOfDay(memo: CalendarMemo, date: string): DayFacts {
  let facts = memo.days.get(date);
  if (!facts) {
    if (memo.days.size >= MEMO_DAYS_MAX) memo.days.clear();
    facts = {};
    memo.days.set(date, facts);
  }
  return facts;
}

function nextDate(date: string): string {
  let next = nextDates.get(date);
  if (next === undefined) {
    next = plainNextDate(date);
    if (nextDates.size >= MEMO_DAYS_MAX) nextDates.clear();
    nextDates.set(date, next);
  }
  return next;
}

function isWorkingDate(calendar: WorkCalendar, date: string): boolean {
  const facts = factsOfDay(memoOf(calendar), date);
  facts.working ??= plainIsWorkingDate(calendar, date);
  return facts.working;
}

function checkCalendar(calendar: WorkCalendar): void {
  const memo = memoOf(calendar);
  if (memo.checked) return;
  plainCheckCalendar(calendar);
  memo.checked = true;
}

/** Start and end instants (epoch ms) of working hours on a local date. */
function windowMs(calendar: WorkCalendar, date: string): { start: number; end: number } {
  const facts = factsOfDay(memoOf(calendar), date);
  if (!facts.window) {
    const { timeZone, workingHours } = calendar;
    const start = atLocalTime({ timeZone, date, time: workingHours.start }).getTime();
    const end = atLocalTime({ timeZone, date, time: workingHours.end }).getTime();
    facts.window = { start, end };
  }
  return facts.window;
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
  const fast = zonedDateFast(timeZone, ms);
  if (fast !== null) return fast;
  const t = new TZDate(ms, timeZone);
  return `${pad(t.getFullYear(), 4)}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

export function localDate(args: { calendar: WorkCalendar; at: Date }): string {
  return zonedDate(args.calendar.timeZone, args.at.getTime());
}

/** Pure, hot (a sweep plans thousands of deadlines on a few dates) and slow: a bounded memo of recent answers. */
const localTimes = new Map<string, number>();
const LOCAL_TIMES_MAX = 4096;

export function atLocalTime(args: { timeZone: string; date: string; time: string }): Date {
  const key = `${args.timeZone}|${args.date}|${args.time}`;
  const known = localTimes.get(key);
  if (known !== undefined) return new Date(known);
  const { y, m, d } = parseDate(args.date);
  const { h, min } = parseTime(args.time);
  // A wall time inside a spring-forward gap resolves forward; an ambiguous one to the later offset.
  const at = TZDate.tz(args.timeZone, y, m - 1, d, h, min).getTime();
  if (localTimes.size >= LOCAL_TIMES_MAX) localTimes.clear();
  localTimes.set(key, at);
  return new Date(at);
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
  const { start, end } = windowMs(calendar, date);
  return at.getTime() >= start && at.getTime() < end;
}

/** nextWorkingTime in epoch ms (the calendar already checked). */
function nextWorkingMs(calendar: WorkCalendar, from: number): number {
  const date = zonedDate(calendar.timeZone, from);
  if (isWorkingDate(calendar, date)) {
    const { start, end } = windowMs(calendar, date);
    if (from < start) return start;
    if (from < end) return from;
  }
  return windowMs(calendar, nextWorkingDate(calendar, date)).start;
}

export function nextWorkingTime(args: { calendar: WorkCalendar; from: Date }): Date {
  checkCalendar(args.calendar);
  return new Date(nextWorkingMs(args.calendar, args.from.getTime()));
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
          const { end } = windowMs(calendar, date);
          if (from.getTime() < end) return new Date(end);
        }
        return new Date(windowMs(calendar, nextWorkingDate(calendar, date)).end);
      }
      let due = date;
      for (let i = 0; i < spec.days; i++) due = nextWorkingDate(calendar, due);
      return new Date(windowMs(calendar, due).end);
    }
    case 'workingHours': {
      checkCalendar(calendar);
      let remaining = Math.max(0, spec.hours) * HOUR;
      let cursor = nextWorkingMs(calendar, from.getTime());
      for (;;) {
        const { end } = windowMs(calendar, zonedDate(calendar.timeZone, cursor));
        const available = end - cursor;
        if (remaining <= available) return new Date(cursor + remaining);
        remaining -= available;
        cursor = nextWorkingMs(calendar, end);
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
      const { start, end } = windowMs(calendar, date);
      const lo = Math.max(start, from.getTime());
      const hi = Math.min(end, to.getTime());
      if (hi > lo) total += hi - lo;
    }
    if (date >= last) return total;
    date = nextDate(date);
  }
}
