// Live RDAP (live.md, sources `rdap` and `rdap-ip`): the bootstrap names the registry's server,
// the registry's reply may name the registrar's (a `related` link, followed once), and both
// replies go through the same parser as ingested RDAP files. Every request passes the per-server
// limiter and the SSRF guard; every failure becomes an outcome with a reason, never a throw.
import { normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import { rdapResponseRecords } from '../ingest/parsers/rdap/rdap.js';
import type { FieldMap, IngestRecord, WhoisRecord } from '../ingest/records.js';
import { GuardRefusedError, guardedRequest, OutboundError, type GuardedAnswer } from '../net/guarded-http.js';
import { serverKey, type RdapBootstrap } from './bootstrap.js';
import { RetryLater } from './limiter.js';
import type { LiveContext, LiveOutcome, LiveSource } from './types.js';
import { retryAfterMs } from '../net/retry-after.js';

/** RDAP replies are a few KiB to a few hundred; more is not a reply worth reading. */
export const MAX_RDAP_BYTES = 2 * 1024 * 1024;
/** The raw JSON texts kept as `whois.raw` (registry's and registrar's together). */
export const MAX_RAW_BYTES = 256 * 1024;
export const MAX_REDIRECTS = 3;
/** How long a server that said 429 without Retry-After is left alone. */
const DEFAULT_BACKOFF_MS = 60_000;
const RDAP_TYPE = 'application/rdap+json';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One RDAP GET: the reply as JSON, or why there is none. */
type Fetched =
  | { readonly ok: true; readonly url: string; readonly host: string; readonly json: JsonObject; readonly text: string }
  | { readonly ok: false; readonly status: 'refused' | 'failed'; readonly detail: string };

/** What a 404 means for the thing asked about. */
type NotFound = (host: string) => string;

/** A connection failure in words: the common ones named, the rest with the system's message. */
export function unreachable(host: string, message: string): string {
  if (/ECONNRESET|connection reset/i.test(message)) return `${host} reset the connection`;
  if (/ECONNREFUSED/.test(message)) return `${host} refused the connection`;
  if (/socket hang up|closed before/i.test(message)) return `${host} closed the connection without answering`;
  if (/ENOTFOUND|EAI_AGAIN|no address for/.test(message)) return `no address for ${host}`;
  return `${host} unreachable (${message})`;
}

function failure(e: unknown, host: string, timeoutMs: number): Fetched {
  if (e instanceof GuardRefusedError) return { ok: false, status: 'refused', detail: `${host}: ${e.message}` };
  if (e instanceof RetryLater) return { ok: false, status: 'failed', detail: `rate-limited by ${host}, retry after ${Math.ceil(e.afterMs / 1000)} s` };
  if (e instanceof OutboundError) {
    switch (e.failure) {
      case 'timeout':
        return { ok: false, status: 'failed', detail: `no answer from ${host} within ${timeoutMs} ms` };
      case 'tls':
        return { ok: false, status: 'failed', detail: `TLS with ${host} failed (${e.message})` };
      case 'interrupted':
        return { ok: false, status: 'failed', detail: `interrupted while asking ${host}` };
      case 'refused':
      case 'unreachable':
        return { ok: false, status: 'failed', detail: unreachable(host, e.message) };
    }
  }
  return { ok: false, status: 'failed', detail: `${host}: ${errorText(e)}` };
}

/** Whether a JSON value is plainly an RDAP reply (RFC 9083: every reply carries one of these). */
function looksLikeRdap(json: unknown): json is JsonObject {
  return isObject(json) && (json.objectClassName !== undefined || json.rdapConformance !== undefined || json.errorCode !== undefined);
}

/** GET one RDAP URL, following up to 3 redirects, each hop through the limiter and the guard. */
async function getRdap(ctx: LiveContext, start: string, notFound: NotFound): Promise<Fetched> {
  let url = start;
  for (let hop = 0; ; hop++) {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { ok: false, status: 'failed', detail: `${JSON.stringify(url)} is not a URL` };
    }
    const host = target.host;
    let answer: GuardedAnswer;
    try {
      answer = await ctx.limiter.run(serverKey(target), async () => {
        const a = await guardedRequest(target.href, {
          method: 'GET',
          headers: { accept: `${RDAP_TYPE}, application/json;q=0.9` },
          timeoutMs: ctx.timeoutMs,
          guard: ctx.guard,
          maxBodyBytes: MAX_RDAP_BYTES,
          readSuccessBody: true,
          ...(ctx.signal !== undefined && { signal: ctx.signal }),
        });
        // Thrown inside the task so that the limiter rests this server for the time it asked.
        if (a.status === 429) throw new RetryLater(retryAfterMs(a.headers['retry-after'], Date.now()) ?? DEFAULT_BACKOFF_MS, `${host} answered 429`);
        return a;
      });
    } catch (e) {
      return failure(e, host, ctx.timeoutMs);
    }
    const { status } = answer;
    if (status >= 300 && status < 400) {
      const location = answer.headers.location;
      if (typeof location !== 'string') return { ok: false, status: 'failed', detail: `${host} answered ${status} without a Location` };
      if (hop >= MAX_REDIRECTS) return { ok: false, status: 'failed', detail: `more than ${MAX_REDIRECTS} redirects (last from ${host})` };
      try {
        url = new URL(location, target).href;
      } catch {
        return { ok: false, status: 'failed', detail: `${host} redirected to something that is not a URL` };
      }
      continue;
    }
    if (status === 404) return { ok: false, status: 'failed', detail: notFound(host) };
    if (status < 200 || status >= 300) {
      const kind = status >= 500 ? 'server error' : 'refused the query';
      return { ok: false, status: 'failed', detail: `${host} answered HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ''} (${kind})` };
    }
    if (answer.body.length >= MAX_RDAP_BYTES) return { ok: false, status: 'failed', detail: `${host} answered more than ${MAX_RDAP_BYTES / 1024 / 1024} MiB` };
    const text = answer.body.toString('utf8').replace(/^\uFEFF/, '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!looksLikeRdap(json)) return { ok: false, status: 'failed', detail: `${host} answered something that is not RDAP` };
    // An error object under a 2xx status: servers that always answer 200 still mean the code.
    if (json.errorCode === 404 || json.errorCode === '404') return { ok: false, status: 'failed', detail: notFound(host) };
    return { ok: true, url: answer.url, host, json, text };
  }
}

function outcome(source: LiveSource, status: LiveOutcome['status'], detail: string, records: IngestRecord[] = []): LiveOutcome {
  return { source, status, detail, records };
}

// ---------------------------------------------------------------------------------------------
// Domains.

function linksOf(object: JsonObject): JsonObject[] {
  return Array.isArray(object.links) ? object.links.filter(isObject) : [];
}

function rolesOf(entity: JsonObject): string[] {
  return Array.isArray(entity.roles) ? entity.roles.filter((r): r is string => typeof r === 'string').map((r) => r.trim().toLowerCase()) : [];
}

/**
 * The registrar's RDAP URL a registry reply gives: a `related` link of RDAP type, on the domain
 * object (where ICANN's gTLD profile puts it) or on its registrar entity (where some registries
 * do). A typed link wins over an untyped one that merely looks like a domain query.
 */
export function registrarLink(reply: JsonObject, replyUrl: string): string | undefined {
  const registrars = (Array.isArray(reply.entities) ? reply.entities.filter(isObject) : []).filter((e) => rolesOf(e).includes('registrar'));
  const links = [...linksOf(reply), ...registrars.flatMap(linksOf)].filter((l) => typeof l.rel === 'string' && l.rel.trim().toLowerCase() === 'related' && typeof l.href === 'string');
  const typed = links.filter((l) => typeof l.type === 'string' && l.type.trim().toLowerCase().startsWith(RDAP_TYPE));
  const untyped = links.filter((l) => l.type === undefined && /\/domain\/[^/?#]+\/?$/i.test(l.href as string));
  for (const link of [...typed, ...untyped]) {
    try {
      const url = new URL(link.href as string, replyUrl);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.href !== replyUrl) return url.href;
    } catch {
      // An unreadable href is no link.
    }
  }
  return undefined;
}

/** The raw JSON texts, one after another, cut to MAX_RAW_BYTES of UTF-8. */
function rawText(texts: readonly string[]): string {
  const joined = texts.map((t) => t.trim()).join('\n');
  const bytes = Buffer.from(joined, 'utf8');
  if (bytes.length <= MAX_RAW_BYTES) return joined;
  // A character cut in two at the end decodes as U+FFFD: dropped.
  return bytes.subarray(0, MAX_RAW_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
}

/** The registry's and the registrar's records as one: the registrar's value wins a field both give. */
export function mergeDomainRecords(domain: string, registry: IngestRecord | undefined, registrar: IngestRecord | undefined, raw: readonly string[], now: string): WhoisRecord {
  const fieldsOf = (r: IngestRecord | undefined): FieldMap => (r?.kind === 'whois' ? r.fields : {});
  const fields: FieldMap = { ...fieldsOf(registry), ...fieldsOf(registrar) };
  if (raw.length > 0) fields['whois.raw'] = [rawText(raw)];
  return { kind: 'whois', domain, fields, observed: now, source: 'rdap' };
}

/** The record a domain reply gives for `domain` (a whois record, or a bare domain record). */
function domainRecordOf(records: readonly IngestRecord[], domain: string): IngestRecord | undefined {
  return records.find((r) => (r.kind === 'whois' || r.kind === 'domain') && r.domain === domain);
}

/**
 * The registration data RDAP gives for a domain (source `rdap`): the registry's reply and, when it
 * links to one, the registrar's, merged into one WHOIS record observed at ctx.now.
 */
export async function fetchDomainRdap(ctx: LiveContext, domain: string, bootstrap: RdapBootstrap): Promise<LiveOutcome> {
  try {
    return await domainRdap(ctx, domain, bootstrap);
  } catch (e) {
    // The steps above report their own failures; this is the last guard of "never throw".
    return outcome('rdap', 'failed', `internal error: ${errorText(e)}`);
  }
}

async function domainRdap(ctx: LiveContext, domain: string, bootstrap: RdapBootstrap): Promise<LiveOutcome> {
  const name = normaliseDomain(domain);
  if (name === undefined) return outcome('rdap', 'failed', `${JSON.stringify(domain)} is not a domain name`);
  const server = await bootstrap.domainServer(ctx, name);
  if (server === undefined) return outcome('rdap', 'failed', `no RDAP server for .${name.split('.').at(-1)!} in the bootstrap`);
  const noSuchDomain: NotFound = (host) => `no such domain at ${host}`;
  const registry = await getRdap(ctx, `${server}domain/${name}`, noSuchDomain);
  if (!registry.ok) return outcome('rdap', registry.status, registry.detail);
  const parsed = rdapResponseRecords(registry.json, 1, { source: 'rdap', domain: name });
  const registryRecord = domainRecordOf(parsed.records, name);
  if (registryRecord === undefined) {
    const why = parsed.errors[0]?.message ?? 'no domain object for the name asked';
    return outcome('rdap', 'failed', `${registry.host}: ${why}`);
  }
  const raw = [registry.text];
  const notes = [registry.host];
  let registrarRecord: IngestRecord | undefined;
  const link = registrarLink(registry.json, registry.url);
  if (link !== undefined) {
    // The registrar's reply adds to the registry's; its failure costs only what it would have added.
    const registrar = await getRdap(ctx, link, (host) => `registrar ${host} does not know the domain`);
    if (!registrar.ok) notes.push(`registrar: ${registrar.detail}`);
    else {
      const r = rdapResponseRecords(registrar.json, 1, { source: 'rdap', domain: name });
      registrarRecord = domainRecordOf(r.records, name);
      if (registrarRecord === undefined) notes.push(`registrar ${registrar.host}: ${r.errors[0]?.message ?? 'no domain object for the name asked'}`);
      else {
        raw.push(registrar.text);
        notes.push(`registrar ${registrar.host}`);
      }
    }
  }
  const record = mergeDomainRecords(name, registryRecord, registrarRecord, raw, ctx.now);
  return outcome('rdap', 'ok', notes.join('; '), [record]);
}

// ---------------------------------------------------------------------------------------------
// IP networks.

/**
 * What the RIR's RDAP says of the network holding an IP (source `rdap-ip`): the records the RDAP
 * parser gives for an ip network object, unchanged. The bundled bootstrap sends every address to
 * ARIN, which redirects to the RIR holding it: up to 3 redirects are followed.
 */
export async function fetchIpRdap(ctx: LiveContext, ip: string, bootstrap: RdapBootstrap): Promise<LiveOutcome> {
  try {
    return await ipRdap(ctx, ip, bootstrap);
  } catch (e) {
    return outcome('rdap-ip', 'failed', `internal error: ${errorText(e)}`);
  }
}

async function ipRdap(ctx: LiveContext, ip: string, bootstrap: RdapBootstrap): Promise<LiveOutcome> {
  const address = canonicalIp(ip);
  if (address === undefined) return outcome('rdap-ip', 'failed', `${JSON.stringify(ip)} is not an IP address`);
  const server = await bootstrap.ipServer(ctx, address);
  if (server === undefined) return outcome('rdap-ip', 'failed', `no RDAP server for ${address} in the bootstrap`);
  const got = await getRdap(ctx, `${server}ip/${address}`, (host) => `no network holding ${address} at ${host}`);
  if (!got.ok) return outcome('rdap-ip', got.status, got.detail);
  const cls = typeof got.json.objectClassName === 'string' ? got.json.objectClassName.trim().toLowerCase() : undefined;
  if (got.json.errorCode === undefined && cls !== 'ip network') return outcome('rdap-ip', 'failed', `${got.host} answered RDAP that is not an ip network`);
  const parsed = rdapResponseRecords(got.json, 1, { source: 'rdap-ip' });
  if (parsed.records.length === 0 && parsed.errors.length > 0) {
    return outcome('rdap-ip', 'failed', `${got.host}: ${parsed.errors[0]!.message}`);
  }
  const handle = typeof got.json.handle === 'string' ? ` ${got.json.handle}` : '';
  // The registration as of this fetch: a fresh reply replaces an older one (the store keeps the newest observation).
  const records = parsed.records.map((r) => (r.kind === 'network' ? { ...r, observed: ctx.now } : r));
  return outcome('rdap-ip', 'ok', `${got.host}${handle}`, records);
}
