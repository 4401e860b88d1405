// The duty rota over time, as pure functions of local dates: which weekday a date is, the days of a range, and
// who is on duty on a date (a dated change beats the weekly rota, which beats the unit's default duty).

export const ROTA_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type RotaDay = (typeof ROTA_DAYS)[number];

/** The longest range one /duty change may cover (a year), so a typo cannot set a decade. */
export const MAX_DUTY_RANGE_DAYS = 366;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const utc = (date: string): Date | null => {
  const match = DATE_RE.exec(date);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d ? probe : null;
};

/** Is this a real calendar date written YYYY-MM-DD? */
export const isLocalDate = (date: string): boolean => utc(date) !== null;

export const addDays = (date: string, days: number): string => {
  const at = utc(date);
  if (!at) throw new RangeError(`not a calendar date: '${date}'`);
  return new Date(at.getTime() + days * 86_400_000).toISOString().slice(0, 10);
};

export const daysBetween = (from: string, to: string): number => {
  const a = utc(from);
  const b = utc(to);
  if (!a || !b) throw new RangeError(`not calendar dates: '${from}', '${to}'`);
  return Math.round((b.getTime() - a.getTime()) / 86_400_000);
};

export const rotaDayOf = (date: string): RotaDay => {
  const at = utc(date);
  if (!at) throw new RangeError(`not a calendar date: '${date}'`);
  return ROTA_DAYS[(at.getUTCDay() + 6) % 7] as RotaDay;
};

/** Where a day's duty comes from: a /duty change (by whom, when), the weekly rota, or the unit's default. */
export type DutySource = { kind: 'change'; setBy: string | null; setAt: Date; changeId: number } | { kind: 'rota'; day: RotaDay } | { kind: 'default' };

export interface DutyOnDay {
  date: string;
  personIds: string[];
  source: DutySource;
}

/** Who is on duty on a local date: the newest change covering it, else the rota's weekday, else the default. */
export const resolveDuty = (args: {
  date: string;
  change: { id: number; personIds: string[]; setBy: string | null; setAt: Date } | undefined;
  rota: Partial<Record<RotaDay, string[] | undefined>> | undefined;
  defaultDuty: readonly string[];
}): DutyOnDay => {
  const { date, change } = args;
  if (change) return { date, personIds: [...change.personIds], source: { kind: 'change', setBy: change.setBy, setAt: change.setAt, changeId: change.id } };
  const day = rotaDayOf(date);
  const fromRota = args.rota?.[day];
  if (fromRota) return { date, personIds: [...fromRota], source: { kind: 'rota', day } };
  return { date, personIds: [...args.defaultDuty], source: { kind: 'default' } };
};

/** What a /duty change names: one day or an inclusive range of days. */
export type DutyWhen = { from: string; until: string };

/**
 * Read the days part of `/duty <unit> @person [today | tomorrow | YYYY-MM-DD | YYYY-MM-DD..YYYY-MM-DD]`.
 * Returns the days, or the reason they are refused: malformed, in the past, end before start, too long.
 */
export const parseDutyWhen = (args: { text: string; today: string }): { ok: true; when: DutyWhen } | { ok: false; reason: 'malformed' | 'past' | 'end_before_start' | 'too_long'; input: string } => {
  const text = args.text.trim().toLowerCase();
  const { today } = args;
  if (text === '' || text === 'today') return { ok: true, when: { from: today, until: today } };
  if (text === 'tomorrow') return { ok: true, when: { from: addDays(today, 1), until: addDays(today, 1) } };
  const range = /^(\S+?)(?:\s*\.\.\s*(\S+))?$/.exec(text);
  const from = range?.[1] ?? '';
  const until = range?.[2] ?? from;
  if (!range || !isLocalDate(from) || !isLocalDate(until)) return { ok: false, reason: 'malformed', input: args.text.trim() };
  if (from < today) return { ok: false, reason: 'past', input: from };
  if (until < from) return { ok: false, reason: 'end_before_start', input: args.text.trim() };
  if (daysBetween(from, until) + 1 > MAX_DUTY_RANGE_DAYS) return { ok: false, reason: 'too_long', input: args.text.trim() };
  return { ok: true, when: { from, until } };
};
