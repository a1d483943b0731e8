import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orgDataSuite } from './test-support/org-data-suite.js';
import { storeSuite, type StoreFactory } from './test-support/store-suite.js';

const sqlite: StoreFactory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'warren-store-'));
  return Promise.resolve({ url: `sqlite:${join(dir, 'nested', 'warren.db')}`, cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
};

storeSuite('SQLite', sqlite);
orgDataSuite('SQLite', sqlite);
