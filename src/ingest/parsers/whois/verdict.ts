// Replies that carry no registration: "no such domain" in its many wordings, and refusals for
// querying too fast. Both are only believed when the reply has no registration data, because
// registries' legal footers also say things like "not found" or "exceeding query rate limits".

const NOT_FOUND: readonly RegExp[] = [
  /\bno match\b/i,
  /\bnot found\b/i,
  /\bno found\b/i,
  /\bno data found\b/i,
  /\bno entries found\b/i,
  /\bno matching (?:record|objects?)\b/i,
  /\bno object found\b/i,
  /\bobject does not exist\b/i,
  /\bdoes not have any data\b/i,
  /\bnothing found\b/i,
  /\bno information available\b/i,
  /\bis available for registration\b/i,
  /\bnot available for (?:second level )?registration\b/i,
  /\b(?:has not been|is not|not) registered\b/i,
  /\bis free\b/i,
  /\bnot known in\b/i,
  /\bnincs talalat\b/i,
  /등록되어 있지 않습니다/,
  /\binvalid query\b/i,
];

// `[ \t]`, not `\s`: in multiline mode `^\s*` would run across blank lines, quadratically.
/** Line-anchored forms: `Status: free` (.de), `Status: AVAILABLE` (.eu, .it), `query_status: 220 Available` (.nz). */
const NOT_FOUND_LINES: readonly RegExp[] = [/^[ \t]*status:[ \t]*(?:free|available)[ \t]*$/im, /^[ \t]*query_status:[ \t]*220\b/im];

const RATE_LIMITED: readonly RegExp[] = [
  /\brate limit/i,
  /\bquery limit\b/i,
  /\bexceeded the (?:maximum|allowed|query|request)/i,
  /\bmaximum allowable number\b/i,
  /\btoo many (?:requests|queries|connections)\b/i,
  /\blimit exceeded\b/i,
  /\bquota exceeded\b/i,
  /\b(?:exceeded|reached) (?:your|the) (?:query|request|connection|daily|hourly)? ?(?:limit|quota)/i,
  /\btemporarily (?:blocked|denied|unavailable)\b/i,
  /\btry again later\b/i,
  /\bexcessive (?:querying|queries|use)\b.{0,200}\b(?:denied|blocked|refused)\b/i,
];

export type Verdict = 'not-found' | 'rate-limited';

/** Why a reply without registration data has none, when it says so. */
export function emptyReplyVerdict(text: string): Verdict | undefined {
  // Phrases are matched across line breaks and comment markers: `% … does not have\n% any data for …`.
  const flat = text.replace(/^[ \t]*[%#]+[ \t]*/gm, '').replace(/\s+/g, ' ');
  // Whichever the reply says first: a "Domain not found." reply often ends with a footer about
  // throttling ("If too many queries are received …"), and a refusal comes before any footer.
  const notFound = Math.min(firstMatch(NOT_FOUND, flat), NOT_FOUND_LINES.some((re) => re.test(text)) ? 0 : Infinity);
  const limited = firstMatch(RATE_LIMITED, flat);
  if (notFound === Infinity && limited === Infinity) return undefined;
  return limited < notFound ? 'rate-limited' : 'not-found';
}

function firstMatch(patterns: readonly RegExp[], text: string): number {
  let first = Infinity;
  for (const re of patterns) {
    const m = re.exec(text);
    if (m && m.index < first) first = m.index;
  }
  return first;
}
