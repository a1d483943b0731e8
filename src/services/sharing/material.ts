// What the sharing formats say of each entity of a list, read for a page of entities at once:
// the organisation's marks on it (tags, classifications, first notification), the stored fields
// the formats name (a domain's registrant email, an IP's AS, a certificate's hashes and names),
// and its resolutions and served certificates (at most RELATIONS_PER_ENTITY of them).
import type { FieldMap } from '../../ingest/records.js';
import { marksMany, sharedRelationsMany, type EntityMarks } from '../../store/sharing.js';
import type { Relation, Store } from '../../store/store.js';
import { refKey, type EntityRef } from '../entity.js';
import { AsLookup, loadFields, needsOf } from '../field-provider.js';

/** Relations read per entity and kind (and kept in all): a shared hosting IP's thousands of names are not one export's business. */
export const RELATIONS_PER_ENTITY = 200;

const NEEDS = needsOf(['whois.registrant.email', 'as.number', 'x509.sha1']);

export interface SharedEntity {
  readonly ref: EntityRef;
  readonly marks: EntityMarks;
  readonly fields: FieldMap;
  /** Resolutions (to and from) and served certificates, each leading to an entity. */
  readonly relations: readonly Relation[];
}

const NO_MARKS: EntityMarks = { tags: [], classifications: [], firstNotified: null };

/** The entities as the formats need them, in the order given. */
export async function loadShared(store: Store, org: string, refs: readonly EntityRef[]): Promise<SharedEntity[]> {
  const marks = await marksMany(
    store.db,
    org,
    refs.map((r) => ({ kind: r.kind, entity: r.id })),
  );
  const fields = await loadFields(store, refs, NEEDS, new AsLookup(store));
  const relations = await sharedRelationsMany(
    store.db,
    refs.map((r) => ({ kind: r.kind, entity: r.id })),
    RELATIONS_PER_ENTITY,
  );
  return refs.map((ref) => {
    const key = refKey(ref);
    return {
      ref,
      marks: marks.get(key) ?? NO_MARKS,
      fields: fields.get(key) ?? {},
      relations: (relations.get(key) ?? []).filter((r) => r.to !== null).slice(0, RELATIONS_PER_ENTITY),
    };
  });
}

/** When the organisation first marked the entity (created of its indicator); null when it has no mark. */
export function firstMarked(m: EntityMarks): string | null {
  const times = [...m.tags.map((t) => t.firstMatched), ...m.classifications.map((c) => c.firstMatched), ...(m.firstNotified !== null ? [m.firstNotified] : [])];
  return times.length === 0 ? null : times.reduce((a, b) => (b < a ? b : a));
}

/**
 * When what the organisation says of the entity last grew (a tag or classification added): the
 * indicator's modified. Last-match times are not used: they move on every view.
 */
export function lastMarked(m: EntityMarks): string | null {
  const times = [...m.tags.map((t) => t.firstMatched), ...m.classifications.map((c) => c.firstMatched), ...(m.firstNotified !== null ? [m.firstNotified] : [])];
  return times.length === 0 ? null : times.reduce((a, b) => (b > a ? b : a));
}

/** The entity's tag names, distinct and sorted. */
export function tagNames(m: EntityMarks): string[] {
  return [...new Set(m.tags.map((t) => t.name))].sort();
}
