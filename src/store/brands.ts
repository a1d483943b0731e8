// What the brand page reads (services/brands.ts): the organisation's rows a set of signatures
// left (tags, classifications, notifications: the hits found so far), and, for the look-alikes
// among them, their classifications, resolving IPs and newest certificate. Queries only; which
// rows are look-alikes of which brand is the service's rule. Every organisation-owned read
// filters by the organisation.
import type { Kysely } from 'kysely';
import { chunks } from './chunks.js';
import type { ClassificationRow } from './actions.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** Keeps IN lists under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/** One value a signature matched on one entity, and when it was first recorded. */
export interface SignatureHitRow {
  readonly kind: string;
  readonly entity: string;
  readonly signature: string;
  readonly field: string;
  readonly value: string;
  /** The earliest first_matched / created of the rows behind it. */
  readonly found: string;
}

/**
 * Every (entity, signature, field, value) the signatures tagged, classified or raised a
 * notification on in the organisation, once each with its earliest time.
 */
export async function signatureHitRows(db: Db, org: string, signatures: readonly string[]): Promise<SignatureHitRow[]> {
  const out = new Map<string, SignatureHitRow>();
  const add = (r: Omit<SignatureHitRow, 'found'>, found: string): void => {
    const key = JSON.stringify([r.kind, r.entity, r.signature, r.field, r.value]);
    const had = out.get(key);
    if (!had || found < had.found) out.set(key, { ...r, found });
  };
  for (const chunk of chunks(signatures, CHUNK)) {
    const tags = await db
      .selectFrom('tags')
      .select(['kind', 'entity', 'signature', 'field', 'value', 'first_matched'])
      .where('org', '=', org)
      .where('source', '=', 'signature')
      .where('signature', 'in', chunk)
      .execute();
    for (const r of tags) add(r, r.first_matched);
    const classifications = await db
      .selectFrom('classifications')
      .select(['kind', 'entity', 'signature', 'field', 'matched_value', 'first_matched'])
      .where('org', '=', org)
      .where('source', '=', 'signature')
      .where('signature', 'in', chunk)
      .execute();
    for (const r of classifications) add({ kind: r.kind, entity: r.entity, signature: r.signature, field: r.field, value: r.matched_value }, r.first_matched);
    const notifications = await db
      .selectFrom('notifications')
      .select(['kind', 'entity', 'signature', 'field', 'value', 'created'])
      .where('org', '=', org)
      .where('signature', 'in', chunk)
      .execute();
    for (const r of notifications) add(r, r.created);
  }
  return [...out.values()];
}

/** Every classification row of each entity (keyed `kind\0entity`) in the organisation. */
export async function classificationsMany(db: Db, org: string, refs: readonly { readonly kind: string; readonly entity: string }[]): Promise<Map<string, ClassificationRow[]>> {
  const out = new Map<string, ClassificationRow[]>();
  const byKind = new Map<string, string[]>();
  for (const r of refs) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r.entity]);
  for (const [kind, entities] of byKind) {
    for (const chunk of chunks([...new Set(entities)], CHUNK)) {
      const rows = await db.selectFrom('classifications').selectAll().where('org', '=', org).where('kind', '=', kind).where('entity', 'in', chunk).execute();
      for (const r of rows) {
        const key = `${kind}\0${r.entity}`;
        out.set(key, [
          ...(out.get(key) ?? []),
          {
            value: r.value,
            source: r.source as ClassificationRow['source'],
            signature: r.signature,
            field: r.field,
            matchedValue: r.matched_value,
            firstMatched: r.first_matched,
            lastMatched: r.last_matched,
          },
        ]);
      }
    }
  }
  return out;
}

/** Up to `per` addresses each domain resolves to (A, AAAA), most recently seen first. */
export async function resolvingIpsMany(db: Db, domains: readonly string[], per: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const chunk of chunks([...new Set(domains)], CHUNK)) {
    const rows = await db
      .selectFrom('resolutions')
      .select(['domain', 'value', 'last_seen'])
      .where('domain', 'in', chunk)
      .where('rrtype', 'in', ['A', 'AAAA'])
      .orderBy('domain')
      .orderBy('last_seen', 'desc')
      .orderBy('value')
      .execute();
    for (const r of rows) {
      const ips = out.get(r.domain) ?? [];
      if (ips.length < per && !ips.includes(r.value)) ips.push(r.value);
      out.set(r.domain, ips);
    }
  }
  return out;
}

/** Up to `per` addresses each certificate was served on, most recently seen first. */
export async function servedIpsMany(db: Db, sha256s: readonly string[], per: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const chunk of chunks([...new Set(sha256s)], CHUNK)) {
    const rows = await db.selectFrom('served').select(['sha256', 'ip']).where('sha256', 'in', chunk).orderBy('sha256').orderBy('last_seen', 'desc').orderBy('ip').execute();
    for (const r of rows) {
      const ips = out.get(r.sha256) ?? [];
      if (ips.length < per && !ips.includes(r.ip)) ips.push(r.ip);
      out.set(r.sha256, ips);
    }
  }
  return out;
}

/** Each domain's most recently seen certificate naming it (the `names` relation). */
export async function newestNamingCertificateMany(db: Db, domains: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, { sha256: string; seen: string }>();
  for (const chunk of chunks([...new Set(domains)], CHUNK)) {
    const rows = await db.selectFrom('names').select(['domain', 'sha256', 'last_seen']).where('domain', 'in', chunk).execute();
    for (const r of rows) {
      const seen = r.last_seen ?? '';
      const had = out.get(r.domain);
      if (!had || seen > had.seen || (seen === had.seen && r.sha256 < had.sha256)) out.set(r.domain, { sha256: r.sha256, seen });
    }
  }
  return new Map([...out].map(([d, c]) => [d, c.sha256]));
}

/** Each IP's most recently seen certificate served on it. */
export async function newestServedCertificateMany(db: Db, ips: readonly string[]): Promise<Map<string, { sha256: string; seen: string }>> {
  const out = new Map<string, { sha256: string; seen: string }>();
  for (const chunk of chunks([...new Set(ips)], CHUNK)) {
    const rows = await db.selectFrom('served').select(['ip', 'sha256', 'last_seen']).where('ip', 'in', chunk).execute();
    for (const r of rows) {
      const seen = r.last_seen ?? '';
      const had = out.get(r.ip);
      if (!had || seen > had.seen || (seen === had.seen && r.sha256 < had.sha256)) out.set(r.ip, { sha256: r.sha256, seen });
    }
  }
  return out;
}
