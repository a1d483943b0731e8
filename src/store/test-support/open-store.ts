// The stores the store-level suites run on (a SQLite file; a scratch PostgreSQL database when a
// server answers), and the hooks that open one around a describe block.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase } from '../scratch-postgres.js';
import { Store } from '../store.js';

/** A database for one suite: its URL and how to remove it, or why there is none here. */
export type StoreFactory = () => Promise<{ url: string; cleanup: () => Promise<void> } | { skip: string }>;

/** A SQLite file `file` (a path relative to a fresh temporary folder named after `prefix`). */
export function sqliteFactory(prefix: string, file = 'warren.db'): StoreFactory {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    return Promise.resolve({ url: `sqlite:${join(dir, file)}`, cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
  };
}

/** A scratch PostgreSQL database, dropped afterwards; a skip reason when no server answers. */
export const postgresFactory: StoreFactory = async () => {
  const db = await createTestDatabase();
  return 'skip' in db ? db : { url: db.url, cleanup: () => db.drop() };
};

export interface StoreHooks {
  /** Why there is no store (the suite's tests skip), once the factory has said so. */
  readonly skip: string | undefined;
}

/**
 * Opens a store from `factory` before the describe block's tests (handing it to `opened`) and
 * closes and removes it after them. When the factory has no database here, `opened` is not
 * called, a warning names `what` is skipped, and `skip` says why.
 */
export function useStore(what: string, factory: StoreFactory, opened: (store: Store) => void | Promise<void>): StoreHooks {
  const hooks: { skip: string | undefined } = { skip: undefined };
  let store: Store | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const made = await factory();
    if ('skip' in made) {
      hooks.skip = made.skip;
      console.warn(`skipping ${what}: ${made.skip}`);
      return;
    }
    cleanup = made.cleanup;
    store = await Store.open(made.url);
    await opened(store);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });
  return hooks;
}
