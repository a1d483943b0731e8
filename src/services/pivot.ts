// Pivots (GET /api/v1/pivot, issue 15): "every entity with this value", and how many there are.
//
// A catalogue field's pivot is GET /search in exact mode (case-insensitive), through the same
// sources and field provider, reading up to COUNT_CAP_SCALE times the search's cap per request
// so that a page is rarely cut short; its total is `countValues` (one more capped scan, or none
// when the first page already holds everything). A total cut by its cap says so (`complete`).
//
// The organisation's lists go through the same route: `tag` (entities carrying the tag, by hand
// or by a signature), `classification` (entities whose EFFECTIVE classification is the value: a
// person's wins, else the most severe a signature gave, as the entity page shows it) and
// `signature` (entities the signature currently tags or classifies, or raised a notification on:
// the signature list's "hits"). They read only the organisation's rows (store/pivot-lists.ts).
//
// Exports stream the same pages, at most EXPORT_CAP entities, and say when they stopped early.
import { fieldDef, FIELDS, type EntityKind } from '../fields/catalogue.js';
import { normaliseValue } from '../fields/normalise.js';
import { suggestField } from '../fields/suggest.js';
import type { FieldMap } from '../ingest/records.js';
import { CLASSIFICATIONS } from '../signatures/types.js';
import { countListEntities, listEntitiesPage, tagEntityCounts, type ListEntity, type OrgList } from '../store/pivot-lists.js';
import type { Store } from '../store/store.js';
import { refKey, type EntityRef } from './entity.js';
import { invalid } from './errors.js';
import { AsLookup, buildFields, loadFields, needsOf } from './field-provider.js';
import { identify } from './lookup.js';
import { COUNT_CAP_SCALE, countValues, search, type ValueCount } from './search.js';

export type { ValueCount } from './search.js';

/** The organisation's lists, named where a catalogue field would be. */
export const LIST_FIELDS = ['tag', 'classification', 'signature'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

function isListField(field: string): field is ListField {
  return (LIST_FIELDS as readonly string[]).includes(field);
}

const LINKED = new Set(['x509.serial_number', 'x509.alternative_names', 'network', 'as.number', 'as.name']);

/**
 * The fields whose values the entity page links to their pivot, with counts: every WHOIS value
 * (not the raw reply), the certificate's subject and issuer attributes, serial and SANs, the AS
 * and routed network, and the network registration.
 */
export const PIVOT_FIELDS: readonly string[] = FIELDS.filter(
  (f) => f.source === 'whois' || f.source === 'registration' || f.name.startsWith('x509.subject.') || f.name.startsWith('x509.issuer.') || LINKED.has(f.name),
).map((f) => f.name);

export interface PivotItem {
  readonly kind: EntityKind;
  readonly id: string;
  /** The value as the entity holds it (catalogue fields; clipped like GET /search's). */
  readonly value?: string;
}

export interface PivotPage {
  readonly field: string;
  readonly value: string;
  /** The kind of every item (a catalogue field's owner); null for the lists, which mix kinds. */
  readonly kind: EntityKind | null;
  readonly items: PivotItem[];
  /** Continues the list; null only at the end. */
  readonly next: string | null;
  /** Entities in the whole list (not only this page). */
  readonly total: number;
  /** False when counting stopped at its scan cap: `total` is then a lower bound. */
  readonly total_complete: boolean;
  /** Rows read for this answer (catalogue fields: the page's scan and the count's). */
  readonly scanned: number;
}

export interface PivotRequest {
  readonly field: string;
  readonly value: string;
  readonly limit: number;
  readonly cursor?: string;
}

function checkField(field: string): void {
  if (isListField(field) || fieldDef(field)) return;
  const hint = suggestField(field);
  throw invalid(`unknown field "${field}": give a catalogue field or one of ${LIST_FIELDS.join(', ')}${hint ? `; did you mean "${hint}"?` : ''}`);
}

function orgList(field: ListField, value: string): OrgList {
  switch (field) {
    case 'tag':
      return { by: 'tag', name: value };
    case 'signature':
      return { by: 'signature', id: value };
    case 'classification': {
      const rank = (CLASSIFICATIONS as readonly string[]).indexOf(value);
      if (rank < 0) throw invalid(`classification must be one of ${CLASSIFICATIONS.join(', ')}`);
      return { by: 'classification', value, outranking: CLASSIFICATIONS.slice(0, rank) };
    }
  }
}

function encodeListCursor(field: string, value: string, after: ListEntity): string {
  return Buffer.from(JSON.stringify({ l: field, v: value, k: after.kind, e: after.entity })).toString('base64url');
}

function decodeListCursor(text: string, field: string, value: string): ListEntity {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    c = undefined;
  }
  const v = c as { l?: unknown; v?: unknown; k?: unknown; e?: unknown } | undefined;
  const ok = typeof v === 'object' && v !== null && v.l === field && v.v === value && typeof v.k === 'string' && typeof v.e === 'string' && !v.k.includes('\0') && !v.e.includes('\0');
  if (!ok) throw invalid('cursor is not one this server gave for this list');
  return { kind: v.k as string, entity: v.e as string };
}

interface Page {
  readonly items: PivotItem[];
  readonly next: string | null;
  readonly scanned: number;
}

/** One page without its total: the pivot's and the export's. Invalid for a bad field, value or cursor. */
async function pageOf(store: Store, org: string, r: PivotRequest): Promise<Page> {
  checkField(r.field);
  if (isListField(r.field)) {
    const list = orgList(r.field, r.value);
    const after = r.cursor === undefined ? undefined : decodeListCursor(r.cursor, r.field, r.value);
    // One more than asked: whether there is a next page without another query.
    const rows = await listEntitiesPage(store.db, org, list, after, r.limit + 1);
    const page = rows.slice(0, r.limit);
    const next = rows.length > r.limit ? encodeListCursor(r.field, r.value, page.at(-1)!) : null;
    return { items: page.map((e): PivotItem => ({ kind: e.kind as EntityKind, id: e.entity })), next, scanned: rows.length };
  }
  const page = await search(store, {
    field: r.field,
    value: r.value,
    mode: 'exact',
    caseSensitive: false,
    limit: r.limit,
    capScale: COUNT_CAP_SCALE,
    ...(r.cursor !== undefined ? { cursor: r.cursor } : {}),
  });
  return { items: page.items.map((i): PivotItem => ({ kind: i.kind, id: i.id, value: i.value })), next: page.next, scanned: page.scanned };
}

/** One page of the entities with the value (a catalogue field) or on the list (tag, classification, signature), with the total. */
export async function pivot(store: Store, org: string, r: PivotRequest): Promise<PivotPage> {
  const page = await pageOf(store, org, r);
  const answer = { field: r.field, value: r.value, items: page.items, next: page.next };
  if (isListField(r.field)) {
    return { ...answer, kind: null, total: await countListEntities(store.db, org, orgList(r.field, r.value)), total_complete: true, scanned: page.scanned };
  }
  const kind = fieldDef(r.field)!.owner;
  // The first page reached the end: it is the whole list, and its length the total.
  if (r.cursor === undefined && page.next === null) return { ...answer, kind, total: page.items.length, total_complete: true, scanned: page.scanned };
  const counted = await countValues(store, [{ field: r.field, value: r.value }]);
  const c = counted.counts[0]!;
  return { ...answer, kind, total: c.count, total_complete: c.complete, scanned: page.scanned + counted.scanned };
}

/** At most this many entities in one export. */
export const EXPORT_CAP = 10_000;
/** At most this many pivot pages' scans (each up to COUNT_CAP_SCALE search caps) in one export. */
export const EXPORT_SCANS = 20;
const EXPORT_PAGE = 500;

export interface ExportEnd {
  readonly exported: number;
  /** Why the export stopped before the end: `limit` (its cap of entities), `scan` (EXPORT_SCANS scans); null: it is whole. */
  readonly truncated: 'limit' | 'scan' | null;
}

/**
 * The pivot's entities page by page, for an export: the first `next()` checks the request (and
 * throws for a bad one) before anything is sent; the generator's return value says whether it
 * stopped early.
 */
export async function* pivotExport(store: Store, org: string, field: string, value: string, cap = EXPORT_CAP): AsyncGenerator<PivotItem[], ExportEnd> {
  let cursor: string | undefined;
  let exported = 0;
  let scans = 0;
  for (;;) {
    const limit = Math.min(EXPORT_PAGE, cap - exported);
    const page = await pageOf(store, org, { field, value, limit, ...(cursor !== undefined ? { cursor } : {}) });
    scans++;
    exported += page.items.length;
    yield page.items;
    if (page.next === null) return { exported, truncated: null };
    if (exported >= cap) return { exported, truncated: 'limit' };
    if (scans >= EXPORT_SCANS && !isListField(field)) return { exported, truncated: 'scan' };
    cursor = page.next;
  }
}

/** At most this many values in one counts request. */
export const MAX_COUNT_VALUES = 100;

/** How many entities have each value of one catalogue field (what GET /pivot's total would say). */
export async function fieldValueCounts(store: Store, field: string, values: readonly string[]): Promise<{ counts: ValueCount[]; scanned: number }> {
  if (isListField(field)) throw invalid(`counts are for catalogue fields; GET /tags counts the organisation's tags and classifications`);
  checkField(field);
  if (values.length > MAX_COUNT_VALUES) throw invalid(`at most ${MAX_COUNT_VALUES} values at once`);
  return countValues(
    store,
    values.map((value) => ({ field, value })),
  );
}

/** The stored values of an entity's pivot fields, without evaluating anything. */
async function pivotValues(store: Store, ref: EntityRef): Promise<{ id: string; fields: FieldMap }> {
  if (ref.kind === 'certificate') {
    const cert = await store.certificate(ref.id);
    if (!cert) return { id: ref.id, fields: {} };
    return { id: cert.sha256, fields: buildFields({ kind: 'certificate', id: cert.sha256 }, new Set(['certificate']), { certificate: cert.fields }) ?? {} };
  }
  const fields = await loadFields(store, [ref], needsOf(PIVOT_FIELDS), new AsLookup(store));
  return { id: ref.id, fields: fields.get(refKey(ref)) ?? {} };
}

export interface EntityCounts {
  readonly kind: EntityKind;
  readonly id: string;
  readonly counts: ValueCount[];
  readonly scanned: number;
}

/**
 * The counts beside an entity's values on its page: every value of its pivot fields, one scan
 * per group of fields for all of them. Reads the stored fields only: nothing is evaluated, no
 * live look-up is made. Invalid for text that names no entity.
 */
export async function entityValueCounts(store: Store, text: string): Promise<EntityCounts> {
  const ref = identify(text);
  if (!ref) throw invalid(`"${text}" is not a domain, an IP or a certificate fingerprint`);
  const { id, fields } = await pivotValues(store, ref);
  const pairs: { field: string; value: string }[] = [];
  const seen = new Set<string>();
  for (const field of PIVOT_FIELDS) {
    for (const value of fields[field] ?? []) {
      const key = `${field}\0${value}`;
      // A stored value a query could not name (it does not normalise) has no pivot to count.
      if (seen.has(key) || normaliseValue(field, value) === undefined) continue;
      seen.add(key);
      pairs.push({ field, value });
    }
  }
  const { counts, scanned } = await countValues(store, pairs);
  return { kind: ref.kind, id, counts, scanned };
}

export interface TagSummary {
  readonly tags: { name: string; entities: number }[];
  readonly classifications: { value: string; entities: number }[];
}

/** Every tag of the organisation and every classification, with how many entities each lists. */
export async function tagSummary(store: Store, org: string): Promise<TagSummary> {
  const tags = await tagEntityCounts(store.db, org);
  const classifications: { value: string; entities: number }[] = [];
  for (const value of CLASSIFICATIONS) classifications.push({ value, entities: await countListEntities(store.db, org, orgList('classification', value)) });
  return { tags, classifications };
}
