// RFC 9224 bootstrap: the setting, the files (openrdap's real excerpts, the bundled copies),
// server selection (longest TLD suffix, most specific CIDR, narrowest AS range), and where the
// files in use come from (a local server's base URL, a folder, the bundled copy as fallback,
// refreshed at most once per 24 h).
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLED_BOOTSTRAP_DIR,
  DEFAULT_BOOTSTRAP_BASE,
  parseBootstrapFile,
  parseBootstrapSource,
  RdapBootstrap,
  selectAsnServer,
  selectDomainServer,
  selectIpServer,
  type BootstrapFile,
  type BootstrapKind,
} from './bootstrap.js';
import { SHARED_DATA, testContext } from './test-support/real-replies.js';
import { startRdapServer, type RdapTestServer } from './test-support/rdap-server.js';

const OPENRDAP = join(SHARED_DATA, 'rdap/bootstrap');

function file(kind: BootstrapKind, services: [string[], string[]][]): BootstrapFile {
  const parsed = parseBootstrapFile(kind, JSON.stringify({ version: '1.0', publication: '2026-01-01T00:00:00Z', services }));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('parseBootstrapSource (WARREN_RDAP_BOOTSTRAP)', () => {
  it('unset: IANA; a URL: its folder; a path or file URL: a folder; other schemes refused', () => {
    expect(parseBootstrapSource(undefined)).toEqual({ ok: true, value: { kind: 'url', base: DEFAULT_BOOTSTRAP_BASE } });
    expect(parseBootstrapSource('  ')).toEqual({ ok: true, value: { kind: 'url', base: 'https://data.iana.org/rdap/' } });
    expect(parseBootstrapSource('http://127.0.0.1:8080/rdap')).toEqual({ ok: true, value: { kind: 'url', base: 'http://127.0.0.1:8080/rdap/' } });
    expect(parseBootstrapSource('https://mirror.example/rdap/')).toEqual({ ok: true, value: { kind: 'url', base: 'https://mirror.example/rdap/' } });
    expect(parseBootstrapSource('/etc/warren/rdap')).toEqual({ ok: true, value: { kind: 'dir', path: '/etc/warren/rdap' } });
    expect(parseBootstrapSource('file:///etc/warren/rdap/')).toEqual({ ok: true, value: { kind: 'dir', path: '/etc/warren/rdap/' } });
    expect(parseBootstrapSource('ftp://mirror.example/rdap/')).toEqual({ ok: false, error: 'WARREN_RDAP_BOOTSTRAP: only http, https or a folder, not ftp' });
  });
});

describe('parseBootstrapFile', () => {
  it('skips malformed services, keeps http(s) URLs with a final slash, https first', () => {
    const text = JSON.stringify({
      services: [
        [['a'], ['http://a.example/rdap', 'https://a.example/rdap/']],
        [['b'], ['ftp://b.example/']],
        ['not', 'a service'],
        [[1], ['https://c.example/']],
        [['d'], ['https://d.example']],
      ],
    });
    const parsed = parseBootstrapFile('dns', text);
    expect(parsed.ok && parsed.value.services).toEqual([
      { entries: ['a'], urls: ['https://a.example/rdap/', 'http://a.example/rdap/'] },
      { entries: ['d'], urls: ['https://d.example/'] },
    ]);
    expect(parseBootstrapFile('dns', '<html>')).toEqual({ ok: false, error: 'dns.json is not JSON' });
    expect(parseBootstrapFile('ipv4', '{"version":"1.0"}')).toEqual({ ok: false, error: 'ipv4.json has no services array' });
  });

  describe.skipIf(!existsSync(OPENRDAP))("openrdap's real bootstrap excerpts", () => {
    const real = (kind: BootstrapKind): BootstrapFile => {
      const parsed = parseBootstrapFile(kind, readFileSync(join(OPENRDAP, `${kind}.json`), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    };
    it('selects a server for each kind', () => {
      expect(selectDomainServer(real('dns'), 'registro.br')).toBe('https://rdap.registro.br/');
      expect(selectDomainServer(real('dns'), 'nic.ar')).toBe('https://rdap.nic.ar/');
      expect(selectDomainServer(real('dns'), 'example.com')).toBeUndefined();
      expect(selectIpServer(real('ipv4'), '41.1.2.3')).toBe('https://rdap.afrinic.net/rdap/');
      expect(selectIpServer(real('ipv6'), '2001:200::1')).toBe('https://rdap.apnic.net/');
      expect(selectAsnServer(real('asn'), 2018)).toBe('https://rdap.afrinic.net/rdap/');
      expect(real('dns').publication).toBe('2017-03-15T21:26:24Z');
    });
  });
});

describe('selection', () => {
  it('a domain: the longest entry that is a label suffix, names compared as A-labels', () => {
    const dns = file('dns', [
      [['uk'], ['https://uk.example/']],
      [['co.uk'], ['https://co-uk.example/']],
      [['xn--p1ai'], ['https://rf.example/']],
      [['k'], ['https://k.example/']],
    ]);
    expect(selectDomainServer(dns, 'shop.example.co.uk')).toBe('https://co-uk.example/');
    expect(selectDomainServer(dns, 'example.uk')).toBe('https://uk.example/');
    expect(selectDomainServer(dns, 'EXAMPLE.CO.UK.')).toBe('https://co-uk.example/');
    expect(selectDomainServer(dns, 'пример.рф')).toBe('https://rf.example/');
    // "uk" is a suffix of "book" as text, not as labels.
    expect(selectDomainServer(dns, 'example.book')).toBeUndefined();
    expect(selectDomainServer(dns, 'not a name')).toBeUndefined();
  });

  it('an IP: the most specific CIDR holding it, in its own family', () => {
    const v4 = file('ipv4', [
      [['10.0.0.0/8'], ['https://wide.example/']],
      [['10.1.0.0/16'], ['https://narrow.example/']],
    ]);
    expect(selectIpServer(v4, '10.1.2.3')).toBe('https://narrow.example/');
    expect(selectIpServer(v4, '10.2.0.1')).toBe('https://wide.example/');
    expect(selectIpServer(v4, '::ffff:10.1.2.3')).toBe('https://narrow.example/');
    expect(selectIpServer(v4, '11.0.0.1')).toBeUndefined();
    expect(selectIpServer(v4, '2001:db8::1')).toBeUndefined();
    const v6 = file('ipv6', [
      [['::/0'], ['https://all.example/']],
      [['2001:db8::/32'], ['https://doc.example/']],
    ]);
    expect(selectIpServer(v6, '2001:DB8::1')).toBe('https://doc.example/');
    expect(selectIpServer(v6, '2600::1')).toBe('https://all.example/');
  });

  it('an AS number: the narrowest range holding it', () => {
    const asn = file('asn', [
      [['0-4294967295'], ['https://all.example/']],
      [['64496-64511', '65536'], ['https://doc.example/']],
    ]);
    expect(selectAsnServer(asn, 64500)).toBe('https://doc.example/');
    expect(selectAsnServer(asn, 65536)).toBe('https://doc.example/');
    expect(selectAsnServer(asn, 13335)).toBe('https://all.example/');
  });
});

describe('the bundled copies', () => {
  const bundled = (kind: BootstrapKind): BootstrapFile => {
    const parsed = parseBootstrapFile(kind, readFileSync(join(BUNDLED_BOOTSTRAP_DIR, `${kind}.json`), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  };

  it("are RFC 9224 files: IANA's TLDs, and every address and AS number to ARIN", () => {
    for (const kind of ['dns', 'ipv4', 'ipv6', 'asn'] as const) {
      const json = JSON.parse(readFileSync(join(BUNDLED_BOOTSTRAP_DIR, `${kind}.json`), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(json).sort()).toEqual(['description', 'publication', 'services', 'version']);
    }
    const dns = bundled('dns');
    expect(dns.services.flatMap((s) => s.entries)).toHaveLength(1175);
    expect(selectDomainServer(dns, 'example.com')).toBe('https://rdap.verisign.com/com/v1/');
    expect(selectDomainServer(dns, 'home.moscow')).toBe('https://flexireg.net/moscow/rdap/');
    expect(selectIpServer(bundled('ipv4'), '193.0.6.139')).toBe('https://rdap.arin.net/registry/');
    expect(selectIpServer(bundled('ipv6'), '2001:67c:2e8::1')).toBe('https://rdap.arin.net/registry/');
    expect(selectAsnServer(bundled('asn'), 4294967295)).toBe('https://rdap.arin.net/registry/');
  });

  it('are found from dist/ as from src/ (the path is relative to the package root)', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const fromDist = fileURLToPath(new URL('../../src/live/bootstrap-data/', pathToFileURL(join(root, 'dist/live/bootstrap.js'))));
    expect(fromDist).toBe(BUNDLED_BOOTSTRAP_DIR);
    expect(existsSync(join(BUNDLED_BOOTSTRAP_DIR, 'README.md'))).toBe(true);
  });
});

describe('RdapBootstrap: the source, the bundled fallback, the 24 h refresh', () => {
  let server: RdapTestServer;
  beforeAll(async () => {
    server = await startRdapServer({ tlds: ['test', 'com'], networks: { '192.0.2.0/24': '{}' } });
  });
  afterAll(() => server.close());
  const fetches = (name: string): number => server.requests.filter((q) => q.path === `/bootstrap/${name}`).length;

  it("uses the source's files once read, and asks again only after refreshMs", async () => {
    let now = 1_000_000;
    const bootstrap = new RdapBootstrap({ source: { kind: 'url', base: server.bootstrapBase }, clock: () => now });
    const ctx = testContext();
    const before = fetches('dns.json');
    expect(await bootstrap.domainServer(ctx, 'example.com')).toBe(server.url);
    expect(bootstrap.state('dns')).toEqual({ origin: 'source', publication: '2026-01-01T00:00:00Z' });
    now += 23 * 3600_000;
    expect(await bootstrap.domainServer(ctx, 'other.test')).toBe(server.url);
    expect(fetches('dns.json') - before).toBe(1);
    now += 3600_000;
    await bootstrap.domainServer(ctx, 'other.test');
    expect(fetches('dns.json') - before).toBe(2);
    // Each file on its own: the IP look-up read ipv4.json only.
    expect(await bootstrap.ipServer(ctx, '192.0.2.1')).toBe(server.url);
    expect(fetches('ipv4.json')).toBeGreaterThanOrEqual(1);
    expect(bootstrap.state('ipv6').origin).toBe('bundled');
  });

  it('keeps the bundled copy when the source cannot be reached, and does not retry before refreshMs', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const bootstrap = new RdapBootstrap({ source: { kind: 'url', base: `http://127.0.0.1:${port}/` }, clock: () => 0 });
    expect(await bootstrap.domainServer(testContext(), 'example.com')).toBe('https://rdap.verisign.com/com/v1/');
    expect(bootstrap.state('dns')).toMatchObject({ origin: 'bundled', problem: expect.stringContaining(`http://127.0.0.1:${port}/dns.json`) as unknown });
  });

  it('keeps the copy in use when the source answers something that is not a bootstrap file', async () => {
    const broken = await startRdapServer({ tlds: ['test'], misbehave: { 'dns.json': 'garbage' } });
    try {
      const bad = new RdapBootstrap({ source: { kind: 'url', base: broken.bootstrapBase } });
      expect(await bad.domainServer(testContext(), 'a.test')).toBeUndefined();
      expect(await bad.domainServer(testContext(), 'example.fr')).toBe('https://rdap.nic.fr/');
      expect(bad.state('dns')).toMatchObject({ origin: 'bundled', problem: 'dns.json is not JSON' });
    } finally {
      await broken.close();
    }
    // A copy read earlier stays in use when a later read fails.
    const dir = await mkdtemp(join(tmpdir(), 'warren-bootstrap-'));
    await writeFile(join(dir, 'dns.json'), server.bootstrapFiles['dns.json']!);
    let now = 0;
    const bootstrap = new RdapBootstrap({ source: { kind: 'dir', path: dir }, clock: () => now });
    expect(await bootstrap.domainServer(testContext(), 'a.test')).toBe(server.url);
    await writeFile(join(dir, 'dns.json'), '{"services": "none"}');
    now += 24 * 3600_000;
    expect(await bootstrap.domainServer(testContext(), 'a.test')).toBe(server.url);
    expect(bootstrap.state('dns')).toMatchObject({ origin: 'source', problem: 'dns.json has no services array' });
  });

  it('reads a local folder, and falls back to the bundled copy for a file it lacks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warren-bootstrap-'));
    await writeFile(join(dir, 'dns.json'), server.bootstrapFiles['dns.json']!);
    const bootstrap = new RdapBootstrap({ source: { kind: 'dir', path: dir } });
    const ctx = testContext({ guard: {} });
    expect(await bootstrap.domainServer(ctx, 'x.test')).toBe(server.url);
    expect(await bootstrap.ipServer(ctx, '192.0.2.1')).toBe('https://rdap.arin.net/registry/');
    expect(bootstrap.state('ipv4')).toMatchObject({ origin: 'bundled', problem: expect.stringContaining('ENOENT') as unknown });
    // A folder is no network: the server saw nothing from this bootstrap.
    expect(await new RdapBootstrap({ source: { kind: 'dir', path: await server.writeBootstrapDir() } }).asnServer(ctx, 1)).toBe(server.url);
  });
});
