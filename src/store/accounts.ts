// Users, their roles per organisation, API keys, browser sessions and the audit log: queries
// only. Secrets never reach this layer in the clear: passwords, keys and session ids arrive
// hashed.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type Role = 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export interface UserRow {
  readonly email: string;
  readonly passwordHash: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
}

export async function userByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return r ? { email: r.email, passwordHash: r.password_hash, firstName: r.first_name, lastName: r.last_name } : undefined;
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
}

export async function insertApiKey(db: Db, row: { id: string; email: string; name: string; keyHash: string; now: string }): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({ id: row.id, email: row.email, name: row.name, key_hash: row.keyHash, created: row.now, last_used: null, revoked: null })
    .execute();
}

/** The live key with this hash, if any. */
export async function apiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked', 'is', null).executeTakeFirst();
  return r ? { id: r.id, email: r.email, name: r.name, created: r.created, lastUsed: r.last_used, revoked: r.revoked } : undefined;
}

export async function touchApiKey(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used: now }).where('id', '=', id).execute();
}

export async function apiKeys(db: Db, email?: string): Promise<ApiKeyRow[]> {
  let q = db.selectFrom('api_keys').selectAll();
  if (email !== undefined) q = q.where('email', '=', email);
  const rows = await q.orderBy('created').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, created: r.created, lastUsed: r.last_used, revoked: r.revoked }));
}

/** Whose API key `id` is (revoked or not), if such a key exists. */
export async function apiKeyOwner(db: Db, id: string): Promise<{ email: string } | undefined> {
  return db.selectFrom('api_keys').select('email').where('id', '=', id).executeTakeFirst();
}

export async function revokeApiKey(db: Db, id: string, now: string, email?: string): Promise<boolean> {
  let q = db.updateTable('api_keys').set({ revoked: now }).where('id', '=', id).where('revoked', 'is', null);
  if (email !== undefined) q = q.where('email', '=', email);
  return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
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
