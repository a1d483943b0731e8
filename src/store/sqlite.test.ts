import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeSuite } from './test-support/store-suite.js';

storeSuite('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warren-store-'));
  return Promise.resolve({ url: `sqlite:${join(dir, 'nested', 'warren.db')}`, cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
});
