// The PassiveTotal v2 subset (../shared/spec/passivetotal-v2.md), driven as PassiveTotal's public
// clients drive it: HTTP Basic email:key, `query`/`field` parameters (plus the extras they send),
// JSON bodies, PUT to add tags. Data goes in through the store, as `warren ingest` writes it.
// Shapes are checked key by key against the spec. Runs on SQLite, and on PostgreSQL when one is
// reachable.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFromDer } from '../ingest/parsers/x509/x509.js';
import { makeCertificate } from '../ingest/parsers/x509/test-support/x509-certs.js';
import type { CertificateRecord, IngestRecord, Observation } from '../ingest/records.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { fingerprintOf, opensslDate, parseCertificateDate, ptDateTime } from './presenters/passivetotal.js';
import { jsonLikePattern } from '../store/passivetotal-queries.js';
import { testApi, type TestApi, type TestUser } from './test-support/api.js';

// The certificate shape's keys, as the spec lists them.
const DN = [
  'CommonName',
  'OrganizationName',
  'OrganizationUnitName',
  'Country',
  'StateOrProvinceName',
  'Province',
  'LocalityName',
  'StreetAddress',
  'EmailAddress',
  'GivenName',
  'Surname',
  'SerialNumber',
];
const CERTIFICATE_KEYS = [
  'sha1',
  'fingerprint',
  'serialNumber',
  'sslVersion',
  'issueDate',
  'expirationDate',
  'subjectAlternativeNames',
  ...DN.map((k) => `subject${k}`),
  ...DN.map((k) => `issuer${k}`),
].sort();

const WHOIS_KEYS = [
  'domain',
  'registrar',
  'whoisServer',
  'contactEmail',
  'nameServers',
  'registered',
  'registryUpdatedAt',
  'expiresAt',
  'lastLoadedAt',
  'rawText',
  'organization',
  'name',
  'telephone',
  'registrant',
  'admin',
  'tech',
  'billing',
  'zone',
].sort();

const PT_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const BRAND = `id: brand\ntitle: brand\nfield: domain\npatterns: [passivetotal]\nactions: [{tag: security}, {alert: {}}]\n`;

function certificate(der: Uint8Array, firstSeen: string, lastSeen: string): CertificateRecord {
  const r = certificateFromDer(der, { source: 'test', firstSeen, lastSeen });
  if ('error' in r) throw new Error(r.error);
  return r;
}

function resolution(domain: string, rrtype: string, value: string, observation: Observation): IngestRecord {
  return { kind: 'resolution', domain, rrtype, value, observation };
}

function whois(domain: string, observed: string, fields: Record<string, string[]>): IngestRecord {
  return { kind: 'whois', domain, observed, source: 'test', fields };
}

const PT_WHOIS = {
  'whois.registrar': ['1 & 1 Internet AG (R73-LROR)'],
  'whois.whois_server': ['whois.publicinterestregistry.net'],
  'whois.name_servers': ['ns1.digitalocean.com', 'ns2.digitalocean.com'],
  'whois.status': ['clientTransferProhibited'],
  'whois.created': ['2014-04-14T17:13:56Z'],
  'whois.updated': ['2016-03-10T11:00:00Z'],
  'whois.expires': ['2017-04-14T17:13:56Z'],
  'whois.registrant.name': ['Oneandone Private Registration'],
  'whois.registrant.organization': ['1&1 Internet Inc. - www.1and1.com'],
  'whois.registrant.email': ['proxy4655031@1and1-private-registration.com'],
  'whois.registrant.phone': ['+1.8772064254'],
  'whois.registrant.street': ['701 Lee Road Suite 300', 'ATTN  passivetotal.org'],
  'whois.registrant.city': ['Chesterbrook'],
  'whois.registrant.state': ['PA'],
  'whois.registrant.postal_code': ['19087'],
  'whois.registrant.country': ['US'],
  'whois.tech.name': ['Tech Person'],
  'whois.tech.email': ['tech@passivetotal.org'],
  'whois.email': ['proxy4655031@1and1-private-registration.com', 'tech@passivetotal.org'],
  'whois.name': ['Oneandone Private Registration', 'Tech Person'],
  'whois.organization': ['1&1 Internet Inc. - www.1and1.com'],
  'whois.phone': ['+1.8772064254'],
  'whois.address': ['701 Lee Road Suite 300', 'ATTN  passivetotal.org', 'Chesterbrook', 'PA', '19087', 'US'],
  'whois.raw': ['Domain Name: PASSIVETOTAL.ORG\nRegistrar: 1 & 1 Internet AG\n'],
};

interface Fixture {
  main: CertificateRecord;
  other: CertificateRecord;
}

async function load(api: TestApi): Promise<Fixture> {
  const mainDer = await makeCertificate({
    name: [{ C: ['US'] }, { ST: ['California'] }, { L: ['San Francisco'] }, { O: ['PassiveTotal, Inc.'] }, { OU: ['Ops'] }, { CN: ['www.passivetotal.org'] }],
    serialNumber: '00E9A6647D6ABA52DC47B3838C920C9EE5',
    san: [
      { type: 'dns', value: 'www.passivetotal.org' },
      { type: 'dns', value: 'api.passivetotal.org' },
    ],
    notBefore: new Date('2015-04-28T00:00:00Z'),
    notAfter: new Date('2017-04-07T23:59:59Z'),
  });
  const otherDer = await makeCertificate({
    name: [{ CN: ['mail.other.example'] }],
    serialNumber: '0102030405',
    san: [{ type: 'dns', value: 'mail.other.example' }],
    notBefore: new Date('2024-01-02T03:04:05Z'),
    notAfter: new Date('2025-01-02T03:04:05Z'),
  });
  const main = certificate(mainDer, '2015-12-21T08:00:00Z', '2016-01-18T09:00:00Z');
  const other = certificate(otherDer, '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z');
  const records: IngestRecord[] = [
    { kind: 'as-range', start: '104.16.0.0', end: '104.31.255.255', asn: 13335, name: 'CLOUDFLARENET', source: 'test' },
    resolution('passivetotal.org', 'A', '104.16.1.1', { source: 'riskiq', firstSeen: '2016-01-01T00:00:02Z', lastSeen: '2016-02-01T18:00:01Z', count: 4 }),
    resolution('passivetotal.org', 'A', '104.16.1.1', { source: 'zeek', firstSeen: '2015-12-01T10:00:00Z', lastSeen: '2016-01-15T00:00:00Z' }),
    resolution('passivetotal.org', 'AAAA', '2001:db8::1', { source: 'riskiq', firstSeen: '2016-01-05T00:00:00Z', lastSeen: '2016-01-06T00:00:00Z' }),
    resolution('passivetotal.org', 'NS', 'ns1.digitalocean.com', { source: 'riskiq', firstSeen: '2016-01-01T00:00:00Z', lastSeen: '2016-01-02T00:00:00Z' }),
    resolution('other.example', 'A', '104.16.1.1', { source: 'cof', firstSeen: '2016-03-01T00:00:00Z', lastSeen: '2016-03-02T00:00:00Z' }),
    // An older WHOIS version with another registrant: only the newest one counts.
    whois('passivetotal.org', '2015-01-01T00:00:00Z', { 'whois.registrant.email': ['old@former-owner.example'], 'whois.email': ['old@former-owner.example'] }),
    whois('passivetotal.org', '2016-03-11T10:04:22Z', PT_WHOIS),
    whois('other.example', '2016-01-01T00:00:00Z', {
      'whois.admin.email': ['PROXY4655031@1and1-private-registration.com'],
      'whois.email': ['PROXY4655031@1and1-private-registration.com'],
      'whois.name_servers': ['ns1.digitalocean.com'],
    }),
    main,
    other,
    { kind: 'served', sha256: main.sha256, ip: '104.16.1.1', port: 443, observation: { source: 'zeek', firstSeen: '2015-12-21T08:00:00Z', lastSeen: '2016-01-10T00:00:00Z' } },
    { kind: 'served', sha256: main.sha256, ip: '198.51.100.7', port: 443, observation: { source: 'scan', firstSeen: '2016-01-02T00:00:00Z', lastSeen: '2016-01-18T09:00:00Z' } },
    { kind: 'served', sha256: other.sha256, ip: '104.16.1.1', port: 8443, observation: { source: 'scan', firstSeen: '2024-02-01T00:00:00Z', lastSeen: '2024-03-01T00:00:00Z' } },
    // A sighting of a certificate Warren does not have.
    { kind: 'served', sha256: 'ab'.repeat(32), ip: '104.16.1.1', port: 443, observation: { source: 'zeek', firstSeen: '2016-01-01T00:00:00Z' } },
  ];
  await api.store.write(records);
  const sig = await api.request(api.users['a-analyst'], { method: 'POST', url: '/api/v1/signatures', payload: { text: BRAND } });
  expect(sig.statusCode, sig.body).toBe(200);
  return { main, other };
}

function suite(label: string, url: () => string | undefined): void {
  describe(`PassiveTotal v2 on ${label}`, () => {
    let api: TestApi;
    let fx: Fixture;
    let acme: TestUser;
    let analyst: TestUser;
    let viewer: TestUser;
    let beta: TestUser;

    beforeAll(async () => {
      api = await testApi(url());
      fx = await load(api);
      acme = api.users['a-admin']!;
      analyst = api.users['a-analyst']!;
      viewer = api.users['a-viewer']!;
      beta = api.users['b-analyst']!;
    });
    afterAll(() => api.close());

    /** What PassiveTotal's Python client sends: Basic auth, JSON accept and content type, params. */
    async function get(user: TestUser | undefined, path: string, params: Record<string, string> = {}) {
      const qs = new URLSearchParams(params).toString();
      return api.request(user, {
        method: 'GET',
        url: `/v2/${path}${qs ? `?${qs}` : ''}`,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
      });
    }
    async function send(user: TestUser, method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown) {
      return api.request(user, {
        method,
        url: `/v2/${path}`,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    }
    async function ok<T = Record<string, unknown>>(p: Promise<{ statusCode: number; body: string; json: <U>() => U }>): Promise<T> {
      const r = await p;
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    }

    describe('authentication and errors', () => {
      it('answers a wrong key with 401 and PassiveTotal’s message', async () => {
        const r = await get({ ...acme, key: 'wk_not_a_key' }, 'enrichment', { query: 'passivetotal.org' });
        expect(r.statusCode).toBe(401);
        expect(r.json()).toEqual({ error: { message: 'API key provided does not match any user.' } });
        const none = await get(undefined, 'account');
        expect(none.statusCode).toBe(401);
        expect(none.json()).toEqual({ error: { message: 'API key provided does not match any user.' } });
      });

      it('answers a missing or malformed parameter with 400 in PassiveTotal’s shape', async () => {
        for (const [path, params] of [
          ['enrichment', {}],
          ['whois', {}],
          ['whois/search', { query: 'x@example.com' }],
          ['whois/search', { query: 'x@example.com', field: 'registrar' }],
          ['ssl-certificate/search', { query: 'x', field: 'nope' }],
          ['dns/passive', {}],
          ['dns/passive', { query: 'passivetotal.org', start: 'yesterday' }],
          ['enrichment', { query: 'not a domain' }],
          ['enrichment', { query: fx.main.sha1 }],
          ['whois', { query: '104.16.1.1' }],
          ['ssl-certificate', { query: 'passivetotal.org' }],
          ['ssl-certificate/search', { query: '12ab', field: 'serialNumber' }],
          ['ssl-certificate/search', { query: 'yesterday', field: 'issueDate' }],
        ] as const) {
          const r = await get(acme, path, params);
          expect(r.statusCode, `${path} ${JSON.stringify(params)}: ${r.body}`).toBe(400);
          const body = r.json<{ error: { message: string } }>();
          expect(Object.keys(body)).toEqual(['error']);
          expect(Object.keys(body.error)).toEqual(['message']);
          expect(body.error.message.length).toBeGreaterThan(0);
        }
        const bad = await send(analyst, 'PUT', 'actions/tags', { query: 'passivetotal.org' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toEqual({ error: { message: expect.stringContaining('tags') as unknown } });
        const unknown = await get(acme, 'no-such-endpoint');
        expect(unknown.statusCode).toBe(404);
        expect(Object.keys(unknown.json<{ error: object }>().error)).toEqual(['message']);
      });

      it('tolerates the extra parameters real clients send', async () => {
        const r = await get(acme, 'dns/passive', { query: 'passivetotal.org', compact_record: 'true', timeout: '7', sources: 'riskiq', start: '2015-01-01' });
        expect(r.statusCode, r.body).toBe(200);
        expect((await get(acme, 'whois', { query: 'passivetotal.org', compact_record: 'false' })).statusCode).toBe(200);
      });
    });

    describe('enrichment', () => {
      it('describes a domain: primary domain, tld with its dot, subdomains, tags from signatures', async () => {
        expect(await ok(get(acme, 'enrichment', { query: 'passivetotal.org' }))).toEqual({
          queryValue: 'passivetotal.org',
          queryType: 'domain',
          primaryDomain: 'passivetotal.org',
          tld: '.org',
          subdomains: [],
          tags: ['security'],
          dynamicDns: false,
          everCompromised: false,
        });
        expect(await ok(get(acme, 'enrichment', { query: 'login.secure.example.co.uk' }))).toEqual({
          queryValue: 'login.secure.example.co.uk',
          queryType: 'domain',
          primaryDomain: 'example.co.uk',
          tld: '.co.uk',
          subdomains: ['login.secure'],
          tags: [],
          dynamicDns: false,
          everCompromised: false,
        });
      });

      it('describes an IP from routing data, nulls where Warren has nothing', async () => {
        expect(await ok(get(acme, 'enrichment', { query: '104.16.1.1' }))).toEqual({
          queryValue: '104.16.1.1',
          queryType: 'ip',
          network: '104.16.0.0/12',
          autonomousSystemName: 'CLOUDFLARENET',
          autonomousSystemNumber: 13335,
          country: null,
          latitude: null,
          longitude: null,
          sinkhole: false,
          everCompromised: false,
          tags: [],
        });
        const unrouted = await ok(get(acme, 'enrichment', { query: '192.0.2.55' }));
        expect(unrouted).toMatchObject({ queryType: 'ip', network: null, autonomousSystemName: null, autonomousSystemNumber: null });
      });
    });

    describe('tags', () => {
      it('adds with PUT (the Python client) and POST, removes with DELETE; answers every tag, sorted, once each', async () => {
        const q = 'www.passivetotal.org';
        expect(await ok(get(analyst, 'actions/tags', { query: q }))).toEqual({ tags: ['security'] });
        expect(await ok(send(analyst, 'PUT', 'actions/tags', { query: q, tags: ['vendor', 'apt-1'] }))).toEqual({ tags: ['apt-1', 'security', 'vendor'] });
        // A manual tag with a signature tag's name shows once.
        expect(await ok(send(analyst, 'POST', 'actions/tags', { query: q, tags: ['security', 'phish'] }))).toEqual({ tags: ['apt-1', 'phish', 'security', 'vendor'] });
        expect(await ok(get(viewer, 'actions/tags', { query: 'WWW.PassiveTotal.org' }))).toEqual({ tags: ['apt-1', 'phish', 'security', 'vendor'] });
        expect(await ok(send(analyst, 'DELETE', 'actions/tags', { query: q, tags: ['apt-1', 'security', 'never-there'] }))).toEqual({
          tags: ['phish', 'security', 'vendor'],
        });
        // A comma-separated string is a list, as the Python client reads it.
        expect(await ok(send(analyst, 'DELETE', 'actions/tags', { query: q, tags: 'phish, vendor' }))).toEqual({ tags: ['security'] });
      });

      it('tags IPs and certificates (by SHA-1) too', async () => {
        expect(await ok(send(analyst, 'PUT', 'actions/tags', { query: '104.16.1.1', tags: ['cdn'] }))).toEqual({ tags: ['cdn'] });
        expect(await ok(send(analyst, 'PUT', 'actions/tags', { query: fx.main.sha1, tags: ['pt-cert'] }))).toEqual({ tags: ['pt-cert'] });
        expect(await ok(get(acme, 'actions/tags', { query: fx.main.sha1.toUpperCase() }))).toEqual({ tags: ['pt-cert'] });
        const missing = await send(analyst, 'PUT', 'actions/tags', { query: '0'.repeat(40), tags: ['x'] });
        expect(missing.statusCode).toBe(404);
        expect(Object.keys(missing.json<{ error: object }>().error)).toEqual(['message']);
        expect(await ok(get(acme, 'enrichment', { query: '104.16.1.1' }))).toMatchObject({ tags: ['cdn'] });
      });

      it('refuses writes below analyst, and tag names Warren cannot store', async () => {
        const r = await send(viewer, 'PUT', 'actions/tags', { query: 'passivetotal.org', tags: ['x'] });
        expect(r.statusCode).toBe(403);
        expect(r.json()).toEqual({ error: { message: expect.any(String) as unknown } });
        expect((await send(viewer, 'DELETE', 'actions/tags', { query: 'passivetotal.org', tags: ['x'] })).statusCode).toBe(403);
        expect((await send(viewer, 'POST', 'actions/classification', { query: 'passivetotal.org', classification: 'malicious' })).statusCode).toBe(403);
        const bad = await send(analyst, 'PUT', 'actions/tags', { query: 'passivetotal.org', tags: ['two words'] });
        expect(bad.statusCode).toBe(400);
        expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/two words/);
      });
    });

    describe('classification', () => {
      it('is unknown until set; accepts both spellings of non-malicious and answers as the spec shows', async () => {
        const q = 'classified.passivetotal.org';
        expect(await ok(get(acme, 'actions/classification', { query: q }))).toEqual({ classification: 'unknown' });
        expect(await ok(send(analyst, 'POST', 'actions/classification', { query: q, classification: 'non_malicious' }))).toEqual({
          queryValue: q,
          classification: 'non_malicious',
        });
        expect(await ok(get(acme, 'actions/classification', { query: q }))).toEqual({ classification: 'non-malicious' });
        expect(await ok(send(analyst, 'POST', 'actions/classification', { query: q, classification: 'non-malicious' }))).toEqual({
          queryValue: q,
          classification: 'non_malicious',
        });
        expect(await ok(send(analyst, 'POST', 'actions/classification', { query: q, classification: 'malicious' }))).toEqual({
          queryValue: q,
          classification: 'malicious',
        });
        expect(await ok(get(acme, 'actions/classification', { query: q }))).toEqual({ classification: 'malicious' });
        expect(await ok(get(acme, 'enrichment', { query: q }))).toMatchObject({ everCompromised: true });
        const bad = await send(analyst, 'POST', 'actions/classification', { query: q, classification: 'evil' });
        expect(bad.statusCode).toBe(400);
      });
    });

    describe('organisation isolation', () => {
      it('shows another organisation none of acme’s tags, classifications or notifications', async () => {
        await ok(send(analyst, 'PUT', 'actions/tags', { query: 'isolated.example', tags: ['acme-only'] }));
        await ok(send(analyst, 'POST', 'actions/classification', { query: 'isolated.example', classification: 'malicious' }));
        expect(await ok(get(acme, 'actions/tags', { query: 'isolated.example' }))).toEqual({ tags: ['acme-only'] });
        expect(await ok(get(beta, 'actions/tags', { query: 'isolated.example' }))).toEqual({ tags: [] });
        expect(await ok(get(beta, 'actions/classification', { query: 'isolated.example' }))).toEqual({ classification: 'unknown' });
        expect(await ok(get(beta, 'enrichment', { query: 'isolated.example' }))).toMatchObject({ tags: [], everCompromised: false });
        // Beta has no signatures: viewing passivetotal.org tags nothing for it.
        expect(await ok(get(beta, 'enrichment', { query: 'passivetotal.org' }))).toMatchObject({ tags: [] });
        expect(await ok(get(beta, 'account/notifications'))).toEqual({ notifications: [] });
        // And beta's writes stay beta's.
        await ok(send(beta, 'PUT', 'actions/tags', { query: 'isolated.example', tags: ['beta-only'] }));
        expect(await ok(get(acme, 'actions/tags', { query: 'isolated.example' }))).toEqual({ tags: ['acme-only'] });
      });
    });

    describe('account', () => {
      it('names the caller and the organisation', async () => {
        expect(await ok(get(viewer, 'account'))).toEqual({ username: 'a-viewer@example.com', firstName: null, lastName: null, organization: 'acme' });
        await api.store.db.updateTable('users').set({ first_name: 'Beta', last_name: 'Analyst' }).where('email', '=', beta.email).execute();
        expect(await ok(get(beta, 'account'))).toEqual({ username: 'b-analyst@example.com', firstName: 'Beta', lastName: 'Analyst', organization: 'beta' });
      });

      it('lists the organisation’s notifications in PassiveTotal’s shape', async () => {
        await ok(get(acme, 'enrichment', { query: 'passivetotal.org' }));
        const { notifications } = await ok<{ notifications: Record<string, unknown>[] }>(get(viewer, 'account/notifications'));
        expect(notifications.length).toBeGreaterThan(0);
        for (const n of notifications) {
          expect(Object.keys(n).sort()).toEqual(['content', 'generated', 'headline', 'type', 'username']);
          expect(n.username).toBe('a-viewer@example.com');
          expect(n.type).toBe('alert');
          expect(n.generated).toMatch(PT_TIME);
        }
        expect(notifications).toContainEqual({
          username: 'a-viewer@example.com',
          headline: 'Signature brand matched domain passivetotal.org on field domain',
          generated: '2026-03-01 12:00:00',
          content: expect.any(String) as unknown,
          type: 'alert',
        });
      });
    });

    describe('WHOIS', () => {
      it('answers the newest record in PassiveTotal’s shape', async () => {
        const rec = await ok(get(acme, 'whois', { query: 'passivetotal.org' }));
        expect(Object.keys(rec).sort()).toEqual(WHOIS_KEYS);
        expect(rec).toEqual({
          domain: 'passivetotal.org',
          registrar: '1 & 1 Internet AG (R73-LROR)',
          whoisServer: 'whois.publicinterestregistry.net',
          contactEmail: 'proxy4655031@1and1-private-registration.com',
          nameServers: ['ns1.digitalocean.com', 'ns2.digitalocean.com'],
          registered: '2014-04-14T17:13:56Z',
          registryUpdatedAt: '2016-03-10T11:00:00Z',
          expiresAt: '2017-04-14T17:13:56Z',
          lastLoadedAt: '2016-03-11T10:04:22Z',
          rawText: 'Domain Name: PASSIVETOTAL.ORG\nRegistrar: 1 & 1 Internet AG\n',
          organization: '1&1 Internet Inc. - www.1and1.com',
          name: 'Oneandone Private Registration',
          telephone: '+1.8772064254',
          registrant: {
            name: 'Oneandone Private Registration',
            organization: '1&1 Internet Inc. - www.1and1.com',
            email: 'proxy4655031@1and1-private-registration.com',
            telephone: '+1.8772064254',
            street: '701 Lee Road Suite 300|ATTN  passivetotal.org',
            city: 'Chesterbrook',
            state: 'PA',
            postalCode: '19087',
            country: 'US',
          },
          admin: {},
          tech: { name: 'Tech Person', email: 'tech@passivetotal.org' },
          billing: {},
          zone: {},
        });
        // A host name answers its registrable domain's record.
        expect(await ok(get(acme, 'whois', { query: 'WWW.passivetotal.org' }))).toMatchObject({ domain: 'passivetotal.org' });
      });

      it('answers 404 in PassiveTotal’s shape when Warren has no record', async () => {
        const r = await get(acme, 'whois', { query: 'nowhois.example' });
        expect(r.statusCode).toBe(404);
        expect(r.json()).toEqual({ error: { message: 'WHOIS record for nowhois.example not found' } });
      });

      it('searches by field: exact, case-insensitive, any contact, newest records only', async () => {
        const domains = async (field: string, query: string): Promise<string[]> =>
          (await ok<{ results: { domain: string }[] }>(get(acme, 'whois/search', { field, query }))).results.map((r) => r.domain);
        expect(await domains('email', 'Proxy4655031@1and1-private-registration.com')).toEqual(['other.example', 'passivetotal.org']);
        expect(await domains('email', 'tech@passivetotal.org')).toEqual(['passivetotal.org']);
        expect(await domains('email', 'old@former-owner.example')).toEqual([]);
        expect(await domains('email', 'proxy4655031@1and1')).toEqual([]);
        expect(await domains('name', 'tech person')).toEqual(['passivetotal.org']);
        expect(await domains('organization', '1&1 Internet Inc. - www.1and1.com')).toEqual(['passivetotal.org']);
        expect(await domains('address', 'chesterbrook')).toEqual(['passivetotal.org']);
        expect(await domains('phone', '+1.8772064254')).toEqual(['passivetotal.org']);
        expect(await domains('nameserver', 'NS1.DIGITALOCEAN.COM.')).toEqual(['other.example', 'passivetotal.org']);
        expect(await domains('domain', 'PassiveTotal.org')).toEqual(['passivetotal.org']);
        expect(await domains('domain', 'nowhois.example')).toEqual([]);
        // LIKE's own characters are data, not wildcards.
        expect(await domains('email', '%')).toEqual([]);
        expect(await domains('email', 'proxy4655031@1and1_private-registration.com')).toEqual([]);
        const full = await ok<{ results: Record<string, unknown>[] }>(get(acme, 'whois/search', { field: 'email', query: 'tech@passivetotal.org' }));
        expect(Object.keys(full.results[0]!).sort()).toEqual(WHOIS_KEYS);
      });
    });

    describe('certificates', () => {
      it('answers a certificate by SHA-1 with exactly the spec’s keys, absent values null', async () => {
        const { results } = await ok<{ results: Record<string, unknown>[] }>(get(acme, 'ssl-certificate', { query: fx.main.sha1 }));
        expect(results).toHaveLength(1);
        const c = results[0]!;
        expect(Object.keys(c).sort()).toEqual(CERTIFICATE_KEYS);
        const openssl = new X509Certificate(Buffer.from(fx.main.der));
        expect(c).toEqual({
          sha1: fx.main.sha1,
          fingerprint: openssl.fingerprint.toLowerCase(),
          serialNumber: BigInt(`0x${openssl.serialNumber}`).toString(10),
          sslVersion: '2',
          issueDate: 'Apr 28 00:00:00 2015 GMT',
          expirationDate: 'Apr  7 23:59:59 2017 GMT',
          subjectAlternativeNames: ['www.passivetotal.org', 'api.passivetotal.org'],
          subjectCommonName: 'www.passivetotal.org',
          subjectOrganizationName: 'PassiveTotal, Inc.',
          subjectOrganizationUnitName: 'Ops',
          subjectCountry: 'US',
          subjectStateOrProvinceName: 'California',
          subjectProvince: null,
          subjectLocalityName: 'San Francisco',
          subjectStreetAddress: null,
          subjectEmailAddress: null,
          subjectGivenName: null,
          subjectSurname: null,
          subjectSerialNumber: null,
          issuerCommonName: 'www.passivetotal.org',
          issuerOrganizationName: 'PassiveTotal, Inc.',
          issuerOrganizationUnitName: 'Ops',
          issuerCountry: 'US',
          issuerStateOrProvinceName: 'California',
          issuerProvince: null,
          issuerLocalityName: 'San Francisco',
          issuerStreetAddress: null,
          issuerEmailAddress: null,
          issuerGivenName: null,
          issuerSurname: null,
          issuerSerialNumber: null,
        });
        expect(c.serialNumber).toBe('310574082473913521764020509029717286629');
        expect(await ok(get(acme, 'ssl-certificate', { query: '0'.repeat(40) }))).toEqual({ results: [] });
        expect(await ok(get(acme, 'ssl-certificate', { query: fx.main.sha256 }))).toMatchObject({ results: [{ sha1: fx.main.sha1 }] });
      });

      it('searches by any field of the shape, and by name (a substring of CN or SAN)', async () => {
        const sha1s = async (field: string, query: string): Promise<string[]> =>
          (await ok<{ results: { sha1: string }[] }>(get(acme, 'ssl-certificate/search', { field, query }))).results.map((r) => r.sha1);
        const main = fx.main.sha1;
        const other = fx.other.sha1;
        expect(await sha1s('subjectCommonName', 'WWW.PASSIVETOTAL.ORG')).toEqual([main]);
        expect(await sha1s('subjectCommonName', 'passivetotal.org')).toEqual([]);
        expect(await sha1s('issuerOrganizationName', 'passivetotal, inc.')).toEqual([main]);
        expect(await sha1s('subjectAlternativeNames', 'api.passivetotal.org')).toEqual([main]);
        expect(await sha1s('sha1', main.toUpperCase())).toEqual([main]);
        expect(await sha1s('fingerprint', fingerprintOf(other))).toEqual([other]);
        expect(await sha1s('serialNumber', '310574082473913521764020509029717286629')).toEqual([main]);
        expect(await sha1s('serialNumber', String(0x0102030405))).toEqual([other]);
        expect(await sha1s('serialNumber', '1')).toEqual([]);
        expect(await sha1s('issueDate', 'Apr 28 00:00:00 2015 GMT')).toEqual([main]);
        expect(await sha1s('expirationDate', 'Jan  2 03:04:05 2025 GMT')).toEqual([other]);
        expect(await sha1s('subjectGivenName', 'anyone')).toEqual([]);
        expect((await sha1s('sslVersion', '2')).sort()).toEqual([main, other].sort());
        expect((await sha1s('name', 'PASSIVETOTAL')).sort()).toEqual([main]);
        expect((await sha1s('name', '.example')).sort()).toEqual([other]);
        expect(await sha1s('name', '%')).toEqual([]);
      });

      it('answers the history of a certificate (by SHA-1) and of an IP', async () => {
        expect(await ok(get(acme, 'ssl-certificate/history', { query: fx.main.sha1 }))).toEqual({
          results: [{ sha1: fx.main.sha1, firstSeen: '2015-12-21', lastSeen: '2016-01-18', ipAddresses: ['104.16.1.1', '198.51.100.7'] }],
        });
        expect(await ok(get(acme, 'ssl-certificate/history', { query: '104.16.1.1' }))).toEqual({
          results: [
            { sha1: fx.other.sha1, firstSeen: '2024-02-01', lastSeen: '2024-03-01', ipAddresses: ['104.16.1.1'] },
            { sha1: fx.main.sha1, firstSeen: '2015-12-21', lastSeen: '2016-01-10', ipAddresses: ['104.16.1.1'] },
          ],
        });
        expect(await ok(get(acme, 'ssl-certificate/history', { query: '0'.repeat(40) }))).toEqual({ results: [] });
        const onIp = await ok<{ results: { sha1: string }[] }>(get(acme, 'ssl-certificate', { query: '104.16.1.1' }));
        expect(onIp.results.map((r) => r.sha1).sort()).toEqual([fx.main.sha1, fx.other.sha1].sort());
      });
    });

    describe('passive DNS', () => {
      it('answers a domain: one record per resolve and type, every source, PassiveTotal’s time format', async () => {
        const r = await ok<{ results: Record<string, unknown>[] }>(get(acme, 'dns/passive', { query: 'passivetotal.org' }));
        expect(Object.keys(r).sort()).toEqual(['firstSeen', 'lastSeen', 'queryType', 'queryValue', 'results', 'totalRecords']);
        expect(r).toEqual({
          queryValue: 'passivetotal.org',
          queryType: 'domain',
          firstSeen: '2015-12-01 10:00:00',
          lastSeen: '2016-02-01 18:00:01',
          totalRecords: 3,
          results: [
            {
              resolve: '104.16.1.1',
              resolveType: 'ip',
              recordType: 'A',
              firstSeen: '2015-12-01 10:00:00',
              lastSeen: '2016-02-01 18:00:01',
              collected: '2016-02-01 18:00:01',
              source: ['riskiq', 'zeek'],
              value: 'passivetotal.org',
            },
            {
              resolve: '2001:db8::1',
              resolveType: 'ip',
              recordType: 'AAAA',
              firstSeen: '2016-01-05 00:00:00',
              lastSeen: '2016-01-06 00:00:00',
              collected: '2016-01-06 00:00:00',
              source: ['riskiq'],
              value: 'passivetotal.org',
            },
            {
              resolve: 'ns1.digitalocean.com',
              resolveType: 'domain',
              recordType: 'NS',
              firstSeen: '2016-01-01 00:00:00',
              lastSeen: '2016-01-02 00:00:00',
              collected: '2016-01-02 00:00:00',
              source: ['riskiq'],
              value: 'passivetotal.org',
            },
          ],
        });
        for (const rec of r.results) for (const k of ['firstSeen', 'lastSeen', 'collected']) expect(rec[k]).toMatch(PT_TIME);
      });

      it('answers an IP with the names that resolved to it, and filters by start and end', async () => {
        const r = await ok<{ results: { resolve: string; resolveType: string; value: string }[]; queryType: string; totalRecords: number }>(
          get(acme, 'dns/passive', { query: '104.16.1.1' }),
        );
        expect(r.queryType).toBe('ip');
        expect(r.totalRecords).toBe(2);
        expect(r.results.map((x) => [x.resolve, x.resolveType, x.value])).toEqual([
          ['other.example', 'domain', '104.16.1.1'],
          ['passivetotal.org', 'domain', '104.16.1.1'],
        ]);
        const late = await ok<{ results: { resolve: string }[] }>(get(acme, 'dns/passive', { query: 'passivetotal.org', start: '2016-01-10', end: '2016-12-31 00:00:00' }));
        expect(late.results.map((x) => x.resolve)).toEqual(['104.16.1.1']);
        expect(await ok(get(acme, 'dns/passive', { query: 'never-seen.example' }))).toEqual({
          queryValue: 'never-seen.example',
          queryType: 'domain',
          firstSeen: null,
          lastSeen: null,
          totalRecords: 0,
          results: [],
        });
      });
    });
  });
}

describe('PassiveTotal presenters', () => {
  it('formats times as PassiveTotal did', () => {
    expect(ptDateTime('2016-01-01T00:00:02Z')).toBe('2016-01-01 00:00:02');
    expect(ptDateTime(null)).toBeNull();
    expect(opensslDate('2017-04-27T23:59:59Z')).toBe('Apr 27 23:59:59 2017 GMT');
    expect(opensslDate('2017-04-07T03:04:05Z')).toBe('Apr  7 03:04:05 2017 GMT');
    expect(parseCertificateDate('Apr 7 03:04:05 2017 GMT')).toBe('2017-04-07T03:04:05Z');
    expect(parseCertificateDate('Feb 30 03:04:05 2017 GMT')).toBeUndefined();
    expect(parseCertificateDate('2017-04-07 03:04:05')).toBe('2017-04-07T03:04:05Z');
  });

  it('builds LIKE patterns that treat % _ ! as data and leave non-ASCII to the confirmation', () => {
    expect(jsonLikePattern('A_b%c!d')).toBe('%a!_b!%c!!d%');
    expect(jsonLikePattern('Ünï "q"')).toBe('%_n_ \\"q\\"%');
  });
});

suite('SQLite', () => undefined);

const pg = await createTestDatabase();
if ('skip' in pg) {
  describe.skip(`PassiveTotal v2 on PostgreSQL (${pg.skip})`, () => undefined);
} else {
  afterAll(() => pg.drop());
  suite('PostgreSQL', () => pg.url);
}
