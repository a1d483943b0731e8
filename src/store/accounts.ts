// Users, their roles per organisation, invitations, API keys, browser sessions, failed sign-ins
// and the audit log: queries only. Secrets never reach this layer in the clear: passwords, keys
// and session ids arrive hashed.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type Role = 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export interface UserRow {
  readonly email: string;
  readonly passwordHash: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly serverAdmin: boolean;
  readonly defaultOrg: string | null;
}

export async function userByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return r
    ? { email: r.email, passwordHash: r.password_hash, firstName: r.first_name, lastName: r.last_name, serverAdmin: Number(r.server_admin) === 1, defaultOrg: r.default_org }
    : undefined;
}

export async function setServerAdmin(db: Db, email: string, on: boolean): Promise<void> {
  await db.updateTable('users').set({ server_admin: on ? 1 : 0 }).where('email', '=', email).execute();
}

export async function setDefaultOrg(db: Db, email: string, org: string): Promise<void> {
  await db.updateTable('users').set({ default_org: org }).where('email', '=', email).execute();
}

/** After a membership was added: the user's default becomes `org` if they had none (or one they left). */
export async function defaultOrgIfNone(db: Db, email: string, org: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ default_org: org })
    .where('email', '=', email)
    .where((eb) =>
      eb.or([eb('default_org', 'is', null), eb('default_org', 'not in', eb.selectFrom('memberships').select('org').where('email', '=', email))]),
    )
    .execute();
}

export async function upsertUser(db: Db, email: string, passwordHash: string | null, now: string): Promise<void> {
  await db
    .insertInto('users')
    .values({ email, password_hash: passwordHash, first_name: null, last_name: null, created: now })
    .onConflict((oc) => oc.column('email').doUpdateSet({ password_hash: passwordHash }))
    .execute();
}

export async function setMembership(db: Db, org: string, email: string, role: Role): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ org, email, role })
    .onConflict((oc) => oc.columns(['org', 'email']).doUpdateSet({ role }))
    .execute();
}

export async function memberships(db: Db, email: string): Promise<{ org: string; role: Role }[]> {
  const rows = await db.selectFrom('memberships').select(['org', 'role']).where('email', '=', email).orderBy('org').execute();
  return rows.map((r) => ({ org: r.org, role: r.role as Role }));
}

export async function orgMembers(db: Db, org: string): Promise<{ email: string; role: Role }[]> {
  const rows = await db.selectFrom('memberships').select(['email', 'role']).where('org', '=', org).orderBy('email').execute();
  return rows.map((r) => ({ email: r.email, role: r.role as Role }));
}

export interface ApiKeyRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly created: string;
  readonly lastUsed: string | null;
  readonly revoked: string | null;
  /** The organisation the key acts in; null for a key made before keys were scoped. */
  readonly org: string | null;
}

type ApiKeyRecord = { id: string; email: string; name: string; created: string; last_used: string | null; revoked: string | null; org: string | null };
const keyRow = (r: ApiKeyRecord): ApiKeyRow => ({ id: r.id, email: r.email, name: r.name, created: r.created, lastUsed: r.last_used, revoked: r.revoked, org: r.org });

export async function insertApiKey(db: Db, row: { id: string; email: string; name: string; keyHash: string; now: string; org: string | null }): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({ id: row.id, email: row.email, name: row.name, key_hash: row.keyHash, created: row.now, last_used: null, revoked: null, org: row.org })
    .execute();
}

/** The live key with this hash, if any. */
export async function apiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked', 'is', null).executeTakeFirst();
  return r ? keyRow(r) : undefined;
}

export async function touchApiKey(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used: now }).where('id', '=', id).execute();
}

/**
 * API keys, oldest first. `org`: only keys of that organisation; with `orUnscoped`, also the
 * keys that have none (made before keys were scoped).
 */
export async function apiKeys(db: Db, email?: string, scope?: { org: string; orUnscoped?: boolean }): Promise<ApiKeyRow[]> {
  let q = db.selectFrom('api_keys').selectAll();
  if (email !== undefined) q = q.where('email', '=', email);
  if (scope) q = scope.orUnscoped ? q.where((eb) => eb.or([eb('org', '=', scope.org), eb('org', 'is', null)])) : q.where('org', '=', scope.org);
  const rows = await q.orderBy('created').orderBy('id').execute();
  return rows.map(keyRow);
}

/** API key `id` (revoked or not), if such a key exists. */
export async function apiKeyById(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  const r = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? keyRow(r) : undefined;
}

export async function revokeApiKey(db: Db, id: string, now: string, email?: string): Promise<boolean> {
  let q = db.updateTable('api_keys').set({ revoked: now }).where('id', '=', id).where('revoked', 'is', null);
  if (email !== undefined) q = q.where('email', '=', email);
  return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
}

export interface InvitationRow {
  readonly id: string;
  readonly org: string;
  readonly email: string;
  readonly role: Role;
  readonly invitedBy: string;
  readonly created: string;
}

type InvitationRecord = { id: string; org: string; email: string; role: string; invited_by: string; created: string };
const invitationRow = (r: InvitationRecord): InvitationRow => ({ id: r.id, org: r.org, email: r.email, role: r.role as Role, invitedBy: r.invited_by, created: r.created });

/** Records an invitation, or changes the role (and inviter) of the pending one for the same email: its id. */
export async function upsertInvitation(db: Db, row: { id: string; org: string; email: string; role: Role; invitedBy: string; now: string }): Promise<InvitationRow> {
  await db
    .insertInto('invitations')
    .values({ id: row.id, org: row.org, email: row.email, role: row.role, invited_by: row.invitedBy, created: row.now })
    .onConflict((oc) => oc.columns(['org', 'email']).doUpdateSet({ role: row.role, invited_by: row.invitedBy }))
    .execute();
  const r = await db.selectFrom('invitations').selectAll().where('org', '=', row.org).where('email', '=', row.email).executeTakeFirstOrThrow();
  return invitationRow(r);
}

/** Pending invitations of one organisation, or to one email. */
export async function invitations(db: Db, by: { org: string } | { email: string }): Promise<InvitationRow[]> {
  let q = db.selectFrom('invitations').selectAll();
  q = 'org' in by ? q.where('org', '=', by.org) : q.where('email', '=', by.email);
  return (await q.orderBy('created').orderBy('id').execute()).map(invitationRow);
}

export async function invitationById(db: Db, id: string): Promise<InvitationRow | undefined> {
  const r = await db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? invitationRow(r) : undefined;
}

/** True when the invitation was still pending (and is now gone). */
export async function deleteInvitation(db: Db, id: string): Promise<boolean> {
  return Number((await db.deleteFrom('invitations').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

/**
 * One more failed sign-in for each key (`user:<email>`, `ip:<address>`), in one statement: a
 * key's window starts at its first failure and a failure after the window starts a new one.
 * Windows that ended are deleted, so the table holds at most the keys of one window.
 */
export async function recordLoginFailures(db: Db, keys: readonly string[], now: string, windowStartsAfter: string): Promise<void> {
  if (keys.length === 0) return;
  const expired = sql<boolean>`login_failures.window_start <= ${windowStartsAfter}`;
  await db
    .insertInto('login_failures')
    .values([...new Set(keys)].map((key) => ({ key, failures: 1, window_start: now })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when ${expired} then 1 else login_failures.failures + 1 end`,
        window_start: sql<string>`case when ${expired} then excluded.window_start else login_failures.window_start end`,
      }),
    )
    .execute();
  await db.deleteFrom('login_failures').where('window_start', '<=', windowStartsAfter).execute();
}

/** The keys with at least `max` failures in a window that started after `windowStartsAfter`. */
export async function lockedLoginKeys(db: Db, keys: readonly string[], max: number, windowStartsAfter: string): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('login_failures')
    .select('key')
    .where('key', 'in', [...keys])
    .where('failures', '>=', max)
    .where('window_start', '>', windowStartsAfter)
    .execute();
  return rows.map((r) => r.key);
}

export async function insertSession(db: Db, row: { idHash: string; email: string; csrf: string; now: string; expires: string }): Promise<void> {
  await db.insertInto('sessions').values({ id_hash: row.idHash, email: row.email, csrf: row.csrf, created: row.now, expires: row.expires }).execute();
}

export async function sessionByHash(db: Db, idHash: string, now: string): Promise<{ email: string; csrf: string } | undefined> {
  const r = await db.selectFrom('sessions').select(['email', 'csrf']).where('id_hash', '=', idHash).where('expires', '>', now).executeTakeFirst();
  return r ?? undefined;
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly org: string | null;
  readonly action: string;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      at: e.at,
      actor: e.actor,
      org: e.org,
      action: e.action,
      target: e.target,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}

export async function auditLog(db: Db, org: string, opts: { before?: number; limit: number }): Promise<(AuditEntry & { seq: number })[]> {
  let q = db.selectFrom('audit').selectAll().where('org', '=', org);
  if (opts.before !== undefined) q = q.where('seq', '<', opts.before);
  const rows = await q.orderBy('seq', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    org: r.org,
    action: r.action,
    target: r.target,
    before: r.before === null ? undefined : (JSON.parse(r.before) as unknown),
    after: r.after === null ? undefined : (JSON.parse(r.after) as unknown),
  }));
}
