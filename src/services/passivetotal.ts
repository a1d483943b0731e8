// What the PassiveTotal routes (/v2) read: passive DNS aggregated per resolve and record type,
// a domain's newest WHOIS record, the WHOIS and certificate searches (candidates by a LIKE
// prefilter, confirmed by the caller's test), certificates served on an IP and where a certificate
// was served. Times stay ISO 8601 here; api/presenters/passivetotal.ts gives them PassiveTotal's
// shapes. The queries are in store/passivetotal-queries.ts.
import { deriveDomainFields } from '../fields/domain.js';
import {
  certificateCandidates,
  certificatesBySha256,
  newestWhoisOf,
  passiveDnsRows,
  passiveDnsSummary,
  sightings,
  whoisCandidateDomains,
  type CertificateFilter,
  type CertificateRow,
  type Sighting,
  type StoredWhois,
} from '../store/passivetotal-queries.js';
import type { Store } from '../store/store.js';

export { jsonLikePattern, type CertificateFilter, type CertificateRow, type StoredWhois } from '../store/passivetotal-queries.js';

/** At most this many passive DNS records per answer (the most recently seen); `total` counts them all. */
export const PASSIVE_DNS_LIMIT = 1000;
/** Rows read to build them (one row per source). */
const DNS_ROWS = 10_000;
/** Candidates read per page, and at most in all, by one search. */
const PAGE = 200;
const MAX_CANDIDATES = 50_000;

export interface PassiveDnsRecord {
  readonly resolve: string;
  readonly resolveType: 'ip' | 'domain';
  readonly recordType: string;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** Every source that saw it, sorted. */
  readonly sources: string[];
}

export interface PassiveDns {
  readonly records: PassiveDnsRecord[];
  readonly total: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

/** What a domain resolved to, or which names resolved to an IP, within [start, end] (ISO 8601). */
export async function passiveDns(store: Store, ref: { kind: 'domain' | 'ip'; id: string }, window: { start?: string; end?: string }): Promise<PassiveDns> {
  const p = {
    column: ref.kind === 'domain' ? ('domain' as const) : ('value' as const),
    key: ref.id,
    ...(window.start !== undefined ? { start: window.start } : {}),
    ...(window.end !== undefined ? { end: window.end } : {}),
  };
  const records = new Map<string, { resolve: string; resolveType: 'ip' | 'domain'; recordType: string; firstSeen: string | null; lastSeen: string | null; sources: Set<string> }>();
  for (const r of await passiveDnsRows(store.db, p, DNS_ROWS)) {
    const resolve = ref.kind === 'domain' ? r.value : r.domain;
    const key = `${r.rrtype}\0${resolve}`;
    let rec = records.get(key);
    if (!rec) {
      rec = {
        resolve,
        resolveType: ref.kind === 'ip' || (r.rrtype !== 'A' && r.rrtype !== 'AAAA') ? 'domain' : 'ip',
        recordType: r.rrtype,
        firstSeen: r.firstSeen,
        lastSeen: r.lastSeen,
        sources: new Set(),
      };
      records.set(key, rec);
    }
    if (r.firstSeen !== null && (rec.firstSeen === null || r.firstSeen < rec.firstSeen)) rec.firstSeen = r.firstSeen;
    if (r.lastSeen !== null && (rec.lastSeen === null || r.lastSeen > rec.lastSeen)) rec.lastSeen = r.lastSeen;
    rec.sources.add(r.source);
  }
  const sorted = [...records.values()].sort((a, b) => {
    if (a.lastSeen !== b.lastSeen) {
      if (a.lastSeen === null) return 1;
      if (b.lastSeen === null) return -1;
      return a.lastSeen > b.lastSeen ? -1 : 1;
    }
    const x = `${a.resolve}\0${a.recordType}`;
    const y = `${b.resolve}\0${b.recordType}`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const summary = await passiveDnsSummary(store.db, p);
  return {
    records: sorted.slice(0, PASSIVE_DNS_LIMIT).map((r) => ({ ...r, sources: [...r.sources].sort() })),
    total: summary.total,
    firstSeen: summary.firstSeen,
    lastSeen: summary.lastSeen,
  };
}

/** The newest WHOIS record of the domain itself (none when it has none). */
export async function newestWhois(store: Store, domain: string): Promise<StoredWhois | undefined> {
  return (await newestWhoisOf(store.db, [domain])).get(domain);
}

/** The newest record of the domain, else of its registrable domain (WHOIS is kept per registration). */
export async function whoisFor(store: Store, domain: string): Promise<StoredWhois | undefined> {
  const own = await newestWhois(store, domain);
  if (own) return own;
  const registered = deriveDomainFields(domain)['domain.registered'];
  if (registered === undefined || registered === domain) return undefined;
  return newestWhois(store, registered);
}

/**
 * Domains whose newest WHOIS record `accept`s, in domain order, at most `limit`: candidates are
 * the domains with some version containing `value` (a superset), read page by page.
 */
export async function searchWhois(store: Store, value: string, accept: (rec: StoredWhois) => boolean, limit: number): Promise<StoredWhois[]> {
  const out: StoredWhois[] = [];
  let after: string | undefined;
  for (let seen = 0; seen < MAX_CANDIDATES && out.length < limit; ) {
    const domains = await whoisCandidateDomains(store.db, value, after, PAGE);
    if (domains.length === 0) break;
    seen += domains.length;
    after = domains[domains.length - 1];
    // A candidate matched in some version; only its newest version counts (fields.md).
    const newest = await newestWhoisOf(store.db, domains);
    for (const d of domains) {
      const rec = newest.get(d);
      if (rec && accept(rec)) out.push(rec);
      if (out.length >= limit) break;
    }
    if (domains.length < PAGE) break;
  }
  return out;
}

/**
 * Certificates the filter selects (a superset) that `accept` turns into an answer, in SHA-256
 * order, at most `limit`.
 */
export async function searchCertificates<T>(store: Store, filter: CertificateFilter, accept: (row: CertificateRow) => T | undefined, limit: number): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (let seen = 0; seen < MAX_CANDIDATES && out.length < limit; ) {
    const rows = await certificateCandidates(store.db, filter, after, PAGE);
    if (rows.length === 0) break;
    seen += rows.length;
    after = rows[rows.length - 1]!.sha256;
    for (const r of rows) {
      const hit = accept(r);
      if (hit !== undefined) out.push(hit);
      if (out.length >= limit) break;
    }
    if (rows.length < PAGE) break;
  }
  return out;
}

/** A stored certificate by SHA-1 or SHA-256. */
export function certificateByHash(store: Store, hash: string): ReturnType<Store['certificate']> {
  return store.certificate(hash);
}

/** The certificates served on an IP, by SHA-1. */
export async function certificatesServedOn(store: Store, ip: string): Promise<CertificateRow[]> {
  const shas = [...new Set((await sightings(store.db, { ip })).map((s) => s.sha256))];
  return [...(await certificatesBySha256(store.db, shas)).values()].sort((a, b) => ((a.sha1 ?? '') < (b.sha1 ?? '') ? -1 : 1));
}

export interface CertificateHistoryItem {
  readonly sha1: string;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly ipAddresses: string[];
}

function minTime(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null || a <= b ? a : b;
}
function maxTime(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null || a >= b ? a : b;
}

/**
 * Where certificates were served: for an IP, every certificate it served; for a certificate (SHA-1
 * or SHA-256), its sightings (its own first / last seen when it has none; nothing when unknown).
 * One item per certificate, most recently seen first, at most `limit`.
 */
export async function certificateHistory(store: Store, by: { ip: string } | { certificate: string }, limit: number): Promise<CertificateHistoryItem[]> {
  if ('ip' in by) return history(store, await sightings(store.db, { ip: by.ip }), limit);
  const cert = await store.certificate(by.certificate);
  if (!cert) return [];
  return history(store, await sightings(store.db, { sha256: cert.sha256 }), limit, cert.sha256);
}

async function history(store: Store, seen: Sighting[], limit: number, fallback?: string): Promise<CertificateHistoryItem[]> {
  const bySha = new Map<string, Sighting[]>();
  for (const s of seen) bySha.set(s.sha256, [...(bySha.get(s.sha256) ?? []), s]);
  if (fallback !== undefined && !bySha.has(fallback)) bySha.set(fallback, []);
  const certs = await certificatesBySha256(store.db, [...bySha.keys()]);
  const out: CertificateHistoryItem[] = [];
  for (const [sha256, list] of bySha) {
    const cert = certs.get(sha256);
    // Known only by SHA-256 (a sighting without the certificate, or a field-only certificate whose
    // source gave no SHA-1): no SHA-1 to answer with.
    if (!cert || cert.sha1 === null) continue;
    const sha1 = cert.sha1;
    let first: string | null = null;
    let last: string | null = null;
    for (const s of list) {
      first = minTime(first, s.firstSeen);
      last = maxTime(last, s.lastSeen);
    }
    if (list.length === 0) {
      first = cert.firstSeen;
      last = cert.lastSeen;
    }
    out.push({ sha1, firstSeen: first, lastSeen: last, ipAddresses: [...new Set(list.map((s) => s.ip))].sort() });
  }
  out.sort((a, b) => {
    if (a.lastSeen !== b.lastSeen) {
      if (a.lastSeen === null) return 1;
      if (b.lastSeen === null) return -1;
      return a.lastSeen > b.lastSeen ? -1 : 1;
    }
    return a.sha1 < b.sha1 ? -1 : a.sha1 > b.sha1 ? 1 : 0;
  });
  return out.slice(0, limit);
}
