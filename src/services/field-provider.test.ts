// The field provider as tables: every catalogue field names its source, and for each source a
// stored entity gives the expected values, on SQLite and (when a server answers) PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_SOURCES, FIELDS, type FieldSource } from '../fields/catalogue.js';
import type { IngestRecord } from '../ingest/records.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { Store } from '../store/store.js';
import { refKey, type EntityRef } from './entity.js';
import { ALL_FIELDS, AsLookup, buildFields, evaluationNeeds, loadFields, needsKind, needsOf } from './field-provider.js';

/** Every field's source, written out: a new field must be added here with its source. */
const SOURCE_OF: Record<string, FieldSource> = {
  domain: 'key',
  ip: 'key',
  'x509.sha256': 'key',
  'domain.registered': 'derived',
  'domain.tld': 'derived',
  'domain.subdomain': 'derived',
  'domain.unicode': 'derived',
  'domain.skeleton': 'derived',
  'whois.raw': 'whois-raw',
  network: 'routing',
  'as.number': 'routing',
  'as.name': 'routing',
};
function expectedSource(name: string): FieldSource {
  if (name.startsWith('network.')) return 'registration';
  return SOURCE_OF[name] ?? (name.startsWith('whois.') ? 'whois' : name.startsWith('x509.') ? 'certificate' : ('?' as FieldSource));
}

describe('catalogue sources', () => {
  it.each(FIELDS.map((f) => [f.name, f.source]))('%s comes from %s', (name, source) => {
    expect(source).toBe(expectedSource(name));
  });

  it('uses every source, each for one entity kind (key for all three)', () => {
    const kinds = new Map<FieldSource, Set<string>>();
    for (const f of FIELDS) kinds.set(f.source, (kinds.get(f.source) ?? new Set()).add(f.owner));
    expect([...kinds.keys()].sort()).toEqual([...FIELD_SOURCES].sort());
    expect([...kinds.get('key')!].sort()).toEqual(['certificate', 'domain', 'ip']);
    for (const s of FIELD_SOURCES.filter((x) => x !== 'key')) expect(kinds.get(s)!.size, s).toBe(1);
  });

  it('says which sources of which kind named fields need', () => {
    const needs = needsOf(['domain.tld', 'whois.registrar', 'as.name', 'network.name', 'not.a.field']);
    expect([...needs.domain].sort()).toEqual(['derived', 'whois']);
    expect([...needs.ip]).toEqual(['routing', 'registration']);
    expect(needsKind(needs, 'certificate')).toBe(false);
    // Evaluation reads WHOIS without its raw text (unchanged behaviour; see field-provider.ts).
    expect([...evaluationNeeds(['whois.raw']).domain]).toEqual(['whois']);
  });
});

const CERT = 'c'.repeat(64);
/** Stored in another order than the catalogue's, with a key the catalogue does not have. */
const NETWORK_FIELDS = {
  'network.created': ['2013-01-31T23:11:17Z'],
  'network.name': ['BULLETPROOF-1'],
  'network.handle': ['NET-192-0-2-0-1'],
  'network.range': ['192.0.2.0/24'],
  'network.country': ['NL'],
  'network.organization': ['Example Hosting'],
  'network.abuse_email': ['abuse@hosting.example', 'noc@hosting.example'],
  'network.registry': ['ripe'],
  'network.retired': ['x'],
};
const CERT_FIELDS = { 'x509.subject.common_name': ['www.bücher.example'], 'x509.sha1': ['d'.repeat(40)], 'x509.sha256': [CERT] };

function records(): IngestRecord[] {
  const obs = { source: 'test', firstSeen: '2024-01-01T00:00:00Z', lastSeen: '2024-01-02T00:00:00Z' };
  return [
    { kind: 'domain', domain: 'login.xn--pypal-4ve.co.uk', observation: obs },
    { kind: 'whois', domain: 'login.xn--pypal-4ve.co.uk', observed: '2023-01-01T00:00:00Z', source: 'test', fields: { 'whois.registrar': ['Old Names'] } },
    {
      kind: 'whois',
      domain: 'login.xn--pypal-4ve.co.uk',
      observed: '2024-01-01T00:00:00Z',
      source: 'test',
      fields: { 'whois.registrar': ['Cheap Names'], 'whois.registrant.email': ['bad@evil.example'], 'whois.raw': ['Registrar: Cheap Names\n'] },
    },
    { kind: 'resolution', domain: 'login.xn--pypal-4ve.co.uk', rrtype: 'A', value: '192.0.2.7', observation: obs },
    { kind: 'resolution', domain: 'login.xn--pypal-4ve.co.uk', rrtype: 'A', value: '198.51.100.1', observation: obs },
    { kind: 'as-range', start: '192.0.2.0', end: '192.0.2.255', asn: 64500, name: 'EXAMPLE-NET', source: 'test' },
    // Registrations: a /16 and the /24 inside it; the /24 is the one an IP in it gets.
    { kind: 'network', start: '192.0.0.0', end: '192.0.255.255', fields: { 'network.name': ['WIDER-16'] }, observed: '2024-01-01T00:00:00Z', source: 'rdap' },
    { kind: 'network', start: '192.0.2.0', end: '192.0.2.255', fields: NETWORK_FIELDS, observed: '2024-01-01T00:00:00Z', source: 'rdap' },
    { kind: 'certificate', der: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), sha256: CERT, sha1: 'd'.repeat(40), fields: CERT_FIELDS, observation: obs },
  ];
}

const DOMAIN: EntityRef = { kind: 'domain', id: 'login.xn--pypal-4ve.co.uk' };
const ROUTED: EntityRef = { kind: 'ip', id: '192.0.2.7' };
const UNROUTED: EntityRef = { kind: 'ip', id: '198.51.100.1' };
const STORED_CERT: EntityRef = { kind: 'certificate', id: CERT };

/** For each source: an entity, the field, and the values the provider gives for it. */
const EXAMPLES: [FieldSource, EntityRef, string, string[] | undefined][] = [
  ['key', DOMAIN, 'domain', ['login.xn--pypal-4ve.co.uk']],
  ['key', ROUTED, 'ip', ['192.0.2.7']],
  ['key', STORED_CERT, 'x509.sha256', [CERT]],
  ['derived', DOMAIN, 'domain.registered', ['xn--pypal-4ve.co.uk']],
  ['derived', DOMAIN, 'domain.tld', ['co.uk']],
  ['derived', DOMAIN, 'domain.subdomain', ['login']],
  ['derived', DOMAIN, 'domain.unicode', ['login.pаypal.co.uk']],
  ['derived', DOMAIN, 'domain.skeleton', ['login.paypal.co.uk']],
  ['whois', DOMAIN, 'whois.registrar', ['Cheap Names']],
  ['whois', DOMAIN, 'whois.registrant.email', ['bad@evil.example']],
  ['whois-raw', DOMAIN, 'whois.raw', ['Registrar: Cheap Names\n']],
  ['routing', ROUTED, 'network', ['192.0.2.0/24']],
  ['routing', ROUTED, 'as.number', ['64500']],
  ['routing', ROUTED, 'as.name', ['EXAMPLE-NET']],
  ['routing', UNROUTED, 'network', undefined],
  ['registration', ROUTED, 'network.name', ['BULLETPROOF-1']],
  ['registration', ROUTED, 'network.handle', ['NET-192-0-2-0-1']],
  ['registration', ROUTED, 'network.range', ['192.0.2.0/24']],
  ['registration', ROUTED, 'network.country', ['NL']],
  ['registration', ROUTED, 'network.organization', ['Example Hosting']],
  ['registration', ROUTED, 'network.abuse_email', ['abuse@hosting.example', 'noc@hosting.example']],
  ['registration', ROUTED, 'network.registry', ['ripe']],
  ['registration', ROUTED, 'network.created', ['2013-01-31T23:11:17Z']],
  ['registration', { kind: 'ip', id: '192.0.7.1' }, 'network.name', ['WIDER-16']],
  ['registration', UNROUTED, 'network.name', undefined],
  ['certificate', STORED_CERT, 'x509.subject.common_name', ['www.bücher.example']],
  ['certificate', STORED_CERT, 'x509.sha1', ['d'.repeat(40)]],
];

function providerSuite(dialect: string, open: () => Promise<{ url: string; cleanup: () => Promise<void> } | { skip: string }>): void {
  describe(`field provider on stored entities (${dialect})`, () => {
    let store: Store | undefined;
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const opened = await open();
      if ('skip' in opened) {
        console.warn(`skipping field provider tests on ${dialect}: ${opened.skip}`);
        return;
      }
      cleanup = opened.cleanup;
      store = await Store.open(opened.url);
      await store.write(records());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it.for(EXAMPLES)('%s: %o gives %s = %o', async ([source, ref, field, want], t) => {
      if (!store) return t.skip();
      const only = needsOf([field]);
      expect(only[ref.kind].has(source)).toBe(true);
      const fields = (await loadFields(store, [ref], only, new AsLookup(store))).get(refKey(ref));
      expect(fields?.[field]).toEqual(want);
    });

    it('builds only the needed sources, and every field for lookup, in one order', async (t) => {
      if (!store) return t.skip();
      const as = new AsLookup(store);
      const some = await loadFields(store, [DOMAIN, ROUTED, STORED_CERT], needsOf(['whois.registrar']), as);
      expect(some.get(refKey(DOMAIN))).toEqual({ domain: [DOMAIN.id], 'whois.registrant.email': ['bad@evil.example'], 'whois.registrar': ['Cheap Names'] });
      // No field of theirs is needed: not read, not built.
      expect(some.has(refKey(ROUTED))).toBe(false);
      expect(some.has(refKey(STORED_CERT))).toBe(false);
      const all = await loadFields(store, [DOMAIN, ROUTED, UNROUTED, STORED_CERT, { kind: 'certificate', id: 'e'.repeat(64) }], ALL_FIELDS, as);
      expect(Object.keys(all.get(refKey(DOMAIN))!)).toEqual([
        'domain',
        'domain.unicode',
        'domain.skeleton',
        'domain.registered',
        'domain.tld',
        'domain.subdomain',
        'whois.registrant.email', // as stored: the version's keys sorted
        'whois.registrar',
        'whois.raw', // the raw text last
      ]);
      const routed = all.get(refKey(ROUTED))!;
      expect(routed).toEqual({ ip: ['192.0.2.7'], network: ['192.0.2.0/24'], 'as.number': ['64500'], 'as.name': ['EXAMPLE-NET'], ...NETWORK_FIELDS, 'network.retired': undefined });
      // The registration's fields in catalogue order, after routing; a stored key the catalogue lacks is no field.
      expect(Object.keys(routed)).toEqual(['ip', 'network', 'as.number', 'as.name', 'network.name', 'network.handle', 'network.range', 'network.country', 'network.organization', 'network.abuse_email', 'network.registry', 'network.created']);
      expect(all.get(refKey(UNROUTED))).toEqual({ ip: ['198.51.100.1'] });
      expect(all.get(refKey(STORED_CERT))).toEqual(CERT_FIELDS);
      // A certificate Warren has not stored has no values.
      expect(all.has(refKey({ kind: 'certificate', id: 'e'.repeat(64) }))).toBe(false);
    });
  });
}

describe('buildFields (pure)', () => {
  it('takes what was read: WHOIS entries by their source, routing and registration only when asked', () => {
    const whois = { 'whois.registrar': ['R'], 'whois.raw': ['text'] };
    expect(buildFields(DOMAIN, new Set<FieldSource>(['whois']), { whois })).toEqual({ domain: [DOMAIN.id], 'whois.registrar': ['R'] });
    expect(buildFields(DOMAIN, new Set<FieldSource>(['whois-raw']), { whois })).toEqual({ domain: [DOMAIN.id], 'whois.raw': ['text'] });
    const as = { network: '192.0.2.0/24', asn: 1, name: null, source: 't' };
    expect(buildFields(ROUTED, new Set<FieldSource>(['key']), { as })).toEqual({ ip: ['192.0.2.7'] });
    expect(buildFields(ROUTED, new Set<FieldSource>(['routing']), { as })).toEqual({ ip: ['192.0.2.7'], network: ['192.0.2.0/24'], 'as.number': ['1'] });
    expect(buildFields(STORED_CERT, new Set<FieldSource>(['key']), {})).toBeUndefined();
    const network = { start: '192.0.2.0', end: '192.0.2.255', fields: { 'network.name': ['N'], 'network.range': [] }, observed: null, source: 't' };
    expect(buildFields(ROUTED, new Set<FieldSource>(['routing']), { as, network })).toEqual({ ip: ['192.0.2.7'], network: ['192.0.2.0/24'], 'as.number': ['1'] });
    // An empty list is no value (a field an entity lacks never matches).
    expect(buildFields(ROUTED, new Set<FieldSource>(['registration']), { as, network })).toEqual({ ip: ['192.0.2.7'], 'network.name': ['N'] });
  });
});

providerSuite('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warren-fields-'));
  return Promise.resolve({ url: `sqlite:${join(dir, 'warren.db')}`, cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
});

providerSuite('PostgreSQL', async () => {
  const db = await createTestDatabase();
  if ('skip' in db) return db;
  return { url: db.url, cleanup: () => db.drop() };
});
