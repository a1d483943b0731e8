import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDns, parseServers, resolvedAddresses } from './dns.js';
import { ServerLimiter } from './limiter.js';
import { startDnsServer, type TestDnsServer } from './test-support/dns-server.js';
import type { LiveContext } from './types.js';
import type { ResolutionRecord } from '../ingest/records.js';

const NOW = '2026-03-04T05:06:07Z';

function context(overrides: Partial<LiveContext> = {}): LiveContext {
  return { guard: {}, timeoutMs: 300, now: NOW, limiter: new ServerLimiter(), ...overrides };
}

function resolutions(records: readonly unknown[]): [string, string][] {
  return (records as ResolutionRecord[]).map((r) => [r.rrtype, r.value]);
}

describe('fetchDns', () => {
  let dns: TestDnsServer;
  beforeAll(async () => {
    dns = await startDnsServer(
      {
        'new.example': {
          A: ['127.0.0.1', '192.0.2.10'],
          AAAA: ['2001:DB8:0:0::1'],
          NS: ['NS1.Provider.example', 'ns2.provider.example.'],
          MX: [{ exchange: 'mail.new.example', priority: 10 }, { exchange: 'backup.mail.example', priority: 20 }],
        },
        'www.new.example': { CNAME: ['new.example'] },
        'empty.example': { NS: ['ns1.provider.example'] },
        'xn--bcher-kva.example': { A: ['198.51.100.7'] },
        'half.example': { A: ['198.51.100.8'], MX: ['mail.half.example'] },
      },
      { hang: ['hang.example'], garbage: ['garbage.example'], servfail: ['broken.example'], servfailTypes: { 'half.example': ['MX', 'NS'] } },
    );
  });
  afterAll(() => dns.close());

  it('turns every answer into a resolution record seen now, values normalised', async () => {
    const out = await fetchDns(context(), 'New.Example.', [dns.server]);
    expect(out.source).toBe('dns');
    expect(out.status).toBe('ok');
    expect(resolutions(out.records).sort()).toEqual(
      [
        ['A', '127.0.0.1'],
        ['A', '192.0.2.10'],
        ['AAAA', '2001:db8::1'],
        ['MX', 'backup.mail.example'],
        ['MX', 'mail.new.example'],
        ['NS', 'ns1.provider.example'],
        ['NS', 'ns2.provider.example'],
      ].sort(),
    );
    for (const r of out.records as ResolutionRecord[]) {
      expect(r).toMatchObject({ kind: 'resolution', domain: 'new.example', observation: { source: 'dns', firstSeen: NOW, lastSeen: NOW } });
    }
    expect(out.detail).toBe('7 records (A 2, AAAA 1, NS 2, MX 2)');
    expect(resolvedAddresses(out)).toEqual(['127.0.0.1', '192.0.2.10', '2001:db8::1']);
    // Each of the five types was asked once, of the name in its normal form.
    expect(dns.queries.filter((q) => q.name === 'new.example').map((q) => q.type).sort()).toEqual(['A', 'AAAA', 'CNAME', 'MX', 'NS']);
  });

  it('records a CNAME as domain → domain, and the addresses the alias leads to', async () => {
    const out = await fetchDns(context(), 'www.new.example', [dns.server]);
    expect(out.status).toBe('ok');
    expect(resolutions(out.records)).toContainEqual(['CNAME', 'new.example']);
    expect(resolvedAddresses(out)).toEqual(['127.0.0.1', '192.0.2.10', '2001:db8::1']);
    expect((out.records as ResolutionRecord[]).every((r) => r.domain === 'www.new.example')).toBe(true);
  });

  it('asks for an internationalised name by its A-label', async () => {
    const out = await fetchDns(context(), 'bücher.example', [dns.server]);
    expect(resolutions(out.records)).toEqual([['A', '198.51.100.7']]);
    expect((out.records[0] as ResolutionRecord).domain).toBe('xn--bcher-kva.example');
  });

  it('NXDOMAIN for every type is an answer: ok, no records', async () => {
    const out = await fetchDns(context(), 'nothing-here.example', [dns.server]);
    expect(out).toEqual({ source: 'dns', status: 'ok', detail: 'no such name (NXDOMAIN)', records: [] });
  });

  it('NODATA for a type is no records of that type, not a failure', async () => {
    const out = await fetchDns(context(), 'empty.example', [dns.server]);
    expect(out.status).toBe('ok');
    expect(resolutions(out.records)).toEqual([['NS', 'ns1.provider.example']]);
    expect(out.detail).toBe('1 record (NS 1)');
    expect(resolvedAddresses(out)).toEqual([]);
  });

  it('a server that never answers fails the look-up within the timeout, with a readable reason', async () => {
    const started = Date.now();
    const out = await fetchDns(context(), 'hang.example', [dns.server]);
    const took = Date.now() - started;
    expect(out).toEqual({ source: 'dns', status: 'failed', detail: `no answer from ${dns.server} within 300 ms`, records: [] });
    // The two queries in flight time out together and the other three skip the dead server; asked
    // one after another, 2 at a time, they would take 3 timeouts (900 ms).
    expect(took).toBeLessThan(800);
  });

  it('SERVFAIL and garbage replies are failures with reasons, never throws', async () => {
    const broken = await fetchDns(context(), 'broken.example', [dns.server]);
    expect(broken).toMatchObject({ status: 'failed', detail: `${dns.server} answered SERVFAIL (server failure)`, records: [] });
    const garbage = await fetchDns(context(), 'garbage.example', [dns.server]);
    expect(garbage).toMatchObject({ status: 'failed', detail: `${dns.server} sent a reply that is not a DNS answer`, records: [] });
  });

  it('keeps what answered when some types fail, and says which failed', async () => {
    const out = await fetchDns(context(), 'half.example', [dns.server]);
    expect(out.status).toBe('ok');
    expect(resolutions(out.records)).toEqual([['A', '198.51.100.8']]);
    expect(out.detail).toBe(`1 record (A 1); NS: ${dns.server} answered SERVFAIL (server failure); MX: ${dns.server} answered SERVFAIL (server failure)`);
  });

  it('a server that does not answer is passed over for the next one', async () => {
    const silent = await startDnsServer({}, { hang: ['new.example'] });
    try {
      const out = await fetchDns(context(), 'new.example', [silent.server, dns.server]);
      expect(out.status).toBe('ok');
      expect(resolvedAddresses(out)).toEqual(['127.0.0.1', '192.0.2.10', '2001:db8::1']);
      // Only the first queries waited for the silent server; the rest went on to the next.
      expect(silent.queries.length).toBeLessThanOrEqual(2);
    } finally {
      await silent.close();
    }
  });

  it('refuses what is not a domain name before asking anything', async () => {
    const before = dns.queries.length;
    const out = await fetchDns(context(), 'not a domain', [dns.server]);
    expect(out).toMatchObject({ status: 'failed', records: [] });
    expect(out.detail).toContain('not a domain name');
    expect(dns.queries.length).toBe(before);
  });

  it('stops when the view is interrupted', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const started = Date.now();
    const out = await fetchDns(context({ timeoutMs: 5000, signal: abort.signal }), 'hang.example', [dns.server]);
    expect(out).toMatchObject({ status: 'failed', detail: 'interrupted', records: [] });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps at most 2 queries in flight per server through the limiter', async () => {
    const slow = await startDnsServer({ 'new.example': { A: ['127.0.0.1'], MX: ['mail.new.example'] } }, { delayMs: 60 });
    try {
      const limiter = new ServerLimiter();
      const ctx = context({ limiter, timeoutMs: 2000 });
      const outs = await Promise.all([fetchDns(ctx, 'new.example', [slow.server]), fetchDns(ctx, 'new.example', [slow.server])]);
      expect(outs.map((o) => o.status)).toEqual(['ok', 'ok']);
      expect(slow.queries).toHaveLength(10);
      expect(slow.peak).toBe(2);
      expect(limiter.peak).toBe(2);
    } finally {
      await slow.close();
    }
  });
});

describe('parseServers', () => {
  it('reads WARREN_DNS_SERVERS into host:port entries', () => {
    expect(parseServers('1.1.1.1,[::1]:5353,9.9.9.9:53')).toEqual(['1.1.1.1:53', '[::1]:5353', '9.9.9.9:53']);
    expect(parseServers(' 2001:4860:4860::8888 , 1.1.1.1:53, 1.1.1.1 ,')).toEqual(['[2001:4860:4860::8888]:53', '1.1.1.1:53']);
    expect(parseServers('')).toEqual([]);
  });

  it('says which entry is wrong and why', () => {
    expect(() => parseServers('1.1.1.1,dns.google')).toThrow(/"dns\.google" is not an IP address/);
    expect(() => parseServers('1.1.1.1:0')).toThrow(/"0" is not a port/);
    expect(() => parseServers('[::1]:99999')).toThrow(/"99999" is not a port/);
    expect(() => parseServers('1.1.1.1:')).toThrow(/is not a port/);
  });
});
