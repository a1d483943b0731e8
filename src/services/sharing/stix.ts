// A list's entities as STIX 2.1 objects (docs/SHARING.md): for each entity its observable
// (domain-name, ipv4-addr / ipv6-addr, x509-certificate), an indicator with a STIX pattern for
// it (labels: the organisation's tags; confidence and indicator_types: its classification) based
// on the observable, a domain's WHOIS registrant email-addr, an IP's autonomous-system, and
// relationship objects for its resolutions and served certificates (the observable at the other
// end comes along); the organisation is an identity that created the indicators and
// relationships. Ids never change between exports (stix-ids.ts); `created` is when the
// organisation first marked the entity, `modified` when its marks last grew.
import { randomUUID } from 'node:crypto';
import type { Classification } from '../../signatures/types.js';
import type { Relation } from '../../store/store.js';
import { effectiveClassification } from '../lookup.js';
import { firstMarked, lastMarked, tagNames, type SharedEntity } from './material.js';
import { oneHash, scoId, warrenId } from './stix-ids.js';

export type StixObject = { readonly type: string; readonly id: string } & Readonly<Record<string, unknown>>;

export interface StixBundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly StixObject[];
}

export interface StixContext {
  readonly org: string;
  /** When the organisation was made: its identity's created. */
  readonly orgCreated: string;
}

/** What Warren's classification says, as STIX confidence (0–100) and indicator_types. */
export const CONFIDENCE: Readonly<Record<Classification, { confidence: number; types: string[] }>> = {
  malicious: { confidence: 85, types: ['malicious-activity'] },
  suspicious: { confidence: 50, types: ['anomalous-activity'] },
  'non-malicious': { confidence: 15, types: ['benign'] },
  unknown: { confidence: 0, types: ['unknown'] },
};

/** Store time (second precision) → STIX timestamp to the millisecond, as created / modified need. */
export function stixTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '1970-01-01T00:00:00.000Z' : d.toISOString();
}

/** A string literal of the STIX pattern language: quotes and backslashes escaped. */
export function patternString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function ipType(ip: string): 'ipv4-addr' | 'ipv6-addr' {
  return ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
}

export function identityObject(ctx: StixContext): StixObject {
  const at = stixTime(ctx.orgCreated);
  return {
    type: 'identity',
    spec_version: '2.1',
    id: warrenId('identity', ctx.org),
    created: at,
    modified: at,
    name: ctx.org,
    identity_class: 'organization',
  };
}

function domainSco(domain: string): StixObject {
  return { type: 'domain-name', spec_version: '2.1', id: scoId('domain-name', { value: domain }), value: domain };
}

function ipSco(ip: string): StixObject {
  const type = ipType(ip);
  return { type, spec_version: '2.1', id: scoId(type, { value: ip }), value: ip };
}

function first(fields: Readonly<Record<string, readonly string[] | undefined>>, name: string): string | undefined {
  return fields[name]?.[0];
}

/** A certificate's observable: what its stored fields say (a field-only one has fewer). */
function certificateSco(sha256: string, fields: Readonly<Record<string, readonly string[] | undefined>> = {}): StixObject {
  const hashes: Record<string, string> = { 'SHA-256': sha256 };
  const sha1 = first(fields, 'x509.sha1');
  if (sha1 !== undefined) hashes['SHA-1'] = sha1;
  const serial = first(fields, 'x509.serial_number');
  const o: Record<string, unknown> = { type: 'x509-certificate', spec_version: '2.1', id: scoId('x509-certificate', { hashes: oneHash(hashes), serial_number: serial }), hashes };
  if (serial !== undefined) o.serial_number = serial;
  const subject = first(fields, 'x509.subject.distinguished_name');
  if (subject !== undefined) o.subject = subject;
  const issuer = first(fields, 'x509.issuer.distinguished_name');
  if (issuer !== undefined) o.issuer = issuer;
  const notBefore = first(fields, 'x509.not_before');
  if (notBefore !== undefined) o.validity_not_before = stixTime(notBefore);
  const notAfter = first(fields, 'x509.not_after');
  if (notAfter !== undefined) o.validity_not_after = stixTime(notAfter);
  const sigAlg = first(fields, 'x509.signature_algorithm');
  if (sigAlg !== undefined) o.signature_algorithm = sigAlg;
  const keyAlg = first(fields, 'x509.public_key_algorithm');
  if (keyAlg !== undefined) o.subject_public_key_algorithm = keyAlg;
  return o as StixObject;
}

/** The entity's own observable. */
export function entitySco(e: SharedEntity): StixObject {
  switch (e.ref.kind) {
    case 'domain':
      return domainSco(e.ref.id);
    case 'ip':
      return ipSco(e.ref.id);
    case 'certificate':
      return certificateSco(e.ref.id, e.fields);
  }
}

/** The STIX pattern that detects the entity. */
export function entityPattern(e: SharedEntity): string {
  switch (e.ref.kind) {
    case 'domain':
      return `[domain-name:value = ${patternString(e.ref.id)}]`;
    case 'ip':
      return `[${ipType(e.ref.id)}:value = ${patternString(e.ref.id)}]`;
    case 'certificate':
      return `[x509-certificate:hashes.'SHA-256' = ${patternString(e.ref.id)}]`;
  }
}

function relationship(ctx: StixContext, type: string, source: string, target: string, times: { created: string; modified: string }, extra: Record<string, unknown> = {}, ...idParts: string[]): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: warrenId('relationship', ctx.org, type, source, target, ...idParts),
    created_by_ref: warrenId('identity', ctx.org),
    created: times.created,
    modified: times.modified,
    relationship_type: type,
    source_ref: source,
    target_ref: target,
    ...extra,
  };
}

/** A stored relation as a relationship, with the observable at its other end. */
function relationObjects(ctx: StixContext, e: SharedEntity, self: StixObject, r: Relation, fallback: string): StixObject[] {
  const created = r.first_seen !== null ? stixTime(r.first_seen) : fallback;
  const modified = r.last_seen !== null && stixTime(r.last_seen) > created ? stixTime(r.last_seen) : created;
  const seen: Record<string, unknown> = {};
  if (r.first_seen !== null) seen.start_time = stixTime(r.first_seen);
  if (r.last_seen !== null && r.first_seen !== null && r.last_seen > r.first_seen) seen.stop_time = stixTime(r.last_seen);
  const times = { created, modified };
  switch (r.kind) {
    case 'resolves-to': {
      if (r.to !== 'ip' && r.to !== 'domain') return [];
      const other = r.to === 'ip' ? ipSco(r.id) : domainSco(r.id);
      return [other, relationship(ctx, 'resolves-to', self.id, other.id, times, seen)];
    }
    case 'resolved-from': {
      if (r.to !== 'domain') return [];
      const other = domainSco(r.id);
      return [other, relationship(ctx, 'resolves-to', other.id, self.id, times, seen)];
    }
    case 'serves': {
      if (r.to !== 'certificate') return [];
      const other = certificateSco(r.id);
      const port = r.port ?? 0;
      const where = port > 0 ? `${e.ref.id} port ${port}` : e.ref.id;
      return [other, relationship(ctx, 'related-to', other.id, self.id, times, { ...seen, description: `certificate served on ${where}` }, String(port))];
    }
    case 'served-on': {
      if (r.to !== 'ip') return [];
      const other = ipSco(r.id);
      const port = r.port ?? 0;
      const where = port > 0 ? `${r.id} port ${port}` : r.id;
      return [other, relationship(ctx, 'related-to', self.id, other.id, times, { ...seen, description: `certificate served on ${where}` }, String(port))];
    }
    case 'names':
    case 'named-by':
      return [];
  }
}

/**
 * Every object the export says of one entity, in a fixed order (the TAXII pages count on it):
 * observable, indicator, based-on, then registrant email / AS, then relations. Objects may repeat
 * across entities (a shared IP); a bundle keeps the first.
 */
export function entityObjects(ctx: StixContext, e: SharedEntity): StixObject[] {
  const sco = entitySco(e);
  const created = stixTime(firstMarked(e.marks) ?? ctx.orgCreated);
  const last = lastMarked(e.marks);
  const modified = last !== null && stixTime(last) > created ? stixTime(last) : created;
  const identity = warrenId('identity', ctx.org);
  const labels = tagNames(e.marks);
  const cls = effectiveClassification(e.marks.classifications.map((c) => ({ ...c, field: '', matchedValue: '', lastMatched: c.firstMatched })));
  const judged = cls !== null ? CONFIDENCE[cls.value as Classification] : undefined;
  const indicator: Record<string, unknown> = {
    type: 'indicator',
    spec_version: '2.1',
    id: warrenId('indicator', ctx.org, e.ref.kind, e.ref.id),
    created_by_ref: identity,
    created,
    modified,
    name: e.ref.id,
    description: `${e.ref.kind} ${e.ref.id} as organisation ${ctx.org} marks it in Warren${labels.length > 0 ? `: tags ${labels.join(', ')}` : ''}${cls !== null ? `; classification ${cls.value}` : ''}`,
    indicator_types: judged?.types ?? ['unknown'],
    pattern: entityPattern(e),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: created,
  };
  if (labels.length > 0) indicator.labels = labels;
  if (judged !== undefined) indicator.confidence = judged.confidence;
  const objects: StixObject[] = [sco, indicator as StixObject, relationship(ctx, 'based-on', indicator.id as string, sco.id, { created, modified: created })];
  const email = first(e.fields, 'whois.registrant.email');
  if (e.ref.kind === 'domain' && email !== undefined) {
    const addr: StixObject = { type: 'email-addr', spec_version: '2.1', id: scoId('email-addr', { value: email }), value: email };
    objects.push(addr, relationship(ctx, 'related-to', sco.id, addr.id, { created, modified: created }, { description: 'WHOIS registrant email' }));
  }
  const asn = first(e.fields, 'as.number');
  if (e.ref.kind === 'ip' && asn !== undefined && /^\d+$/.test(asn)) {
    const number = Number(asn);
    const as: Record<string, unknown> = { type: 'autonomous-system', spec_version: '2.1', id: scoId('autonomous-system', { number }), number };
    const name = first(e.fields, 'as.name');
    if (name !== undefined) as.name = name;
    objects.push(as as StixObject, relationship(ctx, 'belongs-to', sco.id, as.id as string, { created, modified: created }));
  }
  for (const r of e.relations) objects.push(...relationObjects(ctx, e, sco, r, created));
  // One entity's group never repeats an id (two relations to one IP on two ports share its observable).
  const seen = new Set<string>();
  return objects.filter((o) => !seen.has(o.id) && seen.add(o.id));
}

/** A bundle of the objects, each id once (the first kept). */
export function bundleOf(objects: Iterable<StixObject>): StixBundle {
  const seen = new Set<string>();
  const kept: StixObject[] = [];
  for (const o of objects) {
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    kept.push(o);
  }
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects: kept };
}
