// IP → its network registration (live.md "Network fields"): the most specific stored registration
// (an RDAP ip network) holding an address, found by the longest-prefix keys IP → AS uses
// (as-lpm.ts): a registration holding the address has its enclosing block among the W + 1 blocks
// holding it, so one query of `block IN (those keys)` finds every candidate.
import type { Kysely } from 'kysely';
import type { FieldMap } from '../ingest/records.js';
import { candidateBlocks } from './as-lpm.js';
import { chunks } from './chunks.js';
import { hexKey } from './ip-keys.js';
import type { Database } from './schema.js';

/** A stored registration: its block, the network.* fields of its newest observation, and where it came from. */
export interface StoredNetwork {
  /** First and last address, canonical text. */
  readonly start: string;
  readonly end: string;
  readonly fields: FieldMap;
  readonly observed: string | null;
  readonly source: string;
}

const COLUMNS = ['start_hex', 'end_hex', 'span_hex', 'start_ip', 'end_ip', 'source', 'fields', 'observed'] as const;
type Row = Pick<Database['ip_networks'], (typeof COLUMNS)[number]>;

/** Block keys per query: well under SQLite's and PostgreSQL's parameter limits. */
const KEYS_PER_QUERY = 1_000;

/**
 * Negative when `a` is the better answer: the more specific (smaller, then starting later, as
 * as-lpm.ts says), then the newer observation (one block registered by two sources: a live
 * look-up and an older file), then the source that sorts first, so every path agrees.
 */
function compareNetworks(a: Row, b: Row): number {
  if (a.span_hex !== b.span_hex) return a.span_hex < b.span_hex ? -1 : 1;
  if (a.start_hex !== b.start_hex) return a.start_hex > b.start_hex ? -1 : 1;
  const ao = a.observed ?? '';
  const bo = b.observed ?? '';
  if (ao !== bo) return ao > bo ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

function best(rows: Iterable<Row>, hex: string): Row | undefined {
  let out: Row | undefined;
  for (const r of rows) {
    if (r.start_hex > hex || r.end_hex < hex) continue;
    if (!out || compareNetworks(r, out) < 0) out = r;
  }
  return out;
}

function stored(r: Row): StoredNetwork {
  return { start: r.start_ip, end: r.end_ip, fields: JSON.parse(r.fields) as FieldMap, observed: r.observed, source: r.source };
}

/** The most specific stored registration holding `ip`: one query, an index seek per candidate block. */
export async function networkForIp(db: Kysely<Database>, ip: string): Promise<StoredNetwork | undefined> {
  const key = hexKey(ip);
  if (!key) return undefined;
  // No range condition in SQL (as in read.ts asForIp): the planner seeks the blocks; the few
  // candidates are filtered here.
  const rows = await db.selectFrom('ip_networks').select(COLUMNS).where('family', '=', key.family).where('block', 'in', candidateBlocks(key.hex)).execute();
  const r = best(rows, key.hex);
  return r ? stored(r) : undefined;
}

/**
 * The same for many IPs (evaluation batches, retro-hunt pages, search): the candidate blocks of
 * all of them, de-duplicated, read a chunk at a time. IPs held by no registration are left out.
 */
export async function networksForIps(db: Kysely<Database>, ips: readonly string[]): Promise<Map<string, StoredNetwork>> {
  const out = new Map<string, StoredNetwork>();
  const byFamily = new Map<number, { ip: string; hex: string; blocks: string[] }[]>();
  for (const ip of new Set(ips)) {
    const key = hexKey(ip);
    if (!key) continue;
    const list = byFamily.get(key.family) ?? [];
    list.push({ ip, hex: key.hex, blocks: candidateBlocks(key.hex) });
    byFamily.set(key.family, list);
  }
  for (const [family, list] of byFamily) {
    // A store with no registrations of this family (the usual case before any RDAP data) costs one query.
    if ((await db.selectFrom('ip_networks').select('family').where('family', '=', family).limit(1).executeTakeFirst()) === undefined) continue;
    const rowsByBlock = new Map<string, Row[]>();
    const keys = [...new Set(list.flatMap((x) => x.blocks))];
    for (const chunk of chunks(keys, KEYS_PER_QUERY)) {
      const rows = await db
        .selectFrom('ip_networks')
        .select([...COLUMNS, 'block'])
        .where('family', '=', family)
        .where('block', 'in', chunk)
        .execute();
      for (const r of rows) {
        const at = rowsByBlock.get(r.block);
        if (at) at.push(r);
        else rowsByBlock.set(r.block, [r]);
      }
    }
    if (rowsByBlock.size === 0) continue;
    // Many IPs share a registration: its fields are parsed once.
    const parsed = new Map<Row, StoredNetwork>();
    for (const { ip, hex, blocks } of list) {
      const r = best(blocks.flatMap((b) => rowsByBlock.get(b) ?? []), hex);
      if (!r) continue;
      let n = parsed.get(r);
      if (!n) parsed.set(r, (n = stored(r)));
      out.set(ip, n);
    }
  }
  return out;
}
