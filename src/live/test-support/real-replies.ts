// Real RDAP and WHOIS replies from ../shared/data (icann/icann-rdap, likexian/whois-parser),
// rewritten in memory where a test needs another name or a referral to a local server, and the
// scenarios built from them that live look-up tests share. Every loader gives undefined when the
// data is absent: tests skip then (describe.skipIf).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerLimiter } from '../limiter.js';
import type { LiveContext } from '../types.js';
import type { WhoisServer } from '../whois43.js';
import { BASE_TOKEN, startRdapServer, type RdapServerOptions, type RdapTestServer } from './rdap-server.js';
import { startWhoisServer, type WhoisServerOptions, type WhoisTestServer } from './whois-server.js';

export const SHARED_DATA = join(import.meta.dirname, '../../../../shared/data');
export const ICANN_RDAP = join(SHARED_DATA, 'rdap/icann');
export const LIKEXIAN_WHOIS = join(SHARED_DATA, 'whois/likexian/noterror');

/** A context for tests: loopback allowed, a fixed time, a fresh limiter. */
export function testContext(overrides: Partial<LiveContext> = {}): LiveContext {
  return { guard: { allowPrivate: true }, timeoutMs: 2000, now: '2026-06-01T12:00:00Z', limiter: new ServerLimiter(), ...overrides };
}

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** `rdap/icann/<name>.json` (e.g. 'lemonde.fr', 'network_192_198_0_0'), or undefined. */
export function icannReply(name: string): string | undefined {
  return read(join(ICANN_RDAP, `${name}.json`));
}

/** `whois/likexian/noterror/<name>` (e.g. 'com_git.com'), or undefined. */
export function likexianReply(name: string): string | undefined {
  return read(join(LIKEXIAN_WHOIS, name));
}

type Json = Record<string, unknown>;

/** An RDAP domain reply about another name: ldhName set, unicodeName dropped. */
export function rdapWithName(text: string, name: string): string {
  const json = JSON.parse(text) as Json;
  json.ldhName = name;
  delete json.unicodeName;
  return JSON.stringify(json);
}

/** An RDAP reply with a `related` RDAP link to `href` on the domain object (ICANN's gTLD profile). */
export function rdapWithRelated(text: string, href: string): string {
  const json = JSON.parse(text) as Json;
  const links = Array.isArray(json.links) ? (json.links as unknown[]) : [];
  json.links = [...links, { value: href, rel: 'related', href, type: 'application/rdap+json' }];
  return JSON.stringify(json);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A WHOIS reply about another domain (every mention, any case, keeping upper case where it was). */
export function whoisWithDomain(text: string, from: string, to: string): string {
  return text.replace(new RegExp(escape(from), 'gi'), (m) => (m === m.toUpperCase() ? to.toUpperCase() : to));
}

/** A WHOIS reply whose `key:` referral line names `host` (the line is added first when absent). */
export function whoisWithReferral(text: string, key: 'refer' | 'whois' | 'Registrar WHOIS Server', host: string): string {
  const re = new RegExp(`^([ \\t]*${escape(key)}:[ \\t]*)\\S*`, 'im');
  return re.test(text) ? text.replace(re, `$1${host}`) : `${key}:        ${host}\n\n${text}`;
}

// ---------------------------------------------------------------------------------------------
// RDAP scenario.

/** Names the real-data RDAP server answers for. */
export const REAL_RDAP = {
  /** Registry reply (microsoft.click, thin) linking to a registrar reply that gives the registrant's email. */
  referred: 'microsoft.click',
  registrantEmail: 'domain_names@lemonde.fr',
  /** Registry replies alone. */
  plain: ['lemonde.fr', 'home.moscow', 'afnic.fr'],
  /** An address in network_192_198_0_0 (ARIN) and one in 2001_db8__. */
  ipv4: '192.198.1.10',
  ipv6: '2001:db8::1',
} as const;

/**
 * An RDAP server answering from real replies: lemonde.fr, home.moscow, afnic.fr as registry
 * replies; microsoft.click's registry reply with a `related` link to a registrar reply (lemonde.fr's
 * reply renamed, whose registrant has an email); 192.198.0.0/22 and 2001:db8::/48. Undefined when
 * the data is absent.
 */
export async function startRealRdapServer(extra: Partial<RdapServerOptions> = {}): Promise<RdapTestServer | undefined> {
  const [click, lemonde, moscow, afnic, net4, net6] = ['microsoft.click', 'lemonde.fr', 'home.moscow', 'domain_afnic_fr', 'network_192_198_0_0', '2001_db8__'].map(icannReply);
  if (!click || !lemonde || !moscow || !afnic || !net4 || !net6) return undefined;
  return startRdapServer({
    ...extra,
    domains: {
      'microsoft.click': rdapWithRelated(click, `${BASE_TOKEN}registrar/domain/microsoft.click`),
      'lemonde.fr': lemonde,
      'home.moscow': moscow,
      'afnic.fr': afnic,
      ...extra.domains,
    },
    registrar: { 'microsoft.click': rdapWithName(lemonde, 'microsoft.click'), ...extra.registrar },
    networks: { '192.198.0.0/22': net4, '2001:db8::/48': net6, ...extra.networks },
  });
}

// ---------------------------------------------------------------------------------------------
// WHOIS scenario.

/** The names a WHOIS chain's replies refer to, mapped by its resolveServer. */
export const CHAIN_HOSTS = { registry: 'whois.registry.test', registrar: 'whois.registrar.test' } as const;

export interface WhoisChain {
  readonly domain: string;
  /** The first server (IANA's part). */
  readonly first: WhoisServer;
  /** Maps the referral names onto the local servers (other names: port 43, as in production). */
  readonly resolveServer: (host: string) => WhoisServer;
  readonly iana: WhoisTestServer;
  readonly registry: WhoisTestServer;
  readonly registrar: WhoisTestServer;
  close(): Promise<void>;
}

/**
 * Three WHOIS servers answering for git.com as IANA, VeriSign and the registrar would: IANA's
 * reply for COM with `refer:` naming the registry, the registry's thin reply (rockcreekcc.com's,
 * renamed) whose `Registrar WHOIS Server:` names the registrar, and the registrar's full reply
 * (git.com's, naming itself). Options per server add misbehaviours. Undefined without the data.
 */
export async function startWhoisChain(opts: { iana?: WhoisServerOptions; registry?: WhoisServerOptions; registrar?: WhoisServerOptions } = {}): Promise<WhoisChain | undefined> {
  const [ianaCom, thin, full] = ['com_com', 'com_rockcreekcc.com', 'com_git.com'].map(likexianReply);
  if (!ianaCom || !thin || !full) return undefined;
  const domain = 'git.com';
  const ianaReply = whoisWithReferral(whoisWithReferral(ianaCom, 'whois', CHAIN_HOSTS.registry), 'refer', CHAIN_HOSTS.registry);
  // VeriSign's part only: the file goes on with the registrar's reply to the same query.
  const registryPart = thin.slice(0, thin.indexOf('\nDomain Name:', 10) + 1 || undefined);
  const registryReply = whoisWithReferral(whoisWithDomain(registryPart, 'rockcreekcc.com', domain), 'Registrar WHOIS Server', CHAIN_HOSTS.registrar);
  const registrarReply = whoisWithReferral(full, 'Registrar WHOIS Server', CHAIN_HOSTS.registrar);
  const iana = await startWhoisServer({ replies: { [domain]: ianaReply }, ...opts.iana });
  const registry = await startWhoisServer({ replies: { [domain]: registryReply }, ...opts.registry });
  const registrar = await startWhoisServer({ replies: { [domain]: registrarReply }, ...opts.registrar });
  const map = new Map<string, WhoisServer>([
    [CHAIN_HOSTS.registry, registry.server],
    [CHAIN_HOSTS.registrar, registrar.server],
  ]);
  return {
    domain,
    first: iana.server,
    resolveServer: (host) => map.get(host) ?? { host, port: 43 },
    iana,
    registry,
    registrar,
    close: async () => {
      await Promise.all([iana.close(), registry.close(), registrar.close()]);
    },
  };
}
