// A throw-away PostgreSQL database (tests, benchmarks): from WARREN_TEST_PG_URL, else the local server
// this machine kind runs (127.0.0.1:5432, trust auth). Undefined (tests skip, saying why) when
// neither answers.
import pg from 'pg';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase | { skip: string }> {
  const admin = process.env.WARREN_TEST_PG_URL ?? DEFAULT_ADMIN_URL;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch (e) {
    return { skip: `PostgreSQL not reachable at ${admin} (${(e as Error).message}); set WARREN_TEST_PG_URL to run these tests` };
  }
  const name = `warren_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await client.query(`create database ${name}`);
  await client.end();
  return {
    url: withDatabase(admin, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
