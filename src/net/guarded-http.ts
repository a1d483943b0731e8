// The one way Warren talks to a URL someone configured (webhooks now; the live RDAP, WHOIS and
// TLS look-ups later): an SSRF guard around node:http(s).
//
// - Only http: and https:.
// - Names that mean "this cloud's metadata service" or "this machine" are refused by name
//   (metadata.google.internal, metadata, instance-data, localhost, …).
// - Every address the request would connect to is classified with ipaddr.js range(): only
//   'unicast' (ordinary public addresses) is allowed. Private, loopback, link-local (169.254/16,
//   the metadata address), CGNAT, unspecified, broadcast, multicast, reserved and documentation
//   ranges, unique-local and site-local IPv6 are refused, and an IPv4 address embedded in IPv6
//   (IPv4-mapped, NAT64, 6to4) is classified as the IPv4 address it carries. Teredo and the
//   other tunnelling and special IPv6 ranges are refused outright.
// - Literal addresses are checked before anything is sent (WHATWG URL has already turned
//   decimal, hex and octal IPv4 forms into dotted quads). Names are checked at connect time by
//   the agent's `lookup`, so the address checked is the address connected to (no DNS rebinding
//   window), and the socket's remote address is checked again once connected.
// - Redirects are not followed unless the caller asks (webhooks never do); each hop then goes
//   through every check above again.
//
// Labs that deliver to a private network opt in with WARREN_ALLOW_PRIVATE_WEBHOOKS=1; tests pass
// `allowPrivate` or `allow` (CIDR exceptions) in GuardOptions.
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Name → addresses; injectable so tests can make a name resolve to whatever they need. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface GuardOptions {
  /** Every address allowed (WARREN_ALLOW_PRIVATE_WEBHOOKS=1, or a test's local receiver). */
  readonly allowPrivate?: boolean;
  /** Exceptions: CIDR blocks allowed even though they are not public (e.g. '127.0.0.1/32'). */
  readonly allow?: readonly string[];
  /** Resolves names (default: the system resolver, every address). */
  readonly resolve?: Resolver;
}

export const ALLOW_PRIVATE_ENV = 'WARREN_ALLOW_PRIVATE_WEBHOOKS';

/** The guard the environment configures: private targets only with WARREN_ALLOW_PRIVATE_WEBHOOKS=1. */
export function guardFromEnv(env: NodeJS.ProcessEnv = process.env): GuardOptions {
  return { allowPrivate: env[ALLOW_PRIVATE_ENV] === '1' };
}

/** Why a request failed, in words that say nothing about what the target answered. */
export type FailureClass = 'refused' | 'unreachable' | 'timeout' | 'tls' | 'interrupted';

/** A request that did not get an answer; `message` is for the operator (logs, CLI), not for API callers. */
export class OutboundError extends Error {
  constructor(
    readonly failure: FailureClass,
    message: string,
  ) {
    super(message);
  }
}

/** The guard refused the target (before any connection to it). */
export class GuardRefusedError extends OutboundError {
  constructor(message: string) {
    super('refused', message);
  }
}

// Names refused whatever they resolve to: cloud metadata services and this machine.
const BLOCKED_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal']);
const BLOCKED_SUFFIXES = ['.localhost', '.metadata.google.internal'];

/** A host name as compared: lower case, without a trailing dot. */
function plainName(host: string): string {
  return host.toLowerCase().replace(/\.+$/, '');
}

/** Why a name is refused by name, or undefined. */
export function blockedName(host: string): string | undefined {
  const h = plainName(host);
  if (BLOCKED_NAMES.has(h) || BLOCKED_SUFFIXES.some((s) => h.endsWith(s))) return `${h} is a metadata or local name`;
  return undefined;
}

// Ranges ipaddr.js calls 'unicast' that are no place for a request: IPv4-compatible IPv6
// (::a.b.c.d, deprecated, ::1 and :: included) and 0.0.0.0/8 as a whole.
const EXTRA_RANGES: Parameters<typeof ipaddr.subnetMatch>[1] = {
  ipv4Compatible: [ipaddr.parseCIDR('::/96')],
};

function allowedByException(addr: ipaddr.IPv4 | ipaddr.IPv6, allow: readonly string[]): boolean {
  for (const cidr of allow) {
    const [net, bits] = ipaddr.parseCIDR(cidr);
    if (net.kind() === addr.kind() && addr.match([net, bits] as [typeof addr, number])) return true;
  }
  return false;
}

// The IPv4 address an IPv6 address carries, for the ranges that are only a wrapper around one.
function embeddedIPv4(a: ipaddr.IPv6, range: string): ipaddr.IPv4 | undefined {
  const p = a.parts;
  const v4 = (hi: number, lo: number): ipaddr.IPv4 => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
      return a.toIPv4Address();
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT)
    case 'rfc6052': // 64:ff9b::a.b.c.d (NAT64) and 64:ff9b:1::/48
      return v4(p[6]!, p[7]!);
    case '6to4': // 2002:aabb:ccdd::
      return v4(p[1]!, p[2]!);
    default:
      return undefined;
  }
}

/**
 * Why an address is not an allowed target, or undefined when it is (an ordinary public unicast
 * address, or one the options allow). Text that is not an address is refused.
 */
export function refusedAddress(address: string, opts: GuardOptions = {}): string | undefined {
  if (opts.allowPrivate === true) return undefined;
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.parse(address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, ''));
  } catch {
    return `${address} is not an IP address`;
  }
  if (opts.allow && allowedByException(a, opts.allow)) return undefined;
  let range: string = a.range();
  if (range === 'unicast') range = ipaddr.subnetMatch(a, EXTRA_RANGES, 'unicast');
  if (range === 'unicast') return undefined;
  if (a instanceof ipaddr.IPv6) {
    const inner = embeddedIPv4(a, range);
    if (inner) {
      const why = refusedAddress(inner.toString(), opts);
      return why === undefined ? undefined : `${a.toString()} carries ${why}`;
    }
  }
  return `${a.toString()} is a ${range} address`;
}

/** What can be said about a URL without resolving it: scheme, and a literal address or known name. */
export function refusedUrl(url: string | URL, opts: GuardOptions = {}): string | undefined {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `only http and https are allowed, not ${u.protocol.replace(/:$/, '')}`;
  const host = u.hostname;
  if (host === '') return 'no host';
  if (opts.allowPrivate === true) return undefined;
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.isValid(literal)) return refusedAddress(literal, opts);
  return blockedName(host);
}

function defaultResolve(hostname: string): Promise<readonly ResolvedAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });
}

/**
 * A `lookup` for node:net that refuses a name when ANY address it resolves to is refused (so a
 * name with one public and one private address cannot be used to reach the private one).
 */
export function guardedLookup(opts: GuardOptions = {}): LookupFunction {
  const resolve = opts.resolve ?? defaultResolve;
  return (hostname, options, callback) => {
    const why = opts.allowPrivate === true ? undefined : blockedName(hostname);
    if (why !== undefined) {
      callback(new GuardRefusedError(`refused: ${why}`), '', 4);
      return;
    }
    resolve(hostname).then(
      (all) => {
        const family = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 || options.family === 'IPv4' ? 4 : 0;
        const usable = family === 0 ? all : all.filter((a) => a.family === family);
        if (usable.length === 0) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
          return;
        }
        for (const a of usable) {
          const bad = refusedAddress(a.address, opts);
          if (bad !== undefined) {
            callback(new GuardRefusedError(`refused: ${hostname} resolves to ${bad}`), '', 4);
            return;
          }
        }
        // node:net asks for every address (all: true) when it tries them in turn.
        if (options.all === true) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [...usable]);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), '', 4),
    );
  };
}

export interface GuardedRequest {
  readonly method: 'GET' | 'POST' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** For the whole exchange, redirects included. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly guard?: GuardOptions;
  /** Redirects to follow (GET and HEAD only; default 0: a 3xx is the answer). */
  readonly maxRedirects?: number;
  /** Most body bytes kept (default 64 KiB); the rest is not read. */
  readonly maxBodyBytes?: number;
  /** Read the body of 2xx answers too (default false: only the status matters for a POST). */
  readonly readSuccessBody?: boolean;
}

export interface GuardedAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The start of the body (non-2xx answers, or every answer with readSuccessBody). */
  readonly body: Buffer;
  /** The URL that answered (after redirects). */
  readonly url: string;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|ERR_OSSL)/;

/** The class of a network error (for callers that must not pass the error's text on). */
export function failureOf(e: unknown): FailureClass {
  if (e instanceof OutboundError) return e.failure;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TLS_CODES.test(code)) return 'tls';
  return 'unreachable';
}

/** One request through the guard: never a connection to a refused address. */
export async function guardedRequest(url: string, req: GuardedRequest): Promise<GuardedAnswer> {
  const deadline = Date.now() + req.timeoutMs;
  let target = url;
  for (let hop = 0; ; hop++) {
    const answer = await oneRequest(target, req, Math.max(1, deadline - Date.now()));
    const location = answer.headers.location;
    const redirect = answer.status >= 300 && answer.status < 400 && typeof location === 'string';
    if (!redirect || req.method === 'POST' || hop >= (req.maxRedirects ?? 0)) return answer;
    target = new URL(location, target).href;
  }
}

function oneRequest(url: string, req: GuardedRequest, timeoutMs: number): Promise<GuardedAnswer> {
  return new Promise((resolve, reject) => {
    const guard = req.guard ?? guardFromEnv();
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new GuardRefusedError('refused: not a URL'));
      return;
    }
    const why = refusedUrl(target, guard);
    if (why !== undefined) {
      reject(new GuardRefusedError(`refused: ${why}`));
      return;
    }
    const transport = target.protocol === 'https:' ? https : http;
    const maxBody = req.maxBodyBytes ?? 64 * 1024;
    let settled = false;
    const settle = (error: Error | undefined, answer?: GuardedAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(answer!);
      request.destroy(); // whatever the other side still sends is not needed
    };
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    // A fresh connection each time (agent: false): no pooled socket whose peer was checked for
    // another request, and a POST never fails on a keep-alive socket the peer closed.
    const request = transport.request(target, { method: req.method, headers, agent: false, lookup: guardedLookup(guard) }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void =>
        settle(undefined, { status, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks).subarray(0, maxBody), url: target.href });
      if (status >= 200 && status < 300 && req.readSuccessBody !== true) {
        res.on('error', () => undefined); // cutting the body short below is not a failure
        done();
        return;
      }
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= maxBody) done();
      });
      res.on('end', done);
      res.on('error', done); // the body broke off: the status is still the answer
    });
    // The address actually connected to, checked again (whatever path led to it).
    request.on('socket', (socket: Socket) => {
      const check = (): void => {
        const remote = socket.remoteAddress;
        const bad = remote === undefined ? 'no remote address' : refusedAddress(remote, guard);
        if (bad !== undefined) settle(new GuardRefusedError(`refused: connected to ${bad}`));
      };
      if (socket.remoteAddress !== undefined && !socket.connecting) check();
      else socket.once('connect', check);
    });
    request.on('error', (e) => {
      if (e instanceof OutboundError) settle(e);
      else if ((e as { cause?: unknown }).cause instanceof GuardRefusedError) settle((e as { cause: GuardRefusedError }).cause);
      else settle(failureOf(e) === 'tls' ? new OutboundError('tls', e.message) : new OutboundError('unreachable', describe(e)));
    });
    const timer = setTimeout(() => settle(new OutboundError('timeout', `no answer within ${req.timeoutMs} ms`)), timeoutMs);
    const onAbort = (): void => settle(new OutboundError('interrupted', 'interrupted'));
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });
    request.end(req.body);
  });
}

function describe(e: Error): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
}
