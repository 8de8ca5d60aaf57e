const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time with milliseconds, e.g. `14:03:07.512`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/**
 * The date a row needs besides its time, in the user's locale (`Dec 1`, `1 déc.`; with the year
 * when it is not this one), or undefined for today's rows: a time alone would pass yesterday's
 * event off as today's.
 */
export function dateIfNotToday(ms: number, now = new Date(), locale?: string): string | undefined {
  const d = new Date(ms);
  if (sameDay(d, now)) return undefined;
  return d.toLocaleDateString(locale, {
    month: 'short',
    day: 'numeric',
    ...(d.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}
