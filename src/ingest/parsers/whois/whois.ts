// Port-43 WHOIS replies → one `whois` record each (fields.md, "WHOIS"). Registries and registrars
// each have their own layout; the parser reads them in three steps: layout (which lines are keys,
// values, headers, blocks), interpretation (what each key means and whose it is), and fields.
import { basename } from 'node:path';
import { normaliseDomain } from '../../../fields/domain.js';
import { normaliseValue } from '../../../fields/normalise.js';
import type { FieldMap, Format, ParseOptions, ParseResult, WhoisRecord } from '../../records.js';
import { parseWhoisDate } from './dates.js';
import { interpret, type Interpretation } from './interpret.js';
import { ROLES } from './keys.js';
import { layout } from './layout.js';
import { emptyReplyVerdict } from './verdict.js';
import { emailsIn, uniqueFolded } from './values.js';

export { parseWhoisDate } from './dates.js';
export { isPlaceholder } from './values.js';

export const NOT_FOUND_MESSAGE = 'no such domain in the registry reply';
export const RATE_LIMITED_MESSAGE = 'rate-limited reply';
export const NO_DOMAIN_MESSAGE = 'the reply names no domain, and neither the domain option nor the file name gives one';

/** Parses one WHOIS reply. Never throws: what cannot be read is reported as an error. */
export function parseWhois(text: string, options: ParseOptions): ParseResult {
  try {
    return parseReply(text, options);
  } catch (e) {
    // The parser is total by construction; this is the last guard so that one odd reply can
    // never stop an ingest run.
    return { records: [], errors: [{ line: 0, message: `unreadable WHOIS reply: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

function parseReply(text: string, options: ParseOptions): ParseResult {
  const hinted = options.domain ?? (options.fileName === undefined ? undefined : domainFromFileName(options.fileName));
  const reading = interpret(layout(text), { domain: hinted });
  if (!hasRegistrationData(reading)) {
    const verdict = emptyReplyVerdict(text);
    if (verdict === 'rate-limited') return { records: [], errors: [{ line: 1, message: RATE_LIMITED_MESSAGE }] };
    if (verdict === 'not-found') return { records: [], errors: [{ line: 1, message: NOT_FOUND_MESSAGE }] };
  }
  const domain = replyDomain(reading, options);
  if (domain === undefined) return { records: [], errors: [{ line: 0, message: NO_DOMAIN_MESSAGE }] };
  const observed = observedAt(text);
  const record: WhoisRecord = {
    kind: 'whois',
    domain,
    fields: fieldsOf(reading, domain, text),
    source: options.source ?? 'whois',
    ...(observed === undefined ? {} : { observed }),
  };
  return { records: [record], errors: [] };
}

/** Whether the reply describes a registration at all (as opposed to "no match" with a footer). */
function hasRegistrationData(r: Interpretation): boolean {
  if (r.registrar !== undefined || r.nameServers.length > 0 || Object.keys(r.dates).length > 0) return true;
  return ROLES.some((role) => {
    const c = r.contacts[role];
    return c.name !== undefined || c.organization !== undefined || c.email !== undefined;
  });
}

/** The domain the reply states, else `options.domain`, else one derived from the file name. */
function replyDomain(r: Interpretation, options: ParseOptions): string | undefined {
  for (const d of r.domains) {
    const n = normaliseDomain(d);
    if (n !== undefined) return n;
  }
  if (options.domain !== undefined) {
    const n = normaliseDomain(options.domain);
    if (n !== undefined) return n;
  }
  return options.fileName === undefined ? undefined : domainFromFileName(options.fileName);
}

/**
 * `com_google.com` (a TLD, an underscore, the domain: how WHOIS test corpora name replies),
 * `google.com`, `google.com.txt` or `google.com.whois`.
 */
export function domainFromFileName(fileName: string): string | undefined {
  const name = basename(fileName).replace(/\.(?:txt|whois|out)$/i, '');
  const prefixed = /^([^_.]+)_(.+)$/.exec(name);
  if (prefixed) {
    const [, tld, rest] = prefixed;
    const lower = rest!.toLowerCase();
    if (lower === tld!.toLowerCase() || lower.endsWith(`.${tld!.toLowerCase()}`)) return normaliseDomain(rest!);
  }
  return name.includes('.') ? normaliseDomain(name) : undefined;
}

const OBSERVED: readonly RegExp[] = [
  />>>\s*last update of whois database:\s*(.+?)\s*<<</i,
  />>>\s*whois request date:\s*(.+?)\s*<<</i,
  /^[ \t]*query_datetime:[ \t]*(.+)$/im,
  /^[ \t]*whois lookup made (?:at|on)[ \t]+(.+)$/im,
  /^[ \t]*last updated on[ \t]+(.+)$/im,
];

/** When the reply was produced, as the reply itself says (never the clock). */
function observedAt(text: string): string | undefined {
  for (const re of OBSERVED) {
    const m = re.exec(text);
    if (m) {
      const iso = parseWhoisDate(m[1]!);
      if (iso !== undefined) return iso;
    }
  }
  return undefined;
}

function fieldsOf(r: Interpretation, domain: string, text: string): FieldMap {
  const fields: FieldMap = {};
  const put = (field: string, values: readonly (string | undefined)[]): void => {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const v of values) {
      if (v === undefined) continue;
      const n = normaliseValue(field, v);
      if (n === undefined || seen.has(n)) continue;
      seen.add(n);
      out.push(n);
    }
    if (out.length > 0) fields[field] = out;
  };
  put('whois.registrar', [r.registrar]);
  put('whois.whois_server', [r.whoisServer]);
  put('whois.name_servers', [...r.nameServers, ...r.weakNameServers.filter((ns) => ns !== domain)]);
  put('whois.status', r.status);
  put('whois.created', [r.dates.created]);
  put('whois.updated', [r.dates.updated]);
  put('whois.expires', [r.dates.expires]);
  const names: string[] = [];
  const organizations: string[] = [];
  const phones: string[] = [];
  const address: string[] = [];
  for (const role of ROLES) {
    const c = r.contacts[role];
    const p = `whois.${role}`;
    put(`${p}.name`, [c.name]);
    put(`${p}.organization`, [c.organization]);
    put(`${p}.email`, [c.email]);
    put(`${p}.phone`, [c.phone]);
    put(`${p}.street`, c.street);
    put(`${p}.city`, [c.city]);
    put(`${p}.state`, [c.state]);
    put(`${p}.postal_code`, [c.postal_code]);
    put(`${p}.country`, [c.country]);
    names.push(...c.names);
    organizations.push(...c.organizations);
    if (c.phone !== undefined) phones.push(c.phone);
    address.push(...c.street, ...[c.city, c.state, c.postal_code, c.country].filter((v): v is string => v !== undefined));
  }
  put('whois.email', uniqueFolded(emailsIn(text)));
  put('whois.name', names);
  put('whois.organization', organizations);
  put('whois.phone', phones);
  put('whois.address', address);
  put('whois.raw', [text]);
  return fields;
}

/** Keys only WHOIS replies have: ICANN's registry fields, the database footer, JPRS brackets. */
const SNIFF_STRONG = [/^[ \t]*Registry Domain ID:/im, /^[ \t]*Registrar IANA ID:/im, />>> Last update of whois database/i, /^[ \t]*(?:[a-z]\.[ \t]*)?\[Domain Name\]/im];
const WHOIS_WORDS = /\bwhois\b|\bdomain\b|\bregistry\b|\bregistrar\b/i;

/**
 * How sure the head of an input is a WHOIS reply. The parser itself reads it: a stated domain
 * with registration data (registrar, name servers, dates, contacts) is a reply whatever its
 * layout; a "no match" reply is one when it speaks of domains or WHOIS.
 */
function sniffText(text: string): number {
  const start = text.trimStart();
  // RDAP, JSON lines, XML and PEM are other formats even when they mention WHOIS keys.
  if (/^(?:\{|\[\s*[{\]]|<|-----BEGIN)/.test(start)) return 0;
  if (SNIFF_STRONG.some((re) => re.test(text))) return 0.9;
  const reading = interpret(layout(text));
  const named = reading.domains.some((d) => normaliseDomain(d) !== undefined);
  const signs = [
    reading.registrar !== undefined,
    reading.nameServers.length > 0,
    Object.keys(reading.dates).length > 0,
    ROLES.some((r) => reading.contacts[r].name !== undefined || reading.contacts[r].email !== undefined || reading.contacts[r].organization !== undefined),
  ].filter(Boolean).length;
  if (named && signs >= 2) return 0.85;
  if (named && signs === 1) return 0.7;
  if (emptyReplyVerdict(text) !== undefined) {
    if (WHOIS_WORDS.test(text)) return 0.6;
    // `NO MATCH: example.edu`, `example.nl is free`: a short refusal naming a domain.
    if (text.length < 2_000 && /\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\b/i.test(text)) return 0.5;
  }
  if (named || signs >= 2) return 0.3;
  return 0;
}

/** The text of a head of input, as `parse` would decode it. */
function decode(input: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return input.toString('latin1');
  }
}

export const whoisFormat: Format = {
  name: 'whois',
  sniff(head: Buffer, fileName?: string): number {
    const text = decode(head.subarray(0, 65_536)).replace(/^\uFEFF/, '');
    const score = sniffText(text);
    // A `.whois` file name tips a doubtful case, never an impossible one.
    return score > 0 && fileName !== undefined && /\.whois$/i.test(fileName) ? Math.min(1, score + 0.1) : score;
  },
  parse(input: Buffer, options: ParseOptions): ParseResult {
    return parseWhois(decode(input).replace(/^\uFEFF/, ''), options);
  },
};
