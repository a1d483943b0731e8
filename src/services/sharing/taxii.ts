// TAXII 2.1 (read-only) over the organisation's lists (docs/SHARING.md): each tag and each
// signature of the organisation is a collection; its objects are the STIX objects of its
// entities (stix.ts), each entity's group dated by when the entity joined the list (its first
// match, or first notification: TAXII's date_added). Pages follow (date_added, kind, entity) and
// count objects, so a `limit` may stop inside an entity's group: the `next` token says where.
// The organisation's identity comes first, dated by the organisation's creation.
import { v5 as uuidv5 } from 'uuid';
import { datedEntitiesPage, orgSignatureRows, orgTagNames, type DatedEntity, type DatedList } from '../../store/sharing.js';
import type { Store } from '../../store/store.js';
import { refKey, type EntityKind } from '../entity.js';
import { invalid, notFound } from '../errors.js';
import { orgTime } from './export.js';
import { loadShared } from './material.js';
import { entityObjects, identityObject, stixTime, type StixContext, type StixObject } from './stix.js';
import { WARREN_NAMESPACE } from './stix-ids.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
/** The most objects one page holds, whatever `limit` asks. */
export const TAXII_MAX_LIMIT = 1000;
export const TAXII_DEFAULT_LIMIT = 100;
/** Entities read at a time while filling a page. */
const READ = 100;

export interface TaxiiCollection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly can_read: true;
  readonly can_write: false;
  readonly media_types: readonly string[];
}

interface Listed {
  readonly collection: TaxiiCollection;
  readonly list: DatedList;
}

function collectionId(org: string, list: DatedList): string {
  return uuidv5(['taxii', org, list.by, list.by === 'tag' ? list.name : list.id].join('\0'), WARREN_NAMESPACE);
}

/** The signature's title from its stored form (the file object as JSON); its id when that cannot say. */
function titleOf(source: string, id: string): string {
  try {
    const title = (JSON.parse(source) as { title?: unknown }).title;
    return typeof title === 'string' && title !== '' ? title : id;
  } catch {
    return id;
  }
}

async function listed(store: Store, org: string): Promise<Listed[]> {
  const out: Listed[] = [];
  for (const name of await orgTagNames(store.db, org)) {
    const list: DatedList = { by: 'tag', name };
    out.push({ list, collection: { id: collectionId(org, list), title: `tag ${name}`, description: `Entities organisation ${org} tags ${name}, as STIX 2.1 observables and indicators`, can_read: true, can_write: false, media_types: [STIX_MEDIA_TYPE] } });
  }
  for (const s of await orgSignatureRows(store.db, org)) {
    const list: DatedList = { by: 'signature', id: s.id };
    out.push({ list, collection: { id: collectionId(org, list), title: `signature ${s.id}: ${titleOf(s.source, s.id)}`, description: `Entities signature ${s.id} of organisation ${org} tags, classifies or alerted on`, can_read: true, can_write: false, media_types: [STIX_MEDIA_TYPE] } });
  }
  return out;
}

/** The organisation's collections: one per tag, then one per signature. */
export async function taxiiCollections(store: Store, org: string): Promise<TaxiiCollection[]> {
  return (await listed(store, org)).map((l) => l.collection);
}

async function find(store: Store, org: string, id: string): Promise<Listed> {
  const l = (await listed(store, org)).find((x) => x.collection.id === id.toLowerCase());
  if (!l) throw notFound(`collection ${id}`);
  return l;
}

export async function taxiiCollection(store: Store, org: string, id: string): Promise<TaxiiCollection> {
  return (await find(store, org, id)).collection;
}

export interface ObjectsQuery {
  /** RFC 3339 text: only objects added after it. */
  readonly addedAfter?: string;
  readonly limit?: number;
  /** A page's `next`. */
  readonly next?: string;
  /** match[type], match[id]: any of them. */
  readonly types?: readonly string[];
  readonly ids?: readonly string[];
}

export interface DatedObject {
  readonly object: StixObject;
  /** TAXII timestamp (millisecond precision). */
  readonly dateAdded: string;
}

export interface ObjectsPage {
  readonly objects: DatedObject[];
  readonly more: boolean;
  readonly next: string | null;
}

/** Where a page stopped: after the identity or not, after which entity, how far into the next one. */
interface Cursor {
  readonly identity: boolean;
  readonly after: DatedEntity | null;
  readonly skip: number;
}

function encode(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.identity ? 1 : 0, c.after ? [c.after.added, c.after.kind, c.after.entity] : null, c.skip])).toString('base64url');
}

function decode(text: string): Cursor {
  const bad = invalid('next is not a token this server gave');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (!Array.isArray(v) || v.length !== 3) throw bad;
  const [i, a, s] = v as unknown[];
  if ((i !== 0 && i !== 1) || !Number.isSafeInteger(s) || (s as number) < 0) throw bad;
  if (a !== null && !(Array.isArray(a) && a.length === 3 && a.every((x) => typeof x === 'string' && !x.includes('\0')))) throw bad;
  const after = a === null ? null : { added: (a as string[])[0]!, kind: (a as string[])[1]!, entity: (a as string[])[2]! };
  return { identity: i === 1, after, skip: s as number };
}

/** added_after → the stored (second-precision) time an entity must be later than. */
function storedAfter(text: string): string {
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(text) || Number.isNaN(t)) throw invalid(`added_after is not an RFC 3339 timestamp: ${text.slice(0, 100)}`);
  return `${new Date(Math.floor(t / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function keep(q: ObjectsQuery): (o: StixObject) => boolean {
  const types = q.types && q.types.length > 0 ? new Set(q.types) : undefined;
  const ids = q.ids && q.ids.length > 0 ? new Set(q.ids) : undefined;
  return (o) => (types === undefined || types.has(o.type)) && (ids === undefined || ids.has(o.id));
}

/** One page of a collection's objects. */
export async function taxiiObjects(store: Store, org: string, collection: string, q: ObjectsQuery): Promise<ObjectsPage> {
  const { list } = await find(store, org, collection);
  const limit = Math.min(Math.max(1, q.limit ?? TAXII_DEFAULT_LIMIT), TAXII_MAX_LIMIT);
  const addedAfter = q.addedAfter !== undefined ? storedAfter(q.addedAfter) : undefined;
  const cursor: Cursor = q.next !== undefined ? decode(q.next) : { identity: false, after: null, skip: 0 };
  const ctx: StixContext = { org, orgCreated: await orgTime(store, org) };
  const wanted = keep(q);
  const out: DatedObject[] = [];
  const orgAdded = `${stixTime(ctx.orgCreated).slice(0, 19)}Z`;
  if (!cursor.identity && (addedAfter === undefined || orgAdded > addedAfter)) {
    const identity = identityObject(ctx);
    if (wanted(identity)) out.push({ object: identity, dateAdded: stixTime(ctx.orgCreated) });
  }
  let after = cursor.after;
  let skip = cursor.skip;
  // Every entity gives at least one object (unless filtered): a small page reads few entities.
  const batch = Math.min(READ, limit);
  for (;;) {
    const rows = await datedEntitiesPage(store.db, org, list, { ...(addedAfter !== undefined ? { addedAfter } : {}), ...(after !== null ? { after } : {}), limit: batch });
    const shared = await loadShared(
      store,
      org,
      rows.map((r) => ({ kind: r.kind as EntityKind, id: r.entity })),
    );
    const byKey = new Map(shared.map((s) => [refKey(s.ref), s]));
    for (const row of rows) {
      const e = byKey.get(refKey({ kind: row.kind as EntityKind, id: row.entity }))!;
      const objects = entityObjects(ctx, e).filter(wanted).slice(skip);
      const room = limit - out.length;
      const dateAdded = stixTime(row.added);
      if (objects.length > room) {
        out.push(...objects.slice(0, room).map((object) => ({ object, dateAdded })));
        return { objects: out, more: true, next: encode({ identity: true, after, skip: skip + room }) };
      }
      out.push(...objects.map((object) => ({ object, dateAdded })));
      after = row;
      skip = 0;
      if (out.length === limit) {
        const rest = await datedEntitiesPage(store.db, org, list, { ...(addedAfter !== undefined ? { addedAfter } : {}), after, limit: 1 });
        return rest.length > 0 ? { objects: out, more: true, next: encode({ identity: true, after, skip: 0 }) } : { objects: out, more: false, next: null };
      }
    }
    if (rows.length < batch) return { objects: out, more: false, next: null };
  }
}

/** One object's versions in the collection (all of them are its only version), at most one entity group scanned at a time. */
export async function taxiiObject(store: Store, org: string, collection: string, id: string, q: Pick<ObjectsQuery, 'addedAfter'> = {}): Promise<DatedObject[]> {
  let next: string | undefined;
  const found: DatedObject[] = [];
  for (;;) {
    const page = await taxiiObjects(store, org, collection, { ...q, ids: [id], limit: TAXII_MAX_LIMIT, ...(next !== undefined ? { next } : {}) });
    // An object several entities share (an IP two domains resolve to) is listed once, first added.
    if (page.objects.length > 0 && found.length === 0) found.push(page.objects[0]!);
    if (!page.more || page.next === null) return found;
    next = page.next;
  }
}

/** An object's version for a manifest: its modified, else its created, else when it was added. */
export function versionOf(o: DatedObject): string {
  const m = o.object.modified ?? o.object.created;
  return typeof m === 'string' ? m : o.dateAdded;
}
