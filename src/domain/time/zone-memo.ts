// Memoised time-zone offsets: a sweep reads the local date and time of tens of thousands of instants that fall in a
// handful of hours, and every TZDate costs an Intl lookup. Pure: every instant is a parameter.
import { tzOffset } from '@date-fns/tz';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_HOURS_PER_ZONE = 100_000;
const MAX_DAYS = 100_000;

/** Per zone: UTC hour number → the zone's shift in ms during that whole hour. */
const shifts = new Map<string, Map<number, number>>();

/** The shift TZDate applies to read wall-clock fields (`syncToInternal`), in ms: wall time = instant + shift. */
const plainShift = (timeZone: string, ms: number): number => -Math.round(-tzOffset(timeZone, new Date(ms)) * 60) * 1000;

/**
 * wall-clock ms (the instant's local fields read as UTC) minus the instant, as TZDate computes it. An hour is
 * remembered only when its first and last millisecond have the same offset: no zone changes its offset twice
 * within one hour, so the whole hour then has that offset (test/domain/working-time-fast.property.test.ts checks
 * the answers against TZDate over many zones and dates, across clock changes). NaN for an unknown zone.
 */
export function zoneShift(timeZone: string, ms: number): number {
  let hours = shifts.get(timeZone);
  if (!hours) {
    hours = new Map();
    shifts.set(timeZone, hours);
  }
  const hour = Math.floor(ms / HOUR);
  const known = hours.get(hour);
  if (known !== undefined) return known;
  const shift = plainShift(timeZone, ms);
  if (!Number.isFinite(ms)) return shift;
  const first = hour * HOUR;
  if (plainShift(timeZone, first) === shift && plainShift(timeZone, first + HOUR - 1) === shift) {
    if (hours.size >= MAX_HOURS_PER_ZONE) hours.clear();
    hours.set(hour, shift);
  }
  return shift;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');

/** Local day number (days since 1970-01-01 in wall-clock time) → its 'YYYY-MM-DD'. */
const dayTexts = new Map<number, string>();

/** Local fields of an instant in a zone, or null where the memo does not apply (years outside 1000–9999). */
export function wallClock(timeZone: string, ms: number): Date | null {
  const wall = ms + zoneShift(timeZone, ms);
  // Years with 4 digits only: the formats below (and date-fns' yyyy) agree there without sign or padding quirks.
  if (!(wall >= -30_610_224_000_000 && wall < 253_402_300_800_000)) return null;
  return new Date(wall);
}

/** The local date 'YYYY-MM-DD' of an instant, or null where the memo does not apply. */
export function zonedDateFast(timeZone: string, ms: number): string | null {
  const wall = ms + zoneShift(timeZone, ms);
  if (!(wall >= -30_610_224_000_000 && wall < 253_402_300_800_000)) return null;
  const day = Math.floor(wall / DAY);
  let text = dayTexts.get(day);
  if (text === undefined) {
    const date = new Date(day * DAY);
    text = `${pad4(date.getUTCFullYear())}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
    if (dayTexts.size >= MAX_DAYS) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return text;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'EEE d MMM yyyy, HH:mm' of an instant in a zone, as date-fns formats it; null where the memo does not apply. */
export function localDateTimeFast(timeZone: string, ms: number): string | null {
  const wall = wallClock(timeZone, ms);
  if (!wall) return null;
  return `${WEEKDAYS[wall.getUTCDay()]} ${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]} ${pad4(wall.getUTCFullYear())}, ${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}`;
}
