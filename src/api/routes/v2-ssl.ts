// PassiveTotal v2 certificates: one certificate, the search by field, and where certificates were
// served (history).
import type { FastifyInstance } from 'fastify';
import { identify } from '../../services/lookup.js';
import { liveFirst } from './v2-live.js';
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
import type { AppContext } from '../context.js';
import { certificateByHash, certificateHistory, certificatesServedOn, jsonLikePattern, searchCertificates, type CertificateFilter } from '../../services/passivetotal.js';
import { CERTIFICATE_FIELD, CERTIFICATE_RESULTS, HISTORY_RESULTS, PT_TAG, querystring } from './v2-schemas.js';

/** At most this many certificates per answer. */
export const CERTIFICATE_LIMIT = 100;

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
  return searchCertificates(
    ctx.store,
    p.filter,
    (r) => {
      const view = presentCertificate(r);
      return certificateMatches(r, view, field, p.value) ? view : undefined;
    },
    CERTIFICATE_LIMIT,
  );
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
      const { org } = access(request);
      const ref = certificateOrIp((request.query as { query: string }).query);
      if (ref.kind === 'ip') await liveFirst(ctx, org, ref);
      if (ref.kind === 'certificate') {
        const cert = await certificateByHash(ctx.store, ref.id);
        return { results: cert ? [presentCertificate(cert)] : [] };
      }
      return { results: (await certificatesServedOn(ctx.store, ref.id)).slice(0, CERTIFICATE_LIMIT).map(presentCertificate) };
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
      const items = await certificateHistory(ctx.store, ref.kind === 'ip' ? { ip: ref.id } : { certificate: ref.id }, CERTIFICATE_LIMIT);
      return { results: items.map((h) => ({ sha1: h.sha1, firstSeen: ptDay(h.firstSeen), lastSeen: ptDay(h.lastSeen), ipAddresses: h.ipAddresses })) };
    },
  );
}
