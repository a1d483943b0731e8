// Accounts: organisations, users with scrypt-hashed passwords, roles, invitations, API keys
// (shown once, stored as SHA-256, each acting in one organisation), browser sessions with a
// sign-in limit kept in the store, and who may do what.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import {
  apiKeyByHash,
  defaultOrgIfNone,
  deleteInvitation,
  insertApiKey,
  insertSession,
  invitationById,
  lockedLoginKeys,
  memberships,
  recordLoginFailures,
  sessionByHash,
  setMembership,
  setServerAdmin,
  touchApiKey,
  upsertInvitation,
  upsertUser,
  userByEmail,
  type InvitationRow,
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

/**
 * A hash of a random password at today's cost, verified when the email names no account (or one
 * without a password): sign-in then costs the same scrypt work either way, so its time does not
 * tell whether an account exists. One per cost (tests lower it).
 */
const dummyHashes = new Map<number, Promise<string>>();
function dummyHash(): Promise<string> {
  const n = scryptParams().N;
  let h = dummyHashes.get(n);
  if (!h) {
    h = hashPassword(randomBytes(24).toString('base64url'));
    dummyHashes.set(n, h);
  }
  return h;
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

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The operator's way in (CLI, demo, a server admin over the API): creates the account if needed
 * (with a password, or none for API keys only), gives it the role in `org` at once, and makes
 * `org` the user's default if they had none. `serverAdmin` sets or clears the flag.
 */
export async function addUser(store: Store, opts: { email: string; org: string; role: Role; password?: string; serverAdmin?: boolean; now: string }): Promise<void> {
  const email = normaliseEmail(opts.email);
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
    await defaultOrgIfNone(trx, email, opts.org);
    if (opts.serverAdmin !== undefined) await setServerAdmin(trx, email, opts.serverAdmin);
  });
}

/**
 * An organisation admin's way to add someone: an invitation, whether or not an account exists
 * for the email (nothing here reads the users table, so neither the answer nor its time tells).
 * Inviting the same email again changes the pending invitation's role.
 */
export async function invite(store: Store, opts: { org: string; email: string; role: Role; invitedBy: string; now: string }): Promise<InvitationRow> {
  const email = normaliseEmail(opts.email);
  if (!EMAIL.test(email)) throw new AccountError(`"${opts.email}" is not an email address`);
  return upsertInvitation(store.db, { id: randomBytes(6).toString('hex'), org: opts.org, email, role: opts.role, invitedBy: opts.invitedBy, now: opts.now });
}

/**
 * The invitee answers: accepting makes the membership (and the organisation their default if
 * they had none); either way the invitation is gone. Undefined when `id` is no pending
 * invitation to `email` (someone else's is not found either).
 */
export async function answerInvitation(store: Store, email: string, id: string, accept: boolean): Promise<InvitationRow | undefined> {
  return store.db.transaction().execute(async (trx) => {
    const inv = await invitationById(trx, id);
    if (!inv || inv.email !== email) return undefined;
    if (!(await deleteInvitation(trx, id))) return undefined;
    if (accept) {
      await setMembership(trx, inv.org, email, inv.role);
      await defaultOrgIfNone(trx, email, inv.org);
    }
    return inv;
  });
}

/**
 * `wk_<id>_<secret>`: the id names the key in lists; the whole key is only ever hashed. With
 * `org` (which the user must be a member of) the key acts only there; without, it is unscoped
 * (the user's default organisation, or any they name), as every key made before 0005.
 */
export async function createApiKey(store: Store, email: string, name: string, now: string, org?: string): Promise<{ id: string; key: string }> {
  const user = await userByEmail(store.db, normaliseEmail(email));
  if (!user) throw new AccountError(`no user ${email}`);
  if (name.length === 0 || name.length > 100) throw new AccountError('an API key name has 1 to 100 characters');
  if (org !== undefined && !(await memberships(store.db, user.email)).some((m) => m.org === org)) {
    throw new AccountError(`${user.email} is not a member of organisation ${org}`);
  }
  const id = randomBytes(6).toString('hex');
  const key = `wk_${id}_${randomBytes(32).toString('base64url')}`;
  await insertApiKey(store.db, { id, email: user.email, name, keyHash: sha256(key), now, org: org ?? null });
  return { id, key };
}

export interface Principal {
  readonly email: string;
  readonly memberships: readonly { org: string; role: Role }[];
  readonly via: 'key' | 'session';
  /** The session's CSRF token, for cookie-authenticated writes. */
  readonly csrf?: string;
  /** The organisation the API key acts in (only there); null for an unscoped key or a session. */
  readonly keyOrg: string | null;
  /** Where a request that names no organisation acts (the user's choice). */
  readonly defaultOrg: string | null;
  readonly serverAdmin: boolean;
}

async function principal(store: Store, email: string, rest: { via: 'key' | 'session'; csrf?: string; keyOrg: string | null }): Promise<Principal | undefined> {
  const user = await userByEmail(store.db, email);
  if (!user) return undefined;
  return { email, memberships: await memberships(store.db, email), defaultOrg: user.defaultOrg, serverAdmin: user.serverAdmin, ...rest };
}

/** The user an API key belongs to, checking the email when one is given (HTTP Basic). */
export async function principalForKey(store: Store, key: string, email: string | undefined, now: string): Promise<Principal | undefined> {
  if (key.length > 200) return undefined;
  const row = await apiKeyByHash(store.db, sha256(key));
  if (!row || (email !== undefined && row.email !== normaliseEmail(email))) return undefined;
  // last_used to the minute is enough and saves a write per request under load.
  if (row.lastUsed === null || row.lastUsed.slice(0, 16) !== now.slice(0, 16)) await touchApiKey(store.db, row.id, now);
  return principal(store, row.email, { via: 'key', keyOrg: row.org });
}

/** Failed sign-ins per account and per address within the window before answering 429. */
export const SIGN_IN_LIMIT = { failures: 10, windowMs: 15 * 60_000 };

const iso = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

export type SignIn = { ok: true; email: string; session: string; csrf: string } | { ok: false; reason: 'limited' | 'wrong' };

/**
 * Browser sign-in with the limit kept in the store (every server process shares it; restarts
 * keep it): an account or an address with `SIGN_IN_LIMIT.failures` failures in the window is
 * refused before any password is checked. Failures count for the email whether or not it has an
 * account (so a lock does not tell), and a key's count is its own: failures for other emails
 * never reset it. Unknown emails cost the same scrypt work as known ones.
 */
export async function signIn(store: Store, email: string, password: string, address: string, now: Date): Promise<SignIn> {
  const normalised = normaliseEmail(email);
  const keys = [`user:${normalised}`, `ip:${address}`];
  const windowStartsAfter = iso(new Date(now.getTime() - SIGN_IN_LIMIT.windowMs));
  if ((await lockedLoginKeys(store.db, keys, SIGN_IN_LIMIT.failures, windowStartsAfter)).length > 0) return { ok: false, reason: 'limited' };
  const s = await login(store, normalised, password, now);
  if (!s) {
    await recordLoginFailures(store.db, keys, iso(now), windowStartsAfter);
    return { ok: false, reason: 'wrong' };
  }
  return { ok: true, email: normalised, ...s };
}

export async function login(store: Store, email: string, password: string, now: Date, ttlHours = 12): Promise<{ session: string; csrf: string } | undefined> {
  const user = await userByEmail(store.db, normaliseEmail(email));
  // The same work whatever the email: a missing account (or password) verifies against a dummy.
  const valid = await verifyPassword(password.slice(0, MAX_PASSWORD), user?.passwordHash ?? (await dummyHash()));
  if (!user?.passwordHash || password.length > MAX_PASSWORD || !valid) return undefined;
  const session = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await insertSession(store.db, { idHash: sha256(session), email: user.email, csrf, now: iso(now), expires: iso(new Date(now.getTime() + ttlHours * 3_600_000)) });
  return { session, csrf };
}

export async function principalForSession(store: Store, session: string, now: string): Promise<Principal | undefined> {
  if (session.length > 200) return undefined;
  const s = await sessionByHash(store.db, sha256(session), now);
  if (!s) return undefined;
  return principal(store, s.email, { via: 'session', csrf: s.csrf, keyOrg: null });
}

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
