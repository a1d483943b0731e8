import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRecord, IngestRecord, NamesRecord, ServedRecord } from '../ingest/records.js';
import { ServerLimiter } from './limiter.js';
import { startTlsServer, type TestTlsServer } from './test-support/tls-server.js';
import { grabCertificates, parsePorts } from './tls.js';
import type { LiveContext } from './types.js';

const NOW = '2026-03-04T05:06:07Z';
const OBSERVATION = { source: 'tls', firstSeen: NOW, lastSeen: NOW };

function context(overrides: Partial<LiveContext> = {}): LiveContext {
  return { guard: { allowPrivate: true }, timeoutMs: 300, now: NOW, limiter: new ServerLimiter(), ...overrides };
}

const of = <K extends IngestRecord['kind']>(records: readonly IngestRecord[], kind: K): Extract<IngestRecord, { kind: K }>[] =>
  records.filter((r): r is Extract<IngestRecord, { kind: K }> => r.kind === kind);

describe('grabCertificates', () => {
  let server: TestTlsServer;
  beforeAll(async () => {
    server = await startTlsServer({
      leaf: { commonName: 'www.lanxess-lab.com', dnsNames: ['www.lanxess-lab.com', 'lanxess-lab.com'] },
      sni: { 'portal.lanxess-lab.com': { commonName: 'portal.lanxess-lab.com' }, 'wild.example': { commonName: '*.wild.example' } },
    });
  });
  afterAll(() => server.close());

  it('reads the leaf and the chain, and records the address serving the leaf on that port', async () => {
    const out = await grabCertificates(context(), [{ ip: '127.0.0.1', port: server.port, servername: 'www.lanxess-lab.com' }]);
    expect(out.source).toBe('tls');
    expect(out.status).toBe('ok');
    expect(out.detail).toBe(`127.0.0.1:${server.port} (www.lanxess-lab.com): 2 certificates`);
    const certs = of(out.records, 'certificate');
    expect(certs.map((c) => c.sha256)).toEqual([server.leafSha256, server.caSha256]);
    const [leaf, ca] = certs as [CertificateRecord, CertificateRecord];
    expect(leaf.fields['x509.subject.common_name']).toEqual(['www.lanxess-lab.com']);
    expect(leaf.fields['x509.alternative_names']).toEqual(['www.lanxess-lab.com', 'lanxess-lab.com']);
    expect(leaf.fields['x509.issuer.common_name']).toEqual(['Warren Test CA']);
    expect(ca.fields['x509.subject.common_name']).toEqual(['Warren Test CA']);
    expect(leaf.observation).toEqual(OBSERVATION);
    // Only the leaf is served; the SNI is one of the leaf's own names, so no names relation.
    expect(of(out.records, 'served')).toEqual([{ kind: 'served', sha256: server.leafSha256, ip: '127.0.0.1', port: server.port, observation: OBSERVATION } satisfies ServedRecord]);
    expect(of(out.records, 'names')).toEqual([]);
    expect(server.servernames.at(-1)).toBe('www.lanxess-lab.com');
  });

  it('sends the SNI, which chooses the leaf; a bare IP sends none', async () => {
    const asked = server.servernames.length;
    const out = await grabCertificates(context(), [
      { ip: '127.0.0.1', port: server.port, servername: 'Portal.Lanxess-Lab.com' },
      { ip: '127.0.0.1', port: server.port, servername: '127.0.0.1' },
    ]);
    expect(out.status).toBe('ok');
    const served = of(out.records, 'served').map((s) => s.sha256);
    expect(served.sort()).toEqual([server.sniSha256['portal.lanxess-lab.com'], server.leafSha256].sort());
    expect(server.servernames.slice(asked)).toEqual(['portal.lanxess-lab.com']);
    // The CA is presented twice but recorded once.
    expect(of(out.records, 'certificate').filter((c) => c.sha256 === server.caSha256)).toHaveLength(1);
  });

  it('names the leaf by the SNI when the store would not derive that name from it (a wildcard host)', async () => {
    const out = await grabCertificates(context(), [{ ip: '127.0.0.1', port: server.port, servername: 'wild.example' }]);
    const leaf = server.sniSha256['wild.example']!;
    expect(of(out.records, 'names')).toEqual([{ kind: 'names', sha256: leaf, domain: 'wild.example', observation: OBSERVATION } satisfies NamesRecord]);
  });

  it('with private targets not allowed, never connects to 127.0.0.1 and reports it refused', async () => {
    const before = server.connections;
    const out = await grabCertificates(context({ guard: {} }), [
      { ip: '127.0.0.1', port: server.port, servername: 'www.lanxess-lab.com' },
      { ip: '127.0.0.1', port: server.port + 1 },
    ]);
    expect(out).toEqual({ source: 'tls', status: 'refused', detail: '127.0.0.1 is a loopback address', records: [] });
    expect(server.connections).toBe(before);
  });

  it('connects where an allow exception names the address', async () => {
    const out = await grabCertificates(context({ guard: { allow: ['127.0.0.1/32'] } }), [{ ip: '127.0.0.1', port: server.port }]);
    expect(out.status).toBe('ok');
  });

  it('keeps each target independent: one served, one refused, one closed → ok, each said briefly', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const out = await grabCertificates(context({ guard: { allow: ['127.0.0.1/32'] } }), [
      { ip: '127.0.0.1', port: server.port },
      { ip: '::1', port: server.port },
      { ip: '127.0.0.1', port: closedPort },
    ]);
    expect(out.status).toBe('ok');
    expect(out.detail).toContain(`127.0.0.1:${server.port}: 2 certificates`);
    expect(out.detail).toContain('::1 is a loopback address');
    expect(out.detail).toContain(`127.0.0.1:${closedPort}: connection refused`);
    expect(of(out.records, 'served')).toHaveLength(1);
  });

  it('bad targets are failures with reasons, not throws', async () => {
    const out = await grabCertificates(context(), [
      { ip: 'not-an-ip', port: 443 },
      { ip: '127.0.0.1', port: 70000 },
    ]);
    expect(out.status).toBe('failed');
    expect(out.detail).toBe('not-an-ip:443: "not-an-ip" is not an IP address; 127.0.0.1:70000: 70000 is not a port');
  });

  it('nothing to connect to is no failure', async () => {
    expect(await grabCertificates(context(), [])).toEqual({ source: 'tls', status: 'ok', detail: 'no address to connect to', records: [] });
  });

  it('keeps at most 2 handshakes in flight per address and port through the limiter', async () => {
    const slow = await startTlsServer({ delayMs: 80 });
    try {
      const limiter = new ServerLimiter();
      const ctx = context({ limiter, timeoutMs: 3000 });
      const outs = await Promise.all(Array.from({ length: 5 }, () => grabCertificates(ctx, [{ ip: '127.0.0.1', port: slow.port }])));
      expect(outs.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      expect(slow.connections).toBe(5);
      expect(slow.peak).toBe(2);
      expect(limiter.peak).toBe(2);
    } finally {
      await slow.close();
    }
  });

  it('an old server speaking only TLS 1.0 still gives its certificate', async () => {
    const old = await startTlsServer({ version: 'TLSv1' });
    try {
      const out = await grabCertificates(context(), [{ ip: '127.0.0.1', port: old.port }]);
      expect(out.status).toBe('ok');
      expect(of(out.records, 'served').map((s) => s.sha256)).toEqual([old.leafSha256]);
    } finally {
      await old.close();
    }
  });

  it('a server that sends no chain gives the leaf alone', async () => {
    const bare = await startTlsServer({ sendChain: false });
    try {
      const out = await grabCertificates(context(), [{ ip: '127.0.0.1', port: bare.port }]);
      expect(of(out.records, 'certificate').map((c) => c.sha256)).toEqual([bare.leafSha256]);
    } finally {
      await bare.close();
    }
  });
});

describe('grabCertificates against misbehaving servers', () => {
  const cases = [
    { misbehave: 'hang', detail: 'no TLS handshake within 300 ms' },
    // The reset may reach the client before or after Node reports the connection made.
    { misbehave: 'reset', detail: /^connection reset by the server( during the TLS handshake)?$/ },
    { misbehave: 'garbage', detail: 'not a TLS server (its reply is not a TLS handshake)' },
  ] as const;
  for (const c of cases) {
    it(`${c.misbehave}: failed with a readable reason, within the timeout`, async () => {
      const server = await startTlsServer({ misbehave: c.misbehave });
      try {
        const started = Date.now();
        const out = await grabCertificates(context(), [{ ip: '127.0.0.1', port: server.port, servername: 'www.lanxess-lab.com' }]);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(out).toMatchObject({ source: 'tls', status: 'failed', records: [] });
        const detail = out.detail!.replace(`127.0.0.1:${server.port} (www.lanxess-lab.com): `, '');
        if (typeof c.detail === 'string') expect(detail).toBe(c.detail);
        else expect(detail).toMatch(c.detail);
        expect(out.detail).not.toMatch(/\n\s+at /);
        expect(server.connections).toBe(1);
      } finally {
        await server.close();
      }
    });
  }
});

it('grabCertificates stops when the view is interrupted', async () => {
  const server = await startTlsServer({ misbehave: 'hang' });
  try {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const started = Date.now();
    const out = await grabCertificates(context({ timeoutMs: 5000, signal: abort.signal }), [{ ip: '127.0.0.1', port: server.port }]);
    expect(out).toEqual({ source: 'tls', status: 'failed', detail: `127.0.0.1:${server.port}: interrupted`, records: [] });
    expect(Date.now() - started).toBeLessThan(2000);
  } finally {
    await server.close();
  }
});

describe('parsePorts', () => {
  it('reads WARREN_TLS_PORTS', () => {
    expect(parsePorts('443,8443')).toEqual([443, 8443]);
    expect(parsePorts(' 443 , 443, 993,')).toEqual([443, 993]);
    expect(parsePorts('')).toEqual([]);
  });

  it('says which entry is not a port', () => {
    expect(() => parsePorts('443,https')).toThrow('"https" is not a port (1 to 65535)');
    expect(() => parsePorts('0')).toThrow(/"0" is not a port/);
    expect(() => parsePorts('65536')).toThrow(/"65536" is not a port/);
  });
});
