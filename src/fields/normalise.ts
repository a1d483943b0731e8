// Field values in the form the matcher sees (signatures.md: "Values are normalised before
// matching, as fields.md says"), and the checks `warren scan` applies to one input record.
import { DOMAIN_DERIVED_FIELDS, fieldDef, type FieldDef } from './catalogue.js';
import { deriveDomainFields, normaliseDomain, type DerivedDomainFields } from './domain.js';
import { canonicalIp, canonicalNetwork, parseNetwork } from './ip.js';
import { suggestField } from './suggest.js';

/** Field name → values; a single-valued field holds one value (or, from lenient input, more). */
export type FieldValues = ReadonlyMap<string, readonly string[]>;

const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `String.prototype.toWellFormed`, which Node 20 has but the ES2023 lib this project compiles
 * against does not declare. Lone surrogates would otherwise reach RE2 and JSON output, which
 * both handle them badly.
 */
export function toWellFormed(text: string): string {
  // The plain test first: almost every value has no surrogate at all, and the replace with its
  // look-behind costs several times more.
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/** The normal form of one value of `field`, or undefined when there is none (empty, invalid). */
export function normaliseValue(field: string, value: string): string | undefined {
  return normaliseWith(fieldDef(field), value);
}

function normaliseWith(def: FieldDef | undefined, value: string): string | undefined {
  const wellFormed = toWellFormed(value);
  const normal = def ? byKind(def, wellFormed) : wellFormed;
  return normal === undefined || normal === '' ? undefined : normal;
}

function byKind(def: FieldDef, value: string): string | undefined {
  switch (def.value) {
    case 'domain':
      return def.name === 'domain' ? normaliseDomain(value) : normaliseDomainPart(value);
    case 'ip':
      return canonicalIp(value);
    case 'cidr':
      return canonicalNetwork(value);
    case 'timestamp':
      return normaliseTimestamp(value);
    case 'hex':
      return normaliseHex(def.name, value);
    case 'email':
      // Not lower-cased: matching ignores case by default, and a case_sensitive signature must
      // see the address as the record gave it.
      return value.trim();
    case 'unicode-domain':
    case 'number':
    case 'text':
      return value;
  }
}

/**
 * Parts of names and other name-like values (registered domain, suffix, subdomain, name servers,
 * WHOIS server): normalised like a domain when they are one, but never rejected, because `com`,
 * `*` or a WHOIS name-server line with trailing junk is still worth matching.
 */
function normaliseDomainPart(value: string): string {
  const strict = normaliseDomain(value);
  if (strict !== undefined) return strict;
  const lower = value.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function normaliseHex(field: string, value: string): string {
  const bare = value.replace(/[:\s]/g, '');
  // ECS writes serials in upper case and fingerprints in lower case.
  return field === 'x509.serial_number' ? bare.toUpperCase() : bare.toLowerCase();
}

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * ISO 8601 UTC (`YYYY-MM-DDTHH:MM:SSZ`) for an ISO-style date-time with a zone, or a plain date
 * (midnight UTC). Anything else, a zoneless time included, is ambiguous and kept as given
 * (trimmed): dedicated WHOIS and certificate parsers own the many other date formats. Fractions
 * of a second are dropped, as the target form has none.
 */
export function normaliseTimestamp(value: string): string {
  const text = value.trim();
  const date = PLAIN_DATE.exec(text);
  if (date) return utcText(date.slice(1, 4).map(Number), [0, 0, 0], 0) ?? text;
  const dt = DATE_TIME_WITH_ZONE.exec(text);
  if (!dt) return text;
  const offset = zoneOffsetMinutes(dt[7]!);
  if (offset === undefined) return text;
  const time = [dt[4], dt[5], dt[6] ?? '0'].map(Number);
  return utcText(dt.slice(1, 4).map(Number), time, offset) ?? text;
}

function zoneOffsetMinutes(zone: string): number | undefined {
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function utcText(ymd: number[], hms: number[], offsetMinutes: number): string | undefined {
  const [year, month, day] = ymd as [number, number, number];
  const [hour, minute, second] = hms as [number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: the latter reads years 0-99 as 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  d.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const utcYear = d.getUTCFullYear();
  if (utcYear < 0 || utcYear > 9999) return undefined;
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** What a caller that matches records in batches can tell normaliseRecord. */
export interface NormaliseOptions {
  /**
   * The derived `domain.*` fields worth computing (those some signature names); all of them when
   * absent. Deriving costs a public-suffix walk and a confusables pass per domain.
   */
  readonly derive?: ReadonlySet<string>;
  /** Derived fields by domain, shared by the records of one batch (see DerivedCache). */
  readonly derivedCache?: DerivedCache;
}

/**
 * `deriveDomainFields` once per distinct domain: a batch's records often share names (the same
 * host in several records, a certificate's names seen again). Clear it between batches to
 * bound its memory.
 */
export class DerivedCache {
  private readonly map = new Map<string, DerivedDomainFields>();
  constructor(private readonly limit = 10_000) {}

  get(domain: string): DerivedDomainFields {
    let d = this.map.get(domain);
    if (d === undefined) {
      if (this.map.size >= this.limit) this.map.clear();
      d = deriveDomainFields(domain);
      this.map.set(domain, d);
    }
    return d;
  }

  clear(): void {
    this.map.clear();
  }
}

export interface NormalisedRecord {
  readonly fields: Map<string, string[]>;
  /** Human-readable messages, one per problem, each naming the field. */
  readonly problems: string[];
}

/**
 * One `warren scan` input record (cli.md): field name → string or array of strings, plus an
 * optional "id". Problems are reported, never thrown, so one bad field does not lose the record.
 */
export function normaliseRecord(input: Readonly<Record<string, unknown>>, options: NormaliseOptions = {}): NormalisedRecord {
  const fields = new Map<string, string[]>();
  const problems: string[] = [];
  // for…in, not Object.entries: no pair arrays per field per record (JSON.parse's objects have
  // only own, enumerable keys).
  for (const name in input) {
    if (name === 'id') continue;
    const raw = input[name];
    const def = fieldDef(name);
    if (!def) {
      problems.push(unknownFieldMessage(name));
      continue;
    }
    if (typeof raw === 'string') {
      // The common case, one string: no list, no set.
      const normal = normaliseWith(def, raw);
      if (normal !== undefined) fields.set(name, [normal]);
      else {
        const problem = raw.trim() === '' ? undefined : rejectedValueMessage(name, raw);
        if (problem !== undefined) problems.push(problem);
      }
      continue;
    }
    const values = asStrings(raw);
    if (!values) {
      problems.push(`field "${name}": value must be a string or an array of strings`);
      continue;
    }
    const normal = normaliseValues(name, values, problems);
    if (normal.length > 0) fields.set(name, normal);
  }
  addDerivedDomainFields(fields, options);
  return { fields, problems };
}

function unknownFieldMessage(name: string): string {
  const suggestion = suggestField(name);
  return suggestion === undefined
    ? `unknown field "${name}"`
    : `unknown field "${name}", did you mean "${suggestion}"?`;
}

function asStrings(raw: unknown): readonly string[] | undefined {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((v): v is string => typeof v === 'string')) return raw;
  return undefined;
}

/** Normalised, de-duplicated in first-seen order: the matcher reports one hit per distinct value. */
function normaliseValues(field: string, values: readonly string[], problems: string[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    const normal = normaliseValue(field, value);
    if (normal !== undefined) {
      out.add(normal);
      continue;
    }
    const problem = value.trim() === '' ? undefined : rejectedValueMessage(field, value);
    if (problem !== undefined) problems.push(problem);
  }
  return [...out];
}

/**
 * Why a non-blank value was dropped. Only names, IPs and networks can be refused; other kinds
 * drop a value only when nothing is left of it (a fingerprint of bare colons), which is noise.
 */
function rejectedValueMessage(field: string, value: string): string | undefined {
  const shown = JSON.stringify(value);
  const kind = fieldDef(field)?.value;
  if (kind === 'domain') return `field "${field}": ${shown} is not a valid domain name`;
  if (kind === 'ip') return `field "${field}": ${shown} is not an IP address`;
  if (kind !== 'cidr') return undefined;
  const parsed = parseNetwork(value);
  return parsed.ok ? `field "${field}": ${shown} is not a network` : `field "${field}": ${parsed.reason}`;
}

type DerivedField = (typeof DOMAIN_DERIVED_FIELDS)[number];

/** cli.md: the `domain.*` fields are derived from `domain` when the record lacks them. */
function addDerivedDomainFields(fields: Map<string, string[]>, options: NormaliseOptions): void {
  const domains = fields.get('domain');
  if (!domains) return;
  const wanted = options.derive;
  const missing = DOMAIN_DERIVED_FIELDS.filter((name) => !fields.has(name) && (wanted === undefined || wanted.has(name)));
  if (missing.length === 0) return;
  const derived = new Map<DerivedField, Set<string>>(missing.map((name) => [name, new Set<string>()]));
  for (const domain of domains) {
    const values = options.derivedCache ? options.derivedCache.get(domain) : deriveDomainFields(domain);
    for (const [name, set] of derived) {
      const value = values[name];
      if (value !== undefined) set.add(value);
    }
  }
  for (const [name, set] of derived) if (set.size > 0) fields.set(name, [...set]);
}
