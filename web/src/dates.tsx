// Dates as the analyst reads them: one format everywhere, in the browser's time zone, with the
// UTC time on hover; how old a domain is; whether a certificate is valid now. "Now" is the
// page's clock (Date.now), passed in so a view computes every flag from the same moment.
import type { JSX } from 'preact';
import { when } from './ui.js';

/** The catalogue's timestamp fields an entity page shows (fields.md: ISO 8601 UTC): shown with LocalTime. */
export const DATE_FIELDS: ReadonlySet<string> = new Set(['whois.created', 'whois.updated', 'whois.expires', 'x509.not_before', 'x509.not_after']);

const LOCAL = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
const DAY_ONLY = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit' });
const DAY = 86_400_000;

/** The browser's time zone (its IANA name), said beside charts drawn in it. */
export function timeZone(): string {
  return LOCAL.resolvedOptions().timeZone;
}

/** Milliseconds since the epoch, or undefined for what is not a date. */
export function parseTime(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** A date and time in the browser's zone ("16 Mar 2026, 10:30 CET"); what is not a date, as it is. */
export function formatLocal(iso: string): string {
  const t = parseTime(iso);
  return t === undefined ? iso : LOCAL.format(t);
}

/** The day alone, in the browser's zone (chart ticks). */
export function formatDay(t: number): string {
  return DAY_ONLY.format(t);
}

/** A stored time shown in the user's zone; hovering shows it in UTC as stored. */
export function LocalTime({ iso }: { iso: string | null | undefined }): JSX.Element {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={when(iso)}>
      {formatLocal(iso)}
    </time>
  );
}

/** Whole calendar months from `from` to `to` (both epoch ms), never negative. */
function monthsBetween(from: number, to: number): number {
  const a = new Date(from);
  const b = new Date(to);
  let m = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (b.getUTCDate() < a.getUTCDate()) m--;
  return Math.max(0, m);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How long ago `iso` was, in the words an age is said in: days, then months, then years and months. */
export function ageText(iso: string, now: number): string | undefined {
  const t = parseTime(iso);
  if (t === undefined) return undefined;
  if (t > now) return 'in the future';
  const days = Math.floor((now - t) / DAY);
  if (days < 60) return plural(days, 'day');
  const months = monthsBetween(t, now);
  if (months < 24) return plural(months, 'month');
  const years = Math.floor(months / 12);
  return months % 12 === 0 ? plural(years, 'year') : `${plural(years, 'year')}, ${plural(months % 12, 'month')}`;
}

export type Validity = 'valid' | 'expired' | 'not-yet-valid' | 'unknown';

/** A certificate's validity at `now` from its not_before / not_after (either may be missing). */
export function validityAt(notBefore: string | undefined, notAfter: string | undefined, now: number): Validity {
  const from = parseTime(notBefore);
  const to = parseTime(notAfter);
  if (from === undefined && to === undefined) return 'unknown';
  if (from !== undefined && now < from) return 'not-yet-valid';
  if (to !== undefined && now > to) return 'expired';
  return 'valid';
}

const VALIDITY_WORDS: Record<Validity, string> = { valid: 'valid', expired: 'expired', 'not-yet-valid': 'not yet valid', unknown: 'validity unknown' };

/** The validity as a badge: a word and a colour, so it reads without the colour too. */
export function ValidityBadge({ validity }: { validity: Validity }): JSX.Element {
  return (
    <span class={`flag flag-${validity}`} data-testid="validity">
      {VALIDITY_WORDS[validity]}
    </span>
  );
}

/** Days from `now` until `iso` (negative once past), whole days rounded down. */
export function daysUntil(iso: string, now: number): number | undefined {
  const t = parseTime(iso);
  return t === undefined ? undefined : Math.floor((t - now) / DAY);
}
