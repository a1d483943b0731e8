// Browser sessions: POST /session (email, password) sets an HttpOnly SameSite=Lax cookie and
// returns the CSRF token the UI sends on writes; DELETE /session signs out; GET /me says who
// you are. Logins are rate limited per address and per account.
import type { FastifyInstance } from 'fastify';
import { login } from '../../services/accounts.js';
import { deleteSession } from '../../store/accounts.js';
import { sha256 } from '../../services/accounts.js';
import { SESSION_COOKIE } from '../auth.js';
import { ApiError, unauthorized } from '../errors.js';
import type { AppContext } from '../server.js';

/** Failed logins per key (address, account) within the window before answering 429. */
const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60_000;

class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  blocked(key: string, now: number): boolean {
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    this.failures.set(key, recent);
    return recent.length >= MAX_FAILURES;
  }
  fail(key: string, now: number): void {
    this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
    if (this.failures.size > 100_000) this.failures.clear();
  }
}

export function registerSession(app: FastifyInstance, ctx: AppContext): void {
  const limiter = new LoginLimiter();
  app.post(
    '/session',
    {
      config: { auth: 'none' },
      bodyLimit: 4096,
      schema: {
        tags: ['session'],
        summary: 'sign in (browser session)',
        security: [],
        body: {
          type: 'object',
          properties: { email: { type: 'string', minLength: 3, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
          required: ['email', 'password'],
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { email: { type: 'string' }, csrf: { type: 'string' } }, required: ['email', 'csrf'] } },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body as { email: string; password: string };
      const now = ctx.clock();
      const keys = [`ip:${request.ip}`, `user:${email.trim().toLowerCase()}`];
      if (keys.some((k) => limiter.blocked(k, now.getTime()))) throw new ApiError(429, 'rate_limited', 'too many failed sign-ins; try again later');
      const s = await login(ctx.store, email, password, now);
      if (!s) {
        for (const k of keys) limiter.fail(k, now.getTime());
        throw unauthorized('wrong email or password');
      }
      void reply.setCookie(SESSION_COOKIE, s.session, { httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, path: '/' });
      return { email: email.trim().toLowerCase(), csrf: s.csrf };
    },
  );
  app.delete('/session', { schema: { tags: ['session'], summary: 'sign out' } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await deleteSession(ctx.store.db, sha256(cookie));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  app.get(
    '/me',
    {
      schema: {
        tags: ['session'],
        summary: 'who you are and your organisations',
        response: {
          200: {
            type: 'object',
            properties: {
              email: { type: 'string' },
              organisations: { type: 'array', items: { type: 'object', properties: { org: { type: 'string' }, role: { type: 'string' } }, required: ['org', 'role'] } },
              csrf: { type: 'string' },
            },
            required: ['email', 'organisations'],
          },
        },
      },
    },
    (request) => {
      const p = request.principal!;
      return Promise.resolve({ email: p.email, organisations: p.memberships, ...(p.csrf ? { csrf: p.csrf } : {}) });
    },
  );
}
