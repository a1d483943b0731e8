// A small internet on 127.0.0.1 for the end-to-end live look-up tests (CLI, API, browser): an RDAP
// server (bootstrap, registry and registrar replies, an IP network), a DNS server and a TLS
// server, fed with real replies from ../shared/data, and the WARREN_… settings that point Warren
// at them. Undefined when the shared data is absent (the tests skip).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDnsServer } from './dns-server.js';
import { BASE_TOKEN, type RdapMisbehaviour, type RdapTestServer } from './rdap-server.js';
import { ICANN_RDAP, icannReply, rdapWithName, rdapWithRelated } from './real-replies.js';
import { startRdapServer } from './rdap-server.js';
import { startTlsServer } from './tls-server.js';

/** Names with a misbehaving registry, by what it does. */
export const MISBEHAVING = {
  'hangs.click': 'hang',
  'resets.click': 'reset',
  'garbage.click': 'garbage',
  'gone.click': '404',
  'busy.click': '429',
} as const satisfies Record<string, RdapMisbehaviour>;

export interface TestInternet {
  /** A domain Warren has never seen: RDAP (registry → registrar), DNS → `ip`, TLS on `ip`. */
  readonly domain: string;
  /** A second new name resolving to `ip` (for a view under a different guard). */
  readonly other: string;
  /** More new names like `domain` (as asked for with `moreDomains`), for tests that need each view to be a first one. */
  readonly more: readonly string[];
  readonly ip: string;
  /** What the registrar's reply gives as the registrant's email. */
  readonly registrantEmail: string;
  /** The CN of the certificate the TLS server presents. */
  readonly commonName: string;
  /** The name of the network RDAP for IPs gives for `ip`. */
  readonly networkName: string;
  /** WARREN_… settings for Warren to use these servers. */
  readonly env: Readonly<Record<string, string>>;
  readonly rdap: RdapTestServer;
  readonly tlsConnections: () => number;
  readonly leafSha256: string;
  close(): Promise<void>;
}

/** ARIN's real reply for 192.198.0.0/22, moved to 127.0.0.0/8 and renamed. */
function loopbackNetwork(name: string): string | undefined {
  const text = icannReply('network_192_198_0_0');
  if (text === undefined) return undefined;
  const reply = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify({ ...reply, name, handle: 'NET-127-0-0-0-1', startAddress: '127.0.0.0', endAddress: '127.255.255.255', cidr0_cidrs: [{ v4prefix: '127.0.0.0', length: 8 }] });
}

export interface TestInternetOptions {
  /** More `.click` names served as `domain` is (registry → registrar, DNS → `ip`). */
  readonly moreDomains?: readonly string[];
}

export async function startTestInternet(opts: TestInternetOptions = {}): Promise<TestInternet | undefined> {
  const click = icannReply('microsoft.click');
  const lemonde = icannReply('lemonde.fr');
  const network = loopbackNetwork('BULLETPROOF-LAB-NET');
  if (!click || !lemonde || !network) return undefined;
  const domain = 'fresh-phish.click';
  const other = 'second-phish.click';
  const more = opts.moreDomains ?? [];
  const names = [domain, other, ...more];
  const registry = (name: string): string => rdapWithRelated(rdapWithName(click, name), `${BASE_TOKEN}registrar/domain/${name}`);
  const rdap = await startRdapServer({
    domains: Object.fromEntries(names.map((n) => [n, registry(n)])),
    registrar: Object.fromEntries(names.map((n) => [n, rdapWithName(lemonde, n)])),
    networks: { '127.0.0.0/8': network },
    tlds: ['click'],
    misbehave: MISBEHAVING,
    retryAfterS: 1,
  });
  const ip = '127.0.0.1';
  const zone: Record<string, { A: string[] }> = Object.fromEntries(names.map((n) => [n, { A: [ip] }]));
  for (const name of Object.keys(MISBEHAVING)) zone[name] = { A: [ip] };
  const dns = await startDnsServer(zone);
  const commonName = 'www.lanxess-lab.com';
  const tls = await startTlsServer({ leaf: { commonName, dnsNames: [commonName] } });
  return {
    domain,
    other,
    more,
    ip,
    registrantEmail: 'domain_names@lemonde.fr',
    commonName,
    networkName: 'BULLETPROOF-LAB-NET',
    env: {
      WARREN_RDAP_BOOTSTRAP: rdap.bootstrapBase,
      WARREN_DNS_SERVERS: dns.server,
      WARREN_TLS_PORTS: String(tls.port),
      WARREN_LIVE_ALLOW_PRIVATE: '1',
      WARREN_LIVE_TIMEOUT: '2s',
      WARREN_LIVE: 'missing',
    },
    rdap,
    tlsConnections: () => tls.connections,
    leafSha256: tls.leafSha256,
    async close() {
      await Promise.all([rdap.close(), dns.close(), tls.close()]);
    },
  };
}

/** Whether the real replies the internet serves are here (tests skip without them). */
export function haveRealReplies(): boolean {
  try {
    readFileSync(join(ICANN_RDAP, 'microsoft.click.json'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The three signatures the end-to-end live tests import: the registrant's email tags the domain
 * (and, with `alertOnRegistrant`, alerts), the certificate's CN tags the IPs that served it, a
 * bulletproof network name tags the IP.
 */
export function liveSignatures(net: TestInternet, opts: { readonly alertOnRegistrant?: boolean } = {}): string {
  return `
id: bad-registrant
title: Registered by a known bad registrant
field: whois.registrant.email
match: literal
patterns: ['${net.registrantEmail}']
actions: [{tag: Malicious_Registrant}${opts.alertOnRegistrant ? ', {alert: {}}' : ''}]
---
id: known-bad-cert
title: IPs that served the lab's certificate
field: x509.subject.common_name
match: literal
patterns: ['${net.commonName}']
target: [ip]
actions: [{tag: KnownBadCert}]
---
id: bulletproof
title: Networks registered under a bulletproof hoster's name
field: network.name
patterns: ['^BULLETPROOF-']
actions: [{tag: Bulletproof}]
`;
}
