// The signature-pack repository (store/packs.ts, migration 0015) on SQLite and PostgreSQL: the
// same calls leave the same rows on both dialects, and every read stays in the organisation it
// names (a subscriber reads only the snapshots of packs granted to it).
import { describe, expect, it } from 'vitest';
import {
  addGrant,
  disabledPackSignatures,
  grantedPack,
  offeredPacks,
  packGrants,
  packRow,
  packSignatures,
  packVersions,
  publishedPacks,
  putSubscription,
  removeGrant,
  removeSubscription,
  setPackSignatureDisabled,
  subscribedSignatureRows,
  subscribersOf,
  subscription,
  subscriptionsOf,
  writePackVersion,
} from '../packs.js';
import type { Store } from '../store.js';
import { useStore, type StoreFactory } from './open-store.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-02T00:00:00Z';

export function packsSuite(name: string, factory: StoreFactory): void {
  describe(`${name} signature packs`, () => {
    let store: Store | undefined;
    useStore(`${name} signature-pack tests`, factory, (opened) => {
      store = opened;
    });

    it('keeps each version as a snapshot: a later version never changes an earlier one', async (t) => {
      if (!store) return t.skip();
      const db = store.db;
      expect(await writePackVersion(db, 'acme', 'phish', 'lures', [{ signature: 'a', source: '{"v":1}' }, { signature: 'b', source: '{"v":1}' }], T1)).toBe(1);
      expect(await writePackVersion(db, 'acme', 'phish', undefined, [{ signature: 'a', source: '{"v":2}' }], T2)).toBe(2);
      expect(await packRow(db, 'acme', 'phish')).toEqual({ org: 'acme', name: 'phish', version: 2, description: 'lures', created: T1, updated: T2 });
      expect(await packSignatures(db, 'acme', 'phish', 1)).toEqual([
        { signature: 'a', source: '{"v":1}' },
        { signature: 'b', source: '{"v":1}' },
      ]);
      expect(await packSignatures(db, 'acme', 'phish', 2)).toEqual([{ signature: 'a', source: '{"v":2}' }]);
      expect(await packVersions(db, 'acme', 'phish')).toEqual([
        { version: 1, published: T1, signatures: 2 },
        { version: 2, published: T2, signatures: 1 },
      ]);
      // The same pack name in another organisation is another pack.
      expect(await writePackVersion(db, 'beta', 'phish', '', [{ signature: 'z', source: '{}' }], T1)).toBe(1);
      expect((await publishedPacks(db, 'acme')).map((p) => [p.org, p.name, p.version])).toEqual([['acme', 'phish', 2]]);
    });

    it('offers a pack only to the organisations its publisher granted, once each', async (t) => {
      if (!store) return t.skip();
      const db = store.db;
      expect(await addGrant(db, 'acme', 'phish', 'beta', T1)).toBe(true);
      expect(await addGrant(db, 'acme', 'phish', 'beta', T2)).toBe(false);
      expect(await packGrants(db, 'acme')).toEqual([{ name: 'phish', consumer: 'beta', granted: T1 }]);
      expect((await grantedPack(db, 'acme', 'phish', 'beta'))?.version).toBe(2);
      expect(await grantedPack(db, 'acme', 'phish', 'gamma')).toBeUndefined();
      expect(await grantedPack(db, 'beta', 'phish', 'acme')).toBeUndefined();
      expect((await offeredPacks(db, 'beta')).map((p) => `${p.org}/${p.name}`)).toEqual(['acme/phish']);
      expect(await offeredPacks(db, 'gamma')).toEqual([]);
      expect(await removeGrant(db, 'acme', 'phish', 'beta')).toBe(true);
      expect(await removeGrant(db, 'acme', 'phish', 'beta')).toBe(false);
      expect(await offeredPacks(db, 'beta')).toEqual([]);
    });

    it('runs a subscription at its version, without the signatures the subscriber switched off', async (t) => {
      if (!store) return t.skip();
      const db = store.db;
      await putSubscription(db, 'beta', 'acme', 'phish', 1, T1);
      await putSubscription(db, 'gamma', 'acme', 'phish', 2, T1);
      expect((await subscribedSignatureRows(db, 'beta')).map((r) => [r.signature, r.version, r.source, r.enabled])).toEqual([
        ['a', 1, '{"v":1}', true],
        ['b', 1, '{"v":1}', true],
      ]);
      expect(await setPackSignatureDisabled(db, 'beta', 'acme', 'phish', 'b', true, T2)).toBe(true);
      expect(await setPackSignatureDisabled(db, 'beta', 'acme', 'phish', 'b', true, T2)).toBe(false);
      expect([...(await disabledPackSignatures(db, 'beta', 'acme', 'phish'))]).toEqual(['b']);
      expect((await subscribedSignatureRows(db, 'beta')).map((r) => [r.signature, r.enabled])).toEqual([
        ['a', true],
        ['b', false],
      ]);
      // Another subscriber's switch and version are its own.
      expect((await subscribedSignatureRows(db, 'gamma')).map((r) => [r.signature, r.version, r.enabled])).toEqual([['a', 2, true]]);
      await putSubscription(db, 'beta', 'acme', 'phish', 2, T2);
      expect(await subscription(db, 'beta', 'acme', 'phish')).toEqual({ org: 'beta', publisher: 'acme', name: 'phish', version: 2, subscribed: T1, updated: T2 });
      expect((await subscribedSignatureRows(db, 'beta')).map((r) => [r.signature, r.version])).toEqual([['a', 2]]);
      expect((await subscribersOf(db, 'acme', 'phish')).map((s) => [s.org, s.version])).toEqual([
        ['beta', 2],
        ['gamma', 2],
      ]);
      expect((await subscriptionsOf(db, 'beta')).map((s) => `${s.publisher}/${s.name}`)).toEqual(['acme/phish']);
      expect(await subscribedSignatureRows(db, 'acme')).toEqual([]);

      expect(await removeSubscription(db, 'beta', 'acme', 'phish')).toBe(true);
      expect(await removeSubscription(db, 'beta', 'acme', 'phish')).toBe(false);
      expect(await subscribedSignatureRows(db, 'beta')).toEqual([]);
      // Subscribing again starts with every signature on.
      expect((await disabledPackSignatures(db, 'beta', 'acme', 'phish')).size).toBe(0);
      expect(await setPackSignatureDisabled(db, 'gamma', 'acme', 'phish', 'a', false, T2)).toBe(false);
    });
  });
}
