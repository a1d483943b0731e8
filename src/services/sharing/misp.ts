// A list's entities as a MISP event in MISP's core format (docs/SHARING.md): one attribute per
// entity (`domain`, `ip-dst`, `x509-fingerprint-sha256`) and per domain's WHOIS registrant email
// (`whois-registrant-email`), the organisation's tags on each entity as the attribute's MISP
// tags, its classification as a `warren:classification="…"` tag, and the list's own tag on the
// event. uuids never change between exports (UUIDv5 over the organisation, list and value), so a
// MISP instance pulling the same list again updates its event instead of adding one.
import { v5 as uuidv5 } from 'uuid';
import { effectiveClassification } from '../lookup.js';
import { lastMarked, tagNames, type SharedEntity } from './material.js';
import { WARREN_NAMESPACE } from './stix-ids.js';

export interface MispTag {
  readonly name: string;
}

export interface MispAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly distribution: string;
  readonly timestamp: string;
  readonly comment: string;
  readonly deleted: boolean;
  readonly Tag: MispTag[];
}

export interface MispEventBody {
  readonly uuid: string;
  readonly info: string;
  readonly date: string;
  readonly timestamp: string;
  readonly publish_timestamp: string;
  readonly published: boolean;
  readonly analysis: string;
  readonly threat_level_id: string;
  readonly distribution: string;
  readonly Orgc: { readonly name: string; readonly uuid: string };
  readonly Tag: MispTag[];
  readonly Attribute: MispAttribute[];
}

export interface MispEvent {
  readonly Event: MispEventBody;
}

/** What a list is, for the event: its name (info) and the MISP tags it gives the event. */
export interface MispList {
  readonly org: string;
  /** `tag`, `classification`, `signature` or a catalogue field. */
  readonly field: string;
  readonly value: string;
  /** When the organisation was made: the date of an empty list's event. */
  readonly orgCreated: string;
}

/** Which MISP attribute type stands for which Warren field (export and `sig from-misp`). */
export const MISP_TYPES = {
  domain: { field: 'domain', category: 'Network activity' },
  hostname: { field: 'domain', category: 'Network activity' },
  'ip-dst': { field: 'ip', category: 'Network activity' },
  'ip-src': { field: 'ip', category: 'Network activity' },
  'x509-fingerprint-sha256': { field: 'x509.sha256', category: 'Network activity' },
  'x509-fingerprint-sha1': { field: 'x509.sha1', category: 'Network activity' },
  'whois-registrant-email': { field: 'whois.registrant.email', category: 'Attribution' },
} as const satisfies Record<string, { field: string; category: string }>;

export function mispUuid(org: string, ...parts: readonly string[]): string {
  return uuidv5(['misp', org, ...parts].join('\0'), WARREN_NAMESPACE);
}

/** Store time → MISP's timestamp (Unix seconds as text). */
function epoch(iso: string): string {
  const t = Date.parse(iso);
  return String(Number.isNaN(t) ? 0 : Math.floor(t / 1000));
}

function attribute(list: MispList, type: keyof typeof MISP_TYPES, value: string, toIds: boolean, at: string, tags: MispTag[], comment: string): MispAttribute {
  return {
    uuid: mispUuid(list.org, list.field, list.value, type, value),
    type,
    category: MISP_TYPES[type].category,
    value,
    to_ids: toIds,
    distribution: '5',
    timestamp: epoch(at),
    comment,
    deleted: false,
    Tag: tags,
  };
}

/** The event's MISP tags: the list's tag or classification, and where it came from. */
function listTags(list: MispList): MispTag[] {
  const tags: MispTag[] = [{ name: `warren:org="${list.org}"` }];
  if (list.field === 'tag') tags.unshift({ name: list.value });
  else if (list.field === 'classification') tags.unshift({ name: `warren:classification="${list.value}"` });
  else if (list.field === 'signature') tags.unshift({ name: `warren:signature="${list.value}"` });
  return tags;
}

/** The event of a list: the same list and organisation always give the same uuid. */
export function mispEvent(list: MispList, entities: readonly SharedEntity[]): MispEvent {
  const attributes: MispAttribute[] = [];
  const seen = new Set<string>();
  let latest: string | null = null;
  let earliest: string | null = null;
  const push = (a: MispAttribute): void => {
    const key = `${a.type}\0${a.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    attributes.push(a);
  };
  for (const e of entities) {
    const at = lastMarked(e.marks) ?? list.orgCreated;
    if (latest === null || at > latest) latest = at;
    if (earliest === null || at < earliest) earliest = at;
    const tags: MispTag[] = tagNames(e.marks).map((name) => ({ name }));
    const cls = effectiveClassification(e.marks.classifications.map((c) => ({ ...c, field: '', matchedValue: '', lastMatched: c.firstMatched })));
    if (cls !== null) tags.push({ name: `warren:classification="${cls.value}"` });
    switch (e.ref.kind) {
      case 'domain': {
        push(attribute(list, 'domain', e.ref.id, true, at, tags, ''));
        const email = e.fields['whois.registrant.email']?.[0];
        if (email !== undefined) push(attribute(list, 'whois-registrant-email', email, false, at, [], `WHOIS registrant of ${e.ref.id}`));
        break;
      }
      case 'ip':
        push(attribute(list, 'ip-dst', e.ref.id, true, at, tags, ''));
        break;
      case 'certificate':
        push(attribute(list, 'x509-fingerprint-sha256', e.ref.id, true, at, tags, ''));
        break;
    }
  }
  const when = latest ?? list.orgCreated;
  return {
    Event: {
      uuid: mispUuid(list.org, list.field, list.value),
      info: `Warren ${list.org}: ${list.field} ${list.value}`,
      date: (earliest ?? list.orgCreated).slice(0, 10),
      timestamp: epoch(when),
      publish_timestamp: epoch(when),
      published: true,
      analysis: '2',
      threat_level_id: list.field === 'classification' && list.value !== 'malicious' ? '3' : '2',
      distribution: '0',
      Orgc: { name: list.org, uuid: mispUuid(list.org) },
      Tag: listTags(list),
      Attribute: attributes,
    },
  };
}

/** A MISP feed's manifest.json entry for an event: what MISP reads before fetching it. */
export function manifestEntry(e: MispEvent): Record<string, unknown> {
  const { info, date, timestamp, analysis, threat_level_id, Orgc, Tag } = e.Event;
  return { info, date, timestamp, analysis, threat_level_id, Orgc, Tag };
}
