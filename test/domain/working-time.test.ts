import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { buildWorkCalendar, SUPPORTED_CALENDARS } from '../../src/config/calendar.js';
import { durationMs, parseDeadlineSpec, type DeadlineSpec } from '../../src/domain/time/deadline-spec.js';
import { formatLateness, localDateTime } from '../../src/domain/time/time-format.js';
import { addDeadline, atLocalTime, isWorkingDay, isWorkingTime, localDate, nextWorkingTime, startOfLocalDay, workingMsBetween } from '../../src/domain/time/working-time.js';

const hours = { start: '09:00', end: '17:00' };
const london = buildWorkCalendar({ timeZone: 'Europe/London', workingHours: hours, calendar: 'england-and-wales' });
const noHolidays = buildWorkCalendar({ timeZone: 'Europe/London', workingHours: hours, calendar: 'none' });
const withExtra = buildWorkCalendar({
  timeZone: 'Europe/London',
  workingHours: hours,
  calendar: 'england-and-wales',
  extraHolidays: ['2026-11-25'],
});

function spec(text: string): DeadlineSpec {
  const parsed = parseDeadlineSpec(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.spec;
}
const at = (iso: string) => new Date(iso);

describe('buildWorkCalendar', () => {
  it.each([
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-08-31', 'summer bank holiday'],
    ['2026-12-28', 'Boxing Day substitute (Boxing Day on a Saturday)'],
    ['2027-12-27', 'Christmas Day substitute'],
    ['2027-12-28', 'Boxing Day substitute'],
    ['2023-05-08', 'coronation bank holiday'],
  ])('%s is a holiday (%s)', (date) => {
    expect(london.holidays.has(date)).toBe(true);
  });

  it('keeps only public holidays (no observances such as Mother’s Day)', () => {
    expect(london.holidays.has('2026-03-15')).toBe(false);
    expect(london.holidays.has('2026-04-05')).toBe(false); // Easter Sunday
  });

  it('the "none" calendar has no holidays; extras are added', () => {
    expect(noHolidays.holidays.size).toBe(0);
    expect(withExtra.holidays.has('2026-11-25')).toBe(true);
    expect(SUPPORTED_CALENDARS).toEqual(['england-and-wales', 'none']);
  });

  it.each([[{ start: '17:00', end: '09:00' }], [{ start: '9am', end: '17:00' }]])('rejects bad working hours %j', (workingHours) => {
    expect(() => buildWorkCalendar({ timeZone: 'Europe/London', workingHours, calendar: 'none' })).toThrow();
  });

  it('rejects an unknown time zone and a bad extra holiday', () => {
    expect(() => buildWorkCalendar({ timeZone: 'Mars/Olympus', workingHours: hours, calendar: 'none' })).toThrow();
    expect(() => buildWorkCalendar({ timeZone: 'Europe/London', workingHours: hours, calendar: 'none', extraHolidays: ['25/12'] })).toThrow();
  });
});

describe('parseDeadlineSpec', () => {
  it.each([
    ['PT2H', { kind: 'duration', hours: 2, days: 0 }],
    ['PT30S', { kind: 'duration', seconds: 30 }],
    ['P1D', { kind: 'duration', days: 1, hours: 0 }],
    ['P2W', { kind: 'duration', weeks: 2 }],
    ['P1DT2H', { kind: 'duration', days: 1, hours: 2 }],
    ['P1Y2M3DT4H5M6S', { kind: 'duration', years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
    ['1 working day', { kind: 'workingDays', days: 1 }],
    ['10 Working Days', { kind: 'workingDays', days: 10 }],
    ['0 working days', { kind: 'workingDays', days: 0 }],
    ['4 working hours', { kind: 'workingHours', hours: 4 }],
    ['  1 WORKING HOUR ', { kind: 'workingHours', hours: 1 }],
  ])('accepts %j', (text, expected) => {
    const parsed = parseDeadlineSpec(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.spec).toMatchObject({ ...expected, text: text.trim() });
  });

  it.each(['2 days', 'PTX', '-1 working days', '', '   ', 'P', 'PT', 'P1DT', 'PT1.5H', '1.5 working days', 'P1H', 'working days'])('rejects %j with a helpful error', (text) => {
    const parsed = parseDeadlineSpec(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('expected');
  });
});

describe('addDeadline — working hours', () => {
  it.each([
    ['Fri 16:59 + 1 working hour = Mon 09:59', '2026-11-27T16:59:00Z', '1 working hour', '2026-11-30T09:59:00Z'],
    ['bank holiday Monday (2026-08-31) skipped, BST', '2026-08-28T15:59:00Z', '1 working hour', '2026-09-01T08:59:00Z'],
    ['Good Friday and Easter Monday skipped', '2026-04-02T15:00:00Z', '2 working hours', '2026-04-07T09:00:00Z'],
    ['2026 Boxing Day substitute Monday skipped', '2026-12-24T16:00:00Z', '2 working hours', '2026-12-29T10:00:00Z'],
    ['2027 Christmas + Boxing Day substitutes skipped', '2027-12-24T16:30:00Z', '1 working hour', '2027-12-29T09:30:00Z'],
    ['across 2026-03-29 (GMT→BST)', '2026-03-27T16:00:00Z', '2 working hours', '2026-03-30T09:00:00Z'],
    ['across 2026-10-25 (BST→GMT)', '2026-10-23T15:00:00Z', '2 working hours', '2026-10-26T10:00:00Z'],
    ['inside one day', '2026-11-24T10:00:00Z', '3 working hours', '2026-11-24T13:00:00Z'],
    ['exactly to the end of the day', '2026-11-24T09:00:00Z', '8 working hours', '2026-11-24T17:00:00Z'],
    ['raised before opening', '2026-11-24T07:00:00Z', '1 working hour', '2026-11-24T10:00:00Z'],
    ['raised on Saturday', '2026-11-28T12:00:00Z', '9 working hours', '2026-12-01T10:00:00Z'],
  ])('%s', (_name, from, text, due) => {
    expect(addDeadline({ calendar: london, from: at(from), spec: spec(text) }).toISOString()).toBe(new Date(due).toISOString());
  });

  it('on a calendar without holidays the bank holiday counts', () => {
    const due = addDeadline({ calendar: noHolidays, from: at('2026-08-28T15:59:00Z'), spec: spec('1 working hour') });
    expect(due.toISOString()).toBe('2026-08-31T08:59:00.000Z');
  });
});

describe('addDeadline — working days', () => {
  it.each([
    ['Tue 10:00 + 1 = Wed 17:00', '2026-11-24T10:00:00Z', '1 working day', '2026-11-25T17:00:00Z'],
    ['Fri 16:00 + 1 = Mon 17:00 (weekend)', '2026-11-27T16:00:00Z', '1 working day', '2026-11-30T17:00:00Z'],
    ['Fri + 1 with bank holiday Monday = Tue 17:00 BST', '2026-08-28T15:00:00Z', '1 working day', '2026-09-01T16:00:00Z'],
    ['raised Saturday + 1 = Mon 17:00', '2026-11-28T10:00:00Z', '1 working day', '2026-11-30T17:00:00Z'],
    ['raised after hours + 1 = next day', '2026-11-24T22:00:00Z', '1 working day', '2026-11-25T17:00:00Z'],
    ['local date, not UTC date (00:30 BST Tue)', '2026-06-01T23:30:00Z', '1 working day', '2026-06-03T16:00:00Z'],
    ['across Christmas 2026: + 2', '2026-12-23T10:00:00Z', '2 working days', '2026-12-29T17:00:00Z'],
    ['across Christmas and New Year: + 5', '2026-12-23T10:00:00Z', '5 working days', '2027-01-04T17:00:00Z'],
    ['2027 substitute days: Fri 24 Dec + 1 = Wed 29', '2027-12-24T10:00:00Z', '1 working day', '2027-12-29T17:00:00Z'],
    ['across 2026-10-25: + 5 ends 17:00 GMT', '2026-10-21T09:00:00Z', '5 working days', '2026-10-28T17:00:00Z'],
    ['across 2026-03-29: + 1 ends 17:00 BST', '2026-03-27T10:00:00Z', '1 working day', '2026-03-30T16:00:00Z'],
    ['10 working days (provider assessment)', '2026-11-02T10:00:00Z', '10 working days', '2026-11-16T17:00:00Z'],
    ['0 = same working day', '2026-11-24T10:00:00Z', '0 working days', '2026-11-24T17:00:00Z'],
    ['0 after hours = next working day', '2026-11-24T17:30:00Z', '0 working days', '2026-11-25T17:00:00Z'],
    ['0 at exactly 17:00 = next working day', '2026-11-24T17:00:00Z', '0 working days', '2026-11-25T17:00:00Z'],
    ['0 on Saturday = Monday', '2026-11-28T10:00:00Z', '0 working days', '2026-11-30T17:00:00Z'],
  ])('%s', (_name, from, text, due) => {
    expect(addDeadline({ calendar: london, from: at(from), spec: spec(text) }).toISOString()).toBe(new Date(due).toISOString());
  });

  it('honours an organisation extra holiday', () => {
    const due = addDeadline({ calendar: withExtra, from: at('2026-11-24T10:00:00Z'), spec: spec('1 working day') });
    expect(due.toISOString()).toBe('2026-11-26T17:00:00.000Z');
  });
});

describe('addDeadline — ISO durations', () => {
  it.each([
    ['P1D across 2026-03-29 keeps wall-clock 12:00', '2026-03-28T12:00:00Z', 'P1D', '2026-03-29T11:00:00Z'],
    ['PT24H across 2026-03-29 is elapsed time', '2026-03-28T12:00:00Z', 'PT24H', '2026-03-29T12:00:00Z'],
    ['P1D across 2026-10-25 keeps wall-clock 12:00', '2026-10-24T11:00:00Z', 'P1D', '2026-10-25T12:00:00Z'],
    ['PT24H across 2026-10-25 is elapsed time', '2026-10-24T11:00:00Z', 'PT24H', '2026-10-25T11:00:00Z'],
    ['P1DT2H across 2026-03-29', '2026-03-28T12:00:00Z', 'P1DT2H', '2026-03-29T13:00:00Z'],
    ['PT2H ignores working hours', '2026-11-27T16:30:00Z', 'PT2H', '2026-11-27T18:30:00Z'],
    ['PT30S', '2026-11-27T16:30:00Z', 'PT30S', '2026-11-27T16:30:30Z'],
    ['P2W', '2026-11-24T10:00:00Z', 'P2W', '2026-12-08T10:00:00Z'],
    ['P1M', '2026-01-31T10:00:00Z', 'P1M', '2026-02-28T10:00:00Z'],
  ])('%s', (_name, from, text, due) => {
    expect(addDeadline({ calendar: london, from: at(from), spec: spec(text) }).toISOString()).toBe(new Date(due).toISOString());
  });

  it('durationMs approximates days as 24 h', () => {
    expect(durationMs(spec('PT2H') as DeadlineSpec & { kind: 'duration' })).toBe(7_200_000);
    expect(durationMs(spec('P1DT30S') as DeadlineSpec & { kind: 'duration' })).toBe(86_430_000);
    expect(durationMs(spec('P2W') as DeadlineSpec & { kind: 'duration' })).toBe(14 * 86_400_000);
  });
});

describe('working-time predicates', () => {
  it.each([
    ['Tue 09:00', '2026-11-24T09:00:00Z', true, true],
    ['Tue 16:59:59', '2026-11-24T16:59:59Z', true, true],
    ['Tue 17:00', '2026-11-24T17:00:00Z', true, false],
    ['Tue 08:59', '2026-11-24T08:59:00Z', true, false],
    ['Sat 12:00', '2026-11-28T12:00:00Z', false, false],
    ['bank holiday 2026-08-31 10:00 BST', '2026-08-31T09:00:00Z', false, false],
    ['summer Tue 09:00 BST', '2026-06-02T08:00:00Z', true, true],
    ['summer Tue 08:30 BST (09:30 UTC would be wrong)', '2026-06-02T07:30:00Z', true, false],
  ])('%s', (_name, iso, workingDay, workingTime) => {
    expect(isWorkingDay({ calendar: london, at: at(iso) })).toBe(workingDay);
    expect(isWorkingTime({ calendar: london, at: at(iso) })).toBe(workingTime);
  });

  it.each([
    ['Saturday → Monday 09:00', '2026-11-28T12:00:00Z', '2026-11-30T09:00:00Z'],
    ['08:00 → 09:00 same day', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z'],
    ['17:00 → next day 09:00', '2026-11-24T17:00:00Z', '2026-11-25T09:00:00Z'],
    ['inside working time → itself', '2026-11-24T10:15:00Z', '2026-11-24T10:15:00Z'],
    ['summer 08:00 BST → 09:00 BST', '2026-06-02T07:00:00Z', '2026-06-02T08:00:00Z'],
    ['Fri evening before bank holiday → Tue', '2026-08-28T16:00:00Z', '2026-09-01T08:00:00Z'],
    ['Sunday 2026-03-29 → Monday 09:00 BST', '2026-03-29T10:00:00Z', '2026-03-30T08:00:00Z'],
  ])('nextWorkingTime: %s', (_name, from, expected) => {
    expect(nextWorkingTime({ calendar: london, from: at(from) }).toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe('workingMsBetween', () => {
  const H = 3_600_000;
  it.each([
    ['Fri 16:00 → Mon 10:00 across a weekend', '2026-11-27T16:00:00Z', '2026-11-30T10:00:00Z', 2 * H],
    ['across 2026-03-29', '2026-03-27T16:00:00Z', '2026-03-30T09:00:00Z', 2 * H],
    ['across 2026-10-25', '2026-10-23T15:00:00Z', '2026-10-26T10:00:00Z', 2 * H],
    ['across a bank holiday Monday', '2026-08-28T15:00:00Z', '2026-09-01T09:00:00Z', 2 * H],
    ['a whole working week', '2026-11-23T09:00:00Z', '2026-11-27T17:00:00Z', 40 * H],
    ['Saturday to Sunday', '2026-11-28T09:00:00Z', '2026-11-29T17:00:00Z', 0],
    ['to before from', '2026-11-24T12:00:00Z', '2026-11-24T10:00:00Z', 0],
    ['evening to next morning', '2026-11-24T18:00:00Z', '2026-11-25T09:30:00Z', 0.5 * H],
  ])('%s', (_name, from, to, expected) => {
    expect(workingMsBetween({ calendar: london, from: at(from), to: at(to) })).toBe(expected);
  });

  it('inverts addDeadline for working hours', () => {
    const from = at('2026-12-23T14:20:00Z');
    const due = addDeadline({ calendar: london, from, spec: spec('20 working hours') });
    expect(workingMsBetween({ calendar: london, from, to: due })).toBe(20 * H);
  });
});

describe('local date and time helpers', () => {
  it('localDate uses the calendar zone', () => {
    expect(localDate({ calendar: london, at: at('2026-06-01T23:30:00Z') })).toBe('2026-06-02');
    expect(localDate({ calendar: london, at: at('2026-12-01T23:30:00Z') })).toBe('2026-12-01');
  });

  it('localDateTime renders en-GB style text', () => {
    expect(localDateTime({ timeZone: 'Europe/London', at: at('2026-11-25T17:00:00Z') })).toBe('Wed 25 Nov 2026, 17:00');
    expect(localDateTime({ timeZone: 'Europe/London', at: at('2026-06-02T16:00:00Z') })).toBe('Tue 2 Jun 2026, 17:00');
  });

  it.each([
    ['startOfLocalDay in BST', startOfLocalDay({ timeZone: 'Europe/London', date: '2026-06-02' }), '2026-06-01T23:00:00Z'],
    ['startOfLocalDay in GMT', startOfLocalDay({ timeZone: 'Europe/London', date: '2026-12-02' }), '2026-12-02T00:00:00Z'],
    ['atLocalTime on 2026-03-29', atLocalTime({ timeZone: 'Europe/London', date: '2026-03-29', time: '09:00' }), '2026-03-29T08:00:00Z'],
    ['atLocalTime on 2026-10-25', atLocalTime({ timeZone: 'Europe/London', date: '2026-10-25', time: '09:00' }), '2026-10-25T09:00:00Z'],
  ])('%s', (_name, actual, expected) => {
    expect(actual.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('rejects malformed dates and times', () => {
    expect(() => atLocalTime({ timeZone: 'Europe/London', date: '2026-02-30', time: '09:00' })).toThrow();
    expect(() => atLocalTime({ timeZone: 'Europe/London', date: '2026-02-03', time: '25:00' })).toThrow();
  });
});

describe('formatLateness', () => {
  it.each([
    [45_000, '45 s'],
    [180_000, '3 min'],
    [2 * 3_600_000, '2 h'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 5 min'],
    [86_400_000, '1 day'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 days 4 h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatLateness(ms)).toBe(text);
  });
});

describe('purity', () => {
  it.each(['deadline-spec.ts', 'working-time.ts', 'time-format.ts'])('src/domain/time/%s never reads the clock or the environment', (file) => {
    const source = readFileSync(new URL(`../../src/domain/time/${file}`, import.meta.url), 'utf8');
    expect(source).not.toMatch(/Date\.now\(|new Date\(\)|process\.env|node-cron|drizzle|@slack|@microsoft/);
  });
});
