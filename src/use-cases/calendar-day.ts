import { format } from 'date-fns';

/** 'YYYY-MM-DD' → 'Tue 2 Feb 2027' (a calendar date, as a release date is: no time zone involved). */
export const calendarDayText = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format(new Date(y, m - 1, d), 'EEE d MMM yyyy');
};
