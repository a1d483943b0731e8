// Tags and classifications of an organisation's entities: automatic ones carry their provenance
// (signature, version, field, value, pattern, first and last match); manual ones have signature
// ''. Upserts are idempotent: seeing the same match again only moves last_matched.
import { sql, type Kysely, type Transaction } from 'kysely';
import { chunks } from './chunks.js';
import { insertMany } from './insert-many.js';
import type { Database } from './schema.js';

/** Keeps IN lists under SQLite's and PostgreSQL's parameter limits. */
const TAG_CHUNK = 500;

type Db = Kysely<Database> | Transaction<Database>;

export interface EntityKey {
  readonly org: string;
  readonly kind: string;
  readonly entity: string;
}

export interface Provenance {
  readonly signature: string;
  readonly signatureVersion: number;
  readonly field: string;
  readonly value: string;
  readonly pattern: number;
  /** Why it matched, in words (look-alike hits); absent otherwise. */
  readonly why?: string;
}

export interface TagRow {
  readonly name: string;
  readonly source: 'signature' | 'manual';
  readonly signature: string;
  readonly signatureVersion: number;
  readonly field: string;
  readonly value: string;
  readonly pattern: number;
  /** '' unless the match kind explains itself (look-alike). */
  readonly why: string;
  readonly firstMatched: string;
  readonly lastMatched: string;
}

export interface ClassificationRow {
  readonly value: string;
  readonly source: 'signature' | 'manual';
  readonly signature: string;
  readonly field: string;
  readonly matchedValue: string;
  readonly firstMatched: string;
  readonly lastMatched: string;
}

/** The filter on the rows of one entity of one organisation (its key's columns only). */
function ofEntity(key: EntityKey): { org: string; kind: string; entity: string } {
  return { org: key.org, kind: key.kind, entity: key.entity };
}

/** One automatic tag or classification to write: the entity, what it says, and why. */
export interface SignatureMark {
  readonly key: EntityKey;
  /** The tag's name, or the classification's value. */
  readonly name: string;
  readonly provenance: Provenance;
}

/**
 * Rows keyed by their conflict key, the last one winning: one statement cannot touch a row twice,
 * and upserting them one after another would leave the last one's values.
 */
function byConflictKey<R>(marks: readonly SignatureMark[], key: (m: SignatureMark) => unknown[], row: (m: SignatureMark) => R): R[] {
  const rows = new Map<string, R>();
  for (const m of marks) rows.set(JSON.stringify(key(m)), row(m));
  return [...rows.values()];
}

/**
 * Upserts automatic tags, as multi-row statements (a batch or a hunt page can tag thousands of
 * entities; one statement each was a round trip each). Seeing a match again moves last_matched
 * and takes the signature's current version, pattern and explanation.
 */
export async function upsertSignatureTags(db: Db, marks: readonly SignatureMark[], now: string): Promise<void> {
  const rows = byConflictKey(
    marks,
    (m) => [m.key.org, m.key.kind, m.key.entity, m.name, m.provenance.signature, m.provenance.field, m.provenance.value],
    (m) => ({
      org: m.key.org,
      kind: m.key.kind,
      entity: m.key.entity,
      name: m.name,
      source: 'signature' as const,
      signature: m.provenance.signature,
      signature_version: m.provenance.signatureVersion,
      field: m.provenance.field,
      value: m.provenance.value,
      pattern: m.provenance.pattern,
      why: m.provenance.why ?? '',
      first_matched: now,
      last_matched: now,
    }),
  );
  await insertMany(db, 'actions.ts:tags', rows, (chunk) =>
    db
      .insertInto('tags')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['org', 'kind', 'entity', 'name', 'signature', 'field', 'value']).doUpdateSet({
          signature_version: sql`excluded.signature_version`,
          pattern: sql`excluded.pattern`,
          why: sql`excluded.why`,
          last_matched: sql`excluded.last_matched`,
        }),
      ),
  );
}

/** Upserts automatic classifications, as upsertSignatureTags does tags; `name` is the value. */
export async function upsertSignatureClassifications(db: Db, marks: readonly SignatureMark[], now: string): Promise<void> {
  const rows = byConflictKey(
    marks,
    (m) => [m.key.org, m.key.kind, m.key.entity, m.provenance.signature, m.provenance.field, m.provenance.value],
    (m) => ({
      org: m.key.org,
      kind: m.key.kind,
      entity: m.key.entity,
      value: m.name,
      source: 'signature' as const,
      signature: m.provenance.signature,
      signature_version: m.provenance.signatureVersion,
      field: m.provenance.field,
      matched_value: m.provenance.value,
      first_matched: now,
      last_matched: now,
    }),
  );
  await insertMany(db, 'actions.ts:classifications', rows, (chunk) =>
    db
      .insertInto('classifications')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['org', 'kind', 'entity', 'signature', 'field', 'matched_value']).doUpdateSet({
          value: sql`excluded.value`,
          signature_version: sql`excluded.signature_version`,
          last_matched: sql`excluded.last_matched`,
        }),
      ),
  );
}

/**
 * Withdraws what a signature added automatically: everything (disable, rm), or what an earlier
 * version added that the current one no longer confirmed (`olderThan`, after its retro-hunt).
 */
export async function withdrawSignature(db: Db, org: string, signature: string, olderThan?: number): Promise<{ tags: number; classifications: number }> {
  let t = db.deleteFrom('tags').where('org', '=', org).where('source', '=', 'signature').where('signature', '=', signature);
  let c = db.deleteFrom('classifications').where('org', '=', org).where('source', '=', 'signature').where('signature', '=', signature);
  if (olderThan !== undefined) {
    t = t.where('signature_version', '<', olderThan);
    c = c.where('signature_version', '<', olderThan);
  }
  const tags = await t.executeTakeFirst();
  const classifications = await c.executeTakeFirst();
  return { tags: Number(tags.numDeletedRows), classifications: Number(classifications.numDeletedRows) };
}

export async function addManualTag(db: Db, key: EntityKey, name: string, now: string): Promise<void> {
  await db
    .insertInto('tags')
    .values({ ...key, name, source: 'manual', signature: '', signature_version: 0, field: '', value: '', pattern: -1, first_matched: now, last_matched: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeManualTag(db: Db, key: EntityKey, name: string): Promise<number> {
  const r = await db
    .deleteFrom('tags')
    .where((eb) => eb.and(ofEntity(key)))
    .where('name', '=', name)
    .where('source', '=', 'manual')
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function setManualClassification(db: Db, key: EntityKey, value: string, now: string): Promise<void> {
  await db
    .deleteFrom('classifications')
    .where((eb) => eb.and(ofEntity(key)))
    .where('source', '=', 'manual')
    .execute();
  await db
    .insertInto('classifications')
    .values({ ...key, value, source: 'manual', signature: '', signature_version: 0, field: '', matched_value: '', first_matched: now, last_matched: now })
    .execute();
}

export async function entityTags(db: Db, key: EntityKey): Promise<TagRow[]> {
  const rows = await db
    .selectFrom('tags')
    .selectAll()
    .where((eb) => eb.and(ofEntity(key)))
    .orderBy('name')
    .orderBy('source')
    .orderBy('signature')
    .orderBy('field')
    .orderBy('value')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    source: r.source as TagRow['source'],
    signature: r.signature,
    signatureVersion: Number(r.signature_version),
    field: r.field,
    value: r.value,
    pattern: Number(r.pattern),
    why: r.why,
    firstMatched: r.first_matched,
    lastMatched: r.last_matched,
  }));
}

/**
 * The tag names each of many entities carries in one organisation (the graph's nodes), keyed
 * `kind\0entity`, names sorted and distinct; entities without tags are absent. One query per
 * kind and chunk, however many entities.
 */
export async function tagNamesMany(db: Db, org: string, refs: readonly { readonly kind: string; readonly entity: string }[]): Promise<Map<string, string[]>> {
  const byKind = new Map<string, string[]>();
  for (const r of refs) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r.entity]);
  const sets = new Map<string, Set<string>>();
  for (const [kind, entities] of byKind) {
    for (const chunk of chunks([...new Set(entities)], TAG_CHUNK)) {
      const rows = await db.selectFrom('tags').select(['entity', 'name']).distinct().where('org', '=', org).where('kind', '=', kind).where('entity', 'in', chunk).execute();
      for (const r of rows) {
        const key = `${kind}\0${r.entity}`;
        let s = sets.get(key);
        if (!s) sets.set(key, (s = new Set()));
        s.add(r.name);
      }
    }
  }
  return new Map([...sets].map(([k, s]) => [k, [...s].sort()]));
}

export async function entityClassifications(db: Db, key: EntityKey): Promise<ClassificationRow[]> {
  const rows = await db
    .selectFrom('classifications')
    .selectAll()
    .where((eb) => eb.and(ofEntity(key)))
    .execute();
  return rows.map((r) => ({
    value: r.value,
    source: r.source as ClassificationRow['source'],
    signature: r.signature,
    field: r.field,
    matchedValue: r.matched_value,
    firstMatched: r.first_matched,
    lastMatched: r.last_matched,
  }));
}

/** How many entities of the organisation carry each tag (for retro-hunt reports and the UI). */
export async function tagCounts(db: Db, org: string, signature?: string): Promise<Record<string, number>> {
  let q = db.selectFrom('tags').select(['name', 'kind', 'entity']).where('org', '=', org);
  if (signature !== undefined) q = q.where('signature', '=', signature);
  const seen = new Map<string, Set<string>>();
  for (const r of await q.execute()) {
    let s = seen.get(r.name);
    if (!s) seen.set(r.name, (s = new Set()));
    s.add(`${r.kind}\0${r.entity}`);
  }
  return Object.fromEntries([...seen].map(([k, v]) => [k, v.size]));
}
