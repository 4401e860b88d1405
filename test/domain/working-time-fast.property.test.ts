import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeadlineSpec } from '../../src/domain/time/deadline-spec.js';
import { parseDeadlineSpec } from '../../src/domain/time/deadline-spec.js';
import { localDateTime } from '../../src/domain/time/time-format.js';
import * as fast from '../../src/domain/time/working-time.js';
import type { WorkCalendar } from '../../src/domain/time/working-time.js';
import * as plain from './working-time-plain.js';

/**
 * The memoised working time (zone offsets remembered per hour, day facts per calendar and date) gives exactly the
 * instants, dates and texts of the plain arithmetic (a TZDate for everything, nothing remembered), over many zones
 * and dates, across the clock changes, on a calendar seen for the first time and on one whose memo is warm.
 */
const ZONES = [
  'Europe/London',
  'Europe/Dublin', // negative DST in the tz database
  'America/New_York',
  'America/St_Johns', // half-hour offset and DST
  'America/Santiago',
  'America/Sao_Paulo',
  'Australia/Lord_Howe', // half-hour DST
  'Australia/Sydney',
  'Pacific/Chatham', // +12:45
  'Pacific/Apia', // skipped 30 Dec 2011
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Africa/Casablanca',
  'UTC',
];
const HOUR = 3_600_000;

/** The last Sunday of a month at 01:00 UTC: when the clocks change in Europe/London (March and October). */
const londonChange = (year: number, month: number) => {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
};

const instant = fc.oneof(
  // Anywhere from 1990 to 2045.
  fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2045, 0, 1) }),
  // Within a day and a half of a London clock change, to the millisecond.
  fc
    .record({ year: fc.integer({ min: 1996, max: 2040 }), month: fc.constantFrom(2, 9), offset: fc.integer({ min: -36 * HOUR, max: 36 * HOUR }) })
    .map(({ year, month, offset }) => londonChange(year, month) + offset),
  // Exactly on a London change, or a minute or a millisecond either side.
  fc
    .record({ year: fc.integer({ min: 1996, max: 2040 }), month: fc.constantFrom(2, 9), offset: fc.constantFrom(-60_000, -1, 0, 1, 60_000, HOUR - 1, HOUR) })
    .map(({ year, month, offset }) => londonChange(year, month) + offset),
  // The months most zones change their clocks in.
  fc
    .record({ year: fc.integer({ min: 1995, max: 2040 }), month: fc.constantFrom(2, 3, 8, 9, 10), ms: fc.integer({ min: 0, max: 31 * 24 * HOUR - 1 }) })
    .map(({ year, month, ms }) => Date.UTC(year, month, 1) + ms),
);

const clock = fc.record({ h: fc.integer({ min: 0, max: 23 }), m: fc.constantFrom(0, 15, 30, 45, 59) }).map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const spec = fc
  .constantFrom(
    'PT2H',
    'PT30M',
    'P1D',
    'P1W',
    'P1M',
    'P1DT2H',
    '0 working days',
    '1 working day',
    '2 working days',
    '5 working days',
    '1 working hour',
    '4 working hours',
    '8 working hours',
    '30 working hours',
  )
  .map((text) => {
    const parsed = parseDeadlineSpec(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.spec as DeadlineSpec;
  });

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const calendarArb = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    start: clock,
    end: clock,
    holidayOffsets: fc.array(fc.integer({ min: -3, max: 10 }), { maxLength: 4 }),
  })
  .map(({ timeZone, start, end, holidayOffsets }) => ({ timeZone, start, end, holidayOffsets }));

/** What a call gave: its value, or the error it threw (the same error either way). */
const outcome = (work: () => unknown) => {
  try {
    const value = work();
    return { value: value instanceof Date ? value.getTime() : value };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
};

const everything = (api: typeof fast | typeof plain, format: (args: { timeZone: string; at: Date }) => string, calendar: WorkCalendar, at: number, to: number, deadline: DeadlineSpec) => ({
  localDate: outcome(() => api.localDate({ calendar, at: new Date(at) })),
  isWorkingDay: outcome(() => api.isWorkingDay({ calendar, at: new Date(at) })),
  isWorkingTime: outcome(() => api.isWorkingTime({ calendar, at: new Date(at) })),
  nextWorkingTime: outcome(() => api.nextWorkingTime({ calendar, from: new Date(at) })),
  addDeadline: outcome(() => api.addDeadline({ calendar, from: new Date(at), spec: deadline })),
  workingMsBetween: outcome(() => api.workingMsBetween({ calendar, from: new Date(at), to: new Date(to) })),
  atLocalTime: outcome(() => api.atLocalTime({ timeZone: calendar.timeZone, date: dateOf(at), time: calendar.workingHours.start })),
  localDateTime: outcome(() => format({ timeZone: calendar.timeZone, at: new Date(at) })),
});

describe('working time: the memoised fast path gives what the plain arithmetic gives', () => {
  // One calendar object per zone and hours kept across runs, so later runs hit a warm memo.
  const warm = new Map<string, WorkCalendar>();

  it('over many zones, dates and clock changes, cold and warm', () => {
    fc.assert(
      fc.property(calendarArb, instant, fc.integer({ min: 0, max: 30 * 24 * HOUR }), spec, (cal, at, span, deadline) => {
        const holidays = new Set(cal.holidayOffsets.map((days) => dateOf(at + days * 24 * HOUR)));
        const key = `${cal.timeZone}|${cal.start}|${cal.end}`;
        const shared = warm.get(key) ?? { timeZone: cal.timeZone, workingHours: { start: cal.start, end: cal.end }, holidays: new Set<string>() };
        warm.set(key, shared);
        for (const calendar of [{ timeZone: cal.timeZone, workingHours: { start: cal.start, end: cal.end }, holidays }, shared]) {
          const expected = everything(plain, plain.localDateTime, calendar, at, at + span, deadline);
          // Twice: the first call may fill the memo, the second reads it.
          expect(everything(fast, localDateTime, calendar, at, at + span, deadline)).toEqual(expected);
          expect(everything(fast, localDateTime, calendar, at, at + span, deadline)).toEqual(expected);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('across every London clock change from 1996 to 2040, every five minutes around the change', () => {
    const calendar: WorkCalendar = { timeZone: 'Europe/London', workingHours: { start: '00:30', end: '02:30' }, holidays: new Set() };
    let compared = 0;
    for (let year = 1996; year <= 2040; year++) {
      for (const month of [2, 9]) {
        const change = londonChange(year, month);
        for (let at = change - 3 * HOUR; at <= change + 3 * HOUR; at += 5 * 60_000) {
          for (const probe of [at - 1, at]) {
            expect(fast.localDate({ calendar, at: new Date(probe) })).toBe(plain.localDate({ calendar, at: new Date(probe) }));
            expect(localDateTime({ timeZone: calendar.timeZone, at: new Date(probe) })).toBe(plain.localDateTime({ timeZone: calendar.timeZone, at: new Date(probe) }));
            expect(fast.nextWorkingTime({ calendar, from: new Date(probe) }).getTime()).toBe(plain.nextWorkingTime({ calendar, from: new Date(probe) }).getTime());
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBe(45 * 2 * 73 * 2);
  });
});
