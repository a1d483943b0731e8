// The catalogue fields of stored entities, many at a time, as the matcher takes them: a
// domain's derived fields and newest WHOIS, an IP's network and AS from routing data, a
// certificate's x509 fields. Only the families some signature names are built.
import { DOMAIN_DERIVED_FIELDS, fieldDef } from '../fields/catalogue.js';
import { deriveDomainFields } from '../fields/domain.js';
import type { FieldValues } from '../fields/normalise.js';
import type { FieldMap } from '../ingest/records.js';
import type { AsIndex } from '../store/as-index.js';
import { certificateFieldsMany, newestWhoisMany } from '../store/read-many.js';
import type { AsInfo, Store } from '../store/store.js';
import { refKey, type EntityKind, type EntityRef } from './entity.js';

export interface FieldNeeds {
  readonly domain: boolean;
  /** domain.registered, .tld, .subdomain, .unicode, .skeleton (tldts and confusables: not free). */
  readonly domainDerived: boolean;
  readonly whois: boolean;
  readonly ip: boolean;
  /** network and as.*: routing data looked up per IP. */
  readonly ipRouting: boolean;
  readonly certificate: boolean;
}

const DERIVED: ReadonlySet<string> = new Set(DOMAIN_DERIVED_FIELDS);

export function needsOf(fields: Iterable<string>): FieldNeeds {
  const needs = { domain: false, domainDerived: false, whois: false, ip: false, ipRouting: false, certificate: false };
  for (const f of fields) {
    if (f.startsWith('whois.')) needs.whois = true;
    else {
      const owner = fieldDef(f)?.owner;
      if (owner) needs[owner] = true;
      if (DERIVED.has(f)) needs.domainDerived = true;
      if (owner === 'ip' && f !== 'ip') needs.ipRouting = true;
    }
  }
  return needs;
}

export function unionNeeds(all: readonly FieldNeeds[]): FieldNeeds {
  const any = (k: keyof FieldNeeds): boolean => all.some((n) => n[k]);
  return {
    domain: any('domain'),
    domainDerived: any('domainDerived'),
    whois: any('whois'),
    ip: any('ip'),
    ipRouting: any('ipRouting'),
    certificate: any('certificate'),
  };
}

export function needsKind(needs: FieldNeeds, kind: EntityKind): boolean {
  return kind === 'domain' ? needs.domain || needs.whois : needs[kind];
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

export function domainFieldMap(domain: string): FieldMap {
  const fields: FieldMap = { domain: [domain] };
  for (const [k, v] of Object.entries(deriveDomainFields(domain)) as [string, string | undefined][]) if (v !== undefined) fields[k] = [v];
  return fields;
}

export function ipFieldMap(ip: string, as: AsInfo | undefined): FieldMap {
  const fields: FieldMap = { ip: [ip] };
  if (as) {
    fields.network = [as.network];
    fields['as.number'] = [String(as.asn)];
    if (as.name) fields['as.name'] = [as.name];
  }
  return fields;
}

/** Field values for each ref (by refKey) whose kind some signature needs; others are left out. */
export async function fieldsForRefs(store: Store, refs: readonly EntityRef[], needs: FieldNeeds, as: AsLookup): Promise<Map<string, FieldValues>> {
  const out = new Map<string, FieldValues>();
  const domains = refs.filter((r) => r.kind === 'domain').map((r) => r.id);
  const ips = refs.filter((r) => r.kind === 'ip').map((r) => r.id);
  const certs = refs.filter((r) => r.kind === 'certificate').map((r) => r.id);
  if (needs.domain || needs.whois) {
    const whois = needs.whois ? await newestWhoisMany(store.db, domains) : new Map<string, FieldMap>();
    for (const d of domains) {
      const values = new Map<string, readonly string[]>();
      if (needs.domainDerived) for (const [k, v] of Object.entries(domainFieldMap(d))) values.set(k, v);
      else if (needs.domain) values.set('domain', [d]);
      const w = whois.get(d);
      if (w) for (const [k, v] of Object.entries(w)) values.set(k, v);
      out.set(refKey({ kind: 'domain', id: d }), values);
    }
  }
  if (needs.ip) {
    const asInfo = needs.ipRouting ? await as.many(ips) : new Map<string, AsInfo>();
    for (const ip of ips) {
      const as = asInfo.get(ip);
      out.set(refKey({ kind: 'ip', id: ip }), as ? new Map(Object.entries(ipFieldMap(ip, as))) : new Map([['ip', [ip]]]));
    }
  }
  if (needs.certificate) {
    const fields = await certificateFieldsMany(store.db, certs);
    for (const [sha256, map] of fields) out.set(refKey({ kind: 'certificate', id: sha256 }), new Map(Object.entries(map)));
  }
  return out;
}
