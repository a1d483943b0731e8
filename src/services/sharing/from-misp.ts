// MISP events → signatures (`warren sig from-misp FILE`, docs/SHARING.md): each attribute type
// Warren has a field for (misp.ts MISP_TYPES) becomes one signature per event, its values the
// literal patterns on that field, its actions the event's MISP tags as tags (a
// `warren:classification="…"` tag as a classification). Reads a MISP event (`{"Event": …}`), an
// array of them, a REST search answer (`{"response": […]}`) or a feed's event file; a feed's
// manifest.json names its events, which the caller reads from beside it. A bad attribute is
// reported with its event and index and left out; the rest are kept.
import { normaliseValue } from '../../fields/normalise.js';
import { TAG_NAME } from '../../signatures/actions.js';
import { makeSignature } from '../../signatures/make.js';
import { CLASSIFICATIONS, type Action, type Classification, type Signature } from '../../signatures/types.js';
import { MISP_TYPES } from './misp.js';

export interface MispProblem {
  /** Where: `event UUID attribute N`, or `document` for the whole input. */
  readonly at: string;
  readonly message: string;
}

export interface FromMisp {
  readonly signatures: Signature[];
  readonly problems: MispProblem[];
  /** A feed's manifest.json: the uuids of the events it lists (read `<uuid>.json` beside it). */
  readonly manifest?: string[];
}

type Json = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The events of any of the shapes MISP writes; undefined when it is none of them. */
function eventsOf(doc: unknown): Json[] | undefined {
  if (Array.isArray(doc)) {
    const events: Json[] = [];
    for (const d of doc) {
      if (isObject(d) && isObject(d.Event)) events.push(d.Event);
      else if (isObject(d) && Array.isArray(d.Attribute)) events.push(d);
      else return undefined;
    }
    return events;
  }
  if (!isObject(doc)) return undefined;
  if (isObject(doc.Event)) return [doc.Event];
  if (Array.isArray(doc.response)) return eventsOf(doc.response);
  return undefined;
}

/** A manifest.json: every key a uuid, every value an event header. */
function manifestOf(doc: unknown): string[] | undefined {
  if (!isObject(doc)) return undefined;
  const keys = Object.keys(doc);
  if (keys.length === 0 || !keys.every((k) => UUID.test(k) && isObject(doc[k]))) return undefined;
  return keys.map((k) => k.toLowerCase());
}

/** A MISP tag as a Warren tag name: what TAG_NAME allows, the rest as `_`. */
export function tagFromMisp(name: string): string | undefined {
  const cleaned = name
    .replace(/"/g, '')
    .replace(/[^A-Za-z0-9_.:-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return TAG_NAME.test(cleaned) ? cleaned : undefined;
}

function tagNamesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((t) => (isObject(t) && typeof t.name === 'string' ? [t.name] : []));
}

/** The event's tags as actions: a classification tag classifies, Warren's own org tag is dropped. */
function actionsOf(tags: readonly string[]): Action[] {
  const actions: Action[] = [];
  const seen = new Set<string>();
  for (const name of tags) {
    const cls = /^warren:classification="?([a-z-]+)"?$/.exec(name);
    if (cls && (CLASSIFICATIONS as readonly string[]).includes(cls[1]!)) {
      if (!actions.some((a) => 'classify' in a)) actions.push({ classify: cls[1] as Classification });
      continue;
    }
    if (name.startsWith('warren:org=')) continue;
    const tag = tagFromMisp(name);
    if (tag === undefined || seen.has(tag)) continue;
    seen.add(tag);
    actions.push({ tag });
  }
  if (!actions.some((a) => 'tag' in a)) actions.push({ tag: 'MISP' });
  return actions;
}

function attributesOf(event: Json): Json[] {
  const direct = Array.isArray(event.Attribute) ? event.Attribute.filter(isObject) : [];
  const inObjects = Array.isArray(event.Object) ? event.Object.filter(isObject).flatMap((o) => (Array.isArray(o.Attribute) ? o.Attribute.filter(isObject) : [])) : [];
  return [...direct, ...inObjects];
}

/** One event's signatures: one per attribute type with a Warren field, patterns in first-seen order. */
function eventSignatures(event: Json, n: number, problems: MispProblem[]): Signature[] {
  const uuid = typeof event.uuid === 'string' && UUID.test(event.uuid) ? event.uuid.toLowerCase() : undefined;
  const where = uuid ?? `#${n + 1}`;
  if (uuid === undefined) {
    problems.push({ at: `event ${where}`, message: 'has no uuid: its signatures cannot keep their ids across imports' });
    return [];
  }
  const info = typeof event.info === 'string' && event.info.trim() !== '' ? event.info.trim() : `MISP event ${uuid}`;
  const org = isObject(event.Orgc) && typeof event.Orgc.name === 'string' ? event.Orgc.name : undefined;
  const actions = actionsOf(tagNamesOf(event.Tag));
  const byType = new Map<keyof typeof MISP_TYPES, string[]>();
  attributesOf(event).forEach((a, i) => {
    const type = a.type;
    if (typeof type !== 'string' || !Object.hasOwn(MISP_TYPES, type)) return;
    if (a.deleted === true || a.deleted === '1') return;
    const t = type as keyof typeof MISP_TYPES;
    const raw = typeof a.value === 'string' ? a.value : undefined;
    const value = raw === undefined ? undefined : normaliseValue(MISP_TYPES[t].field, raw.trim());
    if (value === undefined) {
      problems.push({ at: `event ${where} attribute ${i}`, message: `${type} value ${JSON.stringify(raw ?? a.value ?? null).slice(0, 200)} is not a valid ${MISP_TYPES[t].field}` });
      return;
    }
    const list = byType.get(t) ?? [];
    if (!list.includes(value)) list.push(value);
    byType.set(t, list);
  });
  return [...byType].map(([type, patterns]) =>
    makeSignature({
      id: `misp-${uuid}-${type}`,
      title: `${info} (MISP ${type})`.slice(0, 200),
      description: `From MISP event ${uuid}${org !== undefined ? ` of ${org}` : ''}: its ${type} attributes.`,
      field: MISP_TYPES[type].field,
      match: 'literal',
      patterns,
      actions,
    }),
  );
}

/** The signatures of a MISP JSON text; a manifest's event uuids when it is a feed's manifest.json. */
export function signaturesFromMisp(text: string): FromMisp {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { signatures: [], problems: [{ at: 'document', message: `not JSON: ${(e as Error).message}` }] };
  }
  const events = eventsOf(doc);
  if (events === undefined) {
    const manifest = manifestOf(doc);
    if (manifest !== undefined) return { signatures: [], problems: [], manifest };
    return { signatures: [], problems: [{ at: 'document', message: 'neither a MISP event ({"Event": …}), a list of events, a search answer ({"response": […]}) nor a feed manifest' }] };
  }
  const problems: MispProblem[] = [];
  const signatures = events.flatMap((e, i) => eventSignatures(e, i, problems));
  return { signatures, problems };
}
