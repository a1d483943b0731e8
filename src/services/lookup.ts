// `warren lookup`: everything Warren knows about one domain, IP or certificate, as the
// catalogue's fields plus related entities. Signatures are evaluated on view by the next layer
// (tags and classification stay empty until then).
import { deriveDomainFields, normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import type { FieldMap } from '../ingest/records.js';
import type { Relation, Store } from '../store/store.js';

export type EntityKind = 'domain' | 'ip' | 'certificate';

export interface EntityRef {
  readonly kind: EntityKind;
  readonly id: string;
}

export interface TagView {
  readonly name: string;
  readonly source: 'signature' | 'manual';
  readonly signature?: string;
  readonly field?: string;
  readonly value?: string;
}

export interface EntityView {
  readonly kind: EntityKind;
  readonly id: string;
  readonly fields: FieldMap;
  readonly tags: TagView[];
  readonly classification: { readonly value: string; readonly source: string } | null;
  readonly related: { readonly ips: string[]; readonly domains: string[]; readonly certificates: string[] };
  /** The relations behind `related`, with source, times and counts (an addition to cli.md). */
  readonly relations: Relation[];
}

/** What the analyst typed: an IP, a SHA-1 / SHA-256 fingerprint, or a domain name. */
export function identify(text: string): EntityRef | undefined {
  const t = text.trim();
  const ip = canonicalIp(t);
  if (ip) return { kind: 'ip', id: ip };
  const hex = t.replace(/:/g, '').toLowerCase();
  if (/^[0-9a-f]{64}$/.test(hex) || /^[0-9a-f]{40}$/.test(hex)) return { kind: 'certificate', id: hex };
  const domain = normaliseDomain(t);
  return domain ? { kind: 'domain', id: domain } : undefined;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function related(relations: Relation[]): EntityView['related'] {
  const ips: string[] = [];
  const domains: string[] = [];
  const certificates: string[] = [];
  for (const r of relations) {
    if (r.kind === 'serves' || r.kind === 'named-by') certificates.push(r.id);
    else if (r.kind === 'served-on') ips.push(r.id);
    else if (r.kind === 'names' || r.kind === 'resolved-from') domains.push(r.id);
    else if (r.rrtype === 'A' || r.rrtype === 'AAAA') ips.push(r.id);
    else domains.push(r.id);
  }
  return { ips: unique(ips), domains: unique(domains), certificates: unique(certificates) };
}

function view(kind: EntityKind, id: string, fields: FieldMap, relations: Relation[]): EntityView {
  return { kind, id, fields, tags: [], classification: null, related: related(relations), relations };
}

export async function lookupDomain(store: Store, domain: string): Promise<EntityView> {
  const fields: FieldMap = { domain: [domain] };
  for (const [k, v] of Object.entries(deriveDomainFields(domain)) as [string, string | undefined][]) if (v !== undefined) fields[k] = [v];
  const whois = await store.newestWhois(domain);
  if (whois) Object.assign(fields, whois.fields);
  return view('domain', domain, fields, await store.domainRelations(domain));
}

export async function lookupIp(store: Store, ip: string): Promise<EntityView> {
  const fields: FieldMap = { ip: [ip] };
  const as = await store.asForIp(ip);
  if (as) {
    fields.network = [as.network];
    fields['as.number'] = [String(as.asn)];
    if (as.name) fields['as.name'] = [as.name];
  }
  return view('ip', ip, fields, await store.ipRelations(ip));
}

export async function lookupCertificate(store: Store, hash: string): Promise<EntityView | undefined> {
  const cert = await store.certificate(hash);
  if (!cert) return undefined;
  return view('certificate', cert.sha256, cert.fields, await store.certificateRelations(cert.sha256));
}

/** Undefined when the text names nothing, or a certificate Warren has not stored. */
export async function lookup(store: Store, text: string): Promise<EntityView | undefined> {
  const ref = identify(text);
  if (!ref) return undefined;
  switch (ref.kind) {
    case 'domain':
      return lookupDomain(store, ref.id);
    case 'ip':
      return lookupIp(store, ref.id);
    case 'certificate':
      return lookupCertificate(store, ref.id);
  }
}
