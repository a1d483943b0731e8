// Live WHOIS over port 43 (live.md, source `whois`), for TLDs the RDAP bootstrap does not cover:
// ask the first referral server (IANA by default), follow `refer:` (IANA), `whois:` and
// `Registrar WHOIS Server:` referrals — at most 3 servers asked in all, none twice — and parse the
// last reply that describes the domain (the registrar's, else the registry's). Connections only
// through guardedConnect, one query per server through the per-server limiter.
import type { Socket } from 'node:net';
import { normaliseDomain } from '../fields/domain.js';
import { NOT_FOUND_MESSAGE, parseWhois, RATE_LIMITED_MESSAGE } from '../ingest/parsers/whois/whois.js';
import type { ParseResult, WhoisRecord } from '../ingest/records.js';
import { GuardRefusedError, OutboundError } from '../net/guarded-http.js';
import { guardedConnect } from '../net/guarded-socket.js';
import type { Parsed } from './bootstrap.js';
import { RetryLater } from './limiter.js';
import { unreachable } from './rdap.js';
import type { LiveContext, LiveOutcome } from './types.js';

export interface WhoisServer {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_WHOIS_SERVER: WhoisServer = { host: 'whois.iana.org', port: 43 };
/** Servers asked for one domain, the first included (IANA → registry → registrar). */
export const MAX_WHOIS_HOPS = 3;
export const MAX_WHOIS_BYTES = 1024 * 1024;
/** How long a server that answered "rate limit exceeded" is left alone (it names no time). */
const RATE_LIMIT_BACKOFF_MS = 60_000;

/** `host[:port]` (IPv6 literals in brackets) → a server; the port defaults to 43. */
export function parseWhoisServer(text: string | undefined): Parsed<WhoisServer> {
  const t = (text ?? '').trim();
  if (t === '') return { ok: true, value: DEFAULT_WHOIS_SERVER };
  const m = /^(?:\[([0-9a-f:.]+)\]|([^\s:[\]/]+))(?::(\d{1,5}))?$/i.exec(t);
  const port = m?.[3] === undefined ? 43 : Number(m[3]);
  if (!m || port < 1 || port > 65535) return { ok: false, error: `WARREN_WHOIS_SERVER: ${JSON.stringify(t)} is not host[:port]` };
  return { ok: true, value: { host: (m[1] ?? m[2]!).toLowerCase(), port } };
}

export interface WhoisOptions {
  /**
   * Where a referral's host is reached. Replies name a host only, and WHOIS is port 43, which is
   * the default. Tests (and labs) map the names their servers refer to onto local ports here.
   */
  readonly resolveServer?: (host: string) => WhoisServer;
}

/** What one server answered. */
interface Reply {
  readonly server: string;
  readonly text: string;
  readonly parsed: ParseResult;
}

function shown(s: WhoisServer): string {
  return s.port === 43 ? s.host : `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`;
}

/** Bytes as text: UTF-8 when they are UTF-8, else latin1 (older registries' replies). */
export function decodeReply(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  return text.replace(/^\uFEFF/, '');
}

const REFERRALS: readonly RegExp[] = [
  /^[ \t]*refer:[ \t]*(\S+)/im,
  /^[ \t]*Registrar WHOIS Server:[ \t]*(\S+)/im,
  /^[ \t]*whois:[ \t]*(\S+)/im,
  /^[ \t]*ReferralServer:[ \t]*(whois:\/\/\S+)/im,
];

/** The host a reply refers to, if any: a name or an address, without scheme, port or path. */
export function referralHost(text: string): string | undefined {
  for (const re of REFERRALS) {
    const m = re.exec(text);
    if (!m) continue;
    // `whois://whois.ripe.net`, `http://whois.godaddy.com/`, `whois.nic.fr:43` → the host alone:
    // a referral never chooses the port (a reply must not point Warren at arbitrary services).
    const bare = m[1]!.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/?#].*$/, '').replace(/:\d+$/, '');
    const host = normaliseDomain(bare);
    if (host !== undefined && host.includes('.')) return host;
  }
  return undefined;
}

/** Sends the query and reads the reply to its end (or MAX_WHOIS_BYTES), within the deadline. */
function exchange(socket: Socket, query: string, deadline: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error && size === 0) reject(error);
      // A server that closes abruptly after answering has still answered.
      else resolve(Buffer.concat(chunks).subarray(0, MAX_WHOIS_BYTES));
    };
    const timer = setTimeout(() => finish(new OutboundError('timeout', 'no reply in time')), Math.max(1, deadline - Date.now()));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= MAX_WHOIS_BYTES) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish(new OutboundError('unreachable', 'connection closed before a reply')));
    socket.on('error', (e: Error) => {
      const code = (e as { code?: unknown }).code;
      finish(new OutboundError('unreachable', typeof code === 'string' && !e.message.includes(code) ? `${code}: ${e.message}` : e.message));
    });
    socket.write(query);
  });
}

async function ask(ctx: LiveContext, server: WhoisServer, domain: string): Promise<Reply> {
  const key = `${server.host}:${server.port}`;
  return ctx.limiter.run(key, async () => {
    const deadline = Date.now() + ctx.timeoutMs;
    const socket = await guardedConnect({ host: server.host, port: server.port, guard: ctx.guard, timeoutMs: ctx.timeoutMs, ...(ctx.signal !== undefined && { signal: ctx.signal }) });
    const text = decodeReply(await exchange(socket, `${domain}\r\n`, deadline));
    const parsed = parseWhois(text, { domain, source: 'whois' });
    // Thrown inside the task so that the limiter rests this server.
    if (parsed.errors[0]?.message === RATE_LIMITED_MESSAGE) throw new RetryLater(RATE_LIMIT_BACKOFF_MS, `${shown(server)} rate-limited the query`);
    return { server: shown(server), text, parsed };
  });
}

function why(e: unknown, server: string, timeoutMs: number): { status: 'refused' | 'failed'; detail: string } {
  if (e instanceof GuardRefusedError) return { status: 'refused', detail: `${server}: ${e.message}` };
  if (e instanceof RetryLater) return { status: 'failed', detail: `rate-limited by ${server}` };
  if (e instanceof OutboundError) {
    if (e.failure === 'timeout') return { status: 'failed', detail: `no answer from ${server} within ${timeoutMs} ms` };
    if (e.failure === 'interrupted') return { status: 'failed', detail: `interrupted while asking ${server}` };
    return { status: 'failed', detail: unreachable(server, e.message) };
  }
  return { status: 'failed', detail: `${server}: ${e instanceof Error ? e.message : String(e)}` };
}

/** A reply's record when it describes `domain` itself (IANA's reply describes the TLD). */
function usefulRecord(reply: Reply, domain: string): WhoisRecord | undefined {
  const r = reply.parsed.records[0];
  if (r?.kind !== 'whois' || r.domain !== domain) return undefined;
  // A record holding nothing but the text is a reply the parser could not read.
  return Object.keys(r.fields).some((f) => f !== 'whois.raw') ? r : undefined;
}

/**
 * The registration data port-43 WHOIS gives for a domain (source `whois`), observed at ctx.now,
 * with the reply text as `whois.raw`.
 */
export async function fetchDomainWhois(ctx: LiveContext, domain: string, firstServer: WhoisServer = DEFAULT_WHOIS_SERVER, opts: WhoisOptions = {}): Promise<LiveOutcome> {
  try {
    return await domainWhois(ctx, domain, firstServer, opts);
  } catch (e) {
    return { source: 'whois', status: 'failed', detail: `internal error: ${e instanceof Error ? e.message : String(e)}`, records: [] };
  }
}

async function domainWhois(ctx: LiveContext, domain: string, firstServer: WhoisServer, opts: WhoisOptions): Promise<LiveOutcome> {
  const name = normaliseDomain(domain);
  if (name === undefined) return { source: 'whois', status: 'failed', detail: `${JSON.stringify(domain)} is not a domain name`, records: [] };
  const resolve = opts.resolveServer ?? ((host: string): WhoisServer => ({ host, port: 43 }));
  const replies: Reply[] = [];
  const notes: string[] = [];
  const asked = new Set<string>();
  let next: WhoisServer | undefined = firstServer;
  let stopped: { status: 'refused' | 'failed'; detail: string } | undefined;
  while (next !== undefined) {
    const server: WhoisServer = next;
    next = undefined;
    asked.add(`${server.host}:${server.port}`);
    let reply: Reply;
    try {
      reply = await ask(ctx, server, name);
    } catch (e) {
      stopped = why(e, shown(server), ctx.timeoutMs);
      break;
    }
    replies.push(reply);
    const host = referralHost(reply.text);
    if (host === undefined) break;
    const target = resolve(host);
    if (asked.has(`${target.host}:${target.port}`)) {
      // A registrar naming itself is the end of the chain; naming an earlier server is a loop.
      if (`${target.host}:${target.port}` !== `${server.host}:${server.port}`) notes.push(`referral loop to ${host} not followed`);
      break;
    }
    if (replies.length >= MAX_WHOIS_HOPS) {
      notes.push(`referral to ${host} not followed (at most ${MAX_WHOIS_HOPS} servers)`);
      break;
    }
    next = target;
  }
  const path = replies.map((r) => r.server).join(' → ');
  for (let i = replies.length - 1; i >= 0; i--) {
    const record = usefulRecord(replies[i]!, name);
    if (record === undefined) continue;
    if (stopped !== undefined) notes.push(`then ${stopped.detail}`);
    const live: WhoisRecord = { ...record, observed: ctx.now, source: 'whois' };
    return { source: 'whois', status: 'ok', detail: [`${path}: from ${replies[i]!.server}`, ...notes].join('; '), records: [live] };
  }
  if (stopped !== undefined) return { source: 'whois', status: stopped.status, detail: stopped.detail, records: [] };
  const last = replies.at(-1)!;
  const error = last.parsed.errors[0]?.message;
  if (error === NOT_FOUND_MESSAGE) return { source: 'whois', status: 'failed', detail: `no such domain at ${last.server}`, records: [] };
  return { source: 'whois', status: 'failed', detail: `${last.server} answered something that is not a WHOIS record for ${name}${error !== undefined ? ` (${error})` : ''}`, records: [] };
}
