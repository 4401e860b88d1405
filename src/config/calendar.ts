// Builds an organisation's WorkCalendar from its org-file settings.
// Bank holidays come from date-holidays' bundled data: no network needed.
import Holidays from 'date-holidays';
import type { WorkCalendar } from '../domain/time/working-time.js';

export const SUPPORTED_CALENDARS = ['england-and-wales', 'none'] as const;
export type SupportedCalendar = (typeof SUPPORTED_CALENDARS)[number];

const DEFAULT_FROM_YEAR = 2020;
const DEFAULT_TO_YEAR = 2045;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

function isCalendarDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

function minutesOf(time: string, label: string): number {
  const match = TIME_RE.exec(time);
  if (!match) throw new RangeError(`workingHours.${label} must be 'HH:MM' (24-hour), got '${time}'`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone '${timeZone}' (expected an IANA name such as Europe/London)`);
  }
}

/** England & Wales bank holidays (including substitute days) for the given years, as 'YYYY-MM-DD'. */
export function englandAndWalesBankHolidays(fromYear: number, toYear: number): string[] {
  const hd = new Holidays('GB', 'ENG');
  const dates: string[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    for (const holiday of hd.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      // `date` is the local date and time, e.g. '2026-12-28 00:00:00'.
      const date = holiday.date.slice(0, 10);
      if (isCalendarDate(date)) dates.push(date);
    }
  }
  return dates;
}

export function buildWorkCalendar(args: {
  timeZone: string;
  workingHours: { start: string; end: string };
  calendar: SupportedCalendar;
  extraHolidays?: string[];
  fromYear?: number;
  toYear?: number;
}): WorkCalendar {
  const fromYear = args.fromYear ?? DEFAULT_FROM_YEAR;
  const toYear = args.toYear ?? DEFAULT_TO_YEAR;
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear) {
    throw new RangeError(`invalid holiday year range ${fromYear}..${toYear}`);
  }
  assertTimeZone(args.timeZone);
  const start = minutesOf(args.workingHours.start, 'start');
  const end = minutesOf(args.workingHours.end, 'end');
  if (start >= end) {
    throw new RangeError(`workingHours must start before they end (got ${args.workingHours.start}–${args.workingHours.end})`);
  }

  const holidays = new Set<string>();
  switch (args.calendar) {
    case 'england-and-wales':
      for (const date of englandAndWalesBankHolidays(fromYear, toYear)) holidays.add(date);
      break;
    case 'none':
      break;
    default: {
      const unknown: never = args.calendar;
      throw new RangeError(`unknown calendar '${String(unknown)}' (expected one of ${SUPPORTED_CALENDARS.join(', ')})`);
    }
  }
  for (const date of args.extraHolidays ?? []) {
    if (!isCalendarDate(date)) throw new RangeError(`extra holiday must be 'YYYY-MM-DD', got '${date}'`);
    holidays.add(date);
  }

  return {
    timeZone: args.timeZone,
    workingHours: { start: args.workingHours.start, end: args.workingHours.end },
    holidays,
  };
}
