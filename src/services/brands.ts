// The brand page (docs/LOOKALIKE.md "The brand page"): an organisation's brands — the patterns
// of its enabled look-alike signatures (its own and those of packs it subscribes to) — and, per
// brand, the look-alikes found so far, grouped by family, with what an analyst decides on:
// registration date, resolving addresses, a certificate, the why, the classification.
//
// "Found so far" is what the signatures left in the organisation's rows: tags, classifications
// and notifications (store/brands.ts). Which brand and family each stands for is not read back
// from the stored why text: the stored value is matched again by the organisation's compiled
// matcher (cached per revision, services/org-matcher.ts), so the answer follows the signature's
// current version — a value its new exclude stops leaves the page at once (its notification
// stays in the list of notifications), and classify-only signatures, whose rows keep no why,
// are explained as well. The rule is explain.ts's, the one the hit itself came from.
import type { LookalikeWhy } from '../engine/lookalike/why.js';
import { describeWhy } from '../engine/lookalike/why.js';
import { LOOKALIKE_FAMILIES, type LookalikeFamily } from '../signatures/types.js';
import {
  classificationsMany,
  newestNamingCertificateMany,
  newestServedCertificateMany,
  resolvingIpsMany,
  servedIpsMany,
  signatureHitRows,
  type SignatureHitRow,
} from '../store/brands.js';
import { certificateFieldsMany, newestWhoisVersions } from '../store/read-many.js';
import type { Store } from '../store/store.js';
import type { Actor } from './audit.js';
import { conflict, invalid, notFound } from './errors.js';
import { effectiveClassification, type ClassificationView } from './lookup.js';
import { addValueExclusion, type AddedExclusion } from './notification-exclusion.js';
import { compiledOrg, type CompiledOrg } from './org-matcher.js';
import { splitPackSignatureId } from './pack-ref.js';

/** At most this many look-alikes of one family in one answer (the totals count them all). */
export const MAX_PER_FAMILY = 500;
/** Resolving addresses shown per look-alike. */
const IPS_SHOWN = 5;

/** A brand as the page names it: the pattern folded (patterns match case-insensitively). */
export function brandKey(pattern: string): string {
  return pattern.normalize('NFC').toLowerCase();
}

export interface BrandSummary {
  readonly brand: string;
  /** The look-alike signatures naming it and the pattern as each wrote it. */
  readonly patterns: readonly { readonly signature: string; readonly pattern: string }[];
  /** Distinct entities found so far imitating it. */
  readonly lookalikes: number;
}

export interface Lookalike {
  readonly kind: string;
  readonly entity: string;
  readonly signature: string;
  readonly field: string;
  readonly value: string;
  readonly families: readonly LookalikeFamily[];
  readonly distance: number;
  /** The hit's explanation in words ("transposition of paypal in pyapal.com (distance 1)"). */
  readonly why: string;
  /** When a signature first recorded it. */
  readonly found: string;
  /** The newest WHOIS version's creation date (domains). */
  readonly registered: string | null;
  readonly ips: readonly string[];
  readonly certificate: { readonly sha256: string; readonly issuer: string | null } | null;
  readonly classification: ClassificationView | null;
}

export interface FamilyGroup {
  readonly family: LookalikeFamily;
  readonly total: number;
  readonly items: readonly Lookalike[];
}

export interface BrandView {
  readonly brand: string;
  readonly patterns: BrandSummary['patterns'];
  readonly total: number;
  readonly families: readonly FamilyGroup[];
}

/** One entity imitating one brand: its closest hit, and the earliest time any hit was recorded. */
interface Found {
  readonly row: SignatureHitRow;
  readonly why: LookalikeWhy;
  found: string;
}

interface Brands {
  readonly compiled: CompiledOrg | undefined;
  readonly brands: Map<string, { patterns: { signature: string; pattern: string }[] }>;
  /** Per brand key, per `kind\0entity`. */
  readonly found: Map<string, Map<string, Found>>;
}

async function brandsFound(store: Store, org: string): Promise<Brands> {
  const compiled = await compiledOrg(store, org);
  const brands: Brands['brands'] = new Map();
  const found: Brands['found'] = new Map();
  if (!compiled) return { compiled, brands, found };
  const ids: string[] = [];
  for (const { signature: s } of compiled.signatures.values()) {
    if (s.match !== 'lookalike') continue;
    ids.push(s.id);
    for (const pattern of s.patterns) {
      const key = brandKey(pattern);
      let b = brands.get(key);
      if (!b) brands.set(key, (b = { patterns: [] }));
      b.patterns.push({ signature: s.id, pattern });
    }
  }
  if (ids.length === 0) return { compiled, brands, found };
  const rows = await signatureHitRows(store.db, org, ids);
  // Each distinct (field, value) is matched once; a row keeps its own signature's hit.
  const values = new Map<string, { field: string; value: string }>();
  for (const r of rows) values.set(JSON.stringify([r.field, r.value]), { field: r.field, value: r.value });
  const keys = [...values.keys()];
  const hits = compiled.matcher.matchMany([...values.values()].map((v) => new Map([[v.field, [v.value]]])));
  const hitsOf = new Map(keys.map((k, i) => [k, hits[i]!]));
  for (const row of rows) {
    const hit = hitsOf.get(JSON.stringify([row.field, row.value]))?.find((h) => h.signature === row.signature && h.why !== undefined);
    if (!hit?.why) continue;
    const key = brandKey(hit.why.brand);
    let of = found.get(key);
    if (!of) found.set(key, (of = new Map<string, Found>()));
    const entity = `${row.kind}\0${row.entity}`;
    const had = of.get(entity);
    const earliest = had && had.found < row.found ? had.found : row.found;
    if (!had || closer({ row, why: hit.why }, had)) of.set(entity, { row, why: hit.why, found: earliest });
    else had.found = earliest;
  }
  return { compiled, brands, found };
}

/** The hit that stands for an entity: the smallest distance, then signature, field and value order. */
function closer(a: { row: SignatureHitRow; why: LookalikeWhy }, b: { row: SignatureHitRow; why: LookalikeWhy }): boolean {
  if (a.why.distance !== b.why.distance) return a.why.distance < b.why.distance;
  const ka = [a.row.signature, a.row.field, a.row.value];
  const kb = [b.row.signature, b.row.field, b.row.value];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]!;
  return false;
}

/** The organisation's brands, each with how many look-alikes were found so far. */
export async function listBrands(store: Store, org: string): Promise<BrandSummary[]> {
  const { brands, found } = await brandsFound(store, org);
  return [...brands]
    .map(([brand, b]) => ({ brand, patterns: b.patterns, lookalikes: found.get(brand)?.size ?? 0 }))
    .sort((a, b) => (a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0));
}

/**
 * One brand's look-alikes, grouped by family: the first (most specific) family of each hit, in
 * LOOKALIKE_FAMILIES order, so `transposition + keyword-added` is a transposition; newest first
 * within a family, at most `limit` each (the totals count them all).
 */
export async function brandLookalikes(store: Store, org: string, brand: string, limit = MAX_PER_FAMILY): Promise<BrandView> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PER_FAMILY) throw invalid(`limit must be 1 to ${MAX_PER_FAMILY}`);
  const key = brandKey(brand);
  const { brands, found } = await brandsFound(store, org);
  const b = brands.get(key);
  if (!b) throw notFound(`brand ${brand}`);
  const all = [...(found.get(key)?.values() ?? [])];
  const groups = new Map<LookalikeFamily, Found[]>();
  for (const f of all) {
    // explain.ts names at least one family for every hit; the fallback only satisfies the types.
    const family = f.why.families[0] ?? 'keyword-added';
    groups.set(family, [...(groups.get(family) ?? []), f]);
  }
  const shown = new Map<LookalikeFamily, { total: number; items: Found[] }>();
  for (const family of LOOKALIKE_FAMILIES) {
    const g = groups.get(family);
    if (!g) continue;
    g.sort((x, y) => (x.found !== y.found ? (x.found > y.found ? -1 : 1) : x.row.entity < y.row.entity ? -1 : x.row.entity > y.row.entity ? 1 : 0));
    shown.set(family, { total: g.length, items: g.slice(0, limit) });
  }
  const details = await describe(store, org, [...shown.values()].flatMap((s) => s.items));
  return {
    brand: key,
    patterns: b.patterns,
    total: all.length,
    families: [...shown].map(([family, s]) => ({ family, total: s.total, items: s.items.map((f) => details(f)) })),
  };
}

/** Registration, addresses, certificate and classification of the look-alikes shown, read in bulk. */
async function describe(store: Store, org: string, items: readonly Found[]): Promise<(f: Found) => Lookalike> {
  const domains = items.filter((f) => f.row.kind === 'domain').map((f) => f.row.entity);
  const certs = items.filter((f) => f.row.kind === 'certificate').map((f) => f.row.entity);
  const [whois, ips, naming, served, classes] = [
    await newestWhoisVersions(store.db, domains, false),
    await resolvingIpsMany(store.db, domains, IPS_SHOWN),
    await newestNamingCertificateMany(store.db, domains),
    await servedIpsMany(store.db, certs, IPS_SHOWN),
    await classificationsMany(store.db, org, items.map((f) => ({ kind: f.row.kind, entity: f.row.entity }))),
  ];
  // A domain no certificate names: the newest certificate served on an address it resolves to.
  const unnamed = domains.filter((d) => !naming.has(d));
  const onIps = await newestServedCertificateMany(store.db, unnamed.flatMap((d) => ips.get(d) ?? []));
  const certificateOf = (f: Found): string | undefined => {
    if (f.row.kind === 'certificate') return f.row.entity;
    if (f.row.kind !== 'domain') return undefined;
    const named = naming.get(f.row.entity);
    if (named !== undefined) return named;
    let best: { sha256: string; seen: string } | undefined;
    for (const ip of ips.get(f.row.entity) ?? []) {
      const c = onIps.get(ip);
      if (c && (!best || c.seen > best.seen)) best = c;
    }
    return best?.sha256;
  };
  const shas = [...new Set(items.map(certificateOf).filter((s): s is string => s !== undefined))];
  const fields = await certificateFieldsMany(store.db, shas);
  return (f) => {
    const sha256 = certificateOf(f);
    const cf = sha256 === undefined ? undefined : fields.get(sha256);
    const issuer = cf?.['x509.issuer.common_name']?.[0] ?? cf?.['x509.issuer.distinguished_name']?.[0] ?? null;
    const entityIps = f.row.kind === 'domain' ? ips.get(f.row.entity) : f.row.kind === 'certificate' ? served.get(f.row.entity) : f.row.kind === 'ip' ? [f.row.entity] : undefined;
    return {
      kind: f.row.kind,
      entity: f.row.entity,
      signature: f.row.signature,
      field: f.row.field,
      value: f.row.value,
      families: f.why.families,
      distance: f.why.distance,
      why: describeWhy(f.why, f.row.value),
      found: f.found,
      registered: f.row.kind === 'domain' ? (whois.get(f.row.entity)?.fields['whois.created']?.[0] ?? null) : null,
      ips: entityIps ?? [],
      certificate: sha256 === undefined ? null : { sha256, issuer },
      classification: effectiveClassification(classes.get(`${f.row.kind}\0${f.row.entity}`) ?? []),
    };
  };
}

/**
 * "Add an exclusion" from the brand page: the value one of the brand's signatures matched becomes
 * an exclude of that signature (notification-exclusion.ts: a new version, audited as
 * signature.change, retro-hunted). A pack's signature is its publisher's to change.
 */
export async function excludeLookalike(
  store: Store,
  actor: Actor,
  org: string,
  brand: string,
  hit: { readonly signature: string; readonly value: string },
  now: string,
): Promise<AddedExclusion> {
  const { compiled, brands } = await brandsFound(store, org);
  const b = brands.get(brandKey(brand));
  if (!b) throw notFound(`brand ${brand}`);
  if (!b.patterns.some((p) => p.signature === hit.signature)) throw notFound(`look-alike signature ${hit.signature} of brand ${brand}`);
  const pack = splitPackSignatureId(hit.signature);
  if (pack) throw conflict(`signature ${hit.signature} comes from the pack ${pack.publisher}/${pack.name}: only its publisher can add an exclusion to it`);
  const signature = compiled?.signatures.get(hit.signature)?.signature;
  if (!signature) throw notFound(`signature ${hit.signature}`);
  return addValueExclusion(store, actor, org, { signature: hit.signature, field: signature.field, value: hit.value }, now);
}
