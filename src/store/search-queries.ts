// Queries behind GET /search (services/search.ts): one page of each source's rows in key
// order, after a cursor key, optionally narrowed by an exact or prefix filter on the key column
// that the database applies. Queries only: plain parameters in, rows out; the service chooses the
// source, tests values (exact, prefix, RE2) in JS, caps the scan and presents the results.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** Exact or prefix on a source's key column, done by the database. */
export interface KeyFilter {
  readonly op: 'eq' | 'prefix';
  readonly value: string;
}

type Query<T extends keyof Database, O> = SelectQueryBuilder<Database, T, O>;

/**
 * Prefix on a text key, exact on both dialects: SQLite compares text bytewise, so a range on the
 * primary key is the prefix; PostgreSQL's collation may not be bytewise, so it gets LIKE.
 */
function keyed<T extends keyof Database, O>(q: Query<T, O>, dialect: DialectName, column: string, filter: KeyFilter | undefined): Query<T, O> {
  if (!filter) return q;
  // No stored key holds a NUL, and PostgreSQL refuses one in text: nothing can match.
  if (filter.value.includes('\0')) return q.where(sql<boolean>`1 = 0`);
  const col = sql.ref(column);
  if (filter.op === 'eq') return q.where(sql<boolean>`${col} = ${filter.value}`);
  if (dialect === 'sqlite') return q.where(sql<boolean>`${col} >= ${filter.value} and ${col} < ${`${filter.value}\u{10FFFF}`}`);
  const pattern = `${filter.value.replace(/[!%_]/g, '!$&')}%`;
  return q.where(sql<boolean>`${col} like ${pattern} escape '!'`);
}

/** Up to `limit` domain names after `after`, in order. */
export async function searchDomainPage(db: Db, dialect: DialectName, filter: KeyFilter | undefined, after: string | undefined, limit: number): Promise<string[]> {
  let q = keyed(db.selectFrom('domains').select('name'), dialect, 'name', filter);
  if (after !== undefined) q = q.where('name', '>', after);
  return (await q.orderBy('name').limit(limit).execute()).map((r) => r.name);
}

export interface SearchWhoisRow {
  readonly domain: string;
  /** The version's fields, as stored (JSON text). */
  readonly fields: string;
  /** The raw text; read only when asked for (`withRaw`), else undefined. */
  readonly raw?: string | null;
}

/**
 * The newest WHOIS version (by observation time, then ingest order, as matching uses) of up to
 * `limit` domains after `after`, in domain order.
 */
export async function searchWhoisPage(db: Db, after: string | undefined, limit: number, withRaw: boolean): Promise<SearchWhoisRow[]> {
  let q = db.selectFrom('whois').select('domain').distinct();
  if (after !== undefined) q = q.where('domain', '>', after);
  const domains = (await q.orderBy('domain').limit(limit).execute()).map((r) => r.domain);
  if (domains.length === 0) return [];
  const rows = await db
    .selectFrom('whois')
    .select(['domain', 'observed', 'seq', 'fields'])
    .$if(withRaw, (b) => b.select('raw'))
    .where('domain', 'in', domains)
    .execute();
  const newest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const best = newest.get(r.domain);
    const o = r.observed ?? '';
    const bo = best?.observed ?? '';
    if (!best || o > bo || (o === bo && Number(r.seq) > Number(best.seq))) newest.set(r.domain, r);
  }
  return domains.map((d) => {
    const r = newest.get(d)!;
    return withRaw ? { domain: d, fields: r.fields, raw: r.raw } : { domain: d, fields: r.fields };
  });
}

/** Up to `limit` IP addresses after `after`, in key order. */
export async function searchIpPage(db: Db, dialect: DialectName, filter: KeyFilter | undefined, after: string | undefined, limit: number): Promise<string[]> {
  let q = keyed(db.selectFrom('ips').select('address'), dialect, 'address', filter);
  if (after !== undefined) q = q.where('address', '>', after);
  return (await q.orderBy('address').limit(limit).execute()).map((r) => r.address);
}

export interface SearchCertificateRow {
  readonly sha256: string;
  /** Null for a field-only certificate whose source gave no SHA-1. */
  readonly sha1: string | null;
  /** The x509.* fields, as stored (JSON text). */
  readonly fields: string;
}

/** Up to `limit` certificates after `after` (by SHA-256), optionally only those with SHA-1 `sha1`. */
export async function searchCertificatePage(
  db: Db,
  dialect: DialectName,
  filter: KeyFilter | undefined,
  sha1: string | undefined,
  after: string | undefined,
  limit: number,
): Promise<SearchCertificateRow[]> {
  let q = keyed(db.selectFrom('certificates').select(['sha256', 'sha1', 'fields']), dialect, 'sha256', filter);
  if (sha1 !== undefined) q = q.where('sha1', '=', sha1);
  if (after !== undefined) q = q.where('sha256', '>', after);
  return q.orderBy('sha256').limit(limit).execute();
}
