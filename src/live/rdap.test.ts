// Live RDAP against real local servers answering with real replies (icann/icann-rdap, rewritten
// in memory where a referral must point at 127.0.0.1): the registry → registrar merge, every
// misbehaviour as a readable outcome, the guard, and the per-server limit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WhoisRecord } from '../ingest/records.js';
import { RdapBootstrap } from './bootstrap.js';
import { ServerLimiter } from './limiter.js';
import { fetchDomainRdap, fetchIpRdap, mergeDomainRecords, registrarLink } from './rdap.js';
import { icannReply, REAL_RDAP, startRealRdapServer, testContext } from './test-support/real-replies.js';
import { BASE_TOKEN, startRdapServer, type RdapTestServer } from './test-support/rdap-server.js';

const haveData = icannReply('microsoft.click') !== undefined && icannReply('network_192_198_0_0') !== undefined;
const NOW = '2026-06-01T12:00:00Z';

function bootstrapOf(server: RdapTestServer): RdapBootstrap {
  return new RdapBootstrap({ source: { kind: 'url', base: server.bootstrapBase } });
}

function only(records: readonly unknown[]): WhoisRecord {
  expect(records).toHaveLength(1);
  return records[0] as WhoisRecord;
}

describe.skipIf(!haveData)('fetchDomainRdap on real replies', () => {
  let server: RdapTestServer;
  beforeAll(async () => {
    server = (await startRealRdapServer())!;
  });
  afterAll(() => server.close());

  it("follows the registry's related link once and merges: the registrar's value wins, fields only one gives are kept", async () => {
    const out = await fetchDomainRdap(testContext({ now: NOW }), REAL_RDAP.referred, bootstrapOf(server));
    expect(out).toMatchObject({ source: 'rdap', status: 'ok' });
    expect(out.detail).toMatch(/^127\.0\.0\.1:\d+; registrar 127\.0\.0\.1:\d+$/);
    const r = only(out.records);
    expect(r).toMatchObject({ kind: 'whois', domain: 'microsoft.click', observed: NOW, source: 'rdap' });
    // From the registrar only (the registry, like gTLD registries since 2024, has no registrant email).
    expect(r.fields['whois.registrant.email']).toEqual([REAL_RDAP.registrantEmail]);
    // Both give a registrant organisation and name servers: the registrar's.
    expect(r.fields['whois.registrant.organization']).toEqual(['SOCIETE EDITRICE DU MONDE']);
    expect(r.fields['whois.name_servers']).toContain('ns-cloud-b1.googledomains.com');
    expect(r.fields['whois.name_servers']).not.toContain('ns1-08.azure-dns.com');
    // Only the registry gives a registrant state.
    expect(r.fields['whois.registrant.state']).toEqual(['WA']);
    // Both raw texts, one after the other.
    const raw = r.fields['whois.raw']![0]!;
    expect(raw).toContain('"ldhName":"microsoft.click"');
    expect(raw).toContain('domain_names@lemonde.fr');
    const kinds = server.requests.map((q) => q.kind);
    expect(kinds.filter((k) => k === 'registrar')).toHaveLength(1);
  });

  it('reads a registry reply without a registrar link as it is', async () => {
    const out = await fetchDomainRdap(testContext({ now: NOW }), 'LeMonde.FR.', bootstrapOf(server));
    expect(out.status).toBe('ok');
    const r = only(out.records);
    expect(r.domain).toBe('lemonde.fr');
    expect(r.fields['whois.registrar']).toEqual(['NAMESHIELD']);
    expect(r.fields['whois.raw']![0]).toBe(icannReply('lemonde.fr')!.trim());
  });

  it('fetches the bootstrap once for many look-ups', async () => {
    const bootstrap = bootstrapOf(server);
    const before = server.requests.filter((q) => q.path === '/bootstrap/dns.json').length;
    const outs = await Promise.all(['lemonde.fr', 'home.moscow', 'afnic.fr'].map((d) => fetchDomainRdap(testContext(), d, bootstrap)));
    expect(outs.map((o) => o.status)).toEqual(['ok', 'ok', 'ok']);
    expect(server.requests.filter((q) => q.path === '/bootstrap/dns.json').length - before).toBe(1);
  });

  it("gives the IP network's records with source rdap-ip, IPv4 and IPv6", async () => {
    const v4 = await fetchIpRdap(testContext(), REAL_RDAP.ipv4, bootstrapOf(server));
    expect(v4).toMatchObject({ source: 'rdap-ip', status: 'ok' });
    expect(v4.detail).toMatch(/NET-192-198-0-0-1/);
    const ctx = testContext();
    // The registration (observed at the fetch: a fresh reply replaces an older one) and the origin AS.
    expect(v4.records).toEqual([
      expect.objectContaining({ kind: 'network', start: '192.198.0.0', end: '192.198.3.255', source: 'rdap-ip', observed: ctx.now }),
      { kind: 'as-range', start: '192.198.0.0', end: '192.198.3.255', asn: 53301, source: 'rdap-ip' },
    ]);
    expect((v4.records[0] as { fields: Record<string, string[]> }).fields['network.name']).toEqual(['RADIOLINK-ARIN-1']);
    const v6 = await fetchIpRdap(testContext(), REAL_RDAP.ipv6, bootstrapOf(server));
    expect(v6).toMatchObject({ source: 'rdap-ip', status: 'ok', records: [{ kind: 'network', source: 'rdap-ip' }] });
    const none = await fetchIpRdap(testContext(), '10.1.2.3', bootstrapOf(server));
    expect(none).toMatchObject({ status: 'failed', detail: 'no RDAP server for 10.1.2.3 in the bootstrap' });
  });
});

describe.skipIf(!haveData)('fetchIpRdap redirects', () => {
  let rir: RdapTestServer;
  let arin: RdapTestServer;
  beforeAll(async () => {
    rir = (await startRealRdapServer())!;
    arin = await startRdapServer({
      ipBlocks: ['0.0.0.0/0'],
      misbehave: {
        [REAL_RDAP.ipv4]: { redirect: `${rir.url}ip/${REAL_RDAP.ipv4}` },
        '198.51.100.7': { redirect: `${BASE_TOKEN}ip/198.51.100.7` },
      },
    });
  });
  afterAll(async () => {
    await rir.close();
    await arin.close();
  });

  it("follows another RIR's redirect, through the limiter and the guard again", async () => {
    const ctx = testContext({ guard: { allow: ['127.0.0.1/32'] } });
    const out = await fetchIpRdap(ctx, REAL_RDAP.ipv4, bootstrapOf(arin));
    expect(out).toMatchObject({ status: 'ok', records: [{ kind: 'network', source: 'rdap-ip' }, { asn: 53301, source: 'rdap-ip' }] });
    expect(rir.requests.filter((q) => q.kind === 'ip')).toHaveLength(1);
  });

  it('stops after 3 redirects', async () => {
    const before = arin.requests.filter((q) => q.kind === 'ip').length;
    const out = await fetchIpRdap(testContext(), '198.51.100.7', bootstrapOf(arin));
    expect(out).toMatchObject({ status: 'failed', records: [] });
    expect(out.detail).toMatch(/^more than 3 redirects \(last from 127\.0\.0\.1:\d+\)$/);
    expect(arin.requests.filter((q) => q.kind === 'ip').length - before).toBe(4);
  });
});

describe('fetchDomainRdap misbehaving servers', () => {
  let server: RdapTestServer;
  let host = '';
  beforeAll(async () => {
    server = await startRdapServer({
      tlds: ['test'],
      domains: { 'fine.test': JSON.stringify({ objectClassName: 'domain', ldhName: 'fine.test', rdapConformance: ['rdap_level_0'], status: ['active'] }) },
      registrar: {},
      misbehave: {
        'hang.test': 'hang',
        'reset.test': 'reset',
        'garbage.test': 'garbage',
        'notrdap.test': 'not-rdap',
        'gone.test': '404',
        'broken.test': '500',
        'busy.test': '429',
        'odd.test': { status: 418 },
      },
      retryAfterS: 30,
    });
    host = new URL(server.url).host;
  });
  afterAll(() => server.close());

  const cases: [string, RegExp][] = [
    ['reset.test', /^127\.0\.0\.1:\d+ reset the connection$/],
    ['garbage.test', /^127\.0\.0\.1:\d+ answered something that is not RDAP$/],
    ['notrdap.test', /^127\.0\.0\.1:\d+ answered something that is not RDAP$/],
    ['gone.test', /^no such domain at 127\.0\.0\.1:\d+$/],
    ['unknown.test', /^no such domain at 127\.0\.0\.1:\d+$/],
    ['broken.test', /^127\.0\.0\.1:\d+ answered HTTP 500 Internal Server Error \(server error\)$/],
    ['odd.test', /^127\.0\.0\.1:\d+ answered HTTP 418 .*\(refused the query\)$/],
  ];
  for (const [name, detail] of cases) {
    it(`${name}: failed with a readable reason, no throw`, async () => {
      const out = await fetchDomainRdap(testContext(), name, bootstrapOf(server));
      expect(out).toMatchObject({ source: 'rdap', status: 'failed', records: [] });
      expect(out.detail).toMatch(detail);
      expect(out.detail).not.toMatch(/\n\s+at /);
    });
  }

  it('a hanging server times out within timeoutMs', async () => {
    const started = Date.now();
    const out = await fetchDomainRdap(testContext({ timeoutMs: 300 }), 'hang.test', bootstrapOf(server));
    const took = Date.now() - started;
    expect(out).toMatchObject({ status: 'failed', detail: `no answer from ${host} within 300 ms` });
    // The bootstrap fetch has its own 300 ms; the hanging query is the one that waits.
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
  });

  it('429: rate-limited with the time asked, and the limiter then rests the server', async () => {
    const ctx = testContext();
    const bootstrap = bootstrapOf(server);
    const out = await fetchDomainRdap(ctx, 'busy.test', bootstrap);
    expect(out).toMatchObject({ status: 'failed', detail: `rate-limited by ${host}, retry after 30 s` });
    const before = server.requests.length;
    const next = await fetchDomainRdap(ctx, 'fine.test', bootstrap);
    expect(next).toMatchObject({ status: 'failed', detail: `rate-limited by ${host}, retry after 30 s` });
    expect(server.requests.length).toBe(before);
  });

  it('a domain object without WHOIS data is kept as a record with its raw text', async () => {
    const out = await fetchDomainRdap(testContext({ now: NOW }), 'fine.test', bootstrapOf(server));
    expect(out.status).toBe('ok');
    const r = only(out.records);
    expect(r.fields['whois.status']).toEqual(['active']);
    expect(r.observed).toBe(NOW);
  });

  it('a TLD the bootstrap does not cover, and a name that is no domain, fail without a request', async () => {
    const before = server.requests.filter((q) => q.kind === 'domain').length;
    expect(await fetchDomainRdap(testContext(), 'example.nosuchtld', bootstrapOf(server))).toMatchObject({
      status: 'failed',
      detail: 'no RDAP server for .nosuchtld in the bootstrap',
    });
    expect(await fetchDomainRdap(testContext(), 'not a domain', bootstrapOf(server))).toMatchObject({ status: 'failed', detail: '"not a domain" is not a domain name' });
    expect(server.requests.filter((q) => q.kind === 'domain').length).toBe(before);
  });
});

describe('the registrar step', () => {
  let server: RdapTestServer;
  const registry = (name: string, related: string): string =>
    JSON.stringify({
      objectClassName: 'domain',
      ldhName: name,
      rdapConformance: ['rdap_level_0'],
      status: ['active'],
      links: [{ rel: 'related', type: 'application/rdap+json', href: related }],
      entities: [{ objectClassName: 'entity', roles: ['registrar'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Registry Says Registrar']]] }],
    });
  beforeAll(async () => {
    server = await startRdapServer({
      tlds: ['test'],
      domains: {
        'down.test': registry('down.test', `${BASE_TOKEN}registrar/domain/down.test`),
        'other.test': registry('other.test', `${BASE_TOKEN}registrar/domain/other.test`),
      },
      registrar: { 'other.test': JSON.stringify({ objectClassName: 'domain', ldhName: 'elsewhere.test', rdapConformance: ['rdap_level_0'] }) },
      misbehave: { 'registrar:down.test': '500' },
    });
  });
  afterAll(() => server.close());

  it("a failing registrar costs only what it would have added, and says so", async () => {
    const out = await fetchDomainRdap(testContext(), 'down.test', bootstrapOf(server));
    expect(out.status).toBe('ok');
    expect(out.detail).toMatch(/; registrar: 127\.0\.0\.1:\d+ answered HTTP 500/);
    expect(only(out.records).fields['whois.registrar']).toEqual(['Registry Says Registrar']);
  });

  it("a registrar reply about another domain is not merged", async () => {
    const out = await fetchDomainRdap(testContext(), 'other.test', bootstrapOf(server));
    expect(out.status).toBe('ok');
    expect(out.detail).toMatch(/registrar 127\.0\.0\.1:\d+: no domain object for the name asked/);
    expect(only(out.records).fields['whois.raw']![0]).not.toContain('elsewhere.test');
  });
});

describe.skipIf(!haveData)('the guard and the per-server limit', () => {
  let server: RdapTestServer;
  afterEach(() => server.close());

  it('with private addresses not allowed, a 127.0.0.1 server is never connected to: refused', async () => {
    server = (await startRealRdapServer())!;
    // The bootstrap is read from a folder (no request), so the RDAP query is the first connection.
    const bootstrap = new RdapBootstrap({ source: { kind: 'dir', path: await server.writeBootstrapDir() } });
    const domain = await fetchDomainRdap(testContext({ guard: {} }), 'lemonde.fr', bootstrap);
    expect(domain).toMatchObject({ source: 'rdap', status: 'refused', records: [] });
    expect(domain.detail).toMatch(/refused: 127\.0\.0\.1 is a loopback address/);
    const ip = await fetchIpRdap(testContext({ guard: {} }), REAL_RDAP.ipv4, bootstrap);
    expect(ip).toMatchObject({ source: 'rdap-ip', status: 'refused' });
    expect(server.connections()).toBe(0);
  });

  it('the bootstrap base is configuration, read whatever the guard; the RDAP server it names is a target, refused', async () => {
    server = (await startRealRdapServer())!;
    const bootstrap = bootstrapOf(server);
    const ctx = testContext({ guard: {} });
    const domain = await fetchDomainRdap(ctx, 'lemonde.fr', bootstrap);
    expect(bootstrap.state('dns')).toMatchObject({ origin: 'source' });
    expect(domain).toMatchObject({ status: 'refused' });
    expect(server.requests.map((q) => q.kind)).toEqual(['bootstrap']);
  });

  it('with the base unreachable, the bundled bootstrap is used', async () => {
    const closed = await startRdapServer();
    const base = closed.bootstrapBase;
    await closed.close();
    const bootstrap = new RdapBootstrap({ source: { kind: 'url', base } });
    // The bundled dns.json sends .fr to AFNIC.
    expect(await bootstrap.domainServer(testContext({ timeoutMs: 500 }), 'lemonde.fr')).toBe('https://rdap.nic.fr/');
    expect(bootstrap.state('dns')).toMatchObject({ origin: 'bundled', problem: expect.stringMatching(/dns\.json/) as unknown });
    server = await startRdapServer();
  });

  it('20 parallel look-ups: at most 2 in flight at the server', async () => {
    server = (await startRealRdapServer({ misbehave: { 'lemonde.fr': { slowMs: 40 } } }))!;
    const limiter = new ServerLimiter();
    const bootstrap = bootstrapOf(server);
    const outs = await Promise.all(Array.from({ length: 20 }, () => fetchDomainRdap(testContext({ limiter }), 'lemonde.fr', bootstrap)));
    expect(outs.every((o) => o.status === 'ok')).toBe(true);
    expect(server.requests.filter((q) => q.kind === 'domain')).toHaveLength(20);
    expect(server.inFlightPeak.domain).toBe(2);
    expect(limiter.peak).toBeLessThanOrEqual(2);
  });
});

describe('pieces', () => {
  it('registrarLink: a typed related link, on the domain or its registrar entity, resolved against the reply URL', () => {
    const base = 'https://rdap.registry.example/domain/x.example';
    expect(registrarLink({ links: [{ rel: 'related', type: 'application/rdap+json', href: 'https://rdap.registrar.example/domain/x.example' }] }, base)).toBe('https://rdap.registrar.example/domain/x.example');
    expect(registrarLink({ entities: [{ roles: ['registrar'], links: [{ rel: 'related', type: 'application/rdap+json; charset=utf-8', href: '/r/domain/x.example' }] }] }, base)).toBe('https://rdap.registry.example/r/domain/x.example');
    // A web page, a self link and a link to the same reply are no registrar.
    expect(registrarLink({ links: [{ rel: 'related', type: 'text/html', href: 'https://registrar.example/' }, { rel: 'self', type: 'application/rdap+json', href: 'https://a.example/domain/x' }, { rel: 'related', type: 'application/rdap+json', href: base }] }, base)).toBeUndefined();
    // Untyped, but plainly a domain query.
    expect(registrarLink({ links: [{ rel: 'Related', href: 'https://rdap.registrar.example/domain/x.example' }] }, base)).toBe('https://rdap.registrar.example/domain/x.example');
    expect(registrarLink({ links: [{ rel: 'related', type: 'application/rdap+json', href: 'javascript:alert(1)' }] }, base)).toBeUndefined();
  });

  it('mergeDomainRecords caps the raw texts at 256 KiB', () => {
    const big = `{"x":"${'é'.repeat(200_000)}"}`;
    const r = mergeDomainRecords('a.example', undefined, undefined, [big], NOW);
    const raw = r.fields['whois.raw']![0]!;
    expect(Buffer.byteLength(raw, 'utf8')).toBeLessThanOrEqual(256 * 1024);
    expect(raw.endsWith('\uFFFD')).toBe(false);
    expect(r).toMatchObject({ kind: 'whois', domain: 'a.example', observed: NOW, source: 'rdap' });
  });
});
