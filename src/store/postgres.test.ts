import { postgresFactory } from './test-support/open-store.js';
import { orgDataSuite } from './test-support/org-data-suite.js';
import { packsSuite } from './test-support/packs-suite.js';
import { storeSuite } from './test-support/store-suite.js';

storeSuite('PostgreSQL', postgresFactory);
orgDataSuite('PostgreSQL', postgresFactory);
packsSuite('PostgreSQL', postgresFactory);
