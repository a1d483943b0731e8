// RDAP bootstrap (RFC 9224): which RDAP server answers for a domain, an IP or an AS number.
// IANA publishes one file per kind (dns.json, ipv4.json, ipv6.json, asn.json), each a list of
// services `[[entries...], [base URLs...]]`. A copy of each is bundled (bootstrap-data/README.md)
// so that Warren starts offline; the configured source (WARREN_RDAP_BOOTSTRAP: a base URL or a
// local folder) replaces it in memory when it can be read, at most once per 24 h per file. The
// fetched copy is never written anywhere: it is derived data any worker can fetch again.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import { guardedRequest, OutboundError } from '../net/guarded-http.js';
import type { LiveContext } from './types.js';

export const BOOTSTRAP_KINDS = ['dns', 'ipv4', 'ipv6', 'asn'] as const;
export type BootstrapKind = (typeof BOOTSTRAP_KINDS)[number];

export const DEFAULT_BOOTSTRAP_BASE = 'https://data.iana.org/rdap/';
export const BOOTSTRAP_REFRESH_MS = 24 * 60 * 60 * 1000;
/** IANA's files are tens of KiB; anything far larger is not one. */
const MAX_BOOTSTRAP_BYTES = 4 * 1024 * 1024;

/**
 * Where the bundled copies live. Resolved from the package root (two levels up from both
 * src/live/ and dist/live/), because `tsc` does not copy JSON into dist/.
 */
export const BUNDLED_BOOTSTRAP_DIR = fileURLToPath(new URL('../../src/live/bootstrap-data/', import.meta.url));

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A base URL (`${base}dns.json`, …) or a local folder holding the four files. */
export type BootstrapSource = { readonly kind: 'url'; readonly base: string } | { readonly kind: 'dir'; readonly path: string };

/** WARREN_RDAP_BOOTSTRAP → where the files are read from (unset or blank: IANA). */
export function parseBootstrapSource(value: string | undefined): Parsed<BootstrapSource> {
  const text = (value ?? '').trim();
  if (text === '') return { ok: true, value: { kind: 'url', base: DEFAULT_BOOTSTRAP_BASE } };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, error: `WARREN_RDAP_BOOTSTRAP: ${JSON.stringify(text)} is not a URL` };
    }
    if (url.protocol === 'file:') return { ok: true, value: { kind: 'dir', path: fileURLToPath(url) } };
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, error: `WARREN_RDAP_BOOTSTRAP: only http, https or a folder, not ${url.protocol.replace(/:$/, '')}` };
    }
    // The files are relative to the base: a base without its final slash means the folder.
    const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    return { ok: true, value: { kind: 'url', base } };
  }
  return { ok: true, value: { kind: 'dir', path: text } };
}

/** The limiter's name for the server a URL reaches: host:port, lower case, the port always given. */
export function serverKey(url: URL): string {
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return `${url.hostname.toLowerCase()}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Files.

export interface BootstrapService {
  readonly entries: readonly string[];
  /** Base URLs, each ending in '/', https first. */
  readonly urls: readonly string[];
}

export interface BootstrapFile {
  readonly kind: BootstrapKind;
  readonly publication?: string;
  readonly services: readonly BootstrapService[];
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** Usable base URLs of a service: http(s) only, with a final slash, https first. */
function baseUrls(urls: readonly string[]): string[] {
  const out: string[] = [];
  for (const u of urls) {
    let url: URL;
    try {
      url = new URL(u.trim());
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    // RFC 9224 base URLs end in '/'; some published ones did not, and the query is appended.
    out.push(url.href.endsWith('/') ? url.href : `${url.href}/`);
  }
  return [...out.filter((u) => u.startsWith('https:')), ...out.filter((u) => !u.startsWith('https:'))];
}

/** One bootstrap file's text → its services (malformed services are skipped, not fatal). */
export function parseBootstrapFile(kind: BootstrapKind, text: string): Parsed<BootstrapFile> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, error: `${kind}.json is not JSON` };
  }
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { services?: unknown }).services)) {
    return { ok: false, error: `${kind}.json has no services array` };
  }
  const { services, publication } = json as { services: unknown[]; publication?: unknown };
  const out: BootstrapService[] = [];
  for (const service of services) {
    if (!Array.isArray(service)) continue;
    const entries = strings(service[0]);
    const urls = strings(service[1]);
    if (entries === undefined || urls === undefined) continue;
    const usable = baseUrls(urls);
    if (usable.length > 0 && entries.length > 0) out.push({ entries, urls: usable });
  }
  return { ok: true, value: { kind, services: out, ...(typeof publication === 'string' && { publication }) } };
}

// ---------------------------------------------------------------------------------------------
// Selection.

/** A domain's RDAP base URL: the service of the longest entry that is a label suffix of it. */
export function selectDomainServer(file: BootstrapFile, domain: string): string | undefined {
  const name = normaliseDomain(domain);
  if (name === undefined) return undefined;
  const bySuffix = new Map<string, string>();
  for (const s of file.services) {
    for (const entry of s.entries) {
      const key = normaliseDomain(entry);
      if (key !== undefined && !bySuffix.has(key)) bySuffix.set(key, s.urls[0]!);
    }
  }
  const labels = name.split('.');
  // Longest first: "example.co.uk" tries itself, then "co.uk", then "uk".
  for (let i = 0; i < labels.length; i++) {
    const hit = bySuffix.get(labels.slice(i).join('.'));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** An IP's RDAP base URL: the service of the most specific CIDR entry holding it. */
export function selectIpServer(file: BootstrapFile, ip: string): string | undefined {
  const text = canonicalIp(ip);
  if (text === undefined) return undefined;
  const address = ipaddr.parse(text);
  let best: { bits: number; url: string } | undefined;
  for (const s of file.services) {
    for (const entry of s.entries) {
      let net: [ipaddr.IPv4 | ipaddr.IPv6, number];
      try {
        net = ipaddr.parseCIDR(entry.trim());
      } catch {
        continue;
      }
      if (net[0].kind() !== address.kind()) continue;
      if (!address.match(net)) continue;
      if (best === undefined || net[1] > best.bits) best = { bits: net[1], url: s.urls[0]! };
    }
  }
  return best?.url;
}

/** An AS number's RDAP base URL: the service of the narrowest range holding it. */
export function selectAsnServer(file: BootstrapFile, asn: number): string | undefined {
  let best: { width: number; url: string } | undefined;
  for (const s of file.services) {
    for (const entry of s.entries) {
      const m = /^\s*(\d{1,10})\s*(?:-\s*(\d{1,10})\s*)?$/.exec(entry);
      if (!m) continue;
      const low = Number(m[1]);
      const high = m[2] === undefined ? low : Number(m[2]);
      if (asn < low || asn > high) continue;
      if (best === undefined || high - low < best.width) best = { width: high - low, url: s.urls[0]! };
    }
  }
  return best?.url;
}

// ---------------------------------------------------------------------------------------------
// The files in use: bundled, then the source's when it can be read.

export type BootstrapOrigin = 'bundled' | 'source';

export interface BootstrapState {
  readonly origin: BootstrapOrigin;
  readonly publication?: string;
  /** Why the source's copy is not in use, when it is not. */
  readonly problem?: string;
}

export interface BootstrapOptions {
  /** Default: IANA's base URL. */
  readonly source?: BootstrapSource;
  /** How often the source is tried again, per file (default 24 h, success or not). */
  readonly refreshMs?: number;
  /** Epoch ms; injectable for tests. */
  readonly clock?: () => number;
  /** Where the bundled copies are (tests). */
  readonly bundledDir?: string;
}

interface Slot {
  file: BootstrapFile;
  origin: BootstrapOrigin;
  problem?: string;
  /** Epoch ms of the last attempt to read the source (undefined: never tried). */
  triedAt?: number;
  pending?: Promise<void>;
}

/** The bootstrap files a process uses; one instance is shared by every look-up. */
export class RdapBootstrap {
  private readonly source: BootstrapSource;
  private readonly refreshMs: number;
  private readonly clock: () => number;
  private readonly bundledDir: string;
  private readonly slots = new Map<BootstrapKind, Slot>();

  constructor(opts: BootstrapOptions = {}) {
    this.source = opts.source ?? { kind: 'url', base: DEFAULT_BOOTSTRAP_BASE };
    this.refreshMs = opts.refreshMs ?? BOOTSTRAP_REFRESH_MS;
    this.clock = opts.clock ?? Date.now;
    this.bundledDir = opts.bundledDir ?? BUNDLED_BOOTSTRAP_DIR;
  }

  /** The RDAP base URL for a domain, or undefined when its TLD has none (use WHOIS then). */
  async domainServer(ctx: LiveContext, domain: string): Promise<string | undefined> {
    return selectDomainServer(await this.file(ctx, 'dns'), domain);
  }

  /** The RDAP base URL for an IP, or undefined. */
  async ipServer(ctx: LiveContext, ip: string): Promise<string | undefined> {
    const text = canonicalIp(ip);
    if (text === undefined) return undefined;
    return selectIpServer(await this.file(ctx, text.includes(':') ? 'ipv6' : 'ipv4'), text);
  }

  /** The RDAP base URL for an AS number, or undefined. */
  async asnServer(ctx: LiveContext, asn: number): Promise<string | undefined> {
    return selectAsnServer(await this.file(ctx, 'asn'), asn);
  }

  /** Which copy of each file is in use (for the operator: `warren live status`, logs). */
  state(kind: BootstrapKind): BootstrapState {
    const slot = this.slot(kind);
    return { origin: slot.origin, ...(slot.file.publication !== undefined && { publication: slot.file.publication }), ...(slot.problem !== undefined && { problem: slot.problem }) };
  }

  /** The file to use now: the source is tried first when the last try is older than refreshMs. */
  async file(ctx: LiveContext, kind: BootstrapKind): Promise<BootstrapFile> {
    const slot = this.slot(kind);
    const now = this.clock();
    if (slot.pending === undefined && (slot.triedAt === undefined || now - slot.triedAt >= this.refreshMs)) {
      slot.triedAt = now;
      slot.pending = this.refresh(ctx, kind, slot).finally(() => (slot.pending = undefined));
    }
    if (slot.pending !== undefined) await slot.pending;
    return slot.file;
  }

  private async refresh(ctx: LiveContext, kind: BootstrapKind, slot: Slot): Promise<void> {
    const read = await this.readSource(ctx, kind);
    const parsed = read.ok ? parseBootstrapFile(kind, read.value) : read;
    if (parsed.ok) {
      slot.file = parsed.value;
      slot.origin = 'source';
      slot.problem = undefined;
    } else {
      // The copy in use stays: an earlier fetched one, else the bundled one.
      slot.problem = parsed.error;
      // A look-up that was called off says nothing about the source: the next one tries again.
      if (ctx.signal?.aborted === true) slot.triedAt = undefined;
    }
  }

  private async readSource(ctx: LiveContext, kind: BootstrapKind): Promise<Parsed<string>> {
    const name = `${kind}.json`;
    if (this.source.kind === 'dir') {
      try {
        return { ok: true, value: await readFile(join(this.source.path, name), 'utf8') };
      } catch (e) {
        return { ok: false, error: `${name}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'} in ${this.source.path}` };
      }
    }
    const url = new URL(name, this.source.base);
    try {
      const answer = await ctx.limiter.run(serverKey(url), () =>
        guardedRequest(url.href, {
          method: 'GET',
          headers: { accept: 'application/json' },
          timeoutMs: ctx.timeoutMs,
          // The bootstrap's base is the operator's configuration (WARREN_RDAP_BOOTSTRAP, IANA by
          // default), not a target a view names: like the DNS resolvers it is not guarded. The
          // RDAP servers it names are targets, and are.
          guard: { allowPrivate: true },
          maxRedirects: 3,
          maxBodyBytes: MAX_BOOTSTRAP_BYTES,
          readSuccessBody: true,
          ...(ctx.signal !== undefined && { signal: ctx.signal }),
        }),
      );
      if (answer.status < 200 || answer.status >= 300) return { ok: false, error: `${url.href}: HTTP ${answer.status}` };
      if (answer.body.length >= MAX_BOOTSTRAP_BYTES) return { ok: false, error: `${url.href}: larger than ${MAX_BOOTSTRAP_BYTES} bytes` };
      return { ok: true, value: answer.body.toString('utf8') };
    } catch (e) {
      return { ok: false, error: `${url.href}: ${e instanceof OutboundError ? e.message : e instanceof Error ? e.message : String(e)}` };
    }
  }

  private slot(kind: BootstrapKind): Slot {
    let slot = this.slots.get(kind);
    if (slot === undefined) {
      slot = { file: this.bundled(kind), origin: 'bundled' };
      this.slots.set(kind, slot);
    }
    return slot;
  }

  private bundled(kind: BootstrapKind): BootstrapFile {
    try {
      const parsed = parseBootstrapFile(kind, readFileSync(join(this.bundledDir, `${kind}.json`), 'utf8'));
      if (parsed.ok) return parsed.value;
    } catch {
      // A missing bundled copy leaves the source as the only one: nothing is selected until it reads.
    }
    return { kind, services: [] };
  }
}
