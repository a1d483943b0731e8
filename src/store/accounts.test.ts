// The account queries of issue 10 on SQLite AND PostgreSQL: invitations, API keys scoped to an
// organisation, the sign-in failure counts (a lock that spraying other emails cannot lift), and
// the 0005 migration's default organisation for existing users.
import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  apiKeyById,
  apiKeys,
  defaultOrgIfNone,
  deleteInvitation,
  insertApiKey,
  invitationById,
  invitations,
  lockedLoginKeys,
  recordLoginFailures,
  setMembership,
  upsertInvitation,
  upsertUser,
  userByEmail,
} from './accounts.js';
import { migrationProvider } from './migrations.js';
import { rawConnection } from './test-support/raw-connection.js';
import type { Store } from './store.js';
import { postgresFactory, sqliteFactory, useStore, type StoreFactory } from './test-support/open-store.js';


const T0 = '2026-03-01T12:00:00Z';
/** The sign-in window as the service computes it: failures after this moment count. */
const AFTER = '2026-03-01T11:45:00Z';

function accountSuite(name: string, factory: StoreFactory): void {
  describe(`${name}: account queries`, () => {
    let store: Store | undefined;
    const hooks = useStore(`${name} account store tests`, factory, (opened) => {
      store = opened;
    });

    it('keeps one pending invitation per organisation and email; re-inviting changes its role', async (t) => {
      if (!store) return t.skip(hooks.skip);
      const db = store.db;
      const first = await upsertInvitation(db, { id: 'i1', org: 'beta', email: 'zed@example.com', role: 'viewer', invitedBy: 'b@example.com', now: T0 });
      expect(first).toEqual({ id: 'i1', org: 'beta', email: 'zed@example.com', role: 'viewer', invitedBy: 'b@example.com', created: T0 });
      const again = await upsertInvitation(db, { id: 'i2', org: 'beta', email: 'zed@example.com', role: 'analyst', invitedBy: 'b2@example.com', now: T0 });
      expect(again).toMatchObject({ id: 'i1', role: 'analyst', invitedBy: 'b2@example.com' });
      await upsertInvitation(db, { id: 'i3', org: 'acme', email: 'zed@example.com', role: 'admin', invitedBy: 'a@example.com', now: T0 });
      expect((await invitations(db, { email: 'zed@example.com' })).map((i) => i.id).sort()).toEqual(['i1', 'i3']);
      expect((await invitations(db, { org: 'beta' })).map((i) => i.id)).toEqual(['i1']);
      expect(await deleteInvitation(db, 'i1')).toBe(true);
      expect(await deleteInvitation(db, 'i1')).toBe(false);
      expect(await invitationById(db, 'i1')).toBeUndefined();
      expect((await invitations(db, { org: 'beta' })).length).toBe(0);
    });

    it('records the organisation of a key and lists keys by organisation (with or without the unscoped)', async (t) => {
      if (!store) return t.skip(hooks.skip);
      const db = store.db;
      await upsertUser(db, 'kim@example.com', null, T0);
      await insertApiKey(db, { id: 'k1', email: 'kim@example.com', name: 'acme key', keyHash: 'h1', now: T0, org: 'acme' });
      await insertApiKey(db, { id: 'k2', email: 'kim@example.com', name: 'beta key', keyHash: 'h2', now: T0, org: 'beta' });
      await insertApiKey(db, { id: 'k3', email: 'kim@example.com', name: 'old key', keyHash: 'h3', now: T0, org: null });
      expect((await apiKeyById(db, 'k2'))?.org).toBe('beta');
      expect((await apiKeyById(db, 'k3'))?.org).toBeNull();
      expect((await apiKeys(db, 'kim@example.com', { org: 'acme' })).map((k) => k.id)).toEqual(['k1']);
      expect((await apiKeys(db, 'kim@example.com', { org: 'acme', orUnscoped: true })).map((k) => k.id)).toEqual(['k1', 'k3']);
      expect((await apiKeys(db, 'kim@example.com')).map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
    });

    it("sets a default organisation with the first membership and never moves it with a later one", async (t) => {
      if (!store) return t.skip(hooks.skip);
      const db = store.db;
      await upsertUser(db, 'dee@example.com', null, T0);
      await setMembership(db, 'zorg', 'dee@example.com', 'viewer');
      await defaultOrgIfNone(db, 'dee@example.com', 'zorg');
      await setMembership(db, 'beta', 'dee@example.com', 'viewer');
      await defaultOrgIfNone(db, 'dee@example.com', 'beta');
      expect((await userByEmail(db, 'dee@example.com'))?.defaultOrg).toBe('zorg');
      // A default the user is no longer a member of is replaced by the next membership.
      await db.deleteFrom('memberships').where('org', '=', 'zorg').where('email', '=', 'dee@example.com').execute();
      await defaultOrgIfNone(db, 'dee@example.com', 'beta');
      expect((await userByEmail(db, 'dee@example.com'))?.defaultOrg).toBe('beta');
    });

    it('locks a key after 10 failures in the window; 100,000 failures for other emails do not unlock it; the window ends', async (t) => {
      if (!store) return t.skip(hooks.skip);
      const db = store.db;
      const victim = 'user:victim@example.com';
      for (let i = 0; i < 9; i++) await recordLoginFailures(db, [victim, 'ip:192.0.2.1'], T0, AFTER);
      expect(await lockedLoginKeys(db, [victim], 10, AFTER)).toEqual([]);
      await recordLoginFailures(db, [victim, 'ip:192.0.2.1'], T0, AFTER);
      expect((await lockedLoginKeys(db, [victim, 'ip:192.0.2.1', 'ip:192.0.2.2'], 10, AFTER)).sort()).toEqual(['ip:192.0.2.1', victim]);

      // The spray: 100,000 distinct random emails, each from its own address, through the same
      // upsert the sign-in route uses (1,000 keys per statement to keep the test quick).
      const later = '2026-03-01T12:05:00Z';
      const afterLater = '2026-03-01T11:50:00Z';
      for (let chunk = 0; chunk < 100; chunk++) {
        const keys: string[] = [];
        for (let i = 0; i < 500; i++) keys.push(`user:${randomBytes(8).toString('hex')}@spray.example`, `ip:10.${chunk}.${i >> 8}.${i & 255}`);
        await recordLoginFailures(db, keys, later, afterLater);
      }
      const rows = await db.selectFrom('login_failures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBeGreaterThanOrEqual(100_000);
      expect(await lockedLoginKeys(db, [victim], 10, afterLater)).toEqual([victim]);

      // Once its window (15 minutes from the first failure) is over, the next failure starts a
      // new count, and ended windows are deleted.
      const next = '2026-03-01T12:16:00Z';
      await recordLoginFailures(db, [victim], next, '2026-03-01T12:01:00Z');
      expect(await lockedLoginKeys(db, [victim], 10, '2026-03-01T12:01:00Z')).toEqual([]);
      const v = await db.selectFrom('login_failures').selectAll().where('key', '=', victim).executeTakeFirstOrThrow();
      expect({ failures: Number(v.failures), window_start: v.window_start }).toEqual({ failures: 1, window_start: next });
      const left = await db.selectFrom('login_failures').select('key').where('window_start', '<=', '2026-03-01T12:01:00Z').execute();
      expect(left).toEqual([]);
    }, 120_000);
  });

  describe(`${name}: migration 0005`, () => {
    it("gives existing users the organisation they joined first as their default, not the first by name", async (t) => {
      const made = await factory();
      if ('skip' in made) return t.skip(made.skip);
      const { db, dialect, close } = rawConnection(made.url);
      try {
        const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
        expect((await migrator.migrateTo('0004_notification_order')).error).toBeUndefined();
        for (const email of ['zed@example.com', 'solo@example.com', 'none@example.com']) {
          await sql`insert into users (email, created) values (${email}, ${T0})`.execute(db);
        }
        for (const [org, email] of [['zorg', 'zed@example.com'], ['beta', 'zed@example.com'], ['solo', 'solo@example.com'], ['aaa', 'solo@example.com']]) {
          await sql`insert into memberships (org, email, role) values (${org}, ${email}, 'viewer')`.execute(db);
        }
        // zed joined zorg (the CLI), then beta's admin added them; solo has no audit entries.
        await sql`insert into audit (at, actor, org, action, target) values (${T0}, 'cli', 'zorg', 'user.role', 'user:zed@example.com')`.execute(db);
        await sql`insert into audit (at, actor, org, action, target) values (${T0}, 'b@example.com', 'beta', 'user.add', 'user:zed@example.com')`.execute(db);
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        const rows = await sql<{ email: string; default_org: string | null; server_admin: number }>`select email, default_org, server_admin from users order by email`.execute(db);
        expect(rows.rows.map((r) => [r.email, r.default_org, Number(r.server_admin)])).toEqual([
          ['none@example.com', null, 0],
          ['solo@example.com', 'aaa', 0],
          ['zed@example.com', 'zorg', 0],
        ]);
      } finally {
        await close();
        await made.cleanup();
      }
    });
  });
}


accountSuite('SQLite', sqliteFactory('warren-accounts-store-', 'a.db'));
accountSuite('PostgreSQL', postgresFactory);
