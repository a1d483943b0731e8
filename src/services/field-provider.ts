// The one field provider: the catalogue fields of stored entities, for evaluation (ingest, view,
// retro-hunt), lookup and search. Each catalogue field names its source (fields/catalogue.ts:
// key, derived, whois, whois-raw, routing, registration, certificate); this module says which
// sources a set of fields needs, reads those sources from the store many entities at a time
// (`loadFields`), and builds an entity's values from what was read (`buildFields`, pure, for
// callers that already hold the rows). Values come in one order: a domain's key, derived fields,
// then its WHOIS fields (raw text last); an IP's key, network, as.number, as.name, then the
// network.* fields of its registration in catalogue order; a certificate's stored fields.
import { FIELDS, fieldDef, type EntityKind, type FieldSource } from '../fields/catalogue.js';
import { deriveDomainFields } from '../fields/domain.js';
import type { FieldValues } from '../fields/normalise.js';
import type { FieldMap } from '../ingest/records.js';
import type { AsIndex } from '../store/as-index.js';
import { certificateFieldsMany, newestWhoisVersions } from '../store/read-many.js';
import type { AsInfo, Store, StoredNetwork } from '../store/store.js';
import { refKey, type EntityRef } from './entity.js';

/** The sources of each entity kind that some field needs; a kind with none is not read at all. */
export type FieldNeeds = Readonly<Record<EntityKind, ReadonlySet<FieldSource>>>;

/** The sources the named catalogue fields need (names outside the catalogue need nothing). */
export function needsOf(fields: Iterable<string>): FieldNeeds {
  const needs: Record<EntityKind, Set<FieldSource>> = { domain: new Set(), ip: new Set(), certificate: new Set() };
  for (const f of fields) {
    const def = fieldDef(f);
    if (def) needs[def.owner].add(def.source);
  }
  return needs;
}

/** Every source: what lookup shows. */
export const ALL_FIELDS: FieldNeeds = needsOf(FIELDS.map((f) => f.name));

export function unionNeeds(all: readonly FieldNeeds[]): FieldNeeds {
  const union = (kind: EntityKind): Set<FieldSource> => new Set(all.flatMap((n) => [...n[kind]]));
  return { domain: union('domain'), ip: union('ip'), certificate: union('certificate') };
}

/** Whether entities of this kind have any field that is needed. */
export function needsKind(needs: FieldNeeds, kind: EntityKind): boolean {
  return needs[kind].size > 0;
}

/**
 * The needs of evaluation (ingest, view, retro-hunt) for the fields signatures name. Evaluation
 * reads a domain's WHOIS without its raw text (large), as it always has: a signature on
 * whois.raw is matched by `warren scan` but finds no value on stored domains. Dropping this
 * mapping would make those signatures match stored data (at the cost of reading every raw reply).
 */
export function evaluationNeeds(fields: Iterable<string>): FieldNeeds {
  const needs = needsOf(fields);
  if (!needs.domain.has('whois-raw')) return needs;
  const domain = new Set(needs.domain);
  domain.delete('whois-raw');
  domain.add('whois');
  return { ...needs, domain };
}

/** What was read from the store for one entity: the inputs of its sources. */
export interface Material {
  /** The newest WHOIS version's fields, `whois.raw` among them when the raw text was read. */
  readonly whois?: FieldMap;
  /** The most specific routed range holding the IP. */
  readonly as?: AsInfo;
  /** The most specific network registration holding the IP. */
  readonly network?: StoredNetwork;
  /** The stored certificate's fields (its key, x509.sha256, among them). */
  readonly certificate?: FieldMap;
}

function domainValues(domain: string, sources: ReadonlySet<FieldSource>, m: Material): FieldMap {
  const fields: FieldMap = { domain: [domain] };
  if (sources.has('derived')) {
    for (const [k, v] of Object.entries(deriveDomainFields(domain)) as [string, string | undefined][]) if (v !== undefined) fields[k] = [v];
  }
  if (m.whois && (sources.has('whois') || sources.has('whois-raw'))) {
    for (const [k, v] of Object.entries(m.whois)) if (sources.has(k === 'whois.raw' ? 'whois-raw' : 'whois')) fields[k] = v;
  }
  return fields;
}

/** The registration's fields, in catalogue order; a stored key the catalogue no longer has is not a field. */
const REGISTRATION_FIELDS: readonly string[] = FIELDS.filter((f) => f.source === 'registration').map((f) => f.name);

function ipValues(ip: string, sources: ReadonlySet<FieldSource>, m: Material): FieldMap {
  const fields: FieldMap = { ip: [ip] };
  if (m.as && sources.has('routing')) {
    fields.network = [m.as.network];
    fields['as.number'] = [String(m.as.asn)];
    if (m.as.name) fields['as.name'] = [m.as.name];
  }
  if (m.network && sources.has('registration')) {
    for (const name of REGISTRATION_FIELDS) {
      const values = m.network.fields[name];
      if (values !== undefined && values.length > 0) fields[name] = values;
    }
  }
  return fields;
}

/**
 * One entity's field values from its sources and what was read for it. Undefined for a
 * certificate without stored fields: only stored certificates have values.
 */
export function buildFields(ref: EntityRef, sources: ReadonlySet<FieldSource>, m: Material): FieldMap | undefined {
  switch (ref.kind) {
    case 'domain':
      return domainValues(ref.id, sources, m);
    case 'ip':
      return ipValues(ref.id, sources, m);
    case 'certificate':
      // Not copied: field maps are read, never changed, and a hunt builds millions of them.
      return m.certificate;
  }
}

/** IP → AS: the in-memory index for big sets, one store query each for a few. */
export class AsLookup {
  private index: AsIndex | undefined;
  constructor(private readonly store: Store) {}

  async many(ips: readonly string[]): Promise<Map<string, AsInfo>> {
    const out = new Map<string, AsInfo>();
    if (ips.length === 0) return out;
    if (!this.index && ips.length < 200) {
      for (const ip of ips) {
        const as = await this.store.asForIp(ip);
        if (as) out.set(ip, as);
      }
      return out;
    }
    this.index ??= await this.store.loadAsIndex();
    for (const ip of ips) {
      const as = this.index.lookup(ip);
      if (as) out.set(ip, as);
    }
    return out;
  }
}

/**
 * Reads the needed sources of the refs: one query per source and chunk, not per entity. What
 * `known` already holds (a batch's certificates, just parsed) is taken from there, not re-read.
 */
export async function loadMaterial(store: Store, refs: readonly EntityRef[], needs: FieldNeeds, as: AsLookup, known?: ReadonlyMap<string, Material>): Promise<Map<string, Material>> {
  const ids = (kind: EntityKind): string[] =>
    needsKind(needs, kind) ? refs.filter((r) => r.kind === kind && (known === undefined || !known.has(refKey(r)))).map((r) => r.id) : [];
  const domains = ids('domain');
  const ips = ids('ip');
  const certs = ids('certificate');
  const out = new Map<string, Material>(known);
  const d = needs.domain;
  if (domains.length > 0 && (d.has('whois') || d.has('whois-raw'))) {
    for (const [domain, w] of await newestWhoisVersions(store.db, domains, d.has('whois-raw'))) out.set(refKey({ kind: 'domain', id: domain }), { whois: w.fields });
  }
  if (ips.length > 0 && needs.ip.has('routing')) {
    for (const [ip, info] of await as.many(ips)) {
      const key = refKey({ kind: 'ip', id: ip });
      out.set(key, { ...out.get(key), as: info });
    }
  }
  if (ips.length > 0 && needs.ip.has('registration')) {
    for (const [ip, network] of await store.networksForIps(ips)) {
      const key = refKey({ kind: 'ip', id: ip });
      out.set(key, { ...out.get(key), network });
    }
  }
  // Every certificate source reads the stored row: only stored certificates have values.
  if (certs.length > 0) {
    for (const [sha256, fields] of await certificateFieldsMany(store.db, certs)) out.set(refKey({ kind: 'certificate', id: sha256 }), { certificate: fields });
  }
  return out;
}

/** The field values of each ref (by refKey) whose kind is needed; others, and unstored certificates, are left out. */
export async function loadFields(store: Store, refs: readonly EntityRef[], needs: FieldNeeds, as: AsLookup, known?: ReadonlyMap<string, Material>): Promise<Map<string, FieldMap>> {
  const material = await loadMaterial(store, refs, needs, as, known);
  const out = new Map<string, FieldMap>();
  for (const ref of refs) {
    if (!needsKind(needs, ref.kind)) continue;
    const key = refKey(ref);
    const fields = buildFields(ref, needs[ref.kind], material.get(key) ?? {});
    if (fields) out.set(key, fields);
  }
  return out;
}

/** The same, as the matcher takes them. */
export async function loadFieldValues(store: Store, refs: readonly EntityRef[], needs: FieldNeeds, as: AsLookup, known?: ReadonlyMap<string, Material>): Promise<Map<string, FieldValues>> {
  const out = new Map<string, FieldValues>();
  for (const [key, fields] of await loadFields(store, refs, needs, as, known)) out.set(key, new Map(Object.entries(fields)));
  return out;
}
