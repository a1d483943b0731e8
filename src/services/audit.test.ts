// The audit the services write, on SQLite and PostgreSQL: the same use case audits the same row
// whoever calls it (an email for the API, cli:<user> for the CLI), and refusals are ServiceErrors
// of the kind the API and the CLI present.
import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { postgresFactory, sqliteFactory, useStore, type StoreFactory } from '../store/test-support/open-store.js';
import { addMember, createOrg, issueApiKey, putMember, revokeAnyApiKey, revokeApiKeyAs, withdrawInvitation } from './accounts.js';
import { auditPage } from './audit.js';
import { ServiceError } from './errors.js';
import { channelConfigFrom } from './delivery/channel-config.js';
import { addChannel, removeChannel, testChannel } from './delivery/channels.js';
import { auditIngestStart } from './ingest/job.js';
import { classifyEntity, tagEntity, untagEntity } from './manual.js';
import { changeSignature, importSignatures } from './org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { toFileObject } from '../signatures/serialise.js';

process.env.WARREN_SCRYPT_N ??= '1024';


const T0 = '2026-03-01T12:00:00Z';
const T1 = '2026-03-01T12:05:00Z';

async function refusal(p: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServiceError) return { kind: e.kind, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

function auditSuite(name: string, factory: StoreFactory): void {
  describe(`${name}: services write the audit`, () => {
    let store: Store | undefined;
    useStore(`${name} audit tests`, factory, (opened) => {
      store = opened;
    });

    it('audits a change alike for either actor, in the organisation concerned', async (t) => {
      if (!store) return t.skip();
      await createOrg(store, 'cli:ops', 'acme', T0);
      await addMember(store, 'cli:ops', { email: 'Ann@Example.com', org: 'acme', role: 'admin', now: T0 });
      await addMember(store, 'cli:ops', { email: 'ann@example.com', org: 'acme', role: 'analyst', now: T0 });
      const ref = { kind: 'domain' as const, id: 'evil.example' };
      await tagEntity(store, 'cli:ops', 'acme', ref, 'phish', T1);
      await tagEntity(store, 'ann@example.com', 'acme', ref, 'spam', T1);
      expect(await untagEntity(store, 'ann@example.com', 'acme', ref, 'nothing-here', T1)).toBe(false);
      expect(await untagEntity(store, 'ann@example.com', 'acme', ref, 'spam', T1)).toBe(true);
      await classifyEntity(store, 'cli:ops', 'acme', ref, 'malicious', T1);
      const key = await issueApiKey(store, 'cli:ops', { user: 'ann@example.com', name: 'nb', org: 'acme', now: T1 });
      expect(await revokeAnyApiKey(store, 'cli:ops', key.id, T1)).toBe(true);
      expect(await revokeAnyApiKey(store, 'cli:ops', key.id, T1)).toBe(false);

      const { items, next } = await auditPage(store, 'acme', { limit: 100 });
      expect(next).toBeNull();
      expect(items.reverse().map((e) => [e.actor, e.action, e.target])).toEqual([
        ['cli:ops', 'org.create', 'org:acme'],
        ['cli:ops', 'user.add', 'user:ann@example.com'],
        ['cli:ops', 'user.role', 'user:ann@example.com'],
        ['cli:ops', 'tag.add', 'domain:evil.example'],
        ['ann@example.com', 'tag.add', 'domain:evil.example'],
        ['ann@example.com', 'tag.remove', 'domain:evil.example'],
        ['cli:ops', 'classification.set', 'domain:evil.example'],
        ['cli:ops', 'apikey.create', `apikey:${key.id}`],
        ['cli:ops', 'apikey.revoke', `apikey:${key.id}`],
      ]);
      expect(items[2]).toMatchObject({ before: { role: 'admin' }, after: { role: 'analyst' } });
      expect(items[1]).toMatchObject({ after: { role: 'admin', password: false } });
      // The page is the organisation's: another one sees none of it.
      expect((await auditPage(store, 'beta', { limit: 10 })).items).toEqual([]);
    });

    it('audits signature, channel and ingest changes once each, with the actor; without one (the demo, benches) nothing', async (t) => {
      if (!store) return t.skip();
      const sig = makeSignature({ id: 'brand', field: 'domain', patterns: ['paypal'], actions: [{ tag: 'Brand' }] });
      const changed = makeSignature({ id: 'brand', field: 'domain', patterns: ['paypal', 'ebay'], actions: [{ tag: 'Brand' }] });
      const other = makeSignature({ id: 'other', field: 'domain', patterns: ['x'], actions: [{ tag: 'X' }] });
      // The machinery without an actor writes no audit row.
      await importSignatures(store, 'gamma', [other], { now: T0 });
      await changeSignature(store, 'gamma', 'other', 'disable', { now: T0 });
      expect((await auditPage(store, 'gamma', { limit: 10 })).items).toEqual([]);

      await importSignatures(store, 'gamma', [sig], { now: T1, actor: 'cli:ops' });
      expect((await importSignatures(store, 'gamma', [sig, other], { now: T1, actor: 'ann@example.com' })).changed).toEqual(['other']);
      await importSignatures(store, 'gamma', [changed], { now: T1, actor: 'ann@example.com' });
      expect((await changeSignature(store, 'gamma', 'brand', 'enable', { now: T1, actor: 'ann@example.com' })).status).toBe('unchanged');
      expect((await changeSignature(store, 'gamma', 'nope', 'rm', { now: T1, actor: 'ann@example.com' })).status).toBe('missing');
      await changeSignature(store, 'gamma', 'brand', 'disable', { now: T1, actor: 'ann@example.com' });
      await changeSignature(store, 'gamma', 'brand', 'enable', { now: T1, actor: 'cli:ops' });
      await changeSignature(store, 'gamma', 'brand', 'rm', { now: T1, actor: 'cli:ops' });

      const config = channelConfigFrom({ type: 'email', to: 'soc@example.com' }, { key: (k) => k, type: (x) => x, needs: { url: 'url', to: 'to' } });
      expect(await addChannel(store, 'cli:ops', 'gamma', { name: 'mail', config, secret: 'ignored-for-email' }, T1)).toMatchObject({ name: 'mail', has_secret: false });
      expect(await addChannel(store, 'ann@example.com', 'gamma', { name: 'mail', config, secret: null }, T1)).toBeUndefined();
      // No mailer: the test fails as not_configured, without sending anything anywhere.
      expect(await testChannel(store, 'ann@example.com', 'gamma', 'mail', { now: new Date(T1) })).toMatchObject({ ok: false, failure: 'not_configured' });
      expect(await testChannel(store, 'ann@example.com', 'gamma', 'Not A Name', { now: new Date(T1) })).toBeUndefined();
      expect(await removeChannel(store, 'ann@example.com', 'gamma', 'mail', T1)).toBe(0);
      expect(await removeChannel(store, 'ann@example.com', 'gamma', 'mail', T1)).toBeUndefined();
      await auditIngestStart(store, 'ann@example.com', 'gamma', { id: 'job1', at: T1, format: 'pdns', name: 'upload', bytes: 42 });

      const items = (await auditPage(store, 'gamma', { limit: 100 })).items.reverse();
      expect(items.map((e) => [e.actor, e.action, e.target])).toEqual([
        ['cli:ops', 'signature.create', 'signature:brand'],
        ['ann@example.com', 'signature.change', 'signature:other'],
        ['ann@example.com', 'signature.change', 'signature:brand'],
        ['ann@example.com', 'signature.disable', 'signature:brand'],
        ['cli:ops', 'signature.enable', 'signature:brand'],
        ['cli:ops', 'signature.delete', 'signature:brand'],
        ['cli:ops', 'channel.add', 'channel:mail'],
        ['ann@example.com', 'channel.test', 'channel:mail'],
        ['ann@example.com', 'channel.remove', 'channel:mail'],
        ['ann@example.com', 'ingest.start', 'ingest:job1'],
      ]);
      expect(items.every((e) => e.at === T1)).toBe(true);
      expect(items[0]).toEqual(expect.objectContaining({ after: toFileObject(sig) }));
      expect(items[0]!.before ?? null).toBeNull();
      expect(items[1]).toMatchObject({ before: toFileObject({ ...other, enabled: false }), after: toFileObject(other) });
      expect(items[2]).toMatchObject({ before: toFileObject(sig), after: toFileObject(changed) });
      expect(items[3]).toMatchObject({ after: { version: 3 } });
      expect(items[4]).toMatchObject({ after: { version: 4 } });
      expect(items[5]).toMatchObject({ before: toFileObject(changed) });
      expect(items[6]).toMatchObject({ after: { name: 'mail', type: 'email', config: { to: 'soc@example.com' }, has_secret: false, created: T1 } });
      expect(items[7]).toMatchObject({ after: { ok: false, error: 'not_configured' } });
      expect(items[8]).toMatchObject({ before: { name: 'mail' }, after: { dropped_pending: 0 } });
      expect(items[9]).toMatchObject({ after: { format: 'pdns', name: 'upload', bytes: 42 } });
    });

    it('refuses with the kinds the API and the CLI present, auditing nothing', async (t) => {
      if (!store) return t.skip();
      await addMember(store, 'cli:ops', { email: 'bob@example.com', org: 'acme', role: 'admin', now: T0 });
      await addMember(store, 'cli:ops', { email: 'carl@example.com', org: 'beta', role: 'viewer', now: T0 });
      const bob = { email: 'bob@example.com', org: 'acme', role: 'admin' as const };
      const pw = 'a-long-enough-password';
      const before = (await auditPage(store, 'acme', { limit: 1000 })).items.length;
      expect(await refusal(putMember(store, bob, { email: 'BOB@example.com', role: 'viewer' }, T1))).toEqual({ kind: 'invalid', message: 'you cannot change your own role (another admin can)' });
      expect(await refusal(putMember(store, bob, { email: 'x@example.com', role: 'viewer', password: pw }, T1))).toMatchObject({ kind: 'forbidden' });
      expect(await refusal(putMember(store, { ...bob, serverAdmin: true }, { email: 'carl@example.com', role: 'viewer', password: pw }, T1))).toEqual({
        kind: 'conflict',
        message: 'user carl@example.com already exists: add them without a password (they keep their own)',
      });
      expect(await refusal(putMember(store, bob, { email: 'not an email', role: 'viewer' }, T1))).toMatchObject({ kind: 'invalid' });
      expect(await refusal(withdrawInvitation(store, bob, 'feedfeedfeed', T1))).toEqual({ kind: 'not_found', message: 'invitation feedfeedfeed not found' });
      expect(await refusal(revokeApiKeyAs(store, bob, 'not-hex', T1))).toEqual({ kind: 'not_found', message: 'API key not-hex not found' });
      expect(await refusal(tagEntity(store, 'cli:ops', 'acme', { kind: 'domain', id: 'evil.example' }, 'bad tag!', T1))).toMatchObject({ kind: 'invalid' });
      expect((await auditPage(store, 'acme', { limit: 1000 })).items.length).toBe(before);
    });
  });
}

auditSuite('SQLite', sqliteFactory('warren-audit-', 'a.db'));
auditSuite('PostgreSQL', postgresFactory);
