// Signature packs (migration 0015, docs/PACKS.md). The publisher's side: packs, their versions
// (each a snapshot of signature text, never changed once written) and the organisations it allows
// to subscribe. The subscriber's side: its subscriptions (the version each runs) and the pack
// signatures it switched off. Every query names the organisation it reads for; the only read
// across organisations is a subscriber's of the snapshots of packs it is granted.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface PackRow {
  readonly org: string;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly created: string;
  readonly updated: string;
}

export interface PackSignatureSource {
  readonly signature: string;
  readonly source: string;
}

export interface GrantRow {
  readonly name: string;
  readonly consumer: string;
  readonly granted: string;
}

export interface SubscriptionRow {
  readonly org: string;
  readonly publisher: string;
  readonly name: string;
  readonly version: number;
  readonly subscribed: string;
  readonly updated: string;
}

/** One signature a subscriber runs from a pack, at the version its subscription names. */
export interface SubscribedSignatureRow {
  readonly publisher: string;
  readonly name: string;
  readonly version: number;
  readonly signature: string;
  readonly source: string;
  readonly enabled: boolean;
}

function packRowOf(r: { org: string; name: string; version: number | string; description: string; created: string; updated: string }): PackRow {
  return { org: r.org, name: r.name, version: Number(r.version), description: r.description, created: r.created, updated: r.updated };
}

function subscriptionOf(r: { org: string; publisher: string; name: string; version: number | string; subscribed: string; updated: string }): SubscriptionRow {
  return { org: r.org, publisher: r.publisher, name: r.name, version: Number(r.version), subscribed: r.subscribed, updated: r.updated };
}

export async function packRow(db: Db, org: string, name: string): Promise<PackRow | undefined> {
  const r = await db.selectFrom('packs').selectAll().where('org', '=', org).where('name', '=', name).executeTakeFirst();
  return r ? packRowOf(r) : undefined;
}

export async function publishedPacks(db: Db, org: string): Promise<PackRow[]> {
  return (await db.selectFrom('packs').selectAll().where('org', '=', org).orderBy('name').execute()).map(packRowOf);
}

/** Writes the next version of a pack (its first creates it) with the signatures' text; returns the version. */
export async function writePackVersion(db: Db, org: string, name: string, description: string | undefined, signatures: readonly PackSignatureSource[], now: string): Promise<number> {
  const current = await packRow(db, org, name);
  const version = (current?.version ?? 0) + 1;
  if (current) {
    await db
      .updateTable('packs')
      .set({ version, updated: now, ...(description !== undefined ? { description } : {}) })
      .where('org', '=', org)
      .where('name', '=', name)
      .execute();
  } else {
    await db.insertInto('packs').values({ org, name, version, description: description ?? '', created: now, updated: now }).execute();
  }
  await db.insertInto('pack_versions').values({ org, name, version, published: now, signatures: signatures.length }).execute();
  for (const s of signatures) await db.insertInto('pack_signatures').values({ org, name, version, signature: s.signature, source: s.source }).execute();
  return version;
}

/** The signatures of one version of a pack, by id. */
export async function packSignatures(db: Db, org: string, name: string, version: number): Promise<PackSignatureSource[]> {
  return db
    .selectFrom('pack_signatures')
    .select(['signature', 'source'])
    .where('org', '=', org)
    .where('name', '=', name)
    .where('version', '=', version)
    .orderBy('signature')
    .execute();
}

export async function packVersions(db: Db, org: string, name: string): Promise<{ version: number; published: string; signatures: number }[]> {
  const rows = await db.selectFrom('pack_versions').select(['version', 'published', 'signatures']).where('org', '=', org).where('name', '=', name).orderBy('version').execute();
  return rows.map((r) => ({ version: Number(r.version), published: r.published, signatures: Number(r.signatures) }));
}

export async function packGrants(db: Db, org: string, name?: string): Promise<GrantRow[]> {
  let q = db.selectFrom('pack_grants').select(['name', 'consumer', 'granted']).where('org', '=', org);
  if (name !== undefined) q = q.where('name', '=', name);
  return q.orderBy('name').orderBy('consumer').execute();
}

/** True when the grant is new. */
export async function addGrant(db: Db, org: string, name: string, consumer: string, now: string): Promise<boolean> {
  const r = await db.insertInto('pack_grants').values({ org, name, consumer, granted: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** True when there was a grant to remove. */
export async function removeGrant(db: Db, org: string, name: string, consumer: string): Promise<boolean> {
  const r = await db.deleteFrom('pack_grants').where('org', '=', org).where('name', '=', name).where('consumer', '=', consumer).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The pack, when its publisher allows `consumer` to subscribe to it. */
export async function grantedPack(db: Db, publisher: string, name: string, consumer: string): Promise<PackRow | undefined> {
  const r = await db
    .selectFrom('packs')
    .innerJoin('pack_grants', (j) => j.onRef('pack_grants.org', '=', 'packs.org').onRef('pack_grants.name', '=', 'packs.name'))
    .selectAll('packs')
    .where('packs.org', '=', publisher)
    .where('packs.name', '=', name)
    .where('pack_grants.consumer', '=', consumer)
    .executeTakeFirst();
  return r ? packRowOf(r) : undefined;
}

/** The packs other organisations allow `consumer` to subscribe to. */
export async function offeredPacks(db: Db, consumer: string): Promise<PackRow[]> {
  const rows = await db
    .selectFrom('packs')
    .innerJoin('pack_grants', (j) => j.onRef('pack_grants.org', '=', 'packs.org').onRef('pack_grants.name', '=', 'packs.name'))
    .selectAll('packs')
    .where('pack_grants.consumer', '=', consumer)
    .orderBy('packs.org')
    .orderBy('packs.name')
    .execute();
  return rows.map(packRowOf);
}

export async function subscription(db: Db, org: string, publisher: string, name: string): Promise<SubscriptionRow | undefined> {
  const r = await db.selectFrom('pack_subscriptions').selectAll().where('org', '=', org).where('publisher', '=', publisher).where('name', '=', name).executeTakeFirst();
  return r ? subscriptionOf(r) : undefined;
}

export async function subscriptionsOf(db: Db, org: string): Promise<SubscriptionRow[]> {
  return (await db.selectFrom('pack_subscriptions').selectAll().where('org', '=', org).orderBy('publisher').orderBy('name').execute()).map(subscriptionOf);
}

/** The subscriptions to a publisher's pack (the organisations and versions only). */
export async function subscribersOf(db: Db, publisher: string, name: string): Promise<SubscriptionRow[]> {
  return (await db.selectFrom('pack_subscriptions').selectAll().where('publisher', '=', publisher).where('name', '=', name).orderBy('org').execute()).map(subscriptionOf);
}

export async function putSubscription(db: Db, org: string, publisher: string, name: string, version: number, now: string): Promise<void> {
  await db
    .insertInto('pack_subscriptions')
    .values({ org, publisher, name, version, subscribed: now, updated: now })
    .onConflict((oc) => oc.columns(['org', 'publisher', 'name']).doUpdateSet({ version, updated: now }))
    .execute();
}

/** Ends a subscription and forgets which of its signatures were switched off; true when there was one. */
export async function removeSubscription(db: Db, org: string, publisher: string, name: string): Promise<boolean> {
  await db.deleteFrom('pack_disabled').where('org', '=', org).where('publisher', '=', publisher).where('name', '=', name).execute();
  const r = await db.deleteFrom('pack_subscriptions').where('org', '=', org).where('publisher', '=', publisher).where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function disabledPackSignatures(db: Db, org: string, publisher: string, name: string): Promise<Set<string>> {
  const rows = await db.selectFrom('pack_disabled').select('signature').where('org', '=', org).where('publisher', '=', publisher).where('name', '=', name).execute();
  return new Set(rows.map((r) => r.signature));
}

/** Switches one pack signature off (or back on) for the subscriber; true when that changed anything. */
export async function setPackSignatureDisabled(db: Db, org: string, publisher: string, name: string, signature: string, disabled: boolean, now: string): Promise<boolean> {
  if (disabled) {
    const r = await db.insertInto('pack_disabled').values({ org, publisher, name, signature, at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  const r = await db.deleteFrom('pack_disabled').where('org', '=', org).where('publisher', '=', publisher).where('name', '=', name).where('signature', '=', signature).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Every signature the organisation runs from its subscriptions, at the version each subscription names. */
export async function subscribedSignatureRows(db: Db, org: string): Promise<SubscribedSignatureRow[]> {
  const rows = await db
    .selectFrom('pack_subscriptions as s')
    .innerJoin('pack_signatures as p', (j) => j.onRef('p.org', '=', 's.publisher').onRef('p.name', '=', 's.name').onRef('p.version', '=', 's.version'))
    .leftJoin('pack_disabled as d', (j) =>
      j.onRef('d.org', '=', 's.org').onRef('d.publisher', '=', 's.publisher').onRef('d.name', '=', 's.name').onRef('d.signature', '=', 'p.signature'),
    )
    .select(['s.publisher', 's.name', 's.version', 'p.signature', 'p.source', 'd.signature as off'])
    .where('s.org', '=', org)
    .orderBy('s.publisher')
    .orderBy('s.name')
    .orderBy('p.signature')
    .execute();
  return rows.map((r) => ({ publisher: r.publisher, name: r.name, version: Number(r.version), signature: r.signature, source: r.source, enabled: r.off === null }));
}
