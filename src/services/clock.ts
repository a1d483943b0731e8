// The one place Warren asks the wall clock, for times the data cannot give (when a signature
// changed, when a tag was first matched, when a notification was created). Tests pass a fixed
// clock instead.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** ISO 8601 UTC to the second, the form every stored time has. */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
