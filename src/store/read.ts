// Queries: counts, and everything stored about one domain, IP or certificate.
import type { Kysely } from 'kysely';
import type { EntityKind } from '../fields/catalogue.js';
import { ipBytes, networkText } from '../fields/ip.js';
import type { FieldMap } from '../ingest/records.js';
import { candidateBlocks, cidrPrefixLength, compareSpecificity } from './as-lpm.js';
import { hexKey } from './ip-keys.js';
import type { Database } from './schema.js';
import { newestWhoisVersions } from './read-many.js';
import { relationEndKind, type RelationKind } from './relations.js';

export interface Stats {
  domains: number;
  ips: number;
  certificates: number;
  whois: number;
  resolutions: number;
  served: number;
  names: number;
  as_ranges: number;
}

export async function stats(db: Kysely<Database>): Promise<Stats> {
  const count = async (table: keyof Database): Promise<number> => {
    const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  };
  return {
    domains: await count('domains'),
    ips: await count('ips'),
    certificates: await count('certificates'),
    whois: await count('whois'),
    resolutions: await count('resolutions'),
    served: await count('served'),
    names: await count('names'),
    as_ranges: await count('as_ranges'),
  };
}

export interface Relation {
  readonly kind: RelationKind;
  /** The related entity: IP, domain or certificate SHA-256 (or a record's value: TXT text, a wildcard name). */
  readonly id: string;
  /** The kind of entity `id` is (relations.ts decides it once), or null when it is not an entity. */
  readonly to: EntityKind | null;
  readonly rrtype?: string;
  readonly port?: number;
  readonly source: string;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
  readonly count?: number;
}

export interface AsInfo {
  readonly network: string;
  readonly asn: number;
  readonly name: string | null;
  readonly source: string;
}

export async function domainExists(db: Kysely<Database>, name: string): Promise<boolean> {
  return (await db.selectFrom('domains').select('name').where('name', '=', name).executeTakeFirst()) !== undefined;
}

export async function ipExists(db: Kysely<Database>, address: string): Promise<boolean> {
  return (await db.selectFrom('ips').select('address').where('address', '=', address).executeTakeFirst()) !== undefined;
}

/** The newest WHOIS record of a domain (by observation time, then by ingest order), raw text included. */
export async function newestWhois(db: Kysely<Database>, domain: string): Promise<{ fields: FieldMap; observed: string | null } | undefined> {
  const w = (await newestWhoisVersions(db, [domain], true)).get(domain);
  return w ? { fields: w.fields, observed: w.observed } : undefined;
}

// The queries of one entity's relations run at once (on PostgreSQL, each on its own pooled
// connection): a view waited for them one after another, one round trip each.
export async function domainRelations(db: Kysely<Database>, domain: string): Promise<Relation[]> {
  const [to, from, named] = await Promise.all([
    db.selectFrom('resolutions').selectAll().where('domain', '=', domain).execute(),
    db.selectFrom('resolutions').selectAll().where('value', '=', domain).execute(),
    db.selectFrom('names').selectAll().where('domain', '=', domain).execute(),
  ]);
  const out: Relation[] = [];
  for (const r of to) {
    out.push({ kind: 'resolves-to', id: r.value, to: relationEndKind('resolves-to', r.value, r.rrtype), rrtype: r.rrtype, source: r.source, first_seen: r.first_seen, last_seen: r.last_seen, count: Number(r.count) });
  }
  for (const r of from) {
    out.push({ kind: 'resolved-from', id: r.domain, to: relationEndKind('resolved-from', r.domain), rrtype: r.rrtype, source: r.source, first_seen: r.first_seen, last_seen: r.last_seen, count: Number(r.count) });
  }
  for (const r of named) {
    out.push({ kind: 'named-by', id: r.sha256, to: relationEndKind('named-by', r.sha256), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen });
  }
  return out;
}

export async function ipRelations(db: Kysely<Database>, ip: string): Promise<Relation[]> {
  const [from, serves] = await Promise.all([
    db.selectFrom('resolutions').selectAll().where('value', '=', ip).execute(),
    db.selectFrom('served').selectAll().where('ip', '=', ip).execute(),
  ]);
  const out: Relation[] = [];
  for (const r of from) {
    out.push({ kind: 'resolved-from', id: r.domain, to: relationEndKind('resolved-from', r.domain), rrtype: r.rrtype, source: r.source, first_seen: r.first_seen, last_seen: r.last_seen, count: Number(r.count) });
  }
  for (const r of serves) {
    out.push({ kind: 'serves', id: r.sha256, to: relationEndKind('serves', r.sha256), port: Number(r.port), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen });
  }
  return out;
}

export async function certificateRelations(db: Kysely<Database>, sha256: string): Promise<Relation[]> {
  const [servedOn, names] = await Promise.all([
    db.selectFrom('served').selectAll().where('sha256', '=', sha256).execute(),
    db.selectFrom('names').selectAll().where('sha256', '=', sha256).execute(),
  ]);
  const out: Relation[] = [];
  for (const r of servedOn) {
    out.push({ kind: 'served-on', id: r.ip, to: relationEndKind('served-on', r.ip), port: Number(r.port), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen });
  }
  for (const r of names) {
    out.push({ kind: 'names', id: r.domain, to: relationEndKind('names', r.domain), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen });
  }
  return out;
}

export interface StoredCertificate {
  readonly sha256: string;
  /** Null for a field-only certificate whose source gave no SHA-1. */
  readonly sha1: string | null;
  /** Null for a field-only certificate (its source gave fields, not bytes). */
  readonly der: Buffer | null;
  readonly fields: FieldMap;
  /** Read from the DER at ingest: the version field as encoded and the signed decimal serial. */
  readonly version: number | null;
  readonly serial: string | null;
}

export async function certificateByHash(db: Kysely<Database>, hash: string): Promise<StoredCertificate | undefined> {
  const h = hash.toLowerCase();
  const row = await db
    .selectFrom('certificates')
    .selectAll()
    .where(h.length === 40 ? 'sha1' : 'sha256', '=', h)
    .executeTakeFirst();
  if (!row) return undefined;
  return { sha256: row.sha256, sha1: row.sha1, der: row.der === null ? null : Buffer.from(row.der), fields: JSON.parse(row.fields) as FieldMap, version: row.version, serial: row.serial };
}

/**
 * The most specific stored range holding `ip` (the longest-prefix match; for ranges that are not
 * prefixes, the smallest holding it), as the routed network and its AS. One query: the W + 1 CIDR
 * blocks holding the address are the only `block` keys a range holding it can have (as-lpm.ts),
 * each an index seek on (family, block), whatever the table's size and nesting.
 */
export async function asForIp(db: Kysely<Database>, ip: string): Promise<AsInfo | undefined> {
  const key = hexKey(ip);
  if (!key) return undefined;
  const rows = await db
    .selectFrom('as_ranges')
    .selectAll()
    .where('family', '=', key.family)
    .where('block', 'in', candidateBlocks(key.hex))
    .execute();
  // No range condition in SQL: with one, a planner may walk the primary key from the table's
  // start instead of seeking the W + 1 blocks; the few candidates are filtered here.
  let best: (typeof rows)[number] | undefined;
  for (const r of rows) {
    if (r.start_hex > key.hex || r.end_hex < key.hex) continue;
    if (!best || compareSpecificity(r, best) < 0) best = r;
  }
  if (!best) return undefined;
  return { network: rangeNetwork(best.start_hex, best.end_hex, best.start_ip, best.end_ip, ip), asn: Number(best.asn), name: best.name, source: best.source };
}

function toBig(ip: string): { v: bigint; bits: number } {
  const b = ipBytes(ip)!;
  let v = 0n;
  for (const x of b.bytes) v = (v << 8n) | BigInt(x);
  return { v, bits: b.bytes.length * 8 };
}

/** The CIDR text of the block of `2^hostBits` addresses starting at `v`. */
function blockText(v: bigint, bits: number, hostBits: number): string {
  const bytes = new Uint8Array(bits / 8);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number((v >> BigInt(bits - 8 * (i + 1))) & 255n);
  return networkText({ family: bits === 32 ? 4 : 6, bytes, prefix: bits - hostBits });
}

/** A range's network for `ip`: the range itself when it is one CIDR block (most are), else cidrContaining. */
export function rangeNetwork(startHex: string, endHex: string, startIp: string, endIp: string, ip: string): string {
  const len = cidrPrefixLength(startHex, endHex);
  if (len === undefined) return cidrContaining(startIp, endIp, ip);
  return networkText({ family: startHex.length === 8 ? 4 : 6, bytes: Uint8Array.from(Buffer.from(startHex, 'hex')), prefix: len });
}

/**
 * A range (start–end) as the CIDR block of its decomposition that holds `ip`: routing tables give
 * prefixes, but some IP-to-AS tables merge adjacent prefixes into one range.
 */
export function cidrContaining(startIp: string, endIp: string, ip: string): string {
  const s = toBig(startIp);
  const e = toBig(endIp).v;
  const x = toBig(ip).v;
  let cur = s.v;
  while (cur <= e) {
    let size = 0;
    while (size < s.bits) {
      const next = size + 1;
      const block = 1n << BigInt(next);
      if (cur % block !== 0n || cur + block - 1n > e) break;
      size = next;
    }
    const last = cur + (1n << BigInt(size)) - 1n;
    if (x >= cur && x <= last) return blockText(cur, s.bits, size);
    cur = last + 1n;
  }
  return `${startIp}/${s.bits}`;
}
