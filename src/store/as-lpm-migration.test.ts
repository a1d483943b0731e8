// Migration 0009 keys the ranges a store already holds, so they answer by longest-prefix match
// without being ingested again; on SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hexKey } from './ip-keys.js';
import { migrationProvider } from './migrations.js';
import { rawConnection } from './test-support/raw-connection.js';
import { createTestDatabase } from './scratch-postgres.js';
import { Store } from './store.js';

type Factory = () => Promise<{ url: string; cleanup: () => Promise<void> } | { skip: string }>;

const sqliteFactory: Factory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'warren-as-lpm-'));
  return Promise.resolve({ url: `sqlite:${join(dir, 'a.db')}`, cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
};
const postgresFactory: Factory = async () => {
  const db = await createTestDatabase();
  return 'skip' in db ? db : { url: db.url, cleanup: () => db.drop() };
};


const OLD_ROWS: [string, string, number, string][] = [
  ['32.0.0.0', '32.255.255.255', 2686, 'pfx2as'],
  ['32.10.0.0', '32.10.63.255', 8030, 'pfx2as'],
  ['1.0.1.0', '1.0.2.255', 64_510, 'iptoasn'],
  ['2001:db8::', '2001:db8::ffff:ffff', 64_502, 'mmdb'],
];

function suite(name: string, factory: Factory): void {
  describe(`${name}: migration 0009`, () => {
    it('keys the AS ranges already stored, so they answer by longest-prefix match', async (t) => {
      const made = await factory();
      if ('skip' in made) return t.skip(made.skip);
      try {
        const { db, dialect, close } = rawConnection(made.url);
        try {
          const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
          expect((await migrator.migrateTo('0006_outbox_claims')).error).toBeUndefined();
          for (const [start, end, asn, source] of OLD_ROWS) {
            const s = hexKey(start)!;
            await sql`insert into as_ranges (family, start_hex, end_hex, start_ip, end_ip, asn, name, source)
              values (${s.family}, ${s.hex}, ${hexKey(end)!.hex}, ${start}, ${end}, ${asn}, ${null}, ${source})`.execute(db);
          }
          // Many more specific prefixes after 32.10.0.0/18, each starting before 32.240.185.39.
          for (let i = 0; i < 40; i++) {
            const start = `32.${100 + i}.0.0`;
            await sql`insert into as_ranges (family, start_hex, end_hex, start_ip, end_ip, asn, name, source)
              values (4, ${hexKey(start)!.hex}, ${hexKey(`32.${100 + i}.255.255`)!.hex}, ${start}, ${`32.${100 + i}.255.255`}, ${65_000 + i}, ${null}, 'pfx2as')`.execute(db);
          }
        } finally {
          await close();
        }
        const store = await Store.open(made.url);
        try {
          expect(await store.asForIp('32.240.185.39')).toEqual({ network: '32.0.0.0/8', asn: 2686, name: null, source: 'pfx2as' });
          expect(await store.asForIp('32.10.1.1')).toMatchObject({ network: '32.10.0.0/18', asn: 8030 });
          expect(await store.asForIp('32.139.1.1')).toMatchObject({ network: '32.139.0.0/16', asn: 65_039 });
          expect(await store.asForIp('1.0.2.9')).toMatchObject({ network: '1.0.2.0/24', asn: 64_510 });
          expect(await store.asForIp('2001:db8::1:2')).toMatchObject({ network: '2001:db8::/96', asn: 64_502 });
          expect(await store.asForIp('33.0.0.1')).toBeUndefined();
        } finally {
          await store.close();
        }
      } finally {
        await made.cleanup();
      }
    });
  });
}

suite('SQLite', sqliteFactory);
suite('PostgreSQL', postgresFactory);
