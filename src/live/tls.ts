// The `tls` live source (live.md): a TLS handshake to each address and port, the certificates
// the peer presents read and parsed, nothing verified or trusted. The handshake is all: no
// request is sent, the connection is closed as soon as the chain is read.
//
// What it records:
// - every certificate presented (leaf and chain) as a CertificateRecord, parsed by the parser
//   the `der` and `pem` formats use;
// - a `served` relation ip:port → the leaf only. The leaf is what the address presents as
//   itself; an intermediate is shared by every site of its CA, and signatures on certificate
//   fields reach every IP that served the certificate (services/targets.ts), so one signature on
//   a CA's intermediate would otherwise reach every address behind that CA. What the chain says
//   of the issuer stays searchable through the leaf's own x509.issuer.* fields.
// - a `names` relation SNI name → leaf when the name is not one the store derives from the leaf
//   itself (its SAN DNS names and CN): a wildcard's concrete host, or a name answered with a
//   certificate that does not name it (records.ts NamesRecord).
import { createHash, type X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import { certificateFromDer } from '../ingest/parsers/x509/x509.js';
import type { IngestRecord, Observation } from '../ingest/records.js';
import { GuardRefusedError, OutboundError } from '../net/guarded-http.js';
import { guardedConnect } from '../net/guarded-socket.js';
import type { LiveContext, LiveOutcome } from './types.js';

export interface TlsTarget {
  readonly ip: string;
  readonly port: number;
  /** SNI; ignored when it is an IP literal or not a domain name (no SNI is sent then). */
  readonly servername?: string;
}

/** More certificates than any real chain holds; a peer sending more is cut off here. */
const MAX_CHAIN = 10;

type TargetResult =
  | { readonly kind: 'ok'; readonly chain: Buffer[] }
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'failed'; readonly detail: string };

// Whatever the peer offers is accepted: a certificate grab wants the certificate of old and odd
// servers too (TLS 1.0, small keys, SHA-1), and nothing here is trusted or sent. An empty CA list
// keeps the trust store out of it entirely.
const GRAB_OPTIONS: tls.ConnectionOptions = {
  rejectUnauthorized: false,
  minVersion: 'TLSv1',
  ciphers: 'DEFAULT:@SECLEVEL=0',
  ca: [],
};

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The DER of the leaf and of each certificate sent after it, in the order sent. */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  // getPeerX509Certificate's issuerCertificate links follow the chain as the peer sent it (not
  // the trust store); a certificate met again (a self-issued loop, a repeated one) ends it.
  for (let c: X509Certificate | undefined = socket.getPeerX509Certificate(); c !== undefined && out.length < MAX_CHAIN; c = c.issuerCertificate) {
    if (seen.has(c.fingerprint256)) break;
    seen.add(c.fingerprint256);
    out.push(c.raw);
  }
  return out;
}

const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by the server',
};

/** guardedConnect's words ("connect ECONNREFUSED 127.0.0.1:443") as a person would say them. */
function connectError(message: string): string {
  const code = /\b(E[A-Z]+)\b/.exec(message)?.[1];
  return (code !== undefined && SOCKET_ERRORS[code]) || message;
}

function handshakeError(e: Error): string {
  const code = (e as { code?: unknown }).code;
  const reason = (e as { reason?: unknown }).reason;
  if (typeof code === 'string' && SOCKET_ERRORS[code] !== undefined) return `${SOCKET_ERRORS[code]} during the TLS handshake`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST') {
    return 'not a TLS server (its reply is not a TLS handshake)';
  }
  if (typeof reason === 'string' && reason !== '') return `TLS handshake failed: ${reason}`;
  return `TLS handshake failed: ${e.message}`;
}

/** One handshake; never throws. `timeoutMs` covers the connection and the handshake together. */
async function grabOne(ctx: LiveContext, ip: string, port: number, servername: string | undefined): Promise<TargetResult> {
  const started = Date.now();
  let socket;
  try {
    socket = await guardedConnect({ host: ip, port, guard: ctx.guard, timeoutMs: ctx.timeoutMs, ...(ctx.signal && { signal: ctx.signal }) });
  } catch (e) {
    if (e instanceof GuardRefusedError) return { kind: 'refused', detail: e.message.replace(/^refused: /, '') };
    if (e instanceof OutboundError && e.failure === 'timeout') return { kind: 'failed', detail: `no connection within ${ctx.timeoutMs} ms` };
    return { kind: 'failed', detail: connectError(e instanceof Error ? e.message : String(e)) };
  }
  const remaining = Math.max(1, ctx.timeoutMs - (Date.now() - started));
  return new Promise<TargetResult>((resolve) => {
    const secure = tls.connect({ ...GRAB_OPTIONS, socket, ...(servername !== undefined && { servername }) });
    let settled = false;
    const finish = (result: TargetResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      secure.destroy();
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'failed', detail: `no TLS handshake within ${ctx.timeoutMs} ms` }), remaining);
    const onAbort = (): void => finish({ kind: 'failed', detail: 'interrupted' });
    if (ctx.signal?.aborted) onAbort();
    else ctx.signal?.addEventListener('abort', onAbort, { once: true });
    secure.once('secureConnect', () => {
      let chain: Buffer[];
      try {
        chain = peerChain(secure);
      } catch (e) {
        finish({ kind: 'failed', detail: `the certificates could not be read: ${(e as Error).message}` });
        return;
      }
      finish(chain.length === 0 ? { kind: 'failed', detail: 'the server presented no certificate' } : { kind: 'ok', chain });
    });
    secure.on('error', (e: Error) => finish({ kind: 'failed', detail: handshakeError(e) }));
    secure.once('close', () => finish({ kind: 'failed', detail: 'connection closed before the TLS handshake finished' }));
  });
}

interface Parsed {
  readonly sha256: string;
  /** The names the store derives from it. */
  readonly names: ReadonlySet<string>;
  /** Why the parser refused it. */
  readonly error?: string;
}

/**
 * One presented certificate's record, once per look-up. A certificate the parser refuses (OpenSSL
 * read it, so it is at least X.509-shaped) is kept by its fingerprints, so the address is still
 * known to have served it: an unparseable certificate on a server is itself worth finding.
 */
function certificate(der: Buffer, observation: Observation, seen: Map<string, Parsed>, records: IngestRecord[]): Parsed {
  const sha256 = createHash('sha256').update(der).digest('hex');
  let c = seen.get(sha256);
  if (c) return c;
  const record = certificateFromDer(new Uint8Array(der), observation);
  if ('error' in record) {
    const sha1 = createHash('sha1').update(der).digest('hex');
    records.push({ kind: 'certificate-fields', sha256, sha1, fields: { 'x509.sha256': [sha256], 'x509.sha1': [sha1] }, observation });
    c = { sha256, names: new Set(), error: record.error };
  } else {
    records.push(record);
    c = { sha256, names: ownNames(record.fields) };
  }
  seen.set(sha256, c);
  return c;
}

/** The names the store derives from a certificate (store/write.ts certificateNames), lower case. */
function ownNames(fields: Readonly<Record<string, string[]>>): Set<string> {
  return new Set([...(fields['x509.subject.common_name'] ?? []), ...(fields['x509.alternative_names'] ?? [])].map((v) => v.toLowerCase()));
}

/** SNI for a target: a normalised domain name, never an IP literal (RFC 6066 §3). */
function sniName(servername: string | undefined): string | undefined {
  if (servername === undefined || canonicalIp(servername) !== undefined) return undefined;
  return normaliseDomain(servername);
}

/**
 * The `tls` source: a handshake to each target (the caller sends at most 4 addresses × the TLS
 * ports), each independent and through the limiter (`tls:host:port`). Status 'ok' when at least
 * one target presented a certificate, 'refused' when the guard refused every target, else 'failed'.
 */
export async function grabCertificates(ctx: LiveContext, targets: readonly TlsTarget[]): Promise<LiveOutcome> {
  const unique = new Map<string, { ip: string | undefined; raw: string; port: number; sni: string | undefined }>();
  for (const t of targets) {
    const ip = canonicalIp(t.ip);
    const sni = sniName(t.servername);
    unique.set(`${ip ?? t.ip}\0${t.port}\0${sni ?? ''}`, { ip, raw: t.ip, port: t.port, sni });
  }
  if (unique.size === 0) return { source: 'tls', status: 'ok', detail: 'no address to connect to', records: [] };

  const results = await Promise.all(
    [...unique.values()].map(async (t) => {
      const server = hostPort(t.ip ?? t.raw, t.port);
      // The SNI is named too: one address and port may be asked for several names.
      const label = t.sni === undefined ? server : `${server} (${t.sni})`;
      if (t.ip === undefined) return { t, label, result: { kind: 'failed', detail: `"${t.raw}" is not an IP address` } as TargetResult };
      if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) return { t, label, result: { kind: 'failed', detail: `${t.port} is not a port` } as TargetResult };
      const ip = t.ip;
      let result: TargetResult;
      try {
        result = await ctx.limiter.run(`tls:${server}`, () => grabOne(ctx, ip, t.port, t.sni));
      } catch (e) {
        result = { kind: 'failed', detail: (e as Error).message };
      }
      return { t, label, result };
    }),
  );

  const observation: Observation = { source: 'tls', firstSeen: ctx.now, lastSeen: ctx.now };
  const records: IngestRecord[] = [];
  const certificates = new Map<string, Parsed>();
  const relations = new Set<string>();
  const details: string[] = [];
  const add = (key: string, record: IngestRecord): void => {
    if (relations.has(key)) return;
    relations.add(key);
    records.push(record);
  };

  for (const { t, label, result } of results) {
    if (result.kind === 'refused') {
      if (!details.includes(result.detail)) details.push(result.detail);
      continue;
    }
    if (result.kind === 'failed') {
      details.push(`${label}: ${result.detail}`);
      continue;
    }
    const parsed = result.chain.map((der) => certificate(der, observation, certificates, records));
    const leaf = parsed[0]!;
    const unread = parsed.filter((c) => c.error !== undefined).length;
    details.push(`${label}: ${result.chain.length} certificate${result.chain.length === 1 ? '' : 's'}${unread > 0 ? `, ${unread} not parsed (${parsed.find((c) => c.error)!.error})` : ''}`);
    add(`served\0${t.ip}\0${t.port}\0${leaf.sha256}`, { kind: 'served', sha256: leaf.sha256, ip: t.ip!, port: t.port, observation });
    if (t.sni !== undefined && !leaf.names.has(t.sni)) {
      add(`names\0${leaf.sha256}\0${t.sni}`, { kind: 'names', sha256: leaf.sha256, domain: t.sni, observation });
    }
  }

  const kinds = results.map((r) => r.result.kind);
  const status = kinds.includes('ok') ? 'ok' : kinds.every((k) => k === 'refused') ? 'refused' : 'failed';
  return { source: 'tls', status, detail: details.join('; '), records };
}

/** WARREN_TLS_PORTS: comma-separated ports → numbers, duplicates dropped. Throws an Error naming the bad entry. */
export function parsePorts(text: string): number[] {
  const out: number[] = [];
  for (const raw of text.split(',')) {
    const p = raw.trim();
    if (p === '') continue;
    const n = /^\d{1,5}$/.test(p) ? Number(p) : NaN;
    if (!(n >= 1 && n <= 65535)) throw new Error(`"${p}" is not a port (1 to 65535)`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
