// How instants and lateness read to people: "Tue 24 Nov 2026, 10:32" in the organisation's zone, "2 days 3 h".
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { localDateTimeFast } from './zone-memo.js';

export function localDateTime(args: { timeZone: string; at: Date }): string {
  // The memoised zone offset gives the same text without a TZDate per call (a sweep formats thousands).
  return localDateTimeFast(args.timeZone, args.at.getTime()) ?? format(new TZDate(args.at.getTime(), args.timeZone), 'EEE d MMM yyyy, HH:mm');
}

export function formatLateness(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return '0 s';
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes} min`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) {
    const minutes = totalMinutes % 60;
    return minutes ? `${totalHours} h ${minutes} min` : `${totalHours} h`;
  }
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  const dayText = days === 1 ? '1 day' : `${days} days`;
  return hours ? `${dayText} ${hours} h` : dayText;
}
