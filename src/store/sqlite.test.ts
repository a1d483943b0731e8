import { join } from 'node:path';
import { sqliteFactory } from './test-support/open-store.js';
import { orgDataSuite } from './test-support/org-data-suite.js';
import { packsSuite } from './test-support/packs-suite.js';
import { storeSuite } from './test-support/store-suite.js';

// In a folder that does not exist yet: opening the store makes it.
const sqlite = sqliteFactory('warren-store-', join('nested', 'warren.db'));

storeSuite('SQLite', sqlite);
orgDataSuite('SQLite', sqlite);
packsSuite('SQLite', sqlite);
