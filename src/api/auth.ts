// Who is calling, and for which organisation. API keys as HTTP Basic `email:key` (what
// PassiveTotal's clients send) or `Authorization: Bearer key`; browser sessions by an HttpOnly
// cookie, with the CSRF token required on writes. A user who is not a member of an
// organisation gets 404 for it: its existence is not disclosed.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalForKey, principalForSession, roleAtLeast, type Principal } from '../services/accounts.js';
import { isoSeconds } from '../services/clock.js';
import type { Role } from '../services/accounts.js';
import type { Store } from '../store/store.js';
import { ApiError, badRequest, forbidden, notFound, unauthorized } from './errors.js';

export const SESSION_COOKIE = 'warren_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface Access {
  readonly principal: Principal;
  readonly org: string;
  readonly role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** 'none' for public routes; otherwise the least role the route needs in the organisation. */
    auth?: 'none' | Role;
  }
}

function basic(header: string): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export async function authenticate(store: Store, request: FastifyRequest, now: Date): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  const at = isoSeconds(now);
  if (header !== undefined) {
    if (header.length > 1000) return undefined;
    const b = basic(header);
    if (b) return principalForKey(store, b.password, b.user, at);
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer) return principalForKey(store, bearer[1]!, undefined, at);
    return undefined;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return principalForSession(store, cookie, at);
  return undefined;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The onRequest hook: 401 without valid credentials, 403 for a cookie write without CSRF. */
export function requireAuth(store: Store, clock: () => Date) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (request.routeOptions.config.auth === 'none') return;
    const principal = await authenticate(store, request, clock());
    if (!principal) {
      throw request.url.startsWith('/v2/') ? new ApiError(401, 'unauthorized', 'API key provided does not match any user.') : unauthorized();
    }
    if (principal.via === 'session' && !SAFE.has(request.method) && request.headers[CSRF_HEADER] !== principal.csrf) {
      throw forbidden('missing or wrong CSRF token (send the x-csrf-token header from login)');
    }
    request.principal = principal;
    // Organisation and role are checked before the body is read or validated: a caller who may
    // not write here learns nothing from validation errors, and no large body is parsed for them.
    const needed = request.routeOptions.config.auth;
    if (needed !== undefined) access(request, needed);
  };
}

/**
 * The organisation a request acts in, always one the caller chose: `?org=` or the
 * `X-Warren-Org` header; else the API key's organisation; else the user's default organisation
 * (while still a member); else the only one they belong to. Never a guess: with several and no
 * default, 400. A key made for one organisation acts only there (naming another is 404, as for a
 * non-member); 404 when the caller is not a member; 403 when the role is too low for the route.
 */
export function access(request: FastifyRequest, needed?: Role): Access {
  const principal = request.principal;
  if (!principal) throw unauthorized();
  const query = request.query as Record<string, unknown> | undefined;
  const header = request.headers['x-warren-org'];
  const asked = (typeof query?.org === 'string' ? query.org : undefined) ?? (typeof header === 'string' ? header : undefined);
  const org = chosenOrg(principal, asked);
  const membership = principal.memberships.find((m) => m.org === org);
  if (!membership) throw notFound(`organisation ${org}`);
  const role = needed ?? request.routeOptions.config.auth;
  if (role !== undefined && role !== 'none' && !roleAtLeast(membership.role, role)) throw forbidden();
  return { principal, org: membership.org, role: membership.role };
}

function chosenOrg(principal: Principal, asked: string | undefined): string {
  if (principal.keyOrg !== null) {
    if (asked !== undefined && asked !== principal.keyOrg) throw notFound(`organisation ${asked}`);
    return principal.keyOrg;
  }
  if (asked !== undefined) return asked;
  const { memberships, defaultOrg } = principal;
  if (defaultOrg !== null && memberships.some((m) => m.org === defaultOrg)) return defaultOrg;
  if (memberships.length === 1) return memberships[0]!.org;
  if (memberships.length === 0) throw forbidden('your account belongs to no organisation');
  throw badRequest('name an organisation with ?org= or set your default (PUT /api/v1/me/default-org)');
}

/**
 * Access to an organisation the URL names (TAXII's API roots): as `access`, but the
 * organisation is the path's. A key made for another organisation, or a caller who is not a
 * member, gets 404; a role below `needed`, 403.
 */
export function accessOrg(request: FastifyRequest, org: string, needed: Role = 'viewer'): Access {
  const principal = request.principal;
  if (!principal) throw unauthorized();
  const membership = principal.memberships.find((m) => m.org === org);
  if (!membership || (principal.keyOrg !== null && principal.keyOrg !== org)) throw notFound(`organisation ${org}`);
  if (!roleAtLeast(membership.role, needed)) throw forbidden();
  return { principal, org: membership.org, role: membership.role };
}

/** The organisations a caller may act in: its key's only, else every membership. */
export function reachableOrgs(request: FastifyRequest): string[] {
  const principal = request.principal;
  if (!principal) throw unauthorized();
  if (principal.keyOrg !== null) return principal.memberships.some((m) => m.org === principal.keyOrg) ? [principal.keyOrg] : [];
  return principal.memberships.map((m) => m.org);
}
