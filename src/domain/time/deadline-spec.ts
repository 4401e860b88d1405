// Deadline specs from the org file: an ISO 8601 duration ("PT2H", "P1D") or "N working days" / "N working hours".
// Parsing only; src/domain/time/working-time.ts turns a spec into an instant on a calendar.

export type DeadlineSpec =
  | {
      kind: 'duration';
      text: string;
      years: number;
      months: number;
      weeks: number;
      days: number;
      hours: number;
      minutes: number;
      seconds: number;
    }
  | { kind: 'workingDays'; text: string; days: number }
  | { kind: 'workingHours'; text: string; hours: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Upper bounds keep a mistyped org file from turning a deadline into an endless loop. */
const MAX_WORKING_DAYS = 10_000;
const MAX_WORKING_HOURS = 100_000;

const EXPECTED = 'expected an ISO 8601 duration (PT2H) or "N working days" / "N working hours"';
const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const WORKING = /^(\d+)\s+working\s+(days?|hours?)$/i;

export function parseDeadlineSpec(text: string): { ok: true; spec: DeadlineSpec } | { ok: false; error: string } {
  const raw = typeof text === 'string' ? text.trim() : '';
  if (raw === '') return { ok: false, error: `empty deadline: ${EXPECTED}` };

  const working = WORKING.exec(raw);
  if (working) {
    const n = Number(working[1]);
    const unit = (working[2] ?? '').toLowerCase();
    if (unit.startsWith('day')) {
      if (!Number.isSafeInteger(n) || n > MAX_WORKING_DAYS) {
        return { ok: false, error: `"${raw}": at most ${MAX_WORKING_DAYS} working days` };
      }
      return { ok: true, spec: { kind: 'workingDays', text: raw, days: n } };
    }
    if (!Number.isSafeInteger(n) || n > MAX_WORKING_HOURS) {
      return { ok: false, error: `"${raw}": at most ${MAX_WORKING_HOURS} working hours` };
    }
    return { ok: true, spec: { kind: 'workingHours', text: raw, hours: n } };
  }

  const iso = ISO_DURATION.exec(raw.toUpperCase());
  const hasTimePart = raw.toUpperCase().includes('T');
  if (iso) {
    const parts = iso.slice(1).map((p) => (p === undefined ? undefined : Number(p)));
    const [years, months, weeks, days, hours, minutes, seconds] = parts;
    const anyDate = [years, months, weeks, days].some((p) => p !== undefined);
    const anyTime = [hours, minutes, seconds].some((p) => p !== undefined);
    const valid = (anyDate || anyTime) && (!hasTimePart || anyTime) && parts.every((p) => p === undefined || Number.isSafeInteger(p));
    if (valid) {
      return {
        ok: true,
        spec: {
          kind: 'duration',
          text: raw,
          years: years ?? 0,
          months: months ?? 0,
          weeks: weeks ?? 0,
          days: days ?? 0,
          hours: hours ?? 0,
          minutes: minutes ?? 0,
          seconds: seconds ?? 0,
        },
      };
    }
  }
  return { ok: false, error: `"${raw}": ${EXPECTED}` };
}

export function durationMs(spec: DeadlineSpec & { kind: 'duration' }): number {
  return spec.years * 365 * DAY + spec.months * 30 * DAY + spec.weeks * 7 * DAY + spec.days * DAY + spec.hours * HOUR + spec.minutes * MINUTE + spec.seconds * 1000;
}
