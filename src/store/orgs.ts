// Organisations: created on first use in the embedded store (cli.md), each with a revision that
// every signature change bumps, so a compiled matcher can be reused exactly while it holds.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function ensureOrg(db: Db, name: string, now: string): Promise<void> {
  await db.insertInto('orgs').values({ name, created: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
}

export async function orgRevision(db: Db, name: string): Promise<number> {
  const row = await db.selectFrom('orgs').select('revision').where('name', '=', name).executeTakeFirst();
  return row ? Number(row.revision) : 0;
}

export async function bumpRevision(db: Db, name: string): Promise<void> {
  await db
    .updateTable('orgs')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('name', '=', name)
    .execute();
}

export async function orgNames(db: Db): Promise<string[]> {
  return (await db.selectFrom('orgs').select('name').orderBy('name').execute()).map((r) => r.name);
}
