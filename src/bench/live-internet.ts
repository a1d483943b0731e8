// The local internet `npm run bench:live` views names on: a registry RDAP server (bootstrap and
// domain replies), a registrar RDAP server (what each registry reply's `related` link names), a
// DNS server and a TLS server, all on 127.0.0.1, serving ICANN's real replies renamed per name
// (as src/live/test-support/internet.ts does for the tests). The registrar is a server of its own,
// as it is on the internet, so each server's peak in flight is its own figure.
//
// `criticalPath` times, with plain node clients and no Warren code, the requests a cold view waits
// for in the order it makes them: the registry then the registrar GET, meanwhile the five DNS
// queries two at a time, then the TLS handshake. That is the servers' own latency (and the
// clients'), which the benchmark subtracts from a view's time.
import http from 'node:http';
import { Resolver } from 'node:dns/promises';
import tls from 'node:tls';
import { startDnsServer, type TestDnsServer } from '../live/test-support/dns-server.js';
import { startRdapServer, type RdapTestServer } from '../live/test-support/rdap-server.js';
import { icannReply, rdapWithName, rdapWithRelated } from '../live/test-support/real-replies.js';
import { startTlsServer, type TestTlsServer } from '../live/test-support/tls-server.js';

export const TLD = 'click';
export const REGISTRANT_EMAIL = 'domain_names@lemonde.fr';
export const COMMON_NAME = 'www.lanxess-lab.com';
export const ADDRESS = '127.0.0.1';
/** The types the dns source asks (live/dns.ts), two at a time per server (the limiter). */
const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'MX'] as const;

export interface BenchInternet {
  readonly registry: RdapTestServer;
  readonly registrar: RdapTestServer;
  readonly dns: TestDnsServer;
  readonly tls: TestTlsServer;
  /** WARREN_… variables pointing Warren at these servers. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Milliseconds each server adds before it answers a request (0: none). */
export interface Delays {
  readonly rdapMs: number;
  readonly dnsMs: number;
  /** Held before the handshake starts. */
  readonly tlsMs: number;
}

export const NO_DELAY: Delays = { rdapMs: 0, dnsMs: 0, tlsMs: 0 };

/**
 * Delays shaped like round trips to a distant server: a DNS query is one, an RDAP GET on a new
 * connection two (TCP, then the request), a TLS grab three (TCP, then the handshake's two).
 */
export function roundTrips(rttMs: number): Delays {
  return { rdapMs: 2 * rttMs, dnsMs: rttMs, tlsMs: 3 * rttMs };
}

/** Servers answering for `names` (all under .click). Undefined when the real replies in ../shared/data are absent. */
export async function startBenchInternet(names: readonly string[], delays: Delays = NO_DELAY): Promise<BenchInternet | undefined> {
  const click = icannReply('microsoft.click');
  const lemonde = icannReply('lemonde.fr');
  if (!click || !lemonde) return undefined;
  const { rdapMs, dnsMs, tlsMs } = delays;
  const slow = (keys: readonly string[]): Record<string, { slowMs: number }> => (rdapMs > 0 ? Object.fromEntries(keys.map((k) => [k, { slowMs: rdapMs }])) : {});

  const registrar = await startRdapServer({
    registrar: Object.fromEntries(names.map((n) => [n, rdapWithName(lemonde, n)])),
    tlds: [],
    misbehave: slow(names.map((n) => `registrar:${n}`)),
  });
  // The thin registry reply (microsoft.click's, no links of its own) with a `related` link to the registrar's server.
  const registry = await startRdapServer({
    domains: Object.fromEntries(names.map((n) => [n, rdapWithRelated(rdapWithName(click, n), `${registrar.url}registrar/domain/${n}`)])),
    tlds: [TLD],
    misbehave: slow(names),
  });
  // What a real name has: an address, two name servers of its hoster and a mail exchanger.
  const zone = Object.fromEntries(names.map((n) => [n, { A: [ADDRESS], NS: ['ns1.bench-hoster.net', 'ns2.bench-hoster.net'], MX: [`mail.${n}`] }]));
  const dns = await startDnsServer(zone, dnsMs > 0 ? { delayMs: dnsMs } : {});
  const tlsServer = await startTlsServer({ leaf: { commonName: COMMON_NAME, dnsNames: [COMMON_NAME] }, ...(tlsMs > 0 && { delayMs: tlsMs }) });
  return {
    registry,
    registrar,
    dns,
    tls: tlsServer,
    env: {
      WARREN_LIVE: 'missing',
      WARREN_LIVE_TTL: '24h',
      WARREN_LIVE_TIMEOUT: '5s',
      WARREN_LIVE_ALLOW_PRIVATE: '1',
      WARREN_RDAP_BOOTSTRAP: registry.bootstrapBase,
      WARREN_DNS_SERVERS: dns.server,
      WARREN_TLS_PORTS: String(tlsServer.port),
    },
    async close() {
      await Promise.all([registry.close(), registrar.close(), dns.close(), tlsServer.close()]);
    },
  };
}

function rdapGet(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request, as Warren's guarded client makes (agent: false).
    const req = http.get(url, { agent: false, headers: { accept: 'application/rdap+json, application/json;q=0.9' } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function dnsQuery(server: string, type: (typeof DNS_TYPES)[number], name: string): Promise<void> {
  // One Resolver per query, as live/dns.ts makes them.
  const resolver = new Resolver({ timeout: 5000, tries: 1 });
  resolver.setServers([server]);
  try {
    if (type === 'A') await resolver.resolve4(name);
    else if (type === 'AAAA') await resolver.resolve6(name);
    else if (type === 'CNAME') await resolver.resolveCname(name);
    else if (type === 'NS') await resolver.resolveNs(name);
    else await resolver.resolveMx(name);
  } catch (e) {
    // NODATA (no AAAA, no CNAME) is an answer.
    if ((e as { code?: unknown }).code !== 'ENODATA') throw e;
  }
}

/** The five queries, at most two outstanding: the limiter's order for one view. */
async function dnsAll(server: string, name: string): Promise<void> {
  const queue = [...DNS_TYPES];
  const worker = async (): Promise<void> => {
    for (let type = queue.shift(); type !== undefined; type = queue.shift()) await dnsQuery(server, type, name);
  };
  await Promise.all([worker(), worker()]);
}

function handshake(port: number, servername: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: ADDRESS, port, servername, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Milliseconds the servers (and plain clients) take for what a cold view of `name` waits on. */
export async function criticalPath(net: BenchInternet, name: string): Promise<number> {
  const t = performance.now();
  await Promise.all([
    (async () => {
      await rdapGet(`${net.registry.url}domain/${name}`);
      await rdapGet(`${net.registrar.url}registrar/domain/${name}`);
    })(),
    dnsAll(net.dns.server, name),
  ]);
  await handshake(net.tls.port, name);
  return performance.now() - t;
}
