// What the sharing formats (STIX, TAXII, MISP: services/sharing/) read beyond the pivot lists:
// when each entity joined a tag's or a signature's list (TAXII's date_added, kept in
// (added, kind, entity) keyset pages), every mark of many entities at once (tags, classifications,
// the first notification), the organisation's tag names and signature ids (TAXII collections,
// MISP feed events) and when the organisation was made. Every query filters by the organisation.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { chunks } from './chunks.js';
import type { Relation } from './read.js';
import { relationEndKind } from './relations.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

const CHUNK = 500;

/** A list whose entities carry the time they joined it: TAXII collections and MISP feed events. */
export type DatedList = { readonly by: 'tag'; readonly name: string } | { readonly by: 'signature'; readonly id: string };

export interface DatedEntity {
  readonly kind: string;
  readonly entity: string;
  /** When the entity joined the list: its first match (or first notification), second precision. */
  readonly added: string;
}

type AtSet = SelectQueryBuilder<Database, never, { kind: string; entity: string; at: string }>;

function datedRows(db: Db, org: string, list: DatedList): AtSet {
  switch (list.by) {
    case 'tag':
      return db.selectFrom('tags').select(['kind', 'entity', 'first_matched as at']).where('org', '=', org).where('name', '=', list.name);
    case 'signature':
      return db
        .selectFrom('tags')
        .select(['kind', 'entity', 'first_matched as at'])
        .where('org', '=', org)
        .where('source', '=', 'signature')
        .where('signature', '=', list.id)
        .unionAll(db.selectFrom('classifications').select(['kind', 'entity', 'first_matched as at']).where('org', '=', org).where('source', '=', 'signature').where('signature', '=', list.id))
        .unionAll(db.selectFrom('notifications').select(['kind', 'entity', 'created as at']).where('org', '=', org).where('signature', '=', list.id));
  }
}

/**
 * Up to `limit` entities of the list in (added, kind, entity) order: those added after
 * `addedAfter` (strictly, second precision), after the key `after`.
 */
export async function datedEntitiesPage(db: Db, org: string, list: DatedList, opts: { addedAfter?: string; after?: DatedEntity; limit: number }): Promise<DatedEntity[]> {
  const grouped = db
    .selectFrom(datedRows(db, org, list).as('r'))
    .select(['r.kind', 'r.entity', (eb) => eb.fn.min('r.at').as('added')])
    .groupBy(['r.kind', 'r.entity']);
  let q = db.selectFrom(grouped.as('g')).select(['g.kind', 'g.entity', 'g.added']);
  if (opts.addedAfter !== undefined) q = q.where('g.added', '>', opts.addedAfter);
  const a = opts.after;
  if (a !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('g.added', '>', a.added),
        eb.and([eb('g.added', '=', a.added), eb.or([eb('g.kind', '>', a.kind), eb.and([eb('g.kind', '=', a.kind), eb('g.entity', '>', a.entity)])])]),
      ]),
    );
  }
  const rows = await q.orderBy('g.added').orderBy('g.kind').orderBy('g.entity').limit(opts.limit).execute();
  return rows.map((r) => ({ kind: r.kind, entity: r.entity, added: String(r.added) }));
}

export interface EntityMarks {
  readonly tags: { readonly name: string; readonly source: 'signature' | 'manual'; readonly signature: string; readonly firstMatched: string }[];
  readonly classifications: { readonly value: string; readonly source: 'signature' | 'manual'; readonly signature: string; readonly firstMatched: string }[];
  /** The organisation's first notification on the entity, if any. */
  readonly firstNotified: string | null;
}

/** Every mark of each entity in one organisation, keyed `kind\0entity`; entities without any are absent. */
export async function marksMany(db: Db, org: string, refs: readonly { readonly kind: string; readonly entity: string }[]): Promise<Map<string, EntityMarks>> {
  type Mutable = { tags: EntityMarks['tags'][number][]; classifications: EntityMarks['classifications'][number][]; firstNotified: string | null };
  const out = new Map<string, Mutable>();
  const at = (kind: string, entity: string): Mutable => {
    const key = `${kind}\0${entity}`;
    let m = out.get(key);
    if (!m) out.set(key, (m = { tags: [], classifications: [], firstNotified: null }));
    return m;
  };
  const byKind = new Map<string, Set<string>>();
  for (const r of refs) byKind.set(r.kind, (byKind.get(r.kind) ?? new Set()).add(r.entity));
  for (const [kind, entities] of byKind) {
    for (const chunk of chunks([...entities], CHUNK)) {
      const tags = await db
        .selectFrom('tags')
        .select(['entity', 'name', 'source', 'signature', 'first_matched'])
        .where('org', '=', org)
        .where('kind', '=', kind)
        .where('entity', 'in', chunk)
        .orderBy('entity')
        .orderBy('name')
        .orderBy('signature')
        .execute();
      for (const t of tags) at(kind, t.entity).tags.push({ name: t.name, source: t.source as 'signature' | 'manual', signature: t.signature, firstMatched: t.first_matched });
      const classes = await db
        .selectFrom('classifications')
        .select(['entity', 'value', 'source', 'signature', 'first_matched'])
        .where('org', '=', org)
        .where('kind', '=', kind)
        .where('entity', 'in', chunk)
        .orderBy('entity')
        .orderBy('signature')
        .execute();
      for (const c of classes) at(kind, c.entity).classifications.push({ value: c.value, source: c.source as 'signature' | 'manual', signature: c.signature, firstMatched: c.first_matched });
      const notes = await db
        .selectFrom('notifications')
        .select(['entity', (eb) => eb.fn.min('created').as('first')])
        .where('org', '=', org)
        .where('kind', '=', kind)
        .where('entity', 'in', chunk)
        .groupBy('entity')
        .execute();
      for (const n of notes) if (n.first != null) at(kind, n.entity).firstNotified = String(n.first);
    }
  }
  return out;
}

/**
 * The resolutions (both ways) and served certificates of many entities at once, at most `cap` of
 * each kind per entity (ROW_NUMBER per entity: a shared hosting IP's thousands of names stay in
 * the database), keyed `kind\0entity`. One query per relation kind and chunk, not per entity.
 */
export async function sharedRelationsMany(db: Db, refs: readonly { readonly kind: string; readonly entity: string }[], cap: number): Promise<Map<string, Relation[]>> {
  const out = new Map<string, Relation[]>();
  const add = (kind: string, entity: string, r: Relation): void => {
    const key = `${kind}\0${entity}`;
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  };
  const ids = (kind: string): string[] => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.entity))];
  const rank = (partition: string, order: readonly string[]) =>
    sql<number>`row_number() over (partition by ${sql.ref(partition)} order by ${sql.join(order.map((c) => sql.ref(c)))})`.as('rn');
  const resolutions = async (by: 'domain' | 'value', chunk: string[]) =>
    db
      .selectFrom(
        db
          .selectFrom('resolutions')
          .select(['domain', 'rrtype', 'value', 'source', 'first_seen', 'last_seen', 'count', rank(by, by === 'domain' ? ['value', 'rrtype', 'source'] : ['domain', 'rrtype', 'source'])])
          .where(by, 'in', chunk)
          .as('r'),
      )
      .selectAll()
      .where('r.rn', '<=', cap)
      .execute();
  const served = async (by: 'ip' | 'sha256', chunk: string[]) =>
    db
      .selectFrom(
        db
          .selectFrom('served')
          .select(['sha256', 'ip', 'port', 'source', 'first_seen', 'last_seen', rank(by, by === 'ip' ? ['sha256', 'port', 'source'] : ['ip', 'port', 'source'])])
          .where(by, 'in', chunk)
          .as('s'),
      )
      .selectAll()
      .where('s.rn', '<=', cap)
      .execute();
  for (const chunk of chunks(ids('domain'), CHUNK)) {
    for (const r of await resolutions('domain', chunk)) {
      add('domain', r.domain, { kind: 'resolves-to', id: r.value, to: relationEndKind('resolves-to', r.value, r.rrtype), rrtype: r.rrtype, source: r.source, first_seen: r.first_seen, last_seen: r.last_seen, count: Number(r.count) });
    }
    for (const r of await resolutions('value', chunk)) {
      add('domain', r.value, { kind: 'resolved-from', id: r.domain, to: relationEndKind('resolved-from', r.domain), rrtype: r.rrtype, source: r.source, first_seen: r.first_seen, last_seen: r.last_seen, count: Number(r.count) });
    }
  }
  for (const chunk of chunks(ids('ip'), CHUNK)) {
    for (const r of await resolutions('value', chunk)) {
      add('ip', r.value, { kind: 'resolved-from', id: r.domain, to: relationEndKind('resolved-from', r.domain), rrtype: r.rrtype, source: r.source, first_seen: r.first_seen, last_seen: r.last_seen, count: Number(r.count) });
    }
    for (const r of await served('ip', chunk)) {
      add('ip', r.ip, { kind: 'serves', id: r.sha256, to: relationEndKind('serves', r.sha256), port: Number(r.port), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen });
    }
  }
  for (const chunk of chunks(ids('certificate'), CHUNK)) {
    for (const r of await served('sha256', chunk)) {
      add('certificate', r.sha256, { kind: 'served-on', id: r.ip, to: relationEndKind('served-on', r.ip), port: Number(r.port), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen });
    }
  }
  return out;
}

/** The organisation's tag names, sorted. */
export async function orgTagNames(db: Db, org: string): Promise<string[]> {
  return (await db.selectFrom('tags').select('name').distinct().where('org', '=', org).orderBy('name').execute()).map((r) => r.name);
}

/** The organisation's current signatures (enabled or not): id, title-bearing source, last change. */
export async function orgSignatureRows(db: Db, org: string): Promise<{ id: string; source: string; updated: string; enabled: boolean }[]> {
  const rows = await db.selectFrom('signatures').select(['id', 'source', 'updated', 'enabled']).where('org', '=', org).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, source: r.source, updated: r.updated, enabled: Number(r.enabled) === 1 }));
}

/** When the organisation was made, or undefined for one that does not exist. */
export async function orgCreated(db: Db, org: string): Promise<string | undefined> {
  const row = await db.selectFrom('orgs').select('created').where('name', '=', org).executeTakeFirst();
  return row?.created;
}
