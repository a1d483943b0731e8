// WHOIS dates: every registry writes them its own way (ISO with and without zone, `01-Aug-2003`,
// `2003.08.01`, `20030801`, `01.08.2003`, `Fri Aug 01 2003`, `2003. 08. 01.`, `2003/08/01 (JST)`,
// `30th April 2003 at 00:00:00.000`, …). One lenient parser turns them into the record
// convention, ISO 8601 UTC `YYYY-MM-DDTHH:MM:SSZ`; a date without a zone is UTC.
//
// Two numbers before the year (`02/01/2020`) are ambiguous: the caller may say which comes first
// (`dayFirst`), from the other dates of the same reply or the registry's convention (see
// interpret.ts); without that, an impossible month settles it, then the separator does.
//
// `before 1 January 1996` (SWITCH, for registrations older than its database) is that date: the
// registry's own statement of the latest the domain can have been created, and the only date it
// gives. Other bounds and approximations (`after …`, `about …`) are not dates.

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Zone abbreviations seen in WHOIS replies, in minutes east of UTC. Ambiguous ones (CST, IST) are left out. */
const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  west: 60,
  bst: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  jst: 540,
  kst: 540,
  hkt: 480,
  sgt: 480,
  awst: 480,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
  est: -300,
  edt: -240,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  // South America (NIC Chile writes `CLST`, registro.br `BRT`).
  clt: -240,
  clst: -180,
  brt: -180,
  brst: -120,
  art: -180,
  uyt: -180,
  pet: -300,
  cot: -300,
  // Asia and Oceania.
  ict: 420,
  wib: 420,
  pht: 480,
  nzt: 720,
};

const NUMERIC_OFFSET = /^([+-])(\d{1,2})(?::?(\d{2}))?$/;
const NAMED_OFFSET = /^(utc|gmt|ut|z)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/i;

/** Minutes east of UTC for a zone designator (`Z`, `+03`, `-0700`, `+05:30`, `UTC+8`, `GMT+0:00`, `JST`). */
export function zoneOffsetMinutes(zone: string): number | undefined {
  const text = zone.trim();
  if (text === '') return 0;
  const numeric = NUMERIC_OFFSET.exec(text);
  if (numeric) return signedOffset(numeric[1]!, numeric[2]!, numeric[3]);
  const named = NAMED_OFFSET.exec(text);
  if (named) return named[2] === undefined ? 0 : signedOffset(named[2], named[3]!, named[4]);
  return ZONE_ABBREVIATIONS[text.toLowerCase()];
}

function signedOffset(sign: string, hours: string, minutes: string | undefined): number | undefined {
  const h = Number(hours);
  const m = minutes === undefined ? 0 : Number(minutes);
  if (h > 14 || m > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offset: number;
}

/** ISO 8601 UTC text for the parts, or undefined when they name no real instant (31 June, 25:00). */
function isoText(p: Parts): string | undefined {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31) return undefined;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return undefined;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: the latter reads years 0-99 as 1900-1999.
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  if (d.getUTCFullYear() !== p.year || d.getUTCMonth() !== p.month - 1 || d.getUTCDate() !== p.day) return undefined;
  d.setUTCHours(p.hour, p.minute - p.offset, Math.min(p.second, 59), 0);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  return `${d.toISOString().slice(0, 19)}Z`;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?`;
/** Year first: `2003-08-01`, `2003.08.01 10:00:00`, `2003/08/01`, `2003. 08. 01.`, `2001-06-14-T10:32:43Z`. */
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})\.?(?:(?:\s*-?\s*T\s*|\s+)${TIME})?\s*(.*)$`, 'i');
/** Compact: `20030801`, `20030801 10:00:00`, `20030801T100000Z`. */
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:\s*T?\s*(\d{2}):?(\d{2})(?::?(\d{2}))?)?\s*(.*)$/i;
/** Day or month first: `01.08.2003`, `1.8.2003 10:00:00`, `01-08-2003`, `08/01/2003`. */
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})(?:\s+${TIME})?\s*(.*)$`, 'i');

/**
 * The instant a WHOIS date value names, as ISO 8601 UTC, or undefined when it names none
 * (empty, prose such as `before 1 January 1996` or `30th April each year`, impossible dates).
 */
export function parseWhoisDate(input: string, options: DateOptions = {}): string | undefined {
  let text = input.trim();
  if (text === '' || text.length > 80) return undefined;
  // `before 1 January 1996`: the registry's upper bound, which is all it says of the date.
  const before = /^before\s+(?=\S)/i.exec(text);
  if (before) text = text.slice(before[0].length);
  // Other bounds and approximations are not the date itself.
  if (/^(before|after|about|circa|approx|since)/i.test(text)) return undefined;
  // Format hints, serial numbers and editor addresses that some registries append (or, RIPE's
  // `changed: hostmaster@example.net 20030801`, put first).
  text = text
    .replace(/\((?:yyyy|dd|mm)[^)]*\)/gi, ' ')
    .replace(/\s+#\d+\s*$/, '')
    .replace(/\s+\S+@\S+\s*$/, '')
    .replace(/^\S+@\S+\s+(?=\d)/, '')
    // `2001-Aug-23.` (.tr), `2020-01-02.` : a full stop that ends the sentence.
    .replace(/(\d|[a-z])\.$/i, '$1')
    .trim();
  const dayFirst = options.dayFirst;
  let offset: number | undefined;
  const parenthesised = /\(\s*([^()]*?)\s*\)\s*$/.exec(text);
  if (parenthesised) {
    offset = zoneOffsetMinutes(parenthesised[1]!);
    if (offset === undefined) return undefined;
    text = text.slice(0, parenthesised.index).trim();
  }
  return numericDate(text, offset, dayFirst) ?? namedMonthDate(text, offset);
}

export interface DateOptions {
  /**
   * For `02/01/2020`-style dates whose first two numbers could each be the month: true when the
   * day comes first, false when the month does; undefined leaves it to the separator.
   */
  readonly dayFirst?: boolean | undefined;
}

/**
 * What a date text says of the day/month order, or undefined when it says nothing: `13/01/2020`
 * is day first, `01/13/2020` month first, `02/01/2020` either.
 */
export function dayOrderEvidence(input: string): boolean | undefined {
  const m = /(?:^|[^\d])(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*\d{4}(?!\d)/.exec(input.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[3]);
  if (a > 12 && b <= 12) return true;
  if (b > 12 && a <= 12) return false;
  return undefined;
}

function numericDate(text: string, outerOffset: number | undefined, dayFirst: boolean | undefined): string | undefined {
  const yearFirst = YEAR_FIRST.exec(text);
  if (yearFirst) {
    const [, y, , mo, d, h, mi, s, rest] = yearFirst;
    return withZone(rest!, outerOffset, (offset) =>
      isoText({ year: Number(y), month: Number(mo), day: Number(d), ...clock(h, mi, s), offset }),
    );
  }
  const compact = COMPACT.exec(text);
  if (compact) {
    const [, y, mo, d, h, mi, s, rest] = compact;
    return withZone(rest!, outerOffset, (offset) =>
      isoText({ year: Number(y), month: Number(mo), day: Number(d), ...clock(h, mi, s), offset }),
    );
  }
  const yearLast = YEAR_LAST.exec(text);
  if (yearLast) {
    const [, a, separator, b, y, h, mi, s, rest] = yearLast;
    const [month, day] = monthDayOrder(Number(a), Number(b), separator!, dayFirst);
    return withZone(rest!, outerOffset, (offset) => isoText({ year: Number(y), month, day, ...clock(h, mi, s), offset }));
  }
  return undefined;
}

/**
 * Which of two leading numbers is the month. An impossible month settles it; then the order the
 * caller knows (the reply's other dates, the registry's convention); otherwise slashes mean the
 * US order (`12/18/2001`, .tk) and dots or dashes the European one (`31-03-2020`, .hk).
 */
function monthDayOrder(a: number, b: number, separator: string, dayFirst: boolean | undefined): [number, number] {
  if (a > 12) return [b, a];
  if (b > 12) return [a, b];
  if (dayFirst !== undefined) return dayFirst ? [b, a] : [a, b];
  return separator === '/' ? [a, b] : [b, a];
}

function clock(h: string | undefined, mi: string | undefined, s: string | undefined): Pick<Parts, 'hour' | 'minute' | 'second'> {
  return { hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0) };
}

/** Applies the zone left after the date (or given in parentheses); anything else there is not a date. */
function withZone(rest: string, outerOffset: number | undefined, build: (offset: number) => string | undefined): string | undefined {
  const trimmed = rest.trim();
  if (trimmed === '') return build(outerOffset ?? 0);
  if (outerOffset !== undefined) return undefined;
  const offset = zoneOffsetMinutes(trimmed);
  return offset === undefined ? undefined : build(offset);
}

const WEEKDAY = /\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\b\.?,?/gi;
const TIME_ANYWHERE = new RegExp(TIME);
const OFFSET_ANYWHERE = /(?:^|\s)(?:(?:utc|gmt)\s*)?([+-]\d{2}:?\d{2})(?=\s|$)/i;

/** Dates with a month name, in any order: `01-Aug-2003`, `Fri Aug 01 2003 10:00:00 GMT`, `31 May 1999`, `August 1, 2003`. */
function namedMonthDate(text: string, outerOffset: number | undefined): string | undefined {
  let rest = text.replace(WEEKDAY, ' ');
  let time: Pick<Parts, 'hour' | 'minute' | 'second'> = { hour: 0, minute: 0, second: 0 };
  const t = TIME_ANYWHERE.exec(rest);
  if (t) {
    time = clock(t[1], t[2], t[3]);
    rest = `${rest.slice(0, t.index)} ${rest.slice(t.index + t[0].length)}`;
  }
  let offset = outerOffset;
  const o = OFFSET_ANYWHERE.exec(rest);
  if (o) {
    if (offset !== undefined) return undefined;
    offset = zoneOffsetMinutes(o[1]!);
    rest = `${rest.slice(0, o.index)} ${rest.slice(o.index + o[0].length)}`;
  }
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  for (const token of rest.split(/[\s,/.-]+/).filter((x) => x !== '')) {
    const lower = token.toLowerCase();
    if (/^\d{4}$/.test(token) && year === undefined) year = Number(token);
    else if (/^\d{1,2}(?:st|nd|rd|th)?$/i.test(token) && day === undefined) day = parseInt(token, 10);
    else if (/^[a-z]{3,9}$/i.test(token) && month === undefined && monthNumber(lower) !== undefined) month = monthNumber(lower);
    else if (lower === 'at' || lower === 'on' || lower === 'of' || lower === 'the') continue;
    else if (zoneOffsetMinutes(lower) !== undefined && offset === undefined) offset = zoneOffsetMinutes(lower);
    else return undefined;
  }
  if (year === undefined || month === undefined || day === undefined) return undefined;
  return isoText({ year, month, day, ...time, offset: offset ?? 0 });
}

function monthNumber(word: string): number | undefined {
  if (word === 'sept') return 9;
  const index = MONTHS.findIndex((m) => m.startsWith(word) && word.length >= 3);
  return index < 0 ? undefined : index + 1;
}
