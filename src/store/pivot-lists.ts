// The organisation's lists behind GET /pivot?field=tag|classification|signature: the entities a
// tag, a classification or a signature currently marks, a page at a time in (kind, entity) order
// after a key, how many there are, and every tag with its count. Queries only; which entities an
// effective classification covers is the caller's rule (it passes the values that outrank it).
// Every query filters by the organisation: another organisation's rows never take part.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface ListEntity {
  readonly kind: string;
  readonly entity: string;
}

export type OrgList =
  /** Entities carrying the tag, by hand or by a signature. */
  | { readonly by: 'tag'; readonly name: string }
  /**
   * Entities whose effective classification is `value`: set by hand to it, or (no hand-set one)
   * given it by a signature and no value in `outranking` by another.
   */
  | { readonly by: 'classification'; readonly value: string; readonly outranking: readonly string[] }
  /** Entities the signature currently tags or classifies, or raised a notification on. */
  | { readonly by: 'signature'; readonly id: string };

type EntitySet = SelectQueryBuilder<Database, never, ListEntity>;

/** The (kind, entity) rows of the list; may repeat an entity (callers take distinct). */
function entitySet(db: Db, org: string, list: OrgList): EntitySet {
  switch (list.by) {
    case 'tag':
      return db.selectFrom('tags').select(['kind', 'entity']).where('org', '=', org).where('name', '=', list.name);
    case 'classification':
      return db
        .selectFrom('classifications as c')
        .select(['c.kind', 'c.entity'])
        .where('c.org', '=', org)
        .where('c.value', '=', list.value)
        .where((eb) =>
          eb.or([
            eb('c.source', '=', 'manual'),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('classifications as m')
                  .select(sql<number>`1`.as('one'))
                  .whereRef('m.org', '=', 'c.org')
                  .whereRef('m.kind', '=', 'c.kind')
                  .whereRef('m.entity', '=', 'c.entity')
                  .where((m) => (list.outranking.length > 0 ? m.or([m('m.source', '=', 'manual'), m('m.value', 'in', [...list.outranking])]) : m('m.source', '=', 'manual'))),
              ),
            ),
          ]),
        );
    case 'signature':
      return db
        .selectFrom('tags')
        .select(['kind', 'entity'])
        .where('org', '=', org)
        .where('source', '=', 'signature')
        .where('signature', '=', list.id)
        .union(db.selectFrom('classifications').select(['kind', 'entity']).where('org', '=', org).where('source', '=', 'signature').where('signature', '=', list.id))
        .union(db.selectFrom('notifications').select(['kind', 'entity']).where('org', '=', org).where('signature', '=', list.id));
  }
}

/** Up to `limit` distinct entities of the list after `after`, in (kind, entity) order. */
export async function listEntitiesPage(db: Db, org: string, list: OrgList, after: ListEntity | undefined, limit: number): Promise<ListEntity[]> {
  let q = db.selectFrom(entitySet(db, org, list).as('e')).select(['e.kind', 'e.entity']).distinct();
  if (after !== undefined) q = q.where((eb) => eb.or([eb('e.kind', '>', after.kind), eb.and([eb('e.kind', '=', after.kind), eb('e.entity', '>', after.entity)])]));
  return q.orderBy('e.kind').orderBy('e.entity').limit(limit).execute();
}

/** How many distinct entities the list holds. */
export async function countListEntities(db: Db, org: string, list: OrgList): Promise<number> {
  const distinct = db.selectFrom(entitySet(db, org, list).as('e')).select(['e.kind', 'e.entity']).distinct();
  const row = await db
    .selectFrom(distinct.as('d'))
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every tag of the organisation with the number of distinct entities carrying it, by name. */
export async function tagEntityCounts(db: Db, org: string): Promise<{ name: string; entities: number }[]> {
  const distinct = db.selectFrom('tags').select(['name', 'kind', 'entity']).distinct().where('org', '=', org);
  const rows = await db
    .selectFrom(distinct.as('d'))
    .select(['d.name', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .groupBy('d.name')
    .orderBy('d.name')
    .execute();
  return rows.map((r) => ({ name: r.name, entities: Number(r.n) }));
}
