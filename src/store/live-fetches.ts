// The newest live fetch of each source for an entity (migration 0012): what a view reads to
// decide whether a source is fresh, and what it shows as each source's status and time.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface LiveFetchRow {
  readonly source: string;
  readonly status: string;
  readonly detail: string | null;
  readonly fetchedAt: string;
  readonly records: number;
}

export async function liveFetches(db: Kysely<Database>, kind: string, entity: string): Promise<LiveFetchRow[]> {
  const rows = await db.selectFrom('live_fetches').selectAll().where('kind', '=', kind).where('entity', '=', entity).orderBy('source').execute();
  return rows.map((r) => ({ source: r.source, status: r.status, detail: r.detail, fetchedAt: r.fetched_at, records: Number(r.records) }));
}

/** Records one fetch; the newest wins (a slower, older fetch finishing later does not overwrite it). */
export async function recordLiveFetch(db: Kysely<Database>, kind: string, entity: string, row: LiveFetchRow): Promise<void> {
  await db
    .insertInto('live_fetches')
    .values({ kind, entity, source: row.source, status: row.status, detail: row.detail, fetched_at: row.fetchedAt, records: row.records })
    .onConflict((oc) =>
      oc
        .columns(['kind', 'entity', 'source'])
        .doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          detail: eb.ref('excluded.detail'),
          fetched_at: eb.ref('excluded.fetched_at'),
          records: eb.ref('excluded.records'),
        }))
        .where('live_fetches.fetched_at', '<=', (eb) => eb.ref('excluded.fetched_at')),
    )
    .execute();
}
