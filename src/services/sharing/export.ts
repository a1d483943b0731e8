// Exports of a list (GET /pivot?format=stix|misp, `warren export`): the same pages of entities
// the pivot and its CSV / JSON exports read (services/pivot.ts pivotExport, at most EXPORT_CAP
// entities), presented as a STIX 2.1 bundle or a MISP event. And the MISP feed: one event per tag
// and per signature of the organisation, with its manifest (GET /misp-feed/…, `--feed DIR`).
import { createHash } from 'node:crypto';
import { orgCreated, orgSignatureRows, orgTagNames } from '../../store/sharing.js';
import type { Store } from '../../store/store.js';
import { notFound } from '../errors.js';
import { pivotExport, type ExportEnd, type PivotItem } from '../pivot.js';
import type { EntityRef } from '../entity.js';
import { loadShared, type SharedEntity } from './material.js';
import { manifestEntry, mispEvent, mispUuid, type MispEvent } from './misp.js';
import { bundleOf, entityObjects, identityObject, type StixBundle, type StixContext } from './stix.js';

export interface ListExport<T> {
  readonly body: T;
  readonly exported: number;
  readonly truncated: ExportEnd['truncated'];
}

/** The organisation's creation time (identity, empty events); the epoch for one never stored. */
export async function orgTime(store: Store, org: string): Promise<string> {
  return (await orgCreated(store.db, org)) ?? '1970-01-01T00:00:00Z';
}

/** Every page of the list's entities, read as the formats need them; invalid for a bad field or value. */
async function* sharedPages(store: Store, org: string, field: string, value: string, end: { value?: ExportEnd }): AsyncGenerator<SharedEntity[]> {
  const pages = pivotExport(store, org, field, value);
  for (;;) {
    const r = await pages.next();
    if (r.done) {
      end.value = r.value;
      return;
    }
    const refs = r.value.map((i: PivotItem): EntityRef => ({ kind: i.kind, id: i.id }));
    yield await loadShared(store, org, refs);
  }
}

/** The list (a catalogue field's value, or tag / classification / signature) as a STIX 2.1 bundle. */
export async function exportStix(store: Store, org: string, field: string, value: string): Promise<ListExport<StixBundle>> {
  const ctx: StixContext = { org, orgCreated: await orgTime(store, org) };
  const objects = [identityObject(ctx)];
  const end: { value?: ExportEnd } = {};
  let exported = 0;
  for await (const page of sharedPages(store, org, field, value, end)) {
    exported += page.length;
    for (const e of page) objects.push(...entityObjects(ctx, e));
  }
  return { body: bundleOf(objects), exported, truncated: end.value?.truncated ?? null };
}

/** The list as one MISP event (core format). */
export async function exportMispEvent(store: Store, org: string, field: string, value: string): Promise<ListExport<MispEvent>> {
  const entities: SharedEntity[] = [];
  const end: { value?: ExportEnd } = {};
  for await (const page of sharedPages(store, org, field, value, end)) entities.push(...page);
  return { body: mispEvent({ org, field, value, orgCreated: await orgTime(store, org) }, entities), exported: entities.length, truncated: end.value?.truncated ?? null };
}

/** The lists a MISP feed (and TAXII) offers: each tag of the organisation and each of its signatures. */
export async function sharedLists(store: Store, org: string): Promise<{ field: 'tag' | 'signature'; value: string }[]> {
  const tags = await orgTagNames(store.db, org);
  const signatures = await orgSignatureRows(store.db, org);
  return [...tags.map((value) => ({ field: 'tag' as const, value })), ...signatures.map((s) => ({ field: 'signature' as const, value: s.id }))];
}

/** The feed's manifest.json: each list's event uuid → its header. */
export async function mispFeedManifest(store: Store, org: string): Promise<Record<string, Record<string, unknown>>> {
  const manifest: Record<string, Record<string, unknown>> = {};
  for (const list of await sharedLists(store, org)) {
    const { body } = await exportMispEvent(store, org, list.field, list.value);
    manifest[body.Event.uuid] = manifestEntry(body);
  }
  return manifest;
}

/**
 * The feed's hashes.csv, as PyMISP's feed generator writes it: `MD5 of the attribute value,event
 * uuid` per attribute, which MISP reads to cache and correlate a feed without fetching every event.
 */
export async function mispFeedHashes(store: Store, org: string): Promise<string> {
  const lines: string[] = [];
  for (const list of await sharedLists(store, org)) {
    const { body } = await exportMispEvent(store, org, list.field, list.value);
    for (const a of body.Event.Attribute) lines.push(`${createHash('md5').update(a.value).digest('hex')},${body.Event.uuid}\n`);
  }
  return lines.join('');
}

/** One event of the feed by its uuid; not found for a uuid that is none of the organisation's lists. */
export async function mispFeedEvent(store: Store, org: string, uuid: string): Promise<MispEvent> {
  for (const list of await sharedLists(store, org)) {
    if (mispUuid(org, list.field, list.value) === uuid.toLowerCase()) return (await exportMispEvent(store, org, list.field, list.value)).body;
  }
  throw notFound(`MISP event ${uuid}`);
}
