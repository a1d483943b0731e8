// An organisation's signatures as stored: the current version of each (enabled or not) and every
// earlier version, each with what changed. The signature itself is kept in its file form (JSON of
// signatures.md's keys), so export and history give back exactly what was imported.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type SignatureChange = 'import' | 'enable' | 'disable' | 'rm';

export interface SignatureRow {
  readonly id: string;
  readonly version: number;
  readonly enabled: boolean;
  readonly source: string;
  readonly updated: string;
}

export interface SignatureVersionRow {
  readonly id: string;
  readonly version: number;
  readonly change: SignatureChange;
  readonly enabled: boolean;
  readonly source: string;
  readonly at: string;
}

export async function signatureRows(db: Db, org: string, ids?: readonly string[]): Promise<SignatureRow[]> {
  let q = db.selectFrom('signatures').selectAll().where('org', '=', org);
  if (ids !== undefined) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', [...ids]);
  }
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, version: Number(r.version), enabled: Number(r.enabled) === 1, source: r.source, updated: r.updated }));
}

export async function enabledSignatureRows(db: Db, org: string): Promise<SignatureRow[]> {
  const rows = await db.selectFrom('signatures').selectAll().where('org', '=', org).where('enabled', '=', 1).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, version: Number(r.version), enabled: true, source: r.source, updated: r.updated }));
}

async function nextVersion(db: Db, org: string, id: string): Promise<number> {
  const row = await db
    .selectFrom('signature_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('org', '=', org)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

/** Records a new version of a signature and makes it current (or removes it, for `rm`). */
export async function writeVersion(
  db: Db,
  org: string,
  id: string,
  change: SignatureChange,
  enabled: boolean,
  source: string,
  now: string,
): Promise<number> {
  const version = await nextVersion(db, org, id);
  await db.insertInto('signature_versions').values({ org, id, version, change, enabled: enabled ? 1 : 0, source, at: now }).execute();
  if (change === 'rm') {
    await db.deleteFrom('signatures').where('org', '=', org).where('id', '=', id).execute();
  } else {
    await db
      .insertInto('signatures')
      .values({ org, id, version, enabled: enabled ? 1 : 0, source, updated: now })
      .onConflict((oc) => oc.columns(['org', 'id']).doUpdateSet({ version, enabled: enabled ? 1 : 0, source, updated: now }))
      .execute();
  }
  return version;
}

export async function signatureHistory(db: Db, org: string, id: string): Promise<SignatureVersionRow[]> {
  const rows = await db.selectFrom('signature_versions').selectAll().where('org', '=', org).where('id', '=', id).orderBy('version').execute();
  return rows.map((r) => ({
    id: r.id,
    version: Number(r.version),
    change: r.change as SignatureChange,
    enabled: Number(r.enabled) === 1,
    source: r.source,
    at: r.at,
  }));
}
