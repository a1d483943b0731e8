// How much each of an organisation's signatures has found, for the signatures list. One grouped
// query per table (never one per signature):
//   hits     = distinct entities (kind, entity) the signature currently tags or classifies
//              (automatic rows only) or raised a notification on: an entity both tagged and
//              alerted on counts once, so hits is the length of the signature's pivot list
//              (GET /pivot?field=signature, store/pivot-lists.ts);
//   last_hit = the latest `last_matched` of those tags / classifications or `created` of those
//              notifications; null when it has none.
// Withdrawn tags and classifications are deleted rows, so they no longer count.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SignatureHits {
  readonly hits: number;
  readonly lastHit: string | null;
}

export async function signatureHits(db: Db, org: string): Promise<Map<string, SignatureHits>> {
  const entities = db
    .selectFrom('tags')
    .select(['signature', 'kind', 'entity'])
    .where('org', '=', org)
    .where('source', '=', 'signature')
    .union(db.selectFrom('classifications').select(['signature', 'kind', 'entity']).where('org', '=', org).where('source', '=', 'signature'))
    .union(db.selectFrom('notifications').select(['signature', 'kind', 'entity']).where('org', '=', org));
  // Sequential: the same code runs inside a transaction (one connection).
  const tagged = await db
    .selectFrom(entities.as('e'))
    .select(['e.signature', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .groupBy('e.signature')
    .execute();
  const tagLast = await db
    .selectFrom('tags')
    .select(['signature', (eb) => eb.fn.max('last_matched').as('last')])
    .where('org', '=', org)
    .where('source', '=', 'signature')
    .groupBy('signature')
    .execute();
  const classLast = await db
    .selectFrom('classifications')
    .select(['signature', (eb) => eb.fn.max('last_matched').as('last')])
    .where('org', '=', org)
    .where('source', '=', 'signature')
    .groupBy('signature')
    .execute();
  const notes = await db
    .selectFrom('notifications')
    .select(['signature', (eb) => eb.fn.max('created').as('last')])
    .where('org', '=', org)
    .groupBy('signature')
    .execute();
  const out = new Map<string, { hits: number; lastHit: string | null }>();
  const at = (sig: string): { hits: number; lastHit: string | null } => {
    let v = out.get(sig);
    if (!v) out.set(sig, (v = { hits: 0, lastHit: null }));
    return v;
  };
  const later = (v: { lastHit: string | null }, t: string | null | undefined): void => {
    if (t && (v.lastHit === null || t > v.lastHit)) v.lastHit = t;
  };
  for (const r of tagged) at(r.signature).hits += Number(r.n);
  for (const r of notes) later(at(r.signature), r.last);
  for (const r of [...tagLast, ...classLast]) later(at(r.signature), r.last);
  return out;
}
