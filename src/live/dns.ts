// The `dns` live source (live.md): A, AAAA, CNAME, NS and MX of one domain through the configured
// resolvers (WARREN_DNS_SERVERS, else the system's), as resolution records seen now.
//
// node:dns's Resolver (c-ares) speaks the protocol; nothing here reads or writes DNS messages.
// One Resolver per query and server, so a timeout or a cancel concerns that query alone and the
// limiter sees every server separately ('dns:' + host:port, 2 in flight each).
//
// No SSRF guard on the resolvers: they are configured by the operator and trusted (they are
// where Warren asks, never what it looks at), and a resolver on loopback (a local unbound,
// systemd-resolved's 127.0.0.53) is ordinary. What the answers point at is guarded where it is
// connected to (tls.ts), never here.
import { Resolver } from 'node:dns/promises';
import { normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import type { Observation, ResolutionRecord } from '../ingest/records.js';
import type { LiveContext, LiveOutcome } from './types.js';

export const DNS_RRTYPES = ['A', 'AAAA', 'CNAME', 'NS', 'MX'] as const;
type RrType = (typeof DNS_RRTYPES)[number];

/** How one type went: values, no such name, no such type for the name, or no usable answer. */
type TypeResult =
  | { readonly kind: 'answer'; readonly values: string[] }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'nodata' }
  | { readonly kind: 'error'; readonly detail: string };

// A timed-out server is skipped for the rest of one look-up: its other queries would only wait
// out the same timeout (2 at a time through the limiter), multiplying the look-up's time.
const SERVER_DOWN = new Set(['ETIMEOUT', 'ECONNREFUSED']);

async function query(resolver: Resolver, type: RrType, name: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'NS':
      return resolver.resolveNs(name);
    case 'MX':
      // The exchange is the related name; the priority says nothing about the domain's infrastructure.
      return (await resolver.resolveMx(name)).map((mx) => mx.exchange);
  }
}

/** A value as stored: canonical IP for addresses, normalised domain for names; undefined when it is neither. */
function normaliseValue(type: RrType, value: string): string | undefined {
  return type === 'A' || type === 'AAAA' ? canonicalIp(value) : normaliseDomain(value);
}

// c-ares error codes in words; the server is named since several may be tried.
const ERRORS: Readonly<Record<string, (server: string, timeoutMs: number) => string>> = {
  ETIMEOUT: (server, timeoutMs) => `no answer from ${server} within ${timeoutMs} ms`,
  ESERVFAIL: (server) => `${server} answered SERVFAIL (server failure)`,
  EREFUSED: (server) => `${server} refused the query (REFUSED)`,
  ENOTIMP: (server) => `${server} does not implement the query (NOTIMP)`,
  EFORMERR: (server) => `${server} found the query malformed (FORMERR)`,
  EBADRESP: (server) => `${server} sent a reply that is not a DNS answer`,
  ECONNREFUSED: (server) => `${server} refused the connection`,
  ECANCELLED: () => 'interrupted',
};

function errorDetail(code: string | undefined, message: string, server: string, timeoutMs: number): string {
  const words = code === undefined ? undefined : ERRORS[code];
  return words ? words(server, timeoutMs) : `${server}: ${code ?? message}`;
}

/** One query of one type to one server, through the limiter; never throws. */
async function queryOnce(ctx: LiveContext, server: string, type: RrType, name: string): Promise<TypeResult & { readonly code?: string }> {
  // A query that waited for its turn may start after the view was interrupted.
  if (ctx.signal?.aborted) return { kind: 'error', detail: 'interrupted' };
  const resolver = new Resolver({ timeout: ctx.timeoutMs, tries: 1 });
  try {
    resolver.setServers([server]);
  } catch (e) {
    return { kind: 'error', detail: `${server} is not a DNS server address (${(e as Error).message})` };
  }
  // c-ares checks its timeouts on a libuv timer ticking every `timeout` ms (at most 1 s), so its
  // own timeout fires up to a whole timeout late; this timer holds the query to the configured time.
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    resolver.cancel();
  }, ctx.timeoutMs);
  const onAbort = (): void => resolver.cancel();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const raw = await query(resolver, type, name);
    const values = [...new Set(raw.map((v) => normaliseValue(type, v)).filter((v): v is string => v !== undefined))];
    return { kind: 'answer', values };
  } catch (e) {
    const code = timedOut ? 'ETIMEOUT' : (e as { code?: unknown }).code;
    const c = typeof code === 'string' ? code : undefined;
    if (c === 'ENOTFOUND') return { kind: 'nxdomain' };
    if (c === 'ENODATA') return { kind: 'nodata' };
    return { kind: 'error', code: c, detail: errorDetail(c, (e as Error).message, server, ctx.timeoutMs) };
  } finally {
    clearTimeout(deadline);
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}

/** The type asked of each server in turn until one answers (an answer, NXDOMAIN or NODATA). */
async function queryType(ctx: LiveContext, servers: readonly string[], down: Set<string>, type: RrType, name: string): Promise<TypeResult> {
  const errors: string[] = [];
  for (const server of servers) {
    if (ctx.signal?.aborted) return { kind: 'error', detail: 'interrupted' };
    let result: TypeResult & { readonly code?: string };
    try {
      result = await ctx.limiter.run(`dns:${server}`, async () => {
        if (down.has(server)) return { kind: 'error' as const, detail: `no answer from ${server} within ${ctx.timeoutMs} ms` };
        const r = await queryOnce(ctx, server, type, name);
        // Marked before the slot passes on, so the queries queued behind this one skip the server.
        if (r.code !== undefined && SERVER_DOWN.has(r.code)) down.add(server);
        return r;
      });
    } catch (e) {
      // The limiter refuses only after a server asked to wait; DNS servers never do, but no throw escapes.
      result = { kind: 'error', detail: `${server}: ${(e as Error).message}` };
    }
    if (result.kind !== 'error') return result;
    if (!errors.includes(result.detail)) errors.push(result.detail);
  }
  return { kind: 'error', detail: errors.join('; ') };
}

/** The system's resolvers as host:port (what WARREN_DNS_SERVERS defaults to). */
export function systemServers(): string[] {
  return new Resolver().getServers().map((s) => parseServers(s)[0]!);
}

/**
 * The `dns` source for `domain`: A, AAAA, CNAME, NS and MX through `servers` (host:port, tried in
 * order; empty: the system's resolvers). NXDOMAIN and NODATA are answers, not failures.
 */
export async function fetchDns(ctx: LiveContext, domain: string, servers: readonly string[]): Promise<LiveOutcome> {
  const name = normaliseDomain(domain);
  if (name === undefined || name.startsWith('*')) {
    return { source: 'dns', status: 'failed', detail: `"${domain}" is not a domain name that can be looked up`, records: [] };
  }
  let list: readonly string[];
  try {
    // host:port as parseServers gives it, whatever form the caller had, so the limiter sees one key per server.
    list = servers.length > 0 ? parseServers(servers.join(',')) : systemServers();
  } catch (e) {
    return { source: 'dns', status: 'failed', detail: `no usable DNS server: ${(e as Error).message}`, records: [] };
  }
  if (list.length === 0) return { source: 'dns', status: 'failed', detail: 'no DNS server configured, and the system has none', records: [] };

  const down = new Set<string>();
  const results = await Promise.all(DNS_RRTYPES.map(async (type) => ({ type, result: await queryType(ctx, list, down, type, name) })));

  const observation: Observation = { source: 'dns', firstSeen: ctx.now, lastSeen: ctx.now };
  const records: ResolutionRecord[] = [];
  const counts: string[] = [];
  const failures: string[] = [];
  const errors = new Set<string>();
  let answered = 0;
  let nxdomain = 0;
  for (const { type, result } of results) {
    if (result.kind === 'error') {
      failures.push(`${type}: ${result.detail}`);
      errors.add(result.detail);
      continue;
    }
    answered++;
    if (result.kind === 'nxdomain') nxdomain++;
    if (result.kind === 'answer') {
      for (const value of result.values) records.push({ kind: 'resolution', domain: name, rrtype: type, value, observation });
      if (result.values.length > 0) counts.push(`${type} ${result.values.length}`);
    }
  }

  if (answered === 0) return { source: 'dns', status: 'failed', detail: [...errors].join('; '), records: [] };
  const parts: string[] = [];
  if (nxdomain === answered) parts.push('no such name (NXDOMAIN)');
  else if (records.length === 0) parts.push('no records');
  else parts.push(`${records.length} record${records.length === 1 ? '' : 's'} (${counts.join(', ')})`);
  parts.push(...failures);
  return { source: 'dns', status: 'ok', detail: parts.join('; '), records };
}

/** The addresses a `dns` outcome resolved the domain to, A then AAAA (for the TLS step). */
export function resolvedAddresses(outcome: LiveOutcome): string[] {
  const out: string[] = [];
  for (const rrtype of ['A', 'AAAA']) {
    for (const r of outcome.records) {
      if (r.kind === 'resolution' && r.rrtype === rrtype && !out.includes(r.value)) out.push(r.value);
    }
  }
  return out;
}

/**
 * WARREN_DNS_SERVERS: comma-separated IP[:port] (IPv6 with a port in brackets: `[::1]:5353`) →
 * `host:port` each, port 53 when none is given, duplicates dropped. Names are refused: a resolver
 * is reached by its address. Throws an Error saying which entry is wrong and why.
 */
export function parseServers(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    let host: string;
    let port = '53';
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      host = bracketed[1]!;
      if (bracketed[2] !== undefined) port = bracketed[2];
    } else if (entry.split(':').length === 2) {
      [host, port] = entry.split(':') as [string, string];
    } else host = entry; // IPv4 alone, or IPv6 without a port
    const ip = canonicalIp(host);
    if (ip === undefined) throw new Error(`"${entry}" is not an IP address with an optional port (a DNS server is given by its address: 1.1.1.1, 9.9.9.9:53, [::1]:5353)`);
    const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
    if (!(n >= 1 && n <= 65535)) throw new Error(`"${entry}": "${port}" is not a port (1 to 65535)`);
    const server = ip.includes(':') ? `[${ip}]:${n}` : `${ip}:${n}`;
    if (!out.includes(server)) out.push(server);
  }
  return out;
}
