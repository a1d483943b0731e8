// Store queries only the PassiveTotal reads need (services/passivetotal.ts, for the /v2 routes):
// newest WHOIS versions with their observation time, candidate rows for the WHOIS and certificate
// searches, passive DNS with aggregates, and certificate sightings. Queries only, so they live
// with the other queries here (the service pages them, the presenters shape what they return).
// Portable SQL: the same text runs on SQLite and PostgreSQL.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { FieldMap } from '../ingest/records.js';
import type { Database } from './schema.js';
import { chunks } from './chunks.js';
import { newestWhoisVersions, type StoredWhois } from './read-many.js';

type Db = Kysely<Database>;

const CHUNK = 500;


/**
 * A `LIKE … ESCAPE '!'` pattern that finds `value` inside a JSON text compared as `lower(text)`:
 * the value as JSON would write it, ASCII lower-cased, and each non-ASCII character a `_`
 * (SQLite's lower() folds ASCII only, PostgreSQL's folds everything: `_` is right for both).
 * A superset: callers confirm every candidate in code. `prefix`/`suffix` are raw pattern text.
 */
export function jsonLikePattern(value: string, prefix = '%', suffix = '%'): string {
  const json = JSON.stringify(value).slice(1, -1);
  let out = prefix;
  for (const ch of json) {
    if (ch === '!' || ch === '%' || ch === '_') out += `!${ch}`;
    else if (ch.codePointAt(0)! < 0x80) out += ch.toLowerCase();
    else out += '_';
  }
  return out + suffix;
}

function likeLower(column: string, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;
}

export type { StoredWhois } from './read-many.js';

/** The newest WHOIS version of each domain, raw text included, as the presenters take it. */
export function newestWhoisOf(db: Db, domains: readonly string[]): Promise<Map<string, StoredWhois>> {
  return newestWhoisVersions(db, domains, true);
}

/** Domains (in order, after `after`) having some WHOIS version whose fields JSON contains `value`. */
export async function whoisCandidateDomains(db: Db, value: string, after: string | undefined, limit: number): Promise<string[]> {
  let q = db.selectFrom('whois').select('domain').distinct().where(likeLower('whois.fields', jsonLikePattern(value)));
  if (after !== undefined) q = q.where('domain', '>', after);
  return (await q.orderBy('domain').limit(limit).execute()).map((r) => r.domain);
}

export interface CertificateRow {
  readonly sha256: string;
  /** Null for a field-only certificate whose source gave no SHA-1. */
  readonly sha1: string | null;
  /** Null for a field-only certificate (migration 0007). */
  readonly der: Uint8Array | null;
  readonly fields: FieldMap;
  /** Read from the DER at ingest: the version field as encoded and the signed decimal serial. */
  readonly version: number | null;
  readonly serial: string | null;
}

export type CertificateFilter =
  | { readonly kind: 'sha1'; readonly sha1: string }
  | { readonly kind: 'not_before' | 'not_after'; readonly iso: string }
  | { readonly kind: 'like'; readonly pattern: string }
  | { readonly kind: 'all' };

/** A page of certificates (by SHA-256, after `after`) that pass the SQL prefilter. */
export async function certificateCandidates(db: Db, filter: CertificateFilter, after: string | undefined, limit: number): Promise<CertificateRow[]> {
  let q = db.selectFrom('certificates').select(['sha256', 'sha1', 'der', 'fields', 'version', 'serial']);
  switch (filter.kind) {
    case 'sha1':
      q = q.where('sha1', '=', filter.sha1);
      break;
    case 'not_before':
    case 'not_after':
      q = q.where(filter.kind, '=', filter.iso);
      break;
    case 'like':
      q = q.where(likeLower('certificates.fields', filter.pattern));
      break;
    case 'all':
      break;
  }
  if (after !== undefined) q = q.where('sha256', '>', after);
  const rows = await q.orderBy('sha256').limit(limit).execute();
  return rows.map((r) => ({ sha256: r.sha256, sha1: r.sha1, der: r.der === null ? null : new Uint8Array(r.der), fields: JSON.parse(r.fields) as FieldMap, version: r.version, serial: r.serial }));
}

export async function certificatesBySha256(db: Db, sha256s: readonly string[]): Promise<Map<string, CertificateRow & { firstSeen: string | null; lastSeen: string | null }>> {
  const out = new Map<string, CertificateRow & { firstSeen: string | null; lastSeen: string | null }>();
  for (const chunk of chunks(sha256s, CHUNK)) {
    const rows = await db.selectFrom('certificates').select(['sha256', 'sha1', 'der', 'fields', 'version', 'serial', 'first_seen', 'last_seen']).where('sha256', 'in', chunk).execute();
    for (const r of rows) {
      out.set(r.sha256, {
        sha256: r.sha256,
        sha1: r.sha1,
        der: r.der === null ? null : new Uint8Array(r.der),
        fields: JSON.parse(r.fields) as FieldMap,
        version: r.version,
        serial: r.serial,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
      });
    }
  }
  return out;
}

export interface Sighting {
  readonly sha256: string;
  readonly ip: string;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

/** Where certificates were served: by certificate or by IP. */
export async function sightings(db: Db, by: { sha256: string } | { ip: string }): Promise<Sighting[]> {
  let q = db.selectFrom('served').select(['sha256', 'ip', 'first_seen', 'last_seen']);
  q = 'sha256' in by ? q.where('sha256', '=', by.sha256) : q.where('ip', '=', by.ip);
  return (await q.execute()).map((r) => ({ sha256: r.sha256, ip: r.ip, firstSeen: r.first_seen, lastSeen: r.last_seen }));
}

export interface ResolutionRow {
  readonly domain: string;
  readonly rrtype: string;
  readonly value: string;
  readonly source: string;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

export interface PassiveDnsQuery {
  /** Resolutions of the domain (`domain`), or to the IP (`value`). */
  readonly column: 'domain' | 'value';
  readonly key: string;
  /** ISO times: seen at or after `start`, at or before `end`. */
  readonly start?: string;
  readonly end?: string;
}

function passiveDnsWhere(db: Db, p: PassiveDnsQuery) {
  let q = db.selectFrom('resolutions').where(p.column, '=', p.key);
  if (p.start !== undefined) q = q.where('last_seen', '>=', p.start);
  if (p.end !== undefined) q = q.where('first_seen', '<=', p.end);
  return q;
}

/** The rows, most recently seen first (unknown times last), at most `limit`. */
export async function passiveDnsRows(db: Db, p: PassiveDnsQuery, limit: number): Promise<ResolutionRow[]> {
  const rows = await passiveDnsWhere(db, p)
    .select(['domain', 'rrtype', 'value', 'source', 'first_seen', 'last_seen'])
    .orderBy(sql`case when last_seen is null then 1 else 0 end`)
    .orderBy('last_seen', 'desc')
    .orderBy('domain')
    .orderBy('value')
    .orderBy('rrtype')
    .orderBy('source')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ domain: r.domain, rrtype: r.rrtype, value: r.value, source: r.source, firstSeen: r.first_seen, lastSeen: r.last_seen }));
}

/** How many distinct records (resolve and type) match, and the earliest and latest sighting. */
export async function passiveDnsSummary(db: Db, p: PassiveDnsQuery): Promise<{ total: number; firstSeen: string | null; lastSeen: string | null }> {
  const other = p.column === 'domain' ? 'value' : 'domain';
  const distinct = await db
    .selectFrom(passiveDnsWhere(db, p).select([other, 'rrtype']).distinct().as('d'))
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  const times = await passiveDnsWhere(db, p)
    .select((eb) => [eb.fn.min<string | null>('first_seen').as('first'), eb.fn.max<string | null>('last_seen').as('last')])
    .executeTakeFirstOrThrow();
  return { total: Number(distinct.n), firstSeen: times.first, lastSeen: times.last };
}
