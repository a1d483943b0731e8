// Store.deferringCommits(): on PostgreSQL a second pool over the same database whose every
// connection commits without waiting for the disk, while the store it came from keeps the
// server's setting; on SQLite the store itself. Skipped on PostgreSQL when no server answers.
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { postgresFactory, sqliteFactory, useStore } from './test-support/open-store.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

async function setting(db: Kysely<Database>): Promise<string> {
  return (await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(db)).rows[0]!.s;
}

describe('deferred commits (PostgreSQL)', () => {
  let store: Store | undefined;
  const hooks = useStore('deferred commits on PostgreSQL', postgresFactory, (opened) => {
    store = opened;
  });

  it('commits without waiting on every connection of its own pool, and leaves the store it came from as the server has it', async (t) => {
    if (!store) return t.skip(hooks.skip);
    const serverDefault = (await sql<{ s: string }>`select reset_val as s from pg_settings where name = 'synchronous_commit'`.execute(store.db)).rows[0]!.s;
    const deferred = store.deferringCommits();
    try {
      expect(deferred).not.toBe(store);
      expect(deferred.identity).toBe(store.identity);
      expect(deferred.dialect).toBe('postgres');
      // Four at once: the pool opens a connection for each, and each must have the setting.
      const seen = await Promise.all(
        Array.from({ length: 4 }, () => deferred.db.transaction().execute(async (trx) => ({ s: await setting(trx), pid: (await sql<{ p: number }>`select pg_backend_pid() as p, pg_sleep(0.05)`.execute(trx)).rows[0]!.p }))),
      );
      expect(new Set(seen.map((x) => x.pid)).size).toBe(4);
      expect(seen.map((x) => x.s)).toEqual(['off', 'off', 'off', 'off']);
      const main = await Promise.all(Array.from({ length: 4 }, () => store!.db.transaction().execute((trx) => setting(trx))));
      expect(main).toEqual([serverDefault, serverDefault, serverDefault, serverDefault]);

      // The same database: what one writes the other reads.
      await deferred.db.insertInto('job_chunks').values({ job: 'deferred', part: 0, data: Buffer.from('x') }).execute();
      const back = await store.db.selectFrom('job_chunks').select('data').where('job', '=', 'deferred').executeTakeFirst();
      expect(Buffer.from(back!.data).toString()).toBe('x');
    } finally {
      await deferred.close();
    }
    // Closing the sibling closes only its own pool.
    expect(await setting(store.db)).toBe(serverDefault);
  });
});

describe('deferred commits (SQLite)', () => {
  let store: Store | undefined;
  useStore('deferred commits on SQLite', sqliteFactory('warren-deferred-'), (opened) => {
    store = opened;
  });

  it('is the store itself: one connection, nothing to defer', () => {
    expect(store!.deferringCommits()).toBe(store);
  });
});
