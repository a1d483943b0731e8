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
import { AsLookup, buildFields, loadFields, needsOf, type Material } from './field-provider.js';

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

/** One scanned entity: its key (and id) and the values of the searched field. */
interface Candidate {
  readonly key: string;
  readonly values: readonly string[];
}

interface Source {
  readonly kind: EntityKind;
  readonly cap: number;
  readonly chunk: number;
  /** Up to `limit` entities after `after`, in key order; fewer only at the end. */
  page(after: string | undefined, limit: number): Promise<Candidate[]>;
}

/** The values of one field of a page of entities, from the field provider. */
function valuesOf(field: string, source: FieldSource, ref: EntityRef, material: Material): readonly string[] {
  return buildFields(ref, new Set([source]), material)?.[field] ?? [];
}

/** Domains in key order (the `key` and `derived` sources need nothing else read). */
function domainSource(store: Store, field: string, source: FieldSource, filter: KeyFilter | undefined): Source {
  return {
    kind: 'domain',
    cap: SCAN_CAP,
    chunk: CHUNK,
    page: async (after, limit) => {
      const names = await searchDomainPage(store.db, store.dialect, filter, after, limit);
      return names.map((name) => ({ key: name, values: valuesOf(field, source, { kind: 'domain', id: name }, {}) }));
    },
  };
}

/** The newest WHOIS version of each domain (by observation time, then ingest order), as matching uses. */
function whoisSource(store: Store, field: string, source: FieldSource): Source {
  const raw = source === 'whois-raw';
  return {
    kind: 'domain',
    cap: SCAN_CAP,
    chunk: WHOIS_CHUNK,
    page: async (after, limit) => {
      const rows = await searchWhoisPage(store.db, after, limit, raw);
      return rows.map((r) => {
        const whois: FieldMap = raw ? (typeof r.raw === 'string' ? { 'whois.raw': [r.raw] } : {}) : (JSON.parse(r.fields) as FieldMap);
        return { key: r.domain, values: valuesOf(field, source, { kind: 'domain', id: r.domain }, { whois }) };
      });
    },
  };
}

/** IPs in key order; routing and registration fields cost a lookup per IP, so their scans are capped lower. */
function ipSource(store: Store, field: string, source: FieldSource, filter: KeyFilter | undefined): Source {
  const routing = source === 'routing' || source === 'registration';
  const as = new AsLookup(store);
  return {
    kind: 'ip',
    cap: routing ? ROUTING_SCAN_CAP : SCAN_CAP,
    chunk: routing ? ROUTING_CHUNK : CHUNK,
    page: async (after, limit) => {
      const refs = (await searchIpPage(store.db, store.dialect, filter, after, limit)).map((id): EntityRef => ({ kind: 'ip', id }));
      const fields = await loadFields(store, refs, needsOf([field]), as);
      return refs.map((ref) => ({ key: ref.id, values: fields.get(refKey(ref))?.[field] ?? [] }));
    },
  };
}

function certificateSource(store: Store, field: string, source: FieldSource, filter: KeyFilter | undefined, sha1?: string): Source {
  return {
    kind: 'certificate',
    cap: SCAN_CAP,
    chunk: CHUNK,
    page: async (after, limit) => {
      const rows = await searchCertificatePage(store.db, store.dialect, filter, sha1, after, limit);
      return rows.map((r) => ({ key: r.sha256, values: valuesOf(field, source, { kind: 'certificate', id: r.sha256 }, { certificate: JSON.parse(r.fields) as FieldMap }) }));
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
      return def.source === 'whois' || def.source === 'whois-raw' ? whoisSource(store, field, def.source) : domainSource(store, field, def.source, keyFilter);
    case 'ip':
      return ipSource(store, field, def.source, keyFilter);
    case 'certificate': {
      // The SHA-1 has its own indexed column: an exact search reads that one certificate.
      const sha1 = field === 'x509.sha1' && mode === 'exact' && !exact!.includes('\0') ? exact : undefined;
      return certificateSource(store, field, def.source, keyFilter, sha1);
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
  scan: while (items.length < p.limit && scanned < source.cap) {
    const want = Math.min(source.chunk, source.cap - scanned);
    const rows = await source.page(after, want);
    for (const row of rows) {
      scanned++;
      after = row.key;
      const value = row.values.find(test);
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
