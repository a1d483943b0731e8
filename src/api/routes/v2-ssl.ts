// PassiveTotal v2 certificates: one certificate, the search by field, and where certificates were
// served (history).
import type { FastifyInstance } from 'fastify';
import { identify } from '../../services/lookup.js';
import { access } from '../auth.js';
import { badRequest } from '../errors.js';
import {
  certificateMatches,
  dnFieldOf,
  fingerprintOf,
  opensslDate,
  parseCertificateDate,
  presentCertificate,
  ptDay,
  type CertificateView,
} from '../presenters/passivetotal.js';
import type { AppContext } from '../server.js';
import { certificateCandidates, certificatesBySha256, jsonLikePattern, sightings, type CertificateFilter, type Sighting } from '../../store/passivetotal-queries.js';
import { CERTIFICATE_FIELD, CERTIFICATE_RESULTS, HISTORY_RESULTS, PT_TAG, querystring } from './v2-schemas.js';

/** At most this many certificates per answer. */
export const CERTIFICATE_LIMIT = 100;
const PAGE = 200;
const MAX_CANDIDATES = 50_000;

function minTime(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null || a <= b ? a : b;
}
function maxTime(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null || a >= b ? a : b;
}

/** Upper-case hex of a serial as the x509 parser stores a non-negative one (even length). */
function positiveHex(n: bigint): string {
  const h = n.toString(16).toUpperCase();
  return h.length % 2 === 1 ? `0${h}` : h;
}

/** The minimal two's complement bytes of a negative serial, as hex. */
function negativeHex(n: bigint): string {
  let bytes = 1;
  while (n < -(1n << BigInt(8 * bytes - 1))) bytes++;
  return (n + (1n << BigInt(8 * bytes))).toString(16).toUpperCase().padStart(2 * bytes, '0');
}

interface SearchPlan {
  readonly filter: CertificateFilter | undefined;
  /** The query as the presented value reads, for the confirmation in code. */
  readonly value: string;
}

function hexSha1(text: string, field: string): string {
  const h = text.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(h)) throw badRequest(`${field} must be a SHA-1: 40 hex digits, colons allowed`);
  return h;
}

/** How to search: the SQL prefilter (undefined: nothing can match) and the value to confirm. */
function plan(field: string, query: string): SearchPlan {
  switch (field) {
    case 'sha1': {
      const h = hexSha1(query, field);
      return { filter: { kind: 'sha1', sha1: h }, value: h };
    }
    case 'fingerprint': {
      const h = hexSha1(query, field);
      return { filter: { kind: 'sha1', sha1: h }, value: fingerprintOf(h) };
    }
    case 'serialNumber': {
      if (!/^-?\d{1,200}$/.test(query)) throw badRequest('serialNumber must be a decimal integer');
      const n = BigInt(query);
      // Non-negative serials are stored as their hex; negative ones end with their minimal
      // two's complement bytes (a redundant 0xFF prefix only adds bytes in front).
      const pattern = n >= 0n ? jsonLikePattern(positiveHex(n), '%"', '"%') : jsonLikePattern(negativeHex(n), '%', '"%');
      return { filter: { kind: 'like', pattern }, value: n.toString(10) };
    }
    case 'sslVersion':
      return { filter: /^\d{1,3}$/.test(query) ? { kind: 'all' } : undefined, value: query };
    case 'issueDate':
    case 'expirationDate': {
      const iso = parseCertificateDate(query);
      if (!iso) throw badRequest(`${field} must read like "Apr 27 23:59:59 2017 GMT" (or ISO 8601)`);
      return { filter: { kind: field === 'issueDate' ? 'not_before' : 'not_after', iso }, value: opensslDate(iso)! };
    }
    default: {
      const dn = dnFieldOf(field);
      if (dn && dn.field === undefined) return { filter: undefined, value: query };
      return { filter: { kind: 'like', pattern: jsonLikePattern(query) }, value: query };
    }
  }
}

async function search(ctx: AppContext, field: string, query: string): Promise<CertificateView[]> {
  const p = plan(field, query);
  if (!p.filter) return [];
  const out: CertificateView[] = [];
  let after: string | undefined;
  for (let seen = 0; seen < MAX_CANDIDATES && out.length < CERTIFICATE_LIMIT; ) {
    const rows = await certificateCandidates(ctx.store.db, p.filter, after, PAGE);
    if (rows.length === 0) break;
    seen += rows.length;
    after = rows[rows.length - 1]!.sha256;
    for (const r of rows) {
      const view = presentCertificate(r);
      if (certificateMatches(r, view, field, p.value)) out.push(view);
      if (out.length >= CERTIFICATE_LIMIT) break;
    }
    if (rows.length < PAGE) break;
  }
  return out;
}

interface HistoryItem {
  sha1: string;
  firstSeen: string | null;
  lastSeen: string | null;
  ipAddresses: string[];
}

/** One history item per certificate, over the sightings the query selected. */
async function history(ctx: AppContext, seen: Sighting[], fallback?: string): Promise<HistoryItem[]> {
  const bySha = new Map<string, Sighting[]>();
  for (const s of seen) bySha.set(s.sha256, [...(bySha.get(s.sha256) ?? []), s]);
  if (fallback !== undefined && !bySha.has(fallback)) bySha.set(fallback, []);
  const certs = await certificatesBySha256(ctx.store.db, [...bySha.keys()]);
  const out: (HistoryItem & { first: string | null; last: string | null })[] = [];
  for (const [sha256, list] of bySha) {
    const cert = certs.get(sha256);
    // Known only by SHA-256 (a sighting without the certificate): no SHA-1 to answer with.
    if (!cert) continue;
    let first: string | null = null;
    let last: string | null = null;
    for (const s of list) {
      first = minTime(first, s.firstSeen);
      last = maxTime(last, s.lastSeen);
    }
    if (list.length === 0) {
      first = cert.firstSeen;
      last = cert.lastSeen;
    }
    const ipAddresses = [...new Set(list.map((s) => s.ip))].sort();
    out.push({ sha1: cert.sha1, firstSeen: ptDay(first), lastSeen: ptDay(last), ipAddresses, first, last });
  }
  out.sort((a, b) => {
    if (a.last !== b.last) {
      if (a.last === null) return 1;
      if (b.last === null) return -1;
      return a.last > b.last ? -1 : 1;
    }
    return a.sha1 < b.sha1 ? -1 : a.sha1 > b.sha1 ? 1 : 0;
  });
  return out.slice(0, CERTIFICATE_LIMIT).map(({ sha1, firstSeen, lastSeen, ipAddresses }) => ({ sha1, firstSeen, lastSeen, ipAddresses }));
}

function certificateOrIp(query: string): { kind: 'certificate' | 'ip'; id: string } {
  const ref = identify(query);
  if (!ref || ref.kind === 'domain') throw badRequest(`"${query}" is not a certificate SHA-1 or an IP address`);
  return { kind: ref.kind, id: ref.id };
}

export function registerV2Ssl(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/ssl-certificate',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: 'a certificate by SHA-1 (or SHA-256), or the certificates served on an IP; results are empty when unknown',
        querystring: querystring(),
        response: { 200: CERTIFICATE_RESULTS },
      },
    },
    async (request) => {
      access(request);
      const ref = certificateOrIp((request.query as { query: string }).query);
      if (ref.kind === 'certificate') {
        const cert = await ctx.store.certificate(ref.id);
        return { results: cert ? [presentCertificate(cert)] : [] };
      }
      const shas = [...new Set((await sightings(ctx.store.db, { ip: ref.id })).map((s) => s.sha256))];
      const certs = [...(await certificatesBySha256(ctx.store.db, shas)).values()].sort((a, b) => (a.sha1 < b.sha1 ? -1 : 1));
      return { results: certs.slice(0, CERTIFICATE_LIMIT).map(presentCertificate) };
    },
  );

  app.get(
    '/ssl-certificate/search',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: `certificates whose field equals the value (case-insensitive; name: a substring of a CN or SAN), at most ${CERTIFICATE_LIMIT}`,
        querystring: querystring({ field: CERTIFICATE_FIELD }, ['query', 'field']),
        response: { 200: CERTIFICATE_RESULTS },
      },
    },
    async (request) => {
      access(request);
      const { query, field } = request.query as { query: string; field: string };
      const value = query.trim();
      if (value === '') throw badRequest('query must not be blank');
      return { results: await search(ctx, field, value) };
    },
  );

  app.get(
    '/ssl-certificate/history',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: 'where a certificate was served (by SHA-1), or which certificates an IP served: first and last seen, IPs',
        querystring: querystring(),
        response: { 200: HISTORY_RESULTS },
      },
    },
    async (request) => {
      access(request);
      const ref = certificateOrIp((request.query as { query: string }).query);
      if (ref.kind === 'ip') return { results: await history(ctx, await sightings(ctx.store.db, { ip: ref.id })) };
      const cert = await ctx.store.certificate(ref.id);
      if (!cert) return { results: [] };
      return { results: await history(ctx, await sightings(ctx.store.db, { sha256: cert.sha256 }), cert.sha256) };
    },
  );
}
