// The stores delivery tests run on: a SQLite file, and a scratch PostgreSQL database when a server
// answers (skipped, saying why, when none does). Each test works in an organisation of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createNotification, notificationId, type NewNotification } from '../../../store/notifications.js';
import { ensureOrg } from '../../../store/orgs.js';
import { createTestDatabase } from '../../../store/scratch-postgres.js';
import { Store } from '../../../store/store.js';

export interface StoreKind {
  readonly label: string;
  open(): Promise<{ store: Store; cleanup: () => Promise<void> } | { skip: string }>;
}

export const STORE_KINDS: readonly StoreKind[] = [
  {
    label: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'warren-delivery-'));
      const store = await Store.open(`sqlite:${join(dir, 'warren.db')}`);
      return {
        store,
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    label: 'PostgreSQL',
    async open() {
      const db = await createTestDatabase();
      if ('skip' in db) return db;
      const store = await Store.open(db.url);
      return {
        store,
        cleanup: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
  },
];

export interface StoreFixture {
  /** The store, or undefined when this kind is not available here (the test then skips). */
  readonly store: Store | undefined;
}

/** Opens the store before the describe block's tests and cleans up after them. */
export function useStore(kind: StoreKind): StoreFixture {
  const fixture: { store: Store | undefined } = { store: undefined };
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const made = await kind.open();
    if ('skip' in made) {
      console.warn(`skipping ${kind.label} delivery tests: ${made.skip}`);
      return;
    }
    fixture.store = made.store;
    cleanup = made.cleanup;
  });
  afterAll(async () => {
    await cleanup?.();
  });
  return fixture;
}

let orgs = 0;

/** A fresh organisation, so tests sharing a store never see each other's outbox. */
export async function freshOrg(store: Store, now = '2026-01-01T00:00:00Z'): Promise<string> {
  const org = `org-${process.pid}-${++orgs}`;
  await ensureOrg(store.db, org, now);
  return org;
}

export function sampleNotification(org: string, i: number, extra: Partial<NewNotification> = {}): NewNotification {
  const entity = `host${i}.example.com`;
  return {
    org,
    signature: 'brand-example',
    signatureVersion: 1,
    kind: 'domain',
    entity,
    field: 'domain',
    value: entity,
    severity: 'high',
    headline: `Signature brand-example matched domain ${entity} on field domain`,
    content: `Signature brand-example matched domain ${entity} on field domain (value ${entity}).`,
    ...extra,
  };
}

/** Creates notification i (queued to every channel the org has now); returns its id. */
export async function notify(store: Store, org: string, i: number, created: string, extra: Partial<NewNotification> = {}): Promise<string> {
  const n = sampleNotification(org, i, extra);
  await createNotification(store.db, n, created);
  return notificationId(n);
}

/** A clock tests move by hand. */
export class ManualClock {
  private t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  readonly now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
