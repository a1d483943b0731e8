// Opening the store from a `--db` URL (cli.md): `sqlite:PATH` or `postgres://…`.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations.js';
import { cachingDatabase } from './statement-cache.js';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';

export type { DialectName };

export const DEFAULT_DB_URL = 'sqlite:./data/warren.db';

export interface Connection {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export class StoreUrlError extends Error {}

function openSqlite(path: string): Connection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  // Ingest inserts at random places in hash-keyed indexes (certificates, names, references), so
  // a commit writes a page per index entry it touches: bigger pages cost fewer writes per entry
  // and hold a 2 KB certificate row without overflow, and a 16 MiB cache (default 2 MiB) keeps
  // those indexes' inner pages read (32 MiB was no faster and cost `warren watch` its memory
  // margin). A CT feed's store write fell by about a quarter (docs/PERFORMANCE.md). The page
  // size only takes for a new database; an existing one keeps its own.
  database.pragma('page_size = 16384');
  database.pragma('cache_size = -16384');
  // WAL lets readers (lookups, the server) work while ingest writes; NORMAL sync is durable
  // at checkpoints and far faster than FULL for batched ingest.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(database) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(url: string, deferCommits = false): Connection {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection the server ends (a restart, an administrator, a failover) is an 'error'
  // event on the pool: without a listener it would end the process. The pool drops that client
  // and the next query opens a new one, so there is nothing else to do here.
  pool.on('error', () => undefined);
  // Queued before any query the pool hands the client out for; a failure leaves commits waiting
  // for the disk as usual, which is only slower.
  if (deferCommits) pool.on('connect', (client) => void client.query('SET synchronous_commit TO off').catch(() => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * A second connection to an open PostgreSQL store whose commits return before the disk has the
 * WAL (`synchronous_commit = off`): for work that is made durable by a later ordinary commit of
 * the same database, which flushes the WAL up to itself and so every commit before it (a queued
 * part's batches, made durable by the commit that ends the part: services/jobs/work.ts). Only a
 * crash of PostgreSQL itself can lose such commits, and then the part has not ended and runs again.
 * Not migrated: the store it belongs to was.
 */
export function connectDeferringCommits(url: string): Connection {
  return openPostgres(url, true);
}

/** Opens (creating a SQLite file and its folder if needed) and migrates to the latest schema. */
export async function connect(url: string): Promise<Connection> {
  let conn: Connection;
  if (url.startsWith('sqlite:')) conn = openSqlite(url.slice('sqlite:'.length) || ':memory:');
  else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) conn = openPostgres(url);
  else throw new StoreUrlError(`unsupported --db URL "${url}": use sqlite:PATH or postgres://…`);
  try {
    const migrator = new Migrator({ db: conn.db as Kysely<unknown>, provider: migrationProvider(conn.dialect) });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  } catch (e) {
    await conn.close();
    throw new StoreUrlError(`cannot open the store at ${url}: ${(e as Error).message}`);
  }
  return conn;
}
