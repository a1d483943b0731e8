// Accounts: organisations, users with scrypt-hashed passwords, roles, API keys (shown once,
// stored as SHA-256), browser sessions, and who may do what.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import {
  apiKeyByHash,
  insertApiKey,
  insertSession,
  memberships,
  sessionByHash,
  setMembership,
  touchApiKey,
  upsertUser,
  userByEmail,
  type Role,
} from '../store/accounts.js';
import { ensureOrg } from '../store/orgs.js';
import type { Store } from '../store/store.js';

export class AccountError extends Error {}

function scrypt(password: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

// OWASP's scrypt parameters (N=2^17, r=8, p=1) need 128 MiB; tests lower N through the env,
// read at each hash so a test may set it after this module loaded. Stored hashes carry their
// own parameters, so verifying never depends on it.
function scryptParams(): { N: number; r: number; p: number; maxmem: number } {
  return { N: Number(process.env.WARREN_SCRYPT_N ?? 2 ** 17), r: 8, p: 1, maxmem: MAXMEM };
}
const MAXMEM = 256 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const params = scryptParams();
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, 32, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return timingSafeEqual(key, expected);
}

export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
export const ORG_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 1024;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function addOrg(store: Store, name: string, now: string): Promise<void> {
  if (!ORG_NAME.test(name)) throw new AccountError(`organisation name "${name}" must be 1-64 of a-z 0-9 . _ - starting with a letter or digit`);
  await ensureOrg(store.db, name, now);
}

export async function addUser(store: Store, opts: { email: string; org: string; role: Role; password?: string; now: string }): Promise<void> {
  const email = opts.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new AccountError(`"${opts.email}" is not an email address`);
  if (opts.password !== undefined && (opts.password.length < MIN_PASSWORD || opts.password.length > MAX_PASSWORD)) {
    throw new AccountError(`the password must have ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`);
  }
  const hash = opts.password === undefined ? null : await hashPassword(opts.password);
  await store.db.transaction().execute(async (trx) => {
    await ensureOrg(trx, opts.org, opts.now);
    const existing = await userByEmail(trx, email);
    await upsertUser(trx, email, hash ?? existing?.passwordHash ?? null, opts.now);
    await setMembership(trx, opts.org, email, opts.role);
  });
}

/** `wk_<id>_<secret>`: the id names the key in lists; the whole key is only ever hashed. */
export async function createApiKey(store: Store, email: string, name: string, now: string): Promise<{ id: string; key: string }> {
  const user = await userByEmail(store.db, email.trim().toLowerCase());
  if (!user) throw new AccountError(`no user ${email}`);
  if (name.length === 0 || name.length > 100) throw new AccountError('an API key name has 1 to 100 characters');
  const id = randomBytes(6).toString('hex');
  const key = `wk_${id}_${randomBytes(32).toString('base64url')}`;
  await insertApiKey(store.db, { id, email: user.email, name, keyHash: sha256(key), now });
  return { id, key };
}

export interface Principal {
  readonly email: string;
  readonly memberships: readonly { org: string; role: Role }[];
  readonly via: 'key' | 'session';
  /** The session's CSRF token, for cookie-authenticated writes. */
  readonly csrf?: string;
}

/** The user an API key belongs to, checking the email when one is given (HTTP Basic). */
export async function principalForKey(store: Store, key: string, email: string | undefined, now: string): Promise<Principal | undefined> {
  if (key.length > 200) return undefined;
  const row = await apiKeyByHash(store.db, sha256(key));
  if (!row || (email !== undefined && row.email !== email.trim().toLowerCase())) return undefined;
  // last_used to the minute is enough and saves a write per request under load.
  if (row.lastUsed === null || row.lastUsed.slice(0, 16) !== now.slice(0, 16)) await touchApiKey(store.db, row.id, now);
  return { email: row.email, memberships: await memberships(store.db, row.email), via: 'key' };
}

export async function login(store: Store, email: string, password: string, now: Date, ttlHours = 12): Promise<{ session: string; csrf: string } | undefined> {
  const user = await userByEmail(store.db, email.trim().toLowerCase());
  if (!user?.passwordHash || password.length > MAX_PASSWORD) return undefined;
  if (!(await verifyPassword(password, user.passwordHash))) return undefined;
  const session = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const iso = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
  await insertSession(store.db, { idHash: sha256(session), email: user.email, csrf, now: iso(now), expires: iso(new Date(now.getTime() + ttlHours * 3_600_000)) });
  return { session, csrf };
}

export async function principalForSession(store: Store, session: string, now: string): Promise<Principal | undefined> {
  if (session.length > 200) return undefined;
  const s = await sessionByHash(store.db, sha256(session), now);
  if (!s) return undefined;
  return { email: s.email, memberships: await memberships(store.db, s.email), via: 'session', csrf: s.csrf };
}

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
