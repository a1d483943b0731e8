// Search (GET /search): stored entities whose catalogue field has a value equal to, starting with,
// or matching (RE2) what is asked. Each catalogue field names its source (fields/catalogue.ts), and
// the values are built by the field provider (services/field-provider.ts), as matching builds them;
// this service pages the table that holds the source's entities:
//   key, derived       the domains / ips / certificates table (domain.* derived in JS)
//   whois, whois-raw   the newest stored WHOIS version of each domain
//   routing            the ips table (network and AS looked up in the routing data per IP)
//   registration       the ips table (network.* looked up in the stored registrations per IP)
//   certificate        the certificates' stored fields
// Sources are read in key order, page by page. Exact and prefix searches on the key itself
// (domain, ip, x509.sha256, and exact x509.sha1) go to the index; everything else is tested in JS.
//
// The scan cap: one request reads at most SCAN_CAP rows (ROUTING_SCAN_CAP for network, as.* and
// network.*, which cost a look-up per IP). When the cap stops a scan, the page may hold fewer than
// `limit` items, even none, and `next` continues where it stopped; `next` is null only at the end.
// `scanned` says how many rows the request read.
//
// The queries (a page of each source, and the key filter) are in store/search-queries.ts; this
// file checks the query, compiles the RE2 test and scans; api/routes/v1-search.ts presents.
import RE2 from 're2';
import { fieldDef, type EntityKind, type FieldSource } from '../fields/catalogue.js';
import { normaliseValue } from '../fields/normalise.js';
import { suggestField } from '../fields/suggest.js';
import type { FieldMap } from '../ingest/records.js';
import { checkRegex } from '../signatures/regex-check.js';
import { searchCertificatePage, searchDomainPage, searchIpPage, searchWhoisPage, type KeyFilter } from '../store/search-queries.js';
import type { Store } from '../store/store.js';
import { refKey, type EntityRef } from './entity.js';
import { invalid } from './errors.js';
import { AsLookup, buildFields, loadFields, needsOf } from './field-provider.js';

export const SCAN_CAP = 20_000;
export const ROUTING_SCAN_CAP = 1_000;
/**
 * Rows per query while scanning: fewer for WHOIS (rows carry whole records) and for routing
 * fields (each IP costs a lookup, and a page that fills early should not pay for a whole chunk).
 */
const CHUNK = 1_000;
const WHOIS_CHUNK = 200;
const ROUTING_CHUNK = 50;
export const MAX_REGEX = 500;
/** Values in results are clipped: a match in whois.raw should not return the whole record. */
export const MAX_VALUE = 1_000;

export type SearchMode = 'exact' | 'prefix' | 'regex';

/** One scanned entity: its key (and id) and the values of the fields its source was opened for. */
interface Candidate {
  readonly key: string;
  readonly fields: FieldMap;
}

interface Source {
  readonly kind: EntityKind;
  readonly cap: number;
  readonly chunk: number;
  /** Up to `limit` entities after `after`, in key order; fewer only at the end. */
  page(after: string | undefined, limit: number): Promise<Candidate[]>;
}

/** The catalogue sources the fields name. */
function sourcesOf(fields: readonly string[]): Set<FieldSource> {
  return new Set(fields.map((f) => fieldDef(f)!.source));
}

/** Domains in key order (the `key` and `derived` sources need nothing else read). */
function domainSource(store: Store, sources: ReadonlySet<FieldSource>, filter: KeyFilter | undefined): Source {
  return {
    kind: 'domain',
    cap: SCAN_CAP,
    chunk: CHUNK,
    page: async (after, limit) => {
      const names = await searchDomainPage(store.db, store.dialect, filter, after, limit);
      return names.map((name) => ({ key: name, fields: buildFields({ kind: 'domain', id: name }, sources, {}) ?? {} }));
    },
  };
}

/** The newest WHOIS version of each domain (by observation time, then ingest order), as matching uses. */
function whoisSource(store: Store, sources: ReadonlySet<FieldSource>): Source {
  const raw = sources.has('whois-raw');
  const parsed = sources.has('whois');
  return {
    kind: 'domain',
    cap: SCAN_CAP,
    chunk: WHOIS_CHUNK,
    page: async (after, limit) => {
      const rows = await searchWhoisPage(store.db, after, limit, raw);
      return rows.map((r) => {
        const whois: FieldMap = { ...(parsed ? (JSON.parse(r.fields) as FieldMap) : {}), ...(raw && typeof r.raw === 'string' ? { 'whois.raw': [r.raw] } : {}) };
        return { key: r.domain, fields: buildFields({ kind: 'domain', id: r.domain }, sources, { whois }) ?? {} };
      });
    },
  };
}

/** IPs in key order; routing and registration fields cost a lookup per IP, so their scans are capped lower. */
function ipSource(store: Store, fields: readonly string[], filter: KeyFilter | undefined): Source {
  const sources = sourcesOf(fields);
  const routing = sources.has('routing') || sources.has('registration');
  const needs = needsOf(fields);
  const as = new AsLookup(store);
  return {
    kind: 'ip',
    cap: routing ? ROUTING_SCAN_CAP : SCAN_CAP,
    chunk: routing ? ROUTING_CHUNK : CHUNK,
    page: async (after, limit) => {
      const refs = (await searchIpPage(store.db, store.dialect, filter, after, limit)).map((id): EntityRef => ({ kind: 'ip', id }));
      const built = await loadFields(store, refs, needs, as);
      return refs.map((ref) => ({ key: ref.id, fields: built.get(refKey(ref)) ?? {} }));
    },
  };
}

function certificateSource(store: Store, sources: ReadonlySet<FieldSource>, filter: KeyFilter | undefined, sha1?: string): Source {
  return {
    kind: 'certificate',
    cap: SCAN_CAP,
    chunk: CHUNK,
    page: async (after, limit) => {
      const rows = await searchCertificatePage(store.db, store.dialect, filter, sha1, after, limit);
      return rows.map((r) => ({ key: r.sha256, fields: buildFields({ kind: 'certificate', id: r.sha256 }, sources, { certificate: JSON.parse(r.fields) as FieldMap }) ?? {} }));
    },
  };
}

interface SearchQuery {
  readonly field: string;
  readonly value: string;
  readonly mode: SearchMode;
  readonly caseSensitive: boolean;
}

/** The test a value must pass; 400 for a value the field cannot hold or a regex RE2 refuses. */
function valueTest(q: SearchQuery): { test: (v: string) => boolean; exact?: string } {
  const fold = q.caseSensitive ? (s: string): string => s : (s: string): string => s.toLowerCase();
  switch (q.mode) {
    case 'exact': {
      const normal = normaliseValue(q.field, q.value);
      if (normal === undefined) throw invalid(`"${q.value}" is not a value ${q.field} can have`);
      const want = fold(normal);
      return { test: (v) => fold(v) === want, exact: normal };
    }
    case 'prefix': {
      const want = fold(q.value);
      return { test: (v) => fold(v).startsWith(want) };
    }
    case 'regex': {
      if (q.value.length > MAX_REGEX) throw invalid(`a regex may have at most ${MAX_REGEX} characters`);
      const reason = checkRegex(q.value);
      if (reason !== undefined) throw invalid(`invalid regex: ${reason}`);
      let re: RE2;
      try {
        re = new RE2(q.value, q.caseSensitive ? 'u' : 'iu');
      } catch (e) {
        throw invalid(`invalid regex: ${(e as Error).message}`);
      }
      return { test: (v) => re.test(v) };
    }
  }
}

/**
 * Where the field's values are read from (its catalogue source), with the key filter the database
 * can apply: exact and prefix searches of a `key` field go to the index.
 */
function sourceFor(store: Store, q: SearchQuery, exact: string | undefined): Source {
  const { field, mode } = q;
  const def = fieldDef(field)!;
  // Keys are stored lower case: a case-insensitive prefix is a lower-case one.
  const prefix = (): KeyFilter => ({ op: 'prefix', value: q.caseSensitive ? q.value : q.value.toLowerCase() });
  const keyFilter = def.source !== 'key' ? undefined : mode === 'exact' ? { op: 'eq' as const, value: exact! } : mode === 'prefix' ? prefix() : undefined;
  switch (def.owner) {
    case 'domain':
      return def.source === 'whois' || def.source === 'whois-raw' ? whoisSource(store, new Set([def.source])) : domainSource(store, new Set([def.source]), keyFilter);
    case 'ip':
      return ipSource(store, [field], keyFilter);
    case 'certificate': {
      // The SHA-1 has its own indexed column: an exact search reads that one certificate.
      const sha1 = field === 'x509.sha1' && mode === 'exact' && !exact!.includes('\0') ? exact : undefined;
      return certificateSource(store, new Set([def.source]), keyFilter, sha1);
    }
  }
}

function encodeCursor(field: string, after: string): string {
  return Buffer.from(JSON.stringify({ f: field, a: after })).toString('base64url');
}

function decodeCursor(text: string, field: string): string {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const c = v as { f?: unknown; a?: unknown } | undefined;
  if (typeof c !== 'object' || c === null || c.f !== field || typeof c.a !== 'string' || c.a.includes('\0')) throw invalid('cursor is not one this server gave for this search');
  return c.a;
}

const DEFAULT_FIELD: Record<EntityKind, string> = { domain: 'domain', ip: 'ip', certificate: 'x509.sha256' };

function chooseField(field: string | undefined, kind: EntityKind | undefined): string {
  if (field === undefined) {
    if (kind === undefined) throw invalid('give field (a catalogue field name), or kind to search its identifying field');
    return DEFAULT_FIELD[kind];
  }
  const def = fieldDef(field);
  if (!def) {
    const hint = suggestField(field);
    throw invalid(`unknown field "${field}"${hint ? `; did you mean "${hint}"?` : ''}`);
  }
  if (kind !== undefined && def.owner !== kind) throw invalid(`field ${field} belongs to ${def.owner} entities, not ${kind}`);
  return field;
}

export interface SearchRequest {
  /** A catalogue field; undefined: the kind's own (domain, ip, x509.sha256). */
  readonly field?: string;
  readonly kind?: EntityKind;
  readonly value: string;
  readonly mode: SearchMode;
  readonly caseSensitive: boolean;
  readonly limit: number;
  /** The `next` of the previous page. */
  readonly cursor?: string;
  /** Multiplies the scan cap (pivots read more per request than GET /search); default 1. */
  readonly capScale?: number;
}

export interface SearchPage {
  readonly items: { kind: EntityKind; id: string; field: string; value: string }[];
  /** Continues the search; null only at the end. */
  readonly next: string | null;
  /** Rows read by this request. */
  readonly scanned: number;
}

/** One page of the entities whose field has a matching value (invalid for a bad field, value, regex or cursor). */
export async function search(store: Store, p: SearchRequest): Promise<SearchPage> {
  const q: SearchQuery = { field: chooseField(p.field, p.kind), value: p.value, mode: p.mode, caseSensitive: p.caseSensitive };
  const { test, exact } = valueTest(q);
  const source = sourceFor(store, q, exact);
  let after = p.cursor === undefined ? undefined : decodeCursor(p.cursor, q.field);
  const items: { kind: EntityKind; id: string; field: string; value: string }[] = [];
  let scanned = 0;
  let done = false;
  const cap = source.cap * (p.capScale ?? 1);
  scan: while (items.length < p.limit && scanned < cap) {
    const want = Math.min(source.chunk, cap - scanned);
    const rows = await source.page(after, want);
    for (const row of rows) {
      scanned++;
      after = row.key;
      const value = (row.fields[q.field] ?? []).find(test);
      if (value === undefined) continue;
      items.push({ kind: source.kind, id: row.key, field: q.field, value: value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value });
      if (items.length === p.limit) {
        done = rows.length < want && row === rows.at(-1);
        break scan;
      }
    }
    if (rows.length < want) {
      done = true;
      break;
    }
  }
  return { items, next: done || after === undefined ? null : encodeCursor(q.field, after), scanned };
}

/** A count reads this many times a search's scan cap before it answers "at least". */
export const COUNT_CAP_SCALE = 5;

export interface ValueCount {
  readonly field: string;
  /** The kind of entity the field belongs to (what is counted). */
  readonly kind: EntityKind;
  readonly value: string;
  /** Entities whose field has the value: exact and case-insensitive, as `search` in exact mode. */
  readonly count: number;
  /** False when the scan stopped at its cap before the end: `count` is then a lower bound. */
  readonly complete: boolean;
}

/**
 * The tables a count scans: fields of one group are counted in one pass over it (a domain's
 * WHOIS values, say, all in one read of the WHOIS versions).
 */
type CountGroup = 'domain' | 'whois' | 'ip' | 'certificate';

function countGroup(field: string): CountGroup {
  const def = fieldDef(field)!;
  if (def.owner === 'domain') return def.source === 'whois' || def.source === 'whois-raw' ? 'whois' : 'domain';
  return def.owner;
}

function groupSource(store: Store, group: CountGroup, fields: readonly string[]): Source {
  switch (group) {
    case 'domain':
      return domainSource(store, sourcesOf(fields), undefined);
    case 'whois':
      return whoisSource(store, sourcesOf(fields));
    case 'ip':
      return ipSource(store, fields, undefined);
    case 'certificate':
      return certificateSource(store, sourcesOf(fields), undefined);
  }
}

/**
 * How many stored entities have each (field, value): the exact test of `search`, over the same
 * sources, one scan per group of fields for all the values asked at once, each scan capped at
 * COUNT_CAP_SCALE times the search's cap. Invalid for an unknown field or a value it cannot hold.
 */
export async function countValues(store: Store, pairs: readonly { field: string; value: string }[]): Promise<{ counts: ValueCount[]; scanned: number }> {
  const asked = pairs.map((p) => {
    const field = chooseField(p.field, undefined);
    const normal = normaliseValue(field, p.value);
    if (normal === undefined) throw invalid(`"${p.value}" is not a value ${field} can have`);
    return { field, value: p.value, folded: normal.toLowerCase() };
  });
  const counts = asked.map(() => 0);
  const complete = asked.map(() => true);
  const groups = new Map<CountGroup, number[]>();
  asked.forEach((a, i) => {
    const g = countGroup(a.field);
    groups.set(g, [...(groups.get(g) ?? []), i]);
  });
  let scanned = 0;
  for (const [group, indices] of groups) {
    // field → folded value → the pairs asking for it (a pair may be asked twice).
    const wanted = new Map<string, Map<string, number[]>>();
    for (const i of indices) {
      const { field, folded } = asked[i]!;
      let byValue = wanted.get(field);
      if (!byValue) wanted.set(field, (byValue = new Map<string, number[]>()));
      byValue.set(folded, [...(byValue.get(folded) ?? []), i]);
    }
    const source = groupSource(store, group, [...wanted.keys()]);
    const cap = source.cap * COUNT_CAP_SCALE;
    let after: string | undefined;
    let read = 0;
    let done = false;
    while (read < cap) {
      const want = Math.min(source.chunk, cap - read);
      const rows = await source.page(after, want);
      for (const row of rows) {
        after = row.key;
        for (const [field, byValue] of wanted) {
          // An entity counts once per value, however often its field repeats it.
          const seen = new Set<string>();
          for (const v of row.fields[field] ?? []) {
            const folded = v.toLowerCase();
            if (seen.has(folded)) continue;
            seen.add(folded);
            for (const i of byValue.get(folded) ?? []) counts[i]!++;
          }
        }
      }
      read += rows.length;
      if (rows.length < want) {
        done = true;
        break;
      }
    }
    // Stopped exactly at the cap: complete if nothing is left.
    if (!done) done = (await source.page(after, 1)).length === 0;
    scanned += read;
    if (!done) for (const i of indices) complete[i] = false;
  }
  return {
    counts: asked.map((a, i) => ({ field: a.field, kind: fieldDef(a.field)!.owner, value: a.value, count: counts[i]!, complete: complete[i]! })),
    scanned,
  };
}
