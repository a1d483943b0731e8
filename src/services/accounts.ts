// Accounts: organisations, users with scrypt-hashed passwords, roles, invitations, API keys
// (shown once, stored as SHA-256, each acting in one organisation), browser sessions with a
// sign-in limit kept in the store, and who may do what.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import {
  apiKeyByHash,
  apiKeyById,
  apiKeys,
  defaultOrgIfNone,
  deleteSession,
  deleteInvitation,
  insertApiKey,
  insertSession,
  invitationById,
  invitations as invitationRows,
  lockedLoginKeys,
  memberships,
  orgMembers,
  recordLoginFailures,
  revokeApiKey as revokeApiKeyRow,
  sessionByHash,
  setDefaultOrg,
  setMembership,
  setServerAdmin,
  touchApiKey,
  upsertInvitation,
  upsertUser,
  userByEmail,
  type ApiKeyRow,
  type InvitationRow,
  type Role,
} from '../store/accounts.js';
import { ensureOrg } from '../store/orgs.js';
import type { Store } from '../store/store.js';
import { audit, type Actor } from './audit.js';
import { conflict, forbidden, invalid, notFound, ServiceError } from './errors.js';

export { ROLES, type ApiKeyRow, type InvitationRow, type Role } from '../store/accounts.js';

/** Input an account rule refuses (a bad email, name or password): the user's error. */
export class AccountError extends ServiceError {
  constructor(message: string) {
    super('invalid', message);
  }
}

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

// ---------------------------------------------------------------------------------------------
// Use cases: what the API's account routes and the CLI's org / user / apikey commands do. Every
// change writes its audit row here, with the actor, so both are audited alike.

/** Who asks, in which organisation, with which role there (the API's `access()`). */
export interface Caller {
  readonly email: string;
  readonly org: string;
  readonly role: Role;
  readonly serverAdmin?: boolean;
}

/** `warren org add`: a new organisation (nothing changes when it exists). */
export async function createOrg(store: Store, actor: Actor, name: string, now: string): Promise<void> {
  await addOrg(store, name, now);
  await audit(store, actor, { at: now, org: name, action: 'org.create', target: `org:${name}` });
}

/** The organisation's members and their roles. */
export function members(store: Store, org: string): Promise<{ email: string; role: Role }[]> {
  return orgMembers(store.db, org);
}

/**
 * The operator's way in (the CLI; a server admin over the API): addUser, audited as `user.add`
 * for someone who was not a member, `user.role` for a member whose role is set again.
 */
export async function addMember(store: Store, actor: Actor, opts: { email: string; org: string; role: Role; password?: string; serverAdmin?: boolean; now: string }): Promise<void> {
  const email = normaliseEmail(opts.email);
  const before = (await orgMembers(store.db, opts.org)).find((m) => m.email === email);
  const existing = await userByEmail(store.db, email);
  await addUser(store, opts);
  await audit(store, actor, {
    at: opts.now,
    org: opts.org,
    action: before ? 'user.role' : 'user.add',
    target: `user:${email}`,
    ...(before ? { before: { role: before.role } } : {}),
    after: {
      role: opts.role,
      ...(existing ? {} : { password: opts.password !== undefined }),
      ...(opts.serverAdmin !== undefined ? { server_admin: opts.serverAdmin } : {}),
    },
  });
}

export type MemberAnswer = { email: string; org: string; role: Role; status: 'member' | 'invited'; invitation?: string; created: boolean };

/**
 * An organisation admin's POST /users: a member's role changes; anyone else is invited (a server
 * admin adds them directly, with a password if given). The answer never depends on whether the
 * email has an account (unless the caller is a server admin, who may create accounts).
 */
export async function putMember(store: Store, by: Caller, input: { email: string; role: Role; password?: string }, now: string): Promise<MemberAnswer> {
  const { org } = by;
  const email = normaliseEmail(input.email);
  if (email === by.email) throw invalid('you cannot change your own role (another admin can)');
  // Before anything is looked up: the answer must not depend on whether the email has an account.
  if (input.password !== undefined && !by.serverAdmin) throw forbidden('only a server administrator creates accounts with a password: invite the user instead');
  const before = (await orgMembers(store.db, org)).find((m) => m.email === email);
  if (before) {
    await setMembership(store.db, org, email, input.role);
    await audit(store, by.email, { at: now, org, action: 'user.role', target: `user:${email}`, before: { role: before.role }, after: { role: input.role } });
    return { email, org, role: input.role, status: 'member', created: false };
  }
  if (by.serverAdmin) {
    // Nobody sets an existing account's password over the API (it would let one sign in as them).
    if (input.password !== undefined && (await userByEmail(store.db, email))) {
      throw conflict(`user ${email} already exists: add them without a password (they keep their own)`);
    }
    await addMember(store, by.email, { email, org, role: input.role, ...(input.password !== undefined ? { password: input.password } : {}), now });
    return { email, org, role: input.role, status: 'member', created: true };
  }
  const inv = await invite(store, { org, email, role: input.role, invitedBy: by.email, now });
  await audit(store, by.email, { at: now, org, action: 'invitation.create', target: `user:${email}`, after: { role: input.role, invitation: inv.id } });
  return { email, org, role: input.role, status: 'invited', invitation: inv.id, created: true };
}

/** Pending invitations of an organisation, or to an email from any organisation. */
export function pendingInvitations(store: Store, by: { org: string } | { email: string }): Promise<InvitationRow[]> {
  return invitationRows(store.db, by);
}

/** An admin withdraws a pending invitation of their organisation; not found otherwise. */
export async function withdrawInvitation(store: Store, by: Caller, id: string, now: string): Promise<InvitationRow> {
  const inv = await invitationById(store.db, id);
  if (!inv || inv.org !== by.org || !(await deleteInvitation(store.db, id))) throw notFound(`invitation ${id}`);
  await audit(store, by.email, { at: now, org: by.org, action: 'invitation.withdraw', target: `user:${inv.email}`, before: { role: inv.role, invitation: id } });
  return inv;
}

/** The invitee accepts or declines; audited in the inviting organisation, which sees the answer. */
export async function respondToInvitation(store: Store, email: string, id: string, accept: boolean, now: string): Promise<InvitationRow> {
  const inv = await answerInvitation(store, email, id, accept);
  if (!inv) throw notFound(`invitation ${id}`);
  await audit(store, email, { at: now, org: inv.org, action: `invitation.${accept ? 'accept' : 'decline'}`, target: `user:${email}`, after: { role: inv.role, invitation: id } });
  return inv;
}

/**
 * The API keys a caller may see for `asked`: their own (of this organisation, and unscoped), or,
 * for an admin, a member's keys of this organisation. Anyone else is not found.
 */
export async function visibleApiKeys(store: Store, by: Caller, asked: string): Promise<ApiKeyRow[]> {
  const email = normaliseEmail(asked);
  if (email === by.email) return apiKeys(store.db, email, { org: by.org, orUnscoped: true });
  // Whether someone is a member is the admin's to know; to anyone else it is not found.
  const member = roleAtLeast(by.role, 'admin') && (await orgMembers(store.db, by.org)).some((m) => m.email === email);
  if (!member) throw notFound(`user ${email}`);
  // Only the keys that act in this organisation: a member's other keys are not its business.
  return apiKeys(store.db, email, { org: by.org });
}

/** Every API key (the operator's list), or one user's. */
export function allApiKeys(store: Store, user?: string): Promise<ApiKeyRow[]> {
  return apiKeys(store.db, user?.toLowerCase());
}

/** A new API key for `user` (acting only in `org` when given), audited; the key is answered once. */
export async function issueApiKey(store: Store, actor: Actor, opts: { user: string; name: string; org?: string; now: string }): Promise<{ id: string; key: string }> {
  const created = await createApiKey(store, opts.user, opts.name, opts.now, opts.org);
  await audit(store, actor, { at: opts.now, org: opts.org ?? null, action: 'apikey.create', target: `apikey:${created.id}`, after: { user: normaliseEmail(opts.user), name: opts.name } });
  return created;
}

/**
 * A caller revokes a key: theirs (of this organisation or unscoped), or as an admin a member's key
 * of this organisation (an unscoped key acts wherever its owner is, so only the owner revokes it).
 * Not found otherwise; conflict when it is already revoked. Answers the revoked key.
 */
export async function revokeApiKeyAs(store: Store, by: Caller, id: string, now: string): Promise<ApiKeyRow> {
  // Key ids are hex (createApiKey); anything else names no key.
  const key = /^[0-9a-f]{1,64}$/.test(id) ? await apiKeyById(store.db, id) : undefined;
  const mine = key !== undefined && key.email === by.email && (key.org === by.org || key.org === null);
  const others = key && !mine && key.org === by.org && roleAtLeast(by.role, 'admin') ? await orgMembers(store.db, by.org) : [];
  if (!key || (!mine && !others.some((m) => m.email === key.email))) throw notFound(`API key ${id}`);
  if (!(await revokeApiKeyRow(store.db, id, now, key.email))) throw conflict(`API key ${id} is already revoked`);
  await audit(store, by.email, { at: now, org: by.org, action: 'apikey.revoke', target: `apikey:${id}`, before: { user: key.email } });
  return (await apiKeyById(store.db, id))!;
}

/**
 * The operator revokes any live key (`warren apikey revoke`); false when there is none. Audited in
 * the key's organisation (none for an unscoped key), as the API audits it.
 */
export async function revokeAnyApiKey(store: Store, actor: Actor, id: string, now: string): Promise<boolean> {
  const key = await apiKeyById(store.db, id);
  if (!key || !(await revokeApiKeyRow(store.db, id, now))) return false;
  await audit(store, actor, { at: now, org: key.org, action: 'apikey.revoke', target: `apikey:${id}`, before: { user: key.email } });
  return true;
}

/** Signs a browser session out (nothing happens for an unknown one). */
export async function signOut(store: Store, session: string): Promise<void> {
  await deleteSession(store.db, sha256(session));
}

/**
 * Where the caller's requests act when they name no organisation: one they are a member of. A key
 * made for one organisation acts only there, so it may not move the user's default.
 */
export async function chooseDefaultOrg(store: Store, p: Principal, org: string): Promise<void> {
  if (!p.memberships.some((m) => m.org === org) || (p.keyOrg !== null && p.keyOrg !== org)) throw notFound(`organisation ${org}`);
  await setDefaultOrg(store.db, p.email, org);
}

/** A user's names, as far as the store knows them. */
export async function profile(store: Store, email: string): Promise<{ firstName: string | null; lastName: string | null }> {
  const user = await userByEmail(store.db, email);
  return { firstName: user?.firstName ?? null, lastName: user?.lastName ?? null };
}
