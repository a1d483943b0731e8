import { createTestDatabase } from './scratch-postgres.js';
import { orgDataSuite } from './test-support/org-data-suite.js';
import { storeSuite, type StoreFactory } from './test-support/store-suite.js';

const postgres: StoreFactory = async () => {
  const db = await createTestDatabase();
  if ('skip' in db) return db;
  return { url: db.url, cleanup: () => db.drop() };
};

storeSuite('PostgreSQL', postgres);
orgDataSuite('PostgreSQL', postgres);
