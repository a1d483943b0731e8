// An upload's chunks (jobs.ts addChunk/readChunk) on PostgreSQL after migration 0020: stored
// with lz4 where the server has it, still compressed, and read back byte for byte. Skipped when
// no PostgreSQL server answers.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChunk, readChunk } from './jobs.js';
import { createTestDatabase, type TestDatabase } from './scratch-postgres.js';
import { Store } from './store.js';

/** About 600 KB of JSON Lines like an upload's: compressible, and past TOAST's threshold. */
function uploadLike(): Buffer {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < 600_000; i++) {
    lines.push(JSON.stringify({ rrname: `host${i}.example${i % 97}.com`, rrtype: 'A', rdata: [`198.51.${i % 256}.${(i * 7) % 256}`], time_first: 1698403973 + i, count: i }));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe('PostgreSQL: upload chunks (migration 0020)', () => {
  let made: TestDatabase | undefined;
  let skip: string | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase();
    if ('skip' in db) skip = db.skip;
    else {
      made = db;
      store = await Store.open(made.url);
    }
  });
  afterAll(async () => {
    await store?.close();
    await made?.drop();
  });

  it('compresses chunks with lz4 when the server has it, and reads them back unchanged', async (t) => {
    if (!store) return t.skip(skip);
    const db = store.db;
    // Whether this server was built with lz4: the migration keeps pglz on one that was not.
    let lz4 = true;
    try {
      await sql`create temporary table lz4_probe (b bytea compression lz4)`.execute(db);
      await sql`drop table lz4_probe`.execute(db);
    } catch {
      lz4 = false;
    }
    const column = await sql<{ c: string }>`select attcompression::text as c from pg_attribute where attrelid = 'job_chunks'::regclass and attname = 'data'`.execute(db);
    expect(column.rows[0]?.c).toBe(lz4 ? 'l' : '');

    const data = uploadLike();
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24));
    await addChunk(db, 'job-a', 0, data);
    await addChunk(db, 'job-a', 1, binary);
    await addChunk(db, 'job-a', 2, Buffer.alloc(0));
    expect((await readChunk(db, 'job-a', 0))?.equals(data)).toBe(true);
    expect((await readChunk(db, 'job-a', 1))?.equals(binary)).toBe(true);
    expect((await readChunk(db, 'job-a', 2))?.length).toBe(0);
    expect(await readChunk(db, 'job-a', 3)).toBeUndefined();

    // Stored compressed (lz4 or pglz), not at its full size.
    const stored = await sql<{ n: string; method: string | null }>`select pg_column_size(data)::text as n, pg_column_compression(data) as method from job_chunks where job = 'job-a' and part = 0`.execute(db);
    expect(Number(stored.rows[0]!.n)).toBeLessThan(data.length / 2);
    expect(stored.rows[0]!.method).toBe(lz4 ? 'lz4' : 'pglz');
  });
});
