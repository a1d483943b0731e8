// Bulk reads for evaluating many entities at once (ingest batches, retro-hunts): one query per
// chunk instead of one per entity.
import { sql, type Kysely } from 'kysely';
import type { FieldMap } from '../ingest/records.js';
import type { Database } from './schema.js';
import { chunks } from './chunks.js';

/** Keeps IN lists well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;


/** A domain's newest stored WHOIS version: its fields (with `whois.raw` when asked) and time. */
export interface StoredWhois {
  readonly domain: string;
  readonly fields: FieldMap;
  readonly observed: string | null;
}

/**
 * The newest WHOIS version of each domain that has any: the newest observation, then the latest
 * ingested. The raw reply text joins the fields as `whois.raw` only when asked (it is large).
 */
export async function newestWhoisVersions(db: Kysely<Database>, domains: readonly string[], withRaw: boolean): Promise<Map<string, StoredWhois>> {
  const newest = new Map<string, { observed: string; seq: number; fields: string; raw: string | null; observedRaw: string | null }>();
  for (const chunk of chunks(domains, CHUNK)) {
    const rows = await db
      .selectFrom('whois')
      .select(['domain', 'observed', 'seq', 'fields'])
      .$if(withRaw, (q) => q.select('raw'))
      .where('domain', 'in', chunk)
      .execute();
    for (const r of rows) {
      const observed = r.observed ?? '';
      const seq = Number(r.seq);
      const best = newest.get(r.domain);
      if (!best || observed > best.observed || (observed === best.observed && seq > best.seq)) {
        newest.set(r.domain, { observed, seq, fields: r.fields, raw: r.raw ?? null, observedRaw: r.observed });
      }
    }
  }
  const out = new Map<string, StoredWhois>();
  for (const [domain, r] of newest) {
    const fields = JSON.parse(r.fields) as FieldMap;
    if (r.raw !== null) fields['whois.raw'] = [r.raw];
    out.set(domain, { domain, fields, observed: r.observedRaw });
  }
  return out;
}

/** The newest WHOIS fields of each domain that has any (without the raw text), for matching. */
export async function newestWhoisMany(db: Kysely<Database>, domains: readonly string[]): Promise<Map<string, FieldMap>> {
  return new Map([...(await newestWhoisVersions(db, domains, false))].map(([d, w]) => [d, w.fields]));
}

export async function certificateFieldsMany(db: Kysely<Database>, sha256s: readonly string[]): Promise<Map<string, FieldMap>> {
  const out = new Map<string, FieldMap>();
  for (const chunk of chunks(sha256s, CHUNK)) {
    for (const r of await db.selectFrom('certificates').select(['sha256', 'fields']).where('sha256', 'in', chunk).execute()) {
      out.set(r.sha256, JSON.parse(r.fields) as FieldMap);
    }
  }
  return out;
}

/** Pages through a table's keys in order: `after` is the last key of the previous page. */
export async function domainPage(db: Kysely<Database>, after: string | undefined, limit: number, until?: string): Promise<string[]> {
  let q = db.selectFrom('domains').select('name');
  if (after !== undefined) q = q.where('name', '>', after);
  if (until !== undefined) q = q.where('name', '<=', until);
  return (await q.orderBy('name').limit(limit).execute()).map((r) => r.name);
}

export async function ipPage(db: Kysely<Database>, after: string | undefined, limit: number, until?: string): Promise<string[]> {
  let q = db.selectFrom('ips').select('address');
  if (after !== undefined) q = q.where('address', '>', after);
  if (until !== undefined) q = q.where('address', '<=', until);
  return (await q.orderBy('address').limit(limit).execute()).map((r) => r.address);
}

export async function certificatePage(db: Kysely<Database>, after: string | undefined, limit: number, until?: string): Promise<{ sha256: string; fields: FieldMap }[]> {
  let q = db.selectFrom('certificates').select(['sha256', 'fields']);
  if (after !== undefined) q = q.where('sha256', '>', after);
  if (until !== undefined) q = q.where('sha256', '<=', until);
  return (await q.orderBy('sha256').limit(limit).execute()).map((r) => ({ sha256: r.sha256, fields: JSON.parse(r.fields) as FieldMap }));
}

const KEY = { domain: ['domains', 'name'], ip: ['ips', 'address'], certificate: ['certificates', 'sha256'] } as const;

/** The key `offset` places after `after` (from the first key without it), in key order. */
async function keyAfter(db: Kysely<Database>, kind: keyof typeof KEY, after: string | undefined, offset: number): Promise<string | undefined> {
  const [table, column] = KEY[kind];
  const where = after === undefined ? sql`` : sql`where ${sql.ref(column)} > ${after}`;
  const r = await sql<{ key: string }>`select ${sql.ref(column)} as key from ${sql.table(table)} ${where} order by ${sql.ref(column)} limit 1 offset ${offset}`.execute(db);
  return r.rows[0]?.key;
}

/**
 * Cuts a kind's keys into ranges of about `size` keys: the last key of each range but the last
 * (a range is (previous bound, bound]). One index walk of `size` keys per bound.
 */
export async function keyBounds(db: Kysely<Database>, kind: keyof typeof KEY, size: number): Promise<string[]> {
  const bounds: string[] = [];
  for (let after: string | undefined; ; ) {
    const bound = await keyAfter(db, kind, after, size - 1);
    // No bound after the last key: the last range is open-ended.
    if (bound === undefined || (await keyAfter(db, kind, bound, 0)) === undefined) return bounds;
    bounds.push(bound);
    after = bound;
  }
}

export async function entityCounts(db: Kysely<Database>): Promise<{ domains: number; ips: number; certificates: number }> {
  const count = async (table: 'domains' | 'ips' | 'certificates'): Promise<number> =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  return { domains: await count('domains'), ips: await count('ips'), certificates: await count('certificates') };
}
