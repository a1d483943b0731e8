// A server on a fresh SQLite store (or PostgreSQL), with organisations, users of every role and
// their API keys, for the API tests. Requests go through fastify's inject (no sockets).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildServer, type ServerOptions } from '../server.js';
import { addOrg, addUser, createApiKey } from '../../services/accounts.js';
import type { Role } from '../../store/accounts.js';
import { Store } from '../../store/store.js';

export const NOW = new Date('2026-03-01T12:00:00Z');

export interface TestUser {
  readonly email: string;
  readonly key: string;
  readonly org: string;
  readonly role: Role;
}

export interface TestApi {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly users: Record<string, TestUser>;
  request(user: TestUser | undefined, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Users: a-admin, a-analyst, a-viewer in org "acme"; b-admin, b-analyst in org "beta"; each
 * with a password and an API key of their organisation. None is a server admin. */
export async function testApi(url?: string, server: Pick<ServerOptions, 'outboundGuard' | 'live'> = {}): Promise<TestApi> {
  process.env.WARREN_SCRYPT_N ??= '1024';
  const dir = url ? undefined : mkdtempSync(join(tmpdir(), 'warren-api-'));
  const store = await Store.open(url ?? `sqlite:${join(dir!, 'api.db')}`);
  const now = '2026-03-01T12:00:00Z';
  const users: Record<string, TestUser> = {};
  for (const [name, org, role] of [
    ['a-admin', 'acme', 'admin'],
    ['a-analyst', 'acme', 'analyst'],
    ['a-viewer', 'acme', 'viewer'],
    ['b-admin', 'beta', 'admin'],
    ['b-analyst', 'beta', 'analyst'],
  ] as const) {
    await addOrg(store, org, now);
    const email = `${name}@example.com`;
    await addUser(store, { email, org, role, password: `${name}-password-long`, now });
    users[name] = { email, key: (await createApiKey(store, email, 'test', now, org)).key, org, role };
  }
  const app = await buildServer({ store, clock: () => NOW, ...server });
  return {
    app,
    store,
    users,
    request: (user, opts) =>
      app.inject({
        ...opts,
        headers: { ...(user ? { authorization: `Basic ${Buffer.from(`${user.email}:${user.key}`).toString('base64')}` } : {}), ...(opts.headers ?? {}) },
      }),
    close: async () => {
      await app.close();
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The test API of a whole test file: made before its first test (by testApi, with the same
 * arguments), closed after its last. Its members may be used only inside tests and hooks. */
export function useTestApi(...args: Parameters<typeof testApi>): TestApi {
  let made: TestApi | undefined;
  beforeAll(async () => {
    made = await testApi(...args);
  });
  afterAll(async () => {
    await made?.close();
  });
  const live = (): TestApi => {
    if (!made) throw new Error('the test API is made in beforeAll: use it inside a test or a hook');
    return made;
  };
  return {
    get app() {
      return live().app;
    },
    get store() {
      return live().store;
    },
    get users() {
      return live().users;
    },
    request: (user, opts) => live().request(user, opts),
    close: () => live().close(),
  };
}
