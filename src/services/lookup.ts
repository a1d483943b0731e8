// `warren lookup`: everything Warren knows about one domain, IP or certificate, as the
// catalogue's fields plus related entities, and the organisation's tags and classification.
// Viewing evaluates: the entity and every related entity whose signatures could target it are
// matched first, so a tag appears on first view (signatures.md).
import { normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import type { FieldMap } from '../ingest/records.js';
import { entityClassifications, entityTags, type ClassificationRow } from '../store/actions.js';
import type { Relation, Store } from '../store/store.js';
import { CLASSIFICATIONS } from '../signatures/types.js';
import { refKey, type EntityKind, type EntityRef } from './entity.js';
import { applyActions, EvaluationContext, planForRefs } from './evaluate.js';
import { ALL_FIELDS, AsLookup, buildFields, loadFields } from './field-provider.js';
import { compiledOrg } from './org-matcher.js';
import { fieldDef } from '../fields/catalogue.js';
import type { LiveRefresher, LiveReport } from './live/live.js';
import type { LiveMode } from './live/settings.js';
import { packRefText, splitPackSignatureId } from './pack-ref.js';

export type { EntityKind, EntityRef } from './entity.js';

export interface TagView {
  readonly name: string;
  readonly source: 'signature' | 'manual';
  readonly signature?: string;
  readonly field?: string;
  readonly value?: string;
  /** Provenance beyond cli.md's keys: the signature's version, the pattern, first and last match. */
  readonly signature_version?: number;
  readonly pattern?: number;
  /** Why it matched, in words: look-alike hits only ("transposition of paypal in … (distance 1)"). */
  readonly why?: string;
  readonly first_matched?: string;
  readonly last_matched?: string;
  /** A pack signature's tag (docs/PACKS.md): the pack (PUBLISHER/NAME) and the version that made it. */
  readonly pack?: { readonly name: string; readonly version: number };
}

/** The pack provenance of a row made by a pack signature (named PUBLISHER/NAME/ID, versioned by the pack). */
function packOf(signature: string, version: number): { pack?: { name: string; version: number } } {
  const p = splitPackSignatureId(signature);
  return p ? { pack: { name: packRefText(p), version } } : {};
}

export interface ClassificationView {
  readonly value: string;
  readonly source: 'signature' | 'manual';
  readonly signature?: string;
}

export interface EntityView {
  readonly kind: EntityKind;
  readonly id: string;
  readonly fields: FieldMap;
  readonly tags: TagView[];
  readonly classification: ClassificationView | null;
  readonly related: { readonly ips: string[]; readonly domains: string[]; readonly certificates: string[] };
  /** The relations behind `related`, with source, times and counts (an addition to cli.md). */
  readonly relations: Relation[];
  /**
   * Certificates only: whether Warren holds the certificate's DER. False for a certificate known
   * by the fields its source gave (Zeek x509.log, certstream without `as_der`).
   */
  readonly der?: boolean;
  /**
   * Whether Warren holds anything about the entity beyond its name: a stored row, a relation, or
   * a field from a source (WHOIS, routing, a certificate). A view of what is not known raises no
   * alert (live.md: "nothing known").
   */
  readonly known: boolean;
  /** What each live source did for this view (live.md); empty when live look-ups are off. */
  readonly live: LiveReport[];
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
  const of = (kind: EntityKind): string[] => unique(relations.filter((r) => r.to === kind).map((r) => r.id));
  return { ips: of('ip'), domains: of('domain'), certificates: of('certificate') };
}

function view(kind: EntityKind, id: string, fields: FieldMap, relations: Relation[], exists: boolean): EntityView {
  const sourced = Object.keys(fields).some((f) => {
    const source = fieldDef(f)?.source;
    return source !== undefined && source !== 'key' && source !== 'derived';
  });
  return { kind, id, fields, tags: [], classification: null, related: related(relations), relations, known: exists || sourced || relations.length > 0, live: [] };
}

/** Every catalogue field of a domain or an IP (the field provider reads the sources). */
async function allFields(store: Store, ref: EntityRef): Promise<FieldMap> {
  return (await loadFields(store, [ref], ALL_FIELDS, new AsLookup(store))).get(refKey(ref)) ?? {};
}

// A view's reads do not depend on each other: they run at once (docs/PERFORMANCE.md, lookups on
// the 50,000,000-resolution store), rather than a round trip each, one after another.
export async function lookupDomain(store: Store, domain: string): Promise<EntityView> {
  const ref: EntityRef = { kind: 'domain', id: domain };
  const [fields, relations, exists] = await Promise.all([allFields(store, ref), store.domainRelations(domain), store.domainExists(domain)]);
  return view('domain', domain, fields, relations, exists);
}

export async function lookupIp(store: Store, ip: string): Promise<EntityView> {
  const ref: EntityRef = { kind: 'ip', id: ip };
  const [fields, relations, exists] = await Promise.all([allFields(store, ref), store.ipRelations(ip), store.ipExists(ip)]);
  return view('ip', ip, fields, relations, exists);
}

export async function lookupCertificate(store: Store, hash: string): Promise<EntityView | undefined> {
  // By SHA-1 or SHA-256: the row read to resolve the hash is the certificate source's material.
  const cert = await store.certificate(hash);
  if (!cert) return undefined;
  const fields = buildFields({ kind: 'certificate', id: cert.sha256 }, ALL_FIELDS.certificate, { certificate: cert.fields }) ?? {};
  return { ...view('certificate', cert.sha256, fields, await store.certificateRelations(cert.sha256), true), der: cert.der !== null };
}

async function entityView(store: Store, ref: EntityRef): Promise<EntityView | undefined> {
  switch (ref.kind) {
    case 'domain':
      return lookupDomain(store, ref.id);
    case 'ip':
      return lookupIp(store, ref.id);
    case 'certificate':
      return lookupCertificate(store, ref.id);
  }
}

function relatedRefs(v: EntityView): EntityRef[] {
  return [
    ...v.related.ips.map((id): EntityRef => ({ kind: 'ip', id })),
    ...v.related.domains.map((id): EntityRef => ({ kind: 'domain', id })),
    ...v.related.certificates.map((id): EntityRef => ({ kind: 'certificate', id })),
  ];
}

/** A person's classification wins; among automatic ones the most severe (signatures.md). */
export function effectiveClassification(rows: readonly ClassificationRow[]): ClassificationView | null {
  const manual = rows.find((r) => r.source === 'manual');
  if (manual) return { value: manual.value, source: 'manual' };
  const rank = (v: string): number => {
    const i = CLASSIFICATIONS.indexOf(v as (typeof CLASSIFICATIONS)[number]);
    return i < 0 ? CLASSIFICATIONS.length : i;
  };
  const auto = [...rows].sort((a, b) => rank(a.value) - rank(b.value) || a.signature.localeCompare(b.signature))[0];
  return auto ? { value: auto.value, source: 'signature', signature: auto.signature } : null;
}

export interface ViewOptions {
  readonly org: string;
  readonly now: string;
  /** Live look-ups for this view (live.md); absent: none. */
  readonly live?: LiveView;
}

export interface LiveView {
  readonly lookups: LiveRefresher;
  /** The view's mode (`--live`, `?live=`), else the settings'. */
  readonly mode?: LiveMode;
}

/**
 * The live part of a view, on its own: what the /v2 routes call before reading the store (they
 * answer from their own queries). The viewer's organisation's signatures meet what is fetched.
 */
export async function refreshLive(store: Store, ref: EntityRef, opts: ViewOptions): Promise<LiveReport[]> {
  if (!opts.live) return [];
  const mode = opts.live.mode ?? opts.live.lookups.settings.mode;
  return opts.live.lookups.refresh(store, ref, { mode, now: opts.now, scope: { kind: 'org', org: opts.org } });
}

/**
 * Undefined when the text names nothing, or a certificate Warren has not stored. With an
 * organisation, its signatures are evaluated on the entity and its related entities first, and
 * its tags and classification are shown.
 */
export async function lookup(store: Store, text: string, opts?: ViewOptions): Promise<EntityView | undefined> {
  const ref = identify(text);
  if (!ref) return undefined;
  const live = opts ? await refreshLive(store, ref, opts) : [];
  // The organisation's compiled signatures (a revision check once compiled) are read beside the
  // entity; only a known entity is evaluated.
  const [found, orgMatcher] = await Promise.all([entityView(store, ref), opts ? compiledOrg(store, opts.org) : undefined]);
  if (!found || !opts) return found;
  const v: EntityView = { ...found, live };
  const self: EntityRef = { kind: v.kind, id: v.id };
  const compiled = v.known ? orgMatcher : undefined;
  if (compiled) {
    const planned = await planForRefs(new EvaluationContext(store), [self, ...relatedRefs(v)], [compiled]);
    // Only actions on this entity are applied: viewing one entity does not act on its neighbours.
    await applyActions(store, planned.filter((p) => p.target.kind === self.kind && p.target.id === self.id), opts.now);
  }
  const key = { org: opts.org, kind: self.kind, entity: self.id };
  const [tagRows, classificationRows] = await Promise.all([entityTags(store.db, key), entityClassifications(store.db, key)]);
  const tags = tagRows.map(
    (t): TagView =>
      t.source === 'manual'
        ? { name: t.name, source: 'manual', first_matched: t.firstMatched }
        : {
            name: t.name,
            source: 'signature',
            signature: t.signature,
            field: t.field,
            value: t.value,
            signature_version: t.signatureVersion,
            pattern: t.pattern,
            ...(t.why === '' ? {} : { why: t.why }),
            first_matched: t.firstMatched,
            last_matched: t.lastMatched,
            ...packOf(t.signature, t.signatureVersion),
          },
  );
  return { ...v, tags, classification: effectiveClassification(classificationRows) };
}
