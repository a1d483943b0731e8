// The brand page's service on SQLite and PostgreSQL: an organisation's brands are the patterns
// of its look-alike signatures; a brand's look-alikes come from the rows those signatures left
// (tags, classifications, notifications), grouped by their first family, with registration,
// addresses, certificate and classification; another organisation sees none of it; classifying
// shows at once, and an exclusion takes the value off the page (a new signature version).
import { describe, expect, it } from 'vitest';
import type { IngestRecord } from '../ingest/records.js';
import { makeSignature } from '../signatures/make.js';
import { LOOKALIKE_DEFAULTS } from '../signatures/types.js';
import { postgresFactory, sqliteFactory, useStore, type StoreFactory } from '../store/test-support/open-store.js';
import type { Store } from '../store/store.js';
import { brandLookalikes, excludeLookalike, listBrands } from './brands.js';
import { classifyEntity } from './manual.js';
import { exportSignatures, importSignatures } from './org-signatures.js';
import { grantPack, publishPack, subscribePack } from './packs.js';

const T0 = '2026-01-10T00:00:00Z';
const T1 = '2026-02-01T00:00:00Z';
const T2 = '2026-02-02T00:00:00Z';
const CERT = 'c'.repeat(64);
const seen = { source: 'test', firstSeen: T0, lastSeen: T0 };
const domain = (name: string): IngestRecord => ({ kind: 'domain', domain: name, observation: seen });

const RECORDS: IngestRecord[] = [
  ...['pyapal-login.com', 'paypa1.com', 'paypal-login.com', 'paypal.net', 'paypal.com', 'www.paypal.com', 'venmo-secure.com', 'acmebank-login.com', 'example.com'].map(domain),
  { kind: 'whois', domain: 'pyapal-login.com', fields: { 'whois.created': ['2026-01-05T00:00:00Z'] }, observed: '2026-01-06T00:00:00Z', source: 'test' },
  { kind: 'whois', domain: 'pyapal-login.com', fields: { 'whois.created': ['2025-12-01T00:00:00Z'] }, observed: '2026-01-01T00:00:00Z', source: 'test' },
  { kind: 'resolution', domain: 'pyapal-login.com', rrtype: 'A', value: '192.0.2.10', observation: { source: 'test', firstSeen: T0, lastSeen: '2026-01-09T00:00:00Z' } },
  { kind: 'resolution', domain: 'pyapal-login.com', rrtype: 'AAAA', value: '2001:db8::10', observation: { source: 'test', firstSeen: T0, lastSeen: '2026-01-08T00:00:00Z' } },
  { kind: 'resolution', domain: 'pyapal-login.com', rrtype: 'MX', value: 'mail.example.com', observation: seen },
  { kind: 'certificate-fields', sha256: CERT, fields: { 'x509.issuer.common_name': ['Test Issuing CA'], 'x509.subject.common_name': ['paypa1.com'] }, observation: seen },
  { kind: 'names', sha256: CERT, domain: 'paypa1.com', observation: seen },
];

/** acme's: a brand signature that tags and alerts, and one that only classifies. */
const acmePayPal = makeSignature({
  id: 'brand-paypal',
  title: 'PayPal look-alikes',
  field: 'domain',
  match: 'lookalike',
  patterns: ['PayPal', 'venmo'],
  exclude: ['paypal.com'],
  actions: [{ tag: 'LookAlike_PayPal' }, { alert: { severity: 'high' } }],
});
const acmeBank = makeSignature({ id: 'brand-bank', field: 'domain', match: 'lookalike', patterns: ['acmebank'], actions: [{ classify: 'suspicious' }] });
/** beta's own PayPal signature: TLD swaps only. */
const betaPayPal = makeSignature({
  id: 'beta-paypal',
  field: 'domain',
  match: 'lookalike',
  lookalike: { ...LOOKALIKE_DEFAULTS, families: ['tld-swap'] },
  patterns: ['paypal'],
  exclude: ['paypal.com'],
  actions: [{ tag: 'BetaPayPal' }],
});

function brandSuite(dialect: string, factory: StoreFactory): void {
  describe(`brand page (${dialect})`, () => {
    let store: Store | undefined;
    useStore(`${dialect} brand service tests`, factory, async (opened) => {
      store = opened;
      await opened.write(RECORDS);
      await importSignatures(opened, 'acme', [acmePayPal, acmeBank], { now: T1 });
      await importSignatures(opened, 'beta', [betaPayPal], { now: T1 });
      // delta runs acme's PayPal signature through a pack.
      await publishPack(opened, 'acme', 'brands', { signatures: ['brand-paypal'], now: T1 });
      await grantPack(opened, 'acme', 'brands', 'delta', { now: T1 });
      await subscribePack(opened, 'delta', { publisher: 'acme', name: 'brands' }, { now: T1 });
      await importSignatures(opened, 'gamma', [makeSignature({ id: 'plain', field: 'domain', patterns: ['paypal'], actions: [{ tag: 'Plain' }] })], { now: T1 });
    });

    it("lists the organisation's brands: its look-alike signatures' patterns, with the look-alikes found so far", async (t) => {
      if (!store) return t.skip();
      expect(await listBrands(store, 'acme')).toEqual([
        { brand: 'acmebank', patterns: [{ signature: 'brand-bank', pattern: 'acmebank' }], lookalikes: 1 },
        { brand: 'paypal', patterns: [{ signature: 'brand-paypal', pattern: 'PayPal' }], lookalikes: 4 },
        { brand: 'venmo', patterns: [{ signature: 'brand-paypal', pattern: 'venmo' }], lookalikes: 1 },
      ]);
    });

    it('groups a brand’s look-alikes by their first family, with registration, addresses, certificate and why', async (t) => {
      if (!store) return t.skip();
      const view = await brandLookalikes(store, 'acme', 'paypal');
      expect(view.total).toBe(4);
      expect(view.families.map((f) => [f.family, f.total, f.items.map((i) => i.entity)])).toEqual([
        ['homoglyph', 1, ['paypa1.com']],
        ['transposition', 1, ['pyapal-login.com']],
        ['keyword-added', 1, ['paypal-login.com']],
        ['tld-swap', 1, ['paypal.net']],
      ]);
      const pyapal = view.families[1]!.items[0]!;
      expect(pyapal).toEqual({
        kind: 'domain',
        entity: 'pyapal-login.com',
        signature: 'brand-paypal',
        field: 'domain',
        value: 'pyapal-login.com',
        families: ['transposition', 'keyword-added'],
        distance: 1,
        why: 'transposition + keyword-added of PayPal in pyapal-login.com (distance 1)',
        found: T1,
        // The newest WHOIS version (observed 2026-01-06), not the older one.
        registered: '2026-01-05T00:00:00Z',
        ips: ['192.0.2.10', '2001:db8::10'],
        certificate: null,
        classification: null,
      });
      expect(view.families[0]!.items[0]).toMatchObject({ entity: 'paypa1.com', families: ['homoglyph'], distance: 0, certificate: { sha256: CERT, issuer: 'Test Issuing CA' }, registered: null, ips: [] });
      // The brand is named case-insensitively; the classify-only signature's rows count too.
      expect((await brandLookalikes(store, 'acme', 'PAYPAL')).total).toBe(4);
      const bank = await brandLookalikes(store, 'acme', 'acmebank');
      expect(bank.families.map((f) => [f.family, f.items.map((i) => [i.entity, i.classification?.value])])).toEqual([['keyword-added', [['acmebank-login.com', 'suspicious']]]]);
      // Capped per family with the totals kept.
      const capped = await brandLookalikes(store, 'acme', 'paypal', 1);
      expect(capped.families.every((f) => f.items.length === 1)).toBe(true);
      await expect(brandLookalikes(store, 'acme', 'paypal', 0)).rejects.toThrow('limit must be');
    });

    it('shows an organisation nothing of another one’s brands or look-alikes', async (t) => {
      if (!store) return t.skip();
      // beta's own PayPal signature: only what beta's rows hold (a TLD swap), none of acme's.
      expect(await listBrands(store, 'beta')).toEqual([{ brand: 'paypal', patterns: [{ signature: 'beta-paypal', pattern: 'paypal' }], lookalikes: 1 }]);
      const beta = await brandLookalikes(store, 'beta', 'paypal');
      expect(beta.families.map((f) => [f.family, f.items.map((i) => `${i.entity} ${i.signature}`)])).toEqual([['tld-swap', ['paypal.net beta-paypal']]]);
      await expect(brandLookalikes(store, 'beta', 'venmo')).rejects.toThrow('brand venmo not found');
      // gamma has a keyword signature on paypal, no look-alike one: no brands at all.
      expect(await listBrands(store, 'gamma')).toEqual([]);
      await expect(brandLookalikes(store, 'gamma', 'paypal')).rejects.toThrow('not found');
      expect(await listBrands(store, 'nobody')).toEqual([]);
      // beta cannot change acme's signature through its own brand.
      await expect(excludeLookalike(store, 'b@beta.example', 'beta', 'paypal', { signature: 'brand-paypal', value: 'paypal.net' }, T2)).rejects.toThrow('not found');
    });

    it('counts the brands of a subscribed pack’s look-alike signatures, and leaves their excludes to the publisher', async (t) => {
      if (!store) return t.skip();
      const sig = 'acme/brands/brand-paypal';
      expect(await listBrands(store, 'delta')).toEqual([
        { brand: 'paypal', patterns: [{ signature: sig, pattern: 'PayPal' }], lookalikes: 4 },
        { brand: 'venmo', patterns: [{ signature: sig, pattern: 'venmo' }], lookalikes: 1 },
      ]);
      expect((await brandLookalikes(store, 'delta', 'paypal')).families.flatMap((f) => f.items.map((i) => i.signature))).toEqual([sig, sig, sig, sig]);
      await expect(excludeLookalike(store, 'd@delta.example', 'delta', 'paypal', { signature: sig, value: 'paypal.net' }, T2)).rejects.toThrow(
        'signature acme/brands/brand-paypal comes from the pack acme/brands: only its publisher can add an exclusion to it',
      );
    });

    it('shows a classification made by hand on the row at once', async (t) => {
      if (!store) return t.skip();
      await classifyEntity(store, 'a@acme.example', 'acme', { kind: 'domain', id: 'pyapal-login.com' }, 'malicious', T2);
      const row = (await brandLookalikes(store, 'acme', 'paypal')).families.find((f) => f.family === 'transposition')!.items[0]!;
      expect(row.classification).toEqual({ value: 'malicious', source: 'manual' });
      // Another organisation's view of the same domain is untouched.
      const betaRows = (await brandLookalikes(store, 'beta', 'paypal')).families.flatMap((f) => f.items);
      expect(betaRows.every((r) => r.classification === null)).toBe(true);
    });

    it('adds an exclusion: a new signature version whose exclude takes the value off the page, and only there', async (t) => {
      if (!store) return t.skip();
      const added = await excludeLookalike(store, 'a@acme.example', 'acme', 'paypal', { signature: 'brand-paypal', value: 'paypal-login.com' }, T2);
      expect(added).toEqual({ signature: 'brand-paypal', pattern: 'paypal-login.com', version: 2, withdrawn: { tags: 1, classifications: 0 } });
      const [sig] = (await exportSignatures(store, 'acme', ['brand-paypal'])).signatures;
      expect(sig?.exclude).toEqual(['paypal.com', 'paypal-login.com']);
      const view = await brandLookalikes(store, 'acme', 'paypal');
      expect(view.total).toBe(3);
      expect(view.families.map((f) => f.family)).toEqual(['homoglyph', 'transposition', 'tld-swap']);
      // Its notification stays in the notification list (triage history); the page follows the signature.
      const notes = await store.db.selectFrom('notifications').select('entity').where('org', '=', 'acme').where('entity', '=', 'paypal-login.com').execute();
      expect(notes).toHaveLength(1);
      // Adding it again has nothing to add; beta's signature and page are unchanged.
      await expect(excludeLookalike(store, 'a@acme.example', 'acme', 'paypal', { signature: 'brand-paypal', value: 'paypal-login.com' }, T2)).rejects.toThrow('already excludes');
      expect((await brandLookalikes(store, 'beta', 'paypal')).total).toBe(1);
      expect((await exportSignatures(store, 'beta', ['beta-paypal'])).signatures[0]?.exclude).toEqual(['paypal.com']);
      await expect(excludeLookalike(store, 'a@acme.example', 'acme', 'paypal', { signature: 'brand-bank', value: 'paypal.net' }, T2)).rejects.toThrow('look-alike signature brand-bank of brand paypal not found');
    });
  });
}

brandSuite('SQLite', sqliteFactory('warren-brands-'));
brandSuite('PostgreSQL', postgresFactory);
