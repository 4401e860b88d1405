import type { ReportDeadline } from '../db/board.repository.js';
import { type WorkCalendar, atLocalTime, localDate, workingMsBetween } from '../domain/time/working-time.js';

/** A report table: column names and rows of plain values; the page renders it and the CSV route exports it. */
export interface ReportTable {
  id: 'times' | 'overdue' | 'reminders' | 'referrals';
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface UnitWeekReport {
  unitId: string;
  week: string;
  /** Median and 90th percentile per measure, in working hours (null with no data). */
  times: { measure: string; count: number; medianHours: number | null; p90Hours: number | null }[];
  overdue: { due: number; late: number; rate: number | null };
  reminders: { rung: string; count: number }[];
  referrals: { sent: number; late: number };
  tables: ReportTable[];
}

const MEASURES = [
  { kind: 'countersign', measure: 'Time to countersign' },
  { kind: 'acceptance', measure: 'Time to accept (duty decision)' },
  { kind: 'handover', measure: 'Time to handover' },
] as const;

const RUNGS = [
  { rung: 'owner', label: 'Person who owes it' },
  { rung: 'manager', label: 'Their manager' },
  { rung: 'seniorManager', label: 'Senior manager' },
] as const;

const WEEK = /^\d{4}-\d{2}-\d{2}$/;

const addDays = (date: string, days: number) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

/** Monday (local date) of the week holding `at`. */
export const weekOf = (args: { calendar: WorkCalendar; at: Date }) => {
  const date = localDate(args);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday 0
  return addDays(date, -weekday);
};

/** A valid week parameter is a Monday in YYYY-MM-DD. */
export const parseWeek = (value: unknown): string | null => {
  if (typeof value !== 'string' || !WEEK.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.toISOString().slice(0, 10) === value && date.getUTCDay() === 1 ? value : null;
};

export const shiftWeek = (week: string, weeks: number) => addDays(week, weeks * 7);

/** [Monday 00:00, next Monday 00:00) in the organisation's time zone. */
export const weekRange = (args: { timeZone: string; week: string }) => ({
  from: atLocalTime({ timeZone: args.timeZone, date: args.week, time: '00:00' }),
  to: atLocalTime({ timeZone: args.timeZone, date: addDays(args.week, 7), time: '00:00' }),
});

/** Nearest-rank percentile of sorted values. */
export const percentile = (sorted: readonly number[], p: number): number | null => {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
};

/** Median as the mean of the two middle values for an even count. */
export const median = (sorted: readonly number[]): number | null => {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10);
const cell = (value: number | null) => (value === null ? '—' : value);

/** One unit's week, from its deadlines, reminder counts and referrals (all already scoped by the caller). */
export const buildUnitWeekReport = (args: {
  calendar: WorkCalendar;
  unitId: string;
  week: string;
  from: Date;
  to: Date;
  now: Date;
  deadlines: readonly ReportDeadline[];
  reminders: readonly { rung: string; count: number }[];
  referrals: readonly { lateWeeks: number; referBy: string; createdAt: Date }[];
}): UnitWeekReport => {
  const { calendar, from, to, now } = args;
  const within = (at: Date | null) => at !== null && at.getTime() >= from.getTime() && at.getTime() < to.getTime();
  const times = MEASURES.map(({ kind, measure }) => {
    // A deadline closed with nobody named was replaced (e.g. a resubmission), not met: it is not a time to act.
    const spans = args.deadlines
      .filter((d) => d.kind === kind && d.metBy && within(d.metAt))
      .map((d) => workingMsBetween({ calendar, from: d.startedAt, to: d.metAt as Date }))
      .sort((a, b) => a - b);
    return { measure, count: spans.length, medianHours: hours(median(spans)), p90Hours: hours(percentile(spans, 90)) };
  });
  const due = args.deadlines.filter((d) => within(d.dueAt) && !(d.metAt && !d.metBy) && d.dueAt.getTime() <= now.getTime());
  const late = due.filter((d) => (d.metAt ?? now).getTime() > d.dueAt.getTime()).length;
  const overdue = { due: due.length, late, rate: due.length === 0 ? null : Math.round((late / due.length) * 1000) / 10 };
  const reminders = RUNGS.map(({ rung, label }) => ({ rung: label, count: args.reminders.find((r) => r.rung === rung)?.count ?? 0 }));
  const lateReferrals = args.referrals.filter((r) => r.lateWeeks > 0 || localDate({ calendar, at: r.createdAt }) > r.referBy).length;
  const referrals = { sent: args.referrals.length, late: lateReferrals };
  const tables: ReportTable[] = [
    {
      id: 'times',
      caption: 'Time to act, in working hours',
      columns: ['Measure', 'Decisions', 'Median (working h)', '90th percentile (working h)'],
      rows: times.map((t) => [t.measure, t.count, cell(t.medianHours), cell(t.p90Hours)]),
    },
    {
      id: 'overdue',
      caption: 'Deadlines due this week',
      columns: ['Due so far', 'Met late or still overdue', 'Overdue rate (%)'],
      rows: [[overdue.due, overdue.late, cell(overdue.rate)]],
    },
    { id: 'reminders', caption: 'Reminders sent, per rung', columns: ['Rung', 'Reminders'], rows: reminders.map((r) => [r.rung, r.count]) },
    { id: 'referrals', caption: 'Referrals made', columns: ['Referrals sent', 'Made after the refer-by date'], rows: [[referrals.sent, referrals.late]] },
  ];
  return { unitId: args.unitId, week: args.week, times, overdue, reminders, referrals, tables };
};

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export const tableCsv = (table: ReportTable) => {
  const quote = (value: string | number) => {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [table.columns, ...table.rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
};
