// Migration 0010 reads the version and signed serial of the certificates a store already holds
// from their DER, as ingest now does, so the PassiveTotal presenter never decodes DER; on SQLite
// and PostgreSQL. A field-only certificate (no DER) keeps none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { parsePem } from '../ingest/parsers/x509/x509.js';
import type { CertificateRecord } from '../ingest/records.js';
import { migrationProvider } from './migrations.js';
import { Store } from './store.js';
import { rawConnection } from './test-support/raw-connection.js';
import { postgresFactory, sqliteFactory, type StoreFactory } from './test-support/open-store.js';

const PEM = readFileSync(join(import.meta.dirname, '../ingest/parsers/fixtures/zeek/lanxess-lab.pem'), 'utf8');

function suite(name: string, factory: StoreFactory): void {
  describe(`${name}: migration 0010`, () => {
    it('fills version and serial from the DER of certificates stored before it, and ingest fills them for new ones', async (t) => {
      const made = await factory();
      if ('skip' in made) return t.skip(made.skip);
      const cert = parsePem(PEM, {}).records[0] as CertificateRecord;
      expect(cert.version).toBe(2);
      expect(cert.serial).toMatch(/^-?\d+$/);
      try {
        const { db, dialect, close } = rawConnection(made.url);
        try {
          const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
          expect((await migrator.migrateTo('0009_as_ranges_lpm')).error).toBeUndefined();
          await sql`insert into certificates (sha256, sha1, der, fields) values (${cert.sha256}, ${cert.sha1}, ${Buffer.from(cert.der)}, ${JSON.stringify(cert.fields)})`.execute(db);
          await sql`insert into certificates (sha256, sha1, der, fields) values (${'e'.repeat(64)}, ${null}, ${null}, ${'{}'})`.execute(db);
          expect((await migrator.migrateToLatest()).error).toBeUndefined();
          const rows = await sql<{ sha256: string; version: number | null; serial: string | null }>`select sha256, version, serial from certificates order by sha256`.execute(db);
          expect(rows.rows.map((r) => ({ ...r, version: r.version === null ? null : Number(r.version) }))).toEqual(
            [
              { sha256: cert.sha256, version: 2, serial: cert.serial },
              { sha256: 'e'.repeat(64), version: null, serial: null },
            ].sort((a, b) => a.sha256.localeCompare(b.sha256)),
          );
        } finally {
          await close();
        }
        const store = await Store.open(made.url);
        try {
          const other = { ...cert, sha256: 'f'.repeat(64) };
          await store.write([other]);
          expect(await store.certificate('f'.repeat(64))).toMatchObject({ version: 2, serial: cert.serial });
        } finally {
          await store.close();
        }
      } finally {
        await made.cleanup();
      }
    });
  });
}

suite('SQLite', sqliteFactory('warren-cert-version-'));
suite('PostgreSQL', postgresFactory);
