// Live WHOIS over port 43 against real local servers answering with real replies
// (likexian/whois-parser, referral lines rewritten in memory): the IANA → registry → registrar
// chain, loops and long chains stopped, every misbehaviour as a readable outcome, the guard, and
// the per-server limit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WhoisRecord } from '../ingest/records.js';
import { ServerLimiter } from './limiter.js';
import { CHAIN_HOSTS, likexianReply, startWhoisChain, testContext, whoisWithReferral, type WhoisChain } from './test-support/real-replies.js';
import { startWhoisServer, type WhoisTestServer } from './test-support/whois-server.js';
import { decodeReply, DEFAULT_WHOIS_SERVER, fetchDomainWhois, parseWhoisServer, referralHost, type WhoisServer } from './whois43.js';

const haveData = likexianReply('com_git.com') !== undefined && likexianReply('com_com') !== undefined;
const NOW = '2026-06-01T12:00:00Z';

describe.skipIf(!haveData)('fetchDomainWhois through a real referral chain', () => {
  let chain: WhoisChain;
  beforeAll(async () => {
    chain = (await startWhoisChain())!;
  });
  afterAll(() => chain.close());

  it('IANA → registry → registrar: the registrar reply is parsed, observed now, raw kept', async () => {
    const out = await fetchDomainWhois(testContext({ now: NOW }), 'GIT.com', chain.first, { resolveServer: chain.resolveServer });
    expect(out).toMatchObject({ source: 'whois', status: 'ok' });
    expect(out.detail).toMatch(/^127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+: from 127\.0\.0\.1:(\d+)$/);
    expect(out.detail!.endsWith(`:${chain.registrar.server.port}`)).toBe(true);
    expect(out.records).toHaveLength(1);
    const r = out.records[0] as WhoisRecord;
    expect(r).toMatchObject({ kind: 'whois', domain: 'git.com', observed: NOW, source: 'whois' });
    // Only the registrar's reply names the registrant.
    expect(r.fields['whois.registrant.name']).toEqual(['PRIVACYDOTLINK CUSTOMER 1078347']);
    expect(r.fields['whois.registrar']).toEqual(['UNIREGISTRAR CORP']);
    expect(r.fields['whois.raw']![0]).toContain('Registrant Name: PRIVACYDOTLINK CUSTOMER 1078347');
    expect(chain.iana.queries).toContain('git.com');
    expect(chain.registry.queries).toContain('git.com');
    expect(chain.registrar.queries).toContain('git.com');
  });

  it("the registry's reply when the registrar does not answer", async () => {
    const broken = (await startWhoisChain({ registrar: { misbehave: { '*': 'reset' } } }))!;
    try {
      const out = await fetchDomainWhois(testContext(), 'git.com', broken.first, { resolveServer: broken.resolveServer });
      expect(out.status).toBe('ok');
      expect(out.detail).toMatch(new RegExp(`from 127\\.0\\.0\\.1:${broken.registry.server.port}; then 127\\.0\\.0\\.1:\\d+ reset the connection$`));
      const r = out.records[0] as WhoisRecord;
      expect(r.fields['whois.registrant.name']).toBeUndefined();
      expect(r.fields['whois.name_servers']).toEqual(['ns1.sterlink.net', 'ns2.sterlink.net']);
    } finally {
      await broken.close();
    }
  });
});

describe.skipIf(!haveData)('referral limits', () => {
  const servers: WhoisTestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const full = (): string => likexianReply('com_git.com')!;

  /** Servers named hop1.test, hop2.test, …; each reply refers to the host `refers(i)` names. */
  async function hops(n: number, refers: (i: number) => string | undefined): Promise<(host: string) => WhoisServer> {
    for (let i = 1; i <= n; i++) {
      const to = refers(i);
      const text = to === undefined ? full() : whoisWithReferral(full(), 'Registrar WHOIS Server', to);
      servers.push(await startWhoisServer({ replies: { 'git.com': text } }));
    }
    return (host) => {
      const i = Number(/^hop(\d+)\.test$/.exec(host)?.[1] ?? 0);
      return servers[i - 1]?.server ?? { host, port: 43 };
    };
  }

  it('a chain longer than 3 servers stops at the third, and says so', async () => {
    const resolveServer = await hops(5, (i) => `hop${i + 1}.test`);
    const out = await fetchDomainWhois(testContext(), 'git.com', servers[0]!.server, { resolveServer });
    expect(out.status).toBe('ok');
    expect(out.detail).toMatch(/referral to hop4\.test not followed \(at most 3 servers\)/);
    expect(servers.map((s) => s.connections())).toEqual([1, 1, 1, 0, 0]);
  });

  it('a loop is not followed: no server is asked twice', async () => {
    const resolveServer = await hops(2, (i) => (i === 1 ? 'hop2.test' : 'hop1.test'));
    const out = await fetchDomainWhois(testContext(), 'git.com', servers[0]!.server, { resolveServer });
    expect(out.status).toBe('ok');
    expect(out.detail).toMatch(/referral loop to hop1\.test not followed/);
    expect(servers.map((s) => s.connections())).toEqual([1, 1]);
  });

  it('a server naming itself ends the chain quietly', async () => {
    const resolveServer = await hops(1, () => 'hop1.test');
    const out = await fetchDomainWhois(testContext(), 'git.com', servers[0]!.server, { resolveServer });
    expect(out).toMatchObject({ status: 'ok' });
    expect(out.detail).toMatch(/^127\.0\.0\.1:\d+: from 127\.0\.0\.1:\d+$/);
    expect(servers[0]!.connections()).toBe(1);
  });
});

describe('fetchDomainWhois misbehaving servers', () => {
  let server: WhoisTestServer;
  let at = '';
  beforeAll(async () => {
    server = await startWhoisServer({
      replies: {
        'limited.test': 'Your connection limit exceeded. Please slow down and try again later.\r\n',
        'latin.test': Buffer.from('Domain Name: latin.test\r\nRegistrant Name: Société Générale\r\nRegistrar: Registre Français\r\nName Server: ns1.latin.test\r\n', 'latin1').toString('latin1'),
      },
      misbehave: { 'hang.test': 'hang', 'reset.test': 'reset', 'garbage.test': 'garbage', 'slow.test': { slowMs: 50 } },
    });
    at = `127.0.0.1:${server.server.port}`;
  });
  afterAll(() => server.close());

  it.each([
    ['reset.test', 'RESET'],
    ['garbage.test', 'GARBAGE'],
    ['nosuch.test', 'NOTFOUND'],
    ['limited.test', 'LIMITED'],
  ])('%s: failed with a readable reason, no throw', async (name, what) => {
    const expected: Record<string, string> = {
      RESET: `${at} reset the connection`,
      GARBAGE: `${at} answered something that is not a WHOIS record for ${name}`,
      NOTFOUND: `no such domain at ${at}`,
      LIMITED: `rate-limited by ${at}`,
    };
    const out = await fetchDomainWhois(testContext(), name, server.server);
    expect(out).toEqual({ source: 'whois', status: 'failed', detail: expected[what], records: [] });
  });

  it('a hanging server times out within timeoutMs', async () => {
    const started = Date.now();
    const out = await fetchDomainWhois(testContext({ timeoutMs: 300 }), 'hang.test', server.server);
    const took = Date.now() - started;
    expect(out).toMatchObject({ status: 'failed', detail: `no answer from ${at} within 300 ms` });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1200);
  });

  it('a rate-limited reply rests the server', async () => {
    const ctx = testContext({ limiter: new ServerLimiter({ maxWaitMs: 1000 }) });
    expect(await fetchDomainWhois(ctx, 'limited.test', server.server)).toMatchObject({ status: 'failed', detail: `rate-limited by ${at}` });
    const before = server.connections();
    expect(await fetchDomainWhois(ctx, 'slow.test', server.server)).toMatchObject({ status: 'failed', detail: `rate-limited by ${at}` });
    expect(server.connections()).toBe(before);
  });

  it('a reply that is not UTF-8 is read as latin1', async () => {
    const out = await fetchDomainWhois(testContext(), 'latin.test', server.server);
    expect(out.status).toBe('ok');
    expect((out.records[0] as WhoisRecord).fields['whois.registrant.name']).toEqual(['Société Générale']);
  });

  it('with private addresses not allowed, a 127.0.0.1 server is never connected to: refused', async () => {
    const before = server.connections();
    const out = await fetchDomainWhois(testContext({ guard: {} }), 'slow.test', server.server);
    expect(out).toMatchObject({ source: 'whois', status: 'refused', records: [] });
    expect(out.detail).toMatch(/refused: 127\.0\.0\.1 is a loopback address/);
    // A referral that names a private address is refused the same way.
    const named = await fetchDomainWhois(testContext({ guard: {} }), 'slow.test', { host: 'localhost', port: server.server.port });
    expect(named.status).toBe('refused');
    expect(server.connections()).toBe(before);
  });

  it('20 parallel look-ups: at most 2 queries in flight at the server', async () => {
    const limiter = new ServerLimiter();
    const busy = await startWhoisServer({ fallback: likexianReply('com_git.com') ?? 'Domain Name: git.com\r\nRegistrar: X\r\n', misbehave: { '*': { slowMs: 30 } } });
    try {
      const outs = await Promise.all(Array.from({ length: 20 }, () => fetchDomainWhois(testContext({ limiter }), 'git.com', busy.server)));
      expect(outs.every((o) => o.status === 'ok')).toBe(true);
      expect(busy.queries).toHaveLength(20);
      expect(busy.inFlightPeak()).toBe(2);
    } finally {
      await busy.close();
    }
  });
});

describe('pieces', () => {
  it('parseWhoisServer: host[:port], default whois.iana.org:43, errors with reasons', () => {
    expect(parseWhoisServer(undefined)).toEqual({ ok: true, value: DEFAULT_WHOIS_SERVER });
    expect(parseWhoisServer('whois.iana.org:43')).toEqual({ ok: true, value: { host: 'whois.iana.org', port: 43 } });
    expect(parseWhoisServer('Whois.Example')).toEqual({ ok: true, value: { host: 'whois.example', port: 43 } });
    expect(parseWhoisServer('127.0.0.1:4343')).toEqual({ ok: true, value: { host: '127.0.0.1', port: 4343 } });
    expect(parseWhoisServer('[::1]:4343')).toEqual({ ok: true, value: { host: '::1', port: 4343 } });
    expect(parseWhoisServer('whois.example:0')).toMatchObject({ ok: false });
    expect(parseWhoisServer('whois.example:99999')).toMatchObject({ ok: false });
    expect(parseWhoisServer('http://whois.example/')).toMatchObject({ ok: false, error: expect.stringContaining('WARREN_WHOIS_SERVER') as unknown });
  });

  it('referralHost: refer, Registrar WHOIS Server, whois, ReferralServer; host only, never a port', () => {
    expect(referralHost('% IANA WHOIS server\nrefer:        whois.verisign-grs.com\n\ndomain: COM\n')).toBe('whois.verisign-grs.com');
    expect(referralHost('   Registrar WHOIS Server: whois.markmonitor.com\n')).toBe('whois.markmonitor.com');
    expect(referralHost('Registrar WHOIS Server: http://whois.godaddy.com/\n')).toBe('whois.godaddy.com');
    expect(referralHost('whois:        whois.nic.fr:4343\n')).toBe('whois.nic.fr');
    expect(referralHost('ReferralServer:  whois://whois.ripe.net\n')).toBe('whois.ripe.net');
    expect(referralHost('Registrar WHOIS Server: \nRegistrar: X\n')).toBeUndefined();
    expect(referralHost('Domain Name: a.example\n')).toBeUndefined();
    expect(CHAIN_HOSTS.registry).toMatch(/\.test$/);
  });

  it('decodeReply: UTF-8 when valid, latin1 otherwise, BOM dropped', () => {
    expect(decodeReply(Buffer.from('\uFEFFnom: Société', 'utf8'))).toBe('nom: Société');
    expect(decodeReply(Buffer.from('nom: Soci\xe9t\xe9', 'latin1'))).toBe('nom: Société');
  });
});
