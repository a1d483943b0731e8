// insertMany must write what the statement it stands for writes, on both dialects: chunks of a
// shape seen before run from the kept SQL with their own values, and chunks it cannot vouch for
// are built as they are.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMany } from './insert-many.js';
import { createTestDatabase, type TestDatabase } from './scratch-postgres.js';
import { Store } from './store.js';

type DomainRow = { name: string; first_seen: string | null; last_seen?: string | null };

async function domains(store: Store): Promise<DomainRow[]> {
  return store.db.selectFrom('domains').select(['name', 'first_seen', 'last_seen']).orderBy('name').execute();
}

function upsert(store: Store, rows: DomainRow[]): Promise<void> {
  return insertMany(store.db, 'insert-many.test:domains', rows, (chunk) =>
    store.db
      .insertInto('domains')
      .values(chunk)
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_seen: sql`excluded.last_seen` })),
  );
}

const row = (i: number, day: string): DomainRow => ({ name: `d${String(i).padStart(4, '0')}.example`, first_seen: day, last_seen: day });

function suite(name: string, open: () => Promise<{ store: Store; done: () => Promise<void> } | { skip: string }>): void {
  describe(`insertMany (${name})`, () => {
    let store: Store | undefined;
    let done: (() => Promise<void>) | undefined;
    let skip: string | undefined;
    beforeAll(async () => {
      const o = await open();
      if ('skip' in o) skip = o.skip;
      else ({ store, done } = o);
    });
    afterAll(async () => {
      await done?.();
    });

    it('writes every chunk with its own values, in chunks of a shape already compiled too', async (ctx) => {
      if (!store) return ctx.skip(skip);
      // 450 rows: two full chunks of one shape and a third, shorter one; then the same shapes again.
      await upsert(store, Array.from({ length: 450 }, (_, i) => row(i, '2026-01-01T00:00:00Z')));
      await upsert(store, Array.from({ length: 450 }, (_, i) => row(i + 450, '2026-01-02T00:00:00Z')));
      await upsert(store, Array.from({ length: 200 }, (_, i) => row(i * 3, '2026-01-03T00:00:00Z')));
      const rows = await domains(store);
      expect(rows).toHaveLength(900);
      for (const [i, r] of rows.entries()) {
        const day = i % 3 === 0 && i < 600 ? '2026-01-03T00:00:00Z' : i < 450 ? '2026-01-01T00:00:00Z' : '2026-01-02T00:00:00Z';
        expect(r, r.name).toEqual({ name: row(i, '').name, first_seen: i < 450 ? '2026-01-01T00:00:00Z' : '2026-01-02T00:00:00Z', last_seen: day });
      }
    });

    it('builds a chunk whose rows leave a column out or undefined as the statement it is', async (ctx) => {
      if (!store) return ctx.skip(skip);
      await upsert(store, [{ name: 'a.example', first_seen: '2026-02-01T00:00:00Z', last_seen: '2026-02-01T00:00:00Z' }]);
      // Same count and first row's columns as the chunk above, but last_seen is left out: the
      // statement Kysely builds inserts the default (NULL), and on conflict sets it from that.
      await upsert(store, [{ name: 'b.example', first_seen: '2026-02-02T00:00:00Z' }]);
      await upsert(store, [{ name: 'a.example', first_seen: '2026-02-03T00:00:00Z', last_seen: undefined }]);
      const rows = (await domains(store)).filter((r) => r.name.length === 9);
      expect(rows).toEqual([
        { name: 'a.example', first_seen: '2026-02-01T00:00:00Z', last_seen: null },
        { name: 'b.example', first_seen: '2026-02-02T00:00:00Z', last_seen: null },
      ]);
    });
  });
}

suite('SQLite', async () => {
  const store = await Store.open('sqlite::memory:');
  return { store, done: () => store.close() };
});

suite('PostgreSQL', async () => {
  const db: TestDatabase | { skip: string } = await createTestDatabase();
  if ('skip' in db) return db;
  const store = await Store.open(db.url);
  return {
    store,
    done: async () => {
      await store.close();
      await db.drop();
    },
  };
});
