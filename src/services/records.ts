// Stored records as they are: a domain's WHOIS (newest version, and when every version was
// observed), a certificate, and an entity's relations page by page (the record views of
// api/routes/v1-records.ts). These read the shared data, not an organisation's. The queries are
// in store/records-queries.ts; this file checks input, pages and keeps the cursor.
import { normaliseDomain } from '../fields/domain.js';
import { relationStreams, whoisHistory, type RelationKey, type RelationRow, type RelationStream, type WhoisHistory } from '../store/records-queries.js';
import type { Relation, Store } from '../store/store.js';
import { invalid, notFound } from './errors.js';
import { identify } from './lookup.js';

export type { Relation };

type Key = RelationKey;
type Stream = RelationStream;

interface RelationCursor {
  readonly s: number;
  readonly k: Key;
}

function encodeCursor(c: RelationCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, streams: readonly Stream[]): RelationCursor {
  const bad = invalid('cursor is not one this server gave for this entity');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  const c = v as { s?: unknown; k?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.s !== 'number' || !Array.isArray(c.k)) throw bad;
  const shape = streams[c.s]?.shape;
  const k = c.k as unknown[];
  if (!shape || k.length !== shape.length || !k.every((x, i) => (shape[i] === 'int' ? Number.isSafeInteger(x) : typeof x === 'string' && !x.includes('\0')))) throw bad;
  return { s: c.s, k: k as Key };
}

/** One page across the streams: limit + 1 rows are read so `next` is null exactly at the end. */
async function relationPage(streams: readonly Stream[], cursor: RelationCursor | undefined, limit: number): Promise<{ items: Relation[]; next: string | null }> {
  const rows: { s: number; row: RelationRow }[] = [];
  for (let s = cursor?.s ?? 0; s < streams.length && rows.length <= limit; s++) {
    const after = cursor && s === cursor.s ? cursor.k : undefined;
    for (const row of await streams[s]!.read(after, limit + 1 - rows.length)) rows.push({ s, row });
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map((r) => r.row.relation), next: rows.length > limit && last ? encodeCursor({ s: last.s, k: last.row.key }) : null };
}

/** A domain's newest WHOIS version and every version's observation; invalid / not found otherwise. */
export async function whoisRecord(store: Store, text: string): Promise<{ domain: string } & WhoisHistory> {
  const domain = normaliseDomain(text);
  if (!domain) throw invalid(`"${text}" is not a domain name`);
  const history = await whoisHistory(store.db, domain);
  if (!history) throw notFound(`WHOIS record of ${domain}`);
  return { domain, ...history };
}

/** A stored certificate by SHA-1 or SHA-256 (hex, colons allowed); invalid / not found otherwise. */
export async function certificateRecord(store: Store, text: string): Promise<{ sha256: string; sha1: string | null; fields: Record<string, string[]>; der: Buffer | null }> {
  const hash = text.replace(/:/g, '').toLowerCase();
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(hash)) throw invalid(`"${text}" is not a SHA-1 or SHA-256 fingerprint`);
  const cert = await store.certificate(hash);
  if (!cert) throw notFound(`certificate ${text}`);
  return cert;
}

/** One page of an entity's relations (first / last seen, source, count); `next` continues it. */
export async function relationsPage(store: Store, entity: string, opts: { limit: number; cursor?: string }): Promise<{ items: Relation[]; next: string | null }> {
  const ref = identify(entity);
  if (!ref) throw invalid(`"${entity}" is not a domain, an IP address or a certificate fingerprint`);
  let id = ref.id;
  if (ref.kind === 'certificate') {
    // A SHA-1 names the certificate too; relations are keyed by SHA-256.
    const cert = await store.certificate(ref.id);
    if (!cert) throw notFound(`certificate ${entity}`);
    id = cert.sha256;
  }
  const streams = relationStreams(store.db, ref.kind, id);
  return relationPage(streams, opts.cursor === undefined ? undefined : decodeCursor(opts.cursor, streams), opts.limit);
}
