// insertMany must write what the statement it stands for writes, on both dialects: chunks of a
// shape seen before run from the kept SQL with their own values, and chunks it cannot vouch for
// are built as they are. On PostgreSQL the rows travel as one JSON parameter: what that stores
// must equal what Kysely's own statement stores, for every column type the store writes.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMany, jsonChunks, ROWS_PER_JSON_INSERT } from './insert-many.js';
import { createTestDatabase, type TestDatabase } from './scratch-postgres.js';
import type { Database } from './schema.js';
import { Store } from './store.js';
import { postgresFactory, useStore } from './test-support/open-store.js';

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

/** A certificate row as the store keeps it (mapped: an interface is no Record for insertMany). */
type CertRow = { [K in keyof Database['certificates']]: Database['certificates'][K] };

/** Text that JSON has to escape or that is not ASCII. */
const AWKWARD = ['quote " and \\ backslash', 'tab\tnew\nline', 'Ünïcödé ДОМЕН 域名', 'emoji 😀 pair', '{"x509.subject.common_name":["a\\"b"]}', "it's", '\u007f\u0001'];

function cert(i: number, key: string): CertRow {
  const der = Buffer.from(Array.from({ length: 40 + i }, (_, j) => (j * 37 + i) % 256));
  return {
    sha256: `${key}${String(i).padStart(4, '0')}`,
    sha1: i % 3 === 0 ? null : `sha1-${i}`,
    der: i % 4 === 0 ? null : der,
    fields: AWKWARD[i % AWKWARD.length]!,
    not_before: i % 5 === 0 ? null : '2026-01-01T00:00:00Z',
    not_after: AWKWARD[(i + 3) % AWKWARD.length]!,
    first_seen: null,
    last_seen: '2026-01-02T00:00:00Z',
    version: i % 2 === 0 ? null : i,
    serial: i % 2 === 0 ? `-${i}` : null,
  };
}

async function certs(store: Store, key: string): Promise<CertRow[]> {
  const rows = await store.db.selectFrom('certificates').selectAll().where('sha256', 'like', `${key}%`).orderBy('sha256').execute();
  return rows.map((r) => ({ ...r, sha256: r.sha256.slice(key.length) }));
}

describe('jsonChunks', () => {
  it('cuts at the row count or the size of the values, keeps every row in order, and sends a row larger than the budget alone', () => {
    const rows = [5, 5, 5, 30, 5, 5, 5, 5].map((n, i) => ({ i, text: 'x'.repeat(n), bytes: Buffer.alloc(1) }));
    // Each row: its text, 2 per byte of the buffer, 8 for the number.
    const cut = jsonChunks(rows, 40);
    expect(cut.map((c) => c.map((r) => r.i))).toEqual([[0, 1], [2], [3], [4, 5], [6, 7]]);
    const many = Array.from({ length: ROWS_PER_JSON_INSERT * 2 + 1 }, (_, i) => ({ i }));
    expect(jsonChunks(many).map((c) => c.length)).toEqual([ROWS_PER_JSON_INSERT, ROWS_PER_JSON_INSERT, 1]);
  });
});

describe('insertMany on PostgreSQL: rows as one JSON parameter', () => {
  let store: Store | undefined;
  const hooks = useStore('insertMany JSON rows', postgresFactory, (opened) => {
    store = opened;
  });

  it('stores bytes, numbers, NULLs and awkward text exactly as the statement with parameters does', async (ctx) => {
    if (!store) return ctx.skip(hooks.skip);
    const s = store;
    const rows = (key: string): CertRow[] => Array.from({ length: 30 }, (_, i) => cert(i, key));
    // Kysely's own multi-row statement, parameters and all, is the reference.
    await s.db.insertInto('certificates').values(rows('ref-')).execute();
    await insertMany(s.db, 'insert-many.test:certificates', rows('json-'), (chunk) => s.db.insertInto('certificates').values(chunk).onConflict((oc) => oc.column('sha256').doNothing()));
    const expected = await certs(s, 'ref-');
    expect(expected).toHaveLength(30);
    expect(expected[1]!.der).toEqual(cert(1, '').der);
    expect(await certs(s, 'json-')).toEqual(expected);

    const count = (n: number, key: string): { domain: string; rrtype: string; value: string; source: string; first_seen: string | null; last_seen: string | null; count: number } => ({
      domain: `${key}${n}.example`,
      rrtype: 'A',
      value: `192.0.2.${n}`,
      source: AWKWARD[n % AWKWARD.length]!,
      first_seen: null,
      last_seen: null,
      count: 2 ** 40 + n,
    });
    await s.db.insertInto('resolutions').values([1, 2, 3].map((n) => count(n, 'ref'))).execute();
    await insertMany(s.db, 'insert-many.test:resolutions', [1, 2, 3].map((n) => count(n, 'json')), (chunk) => s.db.insertInto('resolutions').values(chunk));
    const read = async (key: string): Promise<unknown[]> =>
      (await s.db.selectFrom('resolutions').selectAll().where('domain', 'like', `${key}%`).orderBy('domain').execute()).map((r) => ({ ...r, domain: r.domain.slice(key.length) }));
    expect(await read('json')).toEqual(await read('ref'));
  });

  it('upserts batches longer than one JSON chunk, row by row by its conflict rule', async (ctx) => {
    if (!store) return ctx.skip(hooks.skip);
    const s = store;
    const n = ROWS_PER_JSON_INSERT * 2 + 7;
    const put = (day: string, from: number, count: number): Promise<void> =>
      insertMany(s.db, 'insert-many.test:domains-widen', Array.from({ length: count }, (_, i) => ({ name: `w${String(from + i).padStart(5, '0')}.example`, first_seen: day, last_seen: day })), (chunk) =>
        s.db
          .insertInto('domains')
          .values(chunk)
          .onConflict((oc) => oc.column('name').doUpdateSet({ last_seen: sql`excluded.last_seen` })),
      );
    // One statement per JSON chunk (200-row VALUES lists would take 21), counted as Kysely runs them.
    let statements = 0;
    const counted = s.db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: (a) => {
        statements++;
        return Promise.resolve(a.result);
      },
    });
    await insertMany(counted, 'insert-many.test:domains-widen', Array.from({ length: n }, (_, i) => ({ name: `w${String(i).padStart(5, '0')}.example`, first_seen: '2026-03-01T00:00:00Z', last_seen: '2026-03-01T00:00:00Z' })), (chunk) =>
      s.db
        .insertInto('domains')
        .values(chunk)
        .onConflict((oc) => oc.column('name').doUpdateSet({ last_seen: sql`excluded.last_seen` })),
    );
    expect(statements).toBe(3);
    await put('2026-03-02T00:00:00Z', n - 10, 20);
    const rows = await s.db.selectFrom('domains').select(['name', 'first_seen', 'last_seen']).where('name', 'like', 'w%').orderBy('name').execute();
    expect(rows).toHaveLength(n + 10);
    for (const [i, r] of rows.entries()) {
      expect(r.first_seen, r.name).toBe(i < n ? '2026-03-01T00:00:00Z' : '2026-03-02T00:00:00Z');
      expect(r.last_seen, r.name).toBe(i < n - 10 ? '2026-03-01T00:00:00Z' : '2026-03-02T00:00:00Z');
    }
  });

  it('stores a text with a lone surrogate as the statement with parameters does (JSON cannot carry it)', async (ctx) => {
    if (!store) return ctx.skip(hooks.skip);
    const s = store;
    const row = (name: string): DomainRow => ({ name, first_seen: 'half \ud83d of a pair', last_seen: null });
    await s.db.insertInto('domains').values(row('ref-surrogate.example')).execute();
    await upsert(s, [row('json-surrogate.example'), { name: 'plain.example', first_seen: null, last_seen: null }]);
    const got = await s.db.selectFrom('domains').select(['name', 'first_seen']).where('name', 'in', ['ref-surrogate.example', 'json-surrogate.example', 'plain.example']).orderBy('name').execute();
    expect(got).toHaveLength(3);
    expect(got[0]!.first_seen).toBe(got[2]!.first_seen);
    expect(got[0]!.first_seen).toContain('of a pair');
  });
});

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
