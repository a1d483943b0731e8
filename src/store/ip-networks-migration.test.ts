// Migration 0011 adds IP network registrations to a store that already holds data: what it held
// still answers, and registrations are stored and found at once; on SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { rangeLpmKeys } from './as-lpm.js';
import { migrationProvider } from './migrations.js';
import { rawConnection } from './test-support/raw-connection.js';
import { createTestDatabase } from './scratch-postgres.js';
import { Store } from './store.js';

type Factory = () => Promise<{ url: string; cleanup: () => Promise<void> } | { skip: string }>;

const sqliteFactory: Factory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'warren-ip-networks-'));
  return Promise.resolve({ url: `sqlite:${join(dir, 'a.db')}`, cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
};
const postgresFactory: Factory = async () => {
  const db = await createTestDatabase();
  return 'skip' in db ? db : { url: db.url, cleanup: () => db.drop() };
};

function suite(name: string, factory: Factory): void {
  describe(`${name}: migration 0011`, () => {
    it('adds ip_networks beside the data a 0010 store holds', async (t) => {
      const made = await factory();
      if ('skip' in made) return t.skip(made.skip);
      try {
        const { db, dialect, close } = rawConnection(made.url);
        try {
          const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
          expect((await migrator.migrateTo('0010_certificate_version_serial')).error).toBeUndefined();
          const keys = rangeLpmKeys('c6120000', 'c612ffff');
          await sql`insert into as_ranges (family, start_hex, end_hex, block, span_hex, start_ip, end_ip, asn, name, source)
            values (4, 'c6120000', 'c612ffff', ${keys.block}, ${keys.span_hex}, '198.18.0.0', '198.18.255.255', 64500, 'OLD', 'pfx2as')`.execute(db);
        } finally {
          await close();
        }
        const store = await Store.open(made.url);
        try {
          expect(await store.asForIp('198.18.1.1')).toMatchObject({ network: '198.18.0.0/16', asn: 64500 });
          expect(await store.networkForIp('198.18.1.1')).toBeUndefined();
          await store.write([{ kind: 'network', start: '198.18.0.0', end: '198.18.1.255', fields: { 'network.name': ['NEW-23'] }, source: 'rdap' }]);
          expect(await store.networkForIp('198.18.1.1')).toEqual({ start: '198.18.0.0', end: '198.18.1.255', fields: { 'network.name': ['NEW-23'] }, observed: null, source: 'rdap' });
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
