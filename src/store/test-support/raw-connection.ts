// A plain Kysely connection to a test store's database, without migrating it: for tests that
// migrate step by step (migrateTo) and write rows as an older schema had them.
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DialectName } from '../dialect.js';

export function rawConnection(url: string): { db: Kysely<unknown>; dialect: DialectName; close: () => Promise<void> } {
  if (url.startsWith('sqlite:')) {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(url.slice('sqlite:'.length)) }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined); // as store/connect.ts: a server-ended idle client is not fatal
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
