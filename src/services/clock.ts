// The one place Warren asks the wall clock, for times the data cannot give (when a signature
// changed, when a tag was first matched, when a notification was created or delivered). Tests
// pass a fixed clock instead. Stored times are ISO 8601 UTC to the second
// (`2026-01-02T03:04:05Z`), so text comparison in SQL orders them on both dialects.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Second-precision ISO text; rounding up keeps a scheduled time from being earlier than asked. */
export function isoSeconds(d: Date, round: 'down' | 'up' = 'down'): string {
  const ms = d.getTime();
  const s = round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  return `${new Date(s * 1000).toISOString().slice(0, 19)}Z`;
}

/** The UTC day of a stored time, `YYYY-MM-DD`. */
export function utcDay(iso: string): string {
  return iso.slice(0, 10);
}

/** The first second of a UTC day and of the day after it: the day is [start, end). */
export function dayBounds(day: string): { start: string; end: string } {
  const start = new Date(`${day}T00:00:00Z`);
  return { start: isoSeconds(start), end: isoSeconds(new Date(start.getTime() + 86_400_000)) };
}
