// A real RDAP server on 127.0.0.1 for tests: it serves RFC 9224 bootstrap files pointing at
// itself, registry replies, registrar replies (what a registry reply's `related` link names) and
// ip network replies from maps, and misbehaves on demand, per name.
import http from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';

/**
 * What goes wrong for one name: 'hang' (headers never sent), 'reset' (TCP reset), 'garbage'
 * (200 with HTML), 'not-rdap' (200 with JSON that is not RDAP), '404', '500', '429' (with
 * Retry-After: retryAfterS); or a delay before the normal answer, any status, or a redirect.
 */
export type RdapMisbehaviour =
  | 'hang'
  | 'reset'
  | 'garbage'
  | 'not-rdap'
  | '404'
  | '500'
  | '429'
  | { readonly slowMs: number }
  | { readonly status: number; readonly retryAfter?: string }
  | { readonly redirect: string };

export interface RdapServerOptions {
  /** Registry replies: domain → RDAP JSON text, served at `${url}domain/<name>`. */
  readonly domains?: Readonly<Record<string, string>>;
  /** Registrar replies: domain → RDAP JSON text, served at `${url}registrar/domain/<name>`. */
  readonly registrar?: Readonly<Record<string, string>>;
  /** IP networks: CIDR → RDAP JSON text; `${url}ip/<address>` gets the most specific one holding it. */
  readonly networks?: Readonly<Record<string, string>>;
  /** TLDs dns.json sends here (default: the last label of every name in `domains`). */
  readonly tlds?: readonly string[];
  /** More CIDR blocks ipv4.json / ipv6.json send here (default: the keys of `networks`). */
  readonly ipBlocks?: readonly string[];
  /**
   * Misbehaviours by name: a domain (registry query), `registrar:<domain>`, an address as asked
   * (ip query), or a bootstrap file name (`dns.json`).
   */
  readonly misbehave?: Readonly<Record<string, RdapMisbehaviour>>;
  /** Retry-After of '429', in seconds (default 30). */
  readonly retryAfterS?: number;
}

export type RdapPathKind = 'bootstrap' | 'domain' | 'registrar' | 'ip' | 'other';

export interface RdapRequestLog {
  readonly method: string;
  readonly path: string;
  readonly kind: RdapPathKind;
}

export interface RdapTestServer {
  /** The base URL, ending in '/'. `{{base}}` in any served text is replaced by it. */
  readonly url: string;
  /** The base of the bootstrap files (WARREN_RDAP_BOOTSTRAP for it). */
  readonly bootstrapBase: string;
  /** The bootstrap files it serves, by file name. */
  readonly bootstrapFiles: Readonly<Record<string, string>>;
  /** Writes the bootstrap files into a new temporary folder and returns its path. */
  writeBootstrapDir(): Promise<string>;
  /** Every request, in arrival order. */
  readonly requests: readonly RdapRequestLog[];
  /** The most requests of each kind ever being answered at once. */
  readonly inFlightPeak: Readonly<Record<RdapPathKind, number>>;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export const BASE_TOKEN = '{{base}}';

const GARBAGE = '<!doctype html><html><head><title>Parked</title></head><body>This domain may be for sale.</body></html>';

function rdapError(code: number, title: string): string {
  return JSON.stringify({ rdapConformance: ['rdap_level_0'], errorCode: code, title });
}

function bootstrapFile(description: string, entries: readonly string[], base: string): string {
  const services = entries.length === 0 ? [] : [[entries, [base]]];
  return JSON.stringify({ description, publication: '2026-01-01T00:00:00Z', services, version: '1.0' }, null, 1);
}

function family(cidr: string): 4 | 6 | undefined {
  try {
    return ipaddr.parseCIDR(cidr)[0].kind() === 'ipv4' ? 4 : 6;
  } catch {
    return undefined;
  }
}

/** The most specific CIDR key holding `address`. */
function networkFor(networks: Readonly<Record<string, string>>, address: string): string | undefined {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(address);
  } catch {
    return undefined;
  }
  let best: { key: string; bits: number } | undefined;
  for (const key of Object.keys(networks)) {
    let net: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      net = ipaddr.parseCIDR(key);
    } catch {
      continue;
    }
    if (net[0].kind() !== addr.kind() || !addr.match(net)) continue;
    if (best === undefined || net[1] > best.bits) best = { key, bits: net[1] };
  }
  return best?.key;
}

export async function startRdapServer(opts: RdapServerOptions = {}): Promise<RdapTestServer> {
  const domains = new Map(Object.entries(opts.domains ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const registrar = new Map(Object.entries(opts.registrar ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const networks = opts.networks ?? {};
  const misbehave = opts.misbehave ?? {};
  const requests: RdapRequestLog[] = [];
  const inFlight: Record<RdapPathKind, number> = { bootstrap: 0, domain: 0, registrar: 0, ip: 0, other: 0 };
  const inFlightPeak: Record<RdapPathKind, number> = { bootstrap: 0, domain: 0, registrar: 0, ip: 0, other: 0 };
  const sockets = new Set<Socket>();
  let connections = 0;
  let base = '';
  const files: Record<string, string> = {};

  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let kind: RdapPathKind = 'other';
    let name = '';
    let body: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^\/bootstrap\/([a-z0-9]+\.json)$/.exec(path))) {
      kind = 'bootstrap';
      name = m[1]!;
      body = files[name];
    } else if ((m = /^\/registrar\/domain\/([^/]+)$/.exec(path))) {
      kind = 'registrar';
      name = `registrar:${m[1]!.toLowerCase()}`;
      body = registrar.get(m[1]!.toLowerCase());
    } else if ((m = /^\/domain\/([^/]+)$/.exec(path))) {
      kind = 'domain';
      name = m[1]!.toLowerCase();
      body = domains.get(name);
    } else if ((m = /^\/ip\/([^/]+)$/.exec(path))) {
      kind = 'ip';
      name = m[1]!;
      const key = networkFor(networks, name);
      body = key === undefined ? undefined : networks[key];
    }
    requests.push({ method: req.method ?? '', path, kind });
    inFlight[kind]++;
    inFlightPeak[kind] = Math.max(inFlightPeak[kind], inFlight[kind]);
    // Done once the answer is handed to the socket ('finish'), before the client can read it and
    // send its next request; 'close' covers answers cut short.
    let open = true;
    const done = (): void => {
      if (open) inFlight[kind]--;
      open = false;
    };
    res.on('finish', done);
    res.on('close', done);

    const send = (status: number, text: string, type = 'application/rdap+json', headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(text.split(BASE_TOKEN).join(base));
    };
    const answer = (): void => {
      if (body === undefined) send(404, rdapError(404, 'Not Found'));
      else send(200, body, kind === 'bootstrap' ? 'application/json' : 'application/rdap+json');
    };
    const bad = misbehave[name];
    if (bad === undefined) return answer();
    if (bad === 'hang') return; // the socket is destroyed by close()
    if (bad === 'reset') return req.socket.resetAndDestroy();
    if (bad === 'garbage') return send(200, GARBAGE, 'text/html');
    if (bad === 'not-rdap') return send(200, JSON.stringify({ hello: 'world' }), 'application/json');
    if (bad === '404') return send(404, rdapError(404, 'Not Found'));
    if (bad === '500') return send(500, 'internal error', 'text/plain');
    if (bad === '429') return send(429, rdapError(429, 'Too Many Requests'), 'application/rdap+json', { 'retry-after': String(opts.retryAfterS ?? 30) });
    if ('slowMs' in bad) {
      const timer = setTimeout(answer, bad.slowMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if ('redirect' in bad) return send(302, '', 'text/plain', { location: bad.redirect.split(BASE_TOKEN).join(base) });
    return send(bad.status, rdapError(bad.status, 'Error'), 'application/rdap+json', bad.retryAfter === undefined ? {} : { 'retry-after': bad.retryAfter });
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const tlds = opts.tlds ?? [...new Set([...domains.keys()].map((d) => d.split('.').at(-1)!))];
  const blocks = [...Object.keys(networks), ...(opts.ipBlocks ?? [])];
  files['dns.json'] = bootstrapFile('RDAP bootstrap file for Domain Name System registrations (test)', tlds, base);
  files['ipv4.json'] = bootstrapFile('RDAP bootstrap file for IPv4 address allocations (test)', blocks.filter((b) => family(b) === 4), base);
  files['ipv6.json'] = bootstrapFile('RDAP bootstrap file for IPv6 address allocations (test)', blocks.filter((b) => family(b) === 6), base);
  files['asn.json'] = bootstrapFile('RDAP bootstrap file for Autonomous System Number allocations (test)', ['0-4294967295'], base);

  return {
    url: base,
    bootstrapBase: `${base}bootstrap/`,
    bootstrapFiles: files,
    async writeBootstrapDir() {
      const dir = await mkdtemp(join(tmpdir(), 'warren-rdap-bootstrap-'));
      for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
      return dir;
    },
    requests,
    inFlightPeak,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
