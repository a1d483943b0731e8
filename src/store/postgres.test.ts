import { storeSuite } from './test-support/store-suite.js';
import { createTestDatabase } from './scratch-postgres.js';

storeSuite('PostgreSQL', async () => {
  const db = await createTestDatabase();
  if ('skip' in db) return db;
  return { url: db.url, cleanup: () => db.drop() };
});
