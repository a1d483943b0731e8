// Queries behind the stored-record views of services/records.ts: a domain's WHOIS with every
// version's observation time, and an entity's relations as keyset streams a page walks in turn.
// They read the shared data, not an organisation's. Queries only: the service validates, decodes
// and encodes cursors, and pages across the streams.
import type { Kysely } from 'kysely';
import type { FieldMap } from '../ingest/records.js';
import type { Relation } from './read.js';
import { relationEndKind } from './relations.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface WhoisVersion {
  readonly observed: string | null;
  readonly source: string;
}

export interface WhoisHistory {
  /** The newest version: by observation time (unknown is oldest), then by ingest order, as matching picks it. */
  readonly newest: WhoisVersion & { readonly fields: FieldMap; readonly raw: string | null };
  /** Every stored version, newest first. */
  readonly versions: readonly WhoisVersion[];
}

/** A domain's WHOIS history; undefined when no version is stored. */
export async function whoisHistory(db: Db, domain: string): Promise<WhoisHistory | undefined> {
  const versions = await db.selectFrom('whois').select(['observed', 'source', 'seq']).where('domain', '=', domain).execute();
  if (versions.length === 0) return undefined;
  versions.sort((a, b) => ((b.observed ?? '') < (a.observed ?? '') ? -1 : (b.observed ?? '') > (a.observed ?? '') ? 1 : Number(b.seq) - Number(a.seq)));
  const newest = versions[0]!;
  const row = await db.selectFrom('whois').select(['fields', 'raw']).where('domain', '=', domain).where('seq', '=', Number(newest.seq)).executeTakeFirstOrThrow();
  return {
    newest: { observed: newest.observed, source: newest.source, fields: JSON.parse(row.fields) as FieldMap, raw: row.raw },
    versions: versions.map((v) => ({ observed: v.observed, source: v.source })),
  };
}

/** A row's position in its stream: the ordered key columns' values. */
export type RelationKey = readonly (string | number)[];

export interface RelationRow {
  readonly key: RelationKey;
  readonly relation: Relation;
}

export interface RelationStream {
  /** The key's columns: text or integer (a cursor's key is checked against it). */
  readonly shape: readonly ('text' | 'int')[];
  read(after: RelationKey | undefined, limit: number): Promise<RelationRow[]>;
}

const str = (k: RelationKey | undefined, i: number): string => String(k?.[i] ?? '');

/** Resolutions of a domain (`domain` side) or to a value (`value` side), in key order. */
function resolutions(db: Db, side: 'domain' | 'value', id: string): RelationStream {
  const read = async (after: RelationKey | undefined, limit: number): Promise<RelationRow[]> => {
    let q = db.selectFrom('resolutions').selectAll().where(side, '=', id);
    if (side === 'domain') {
      if (after) q = q.where((eb) => eb(eb.refTuple('rrtype', 'value', 'source'), '>', eb.tuple(str(after, 0), str(after, 1), str(after, 2))));
      q = q.orderBy('rrtype').orderBy('value').orderBy('source');
    } else {
      if (after) q = q.where((eb) => eb(eb.refTuple('domain', 'rrtype', 'source'), '>', eb.tuple(str(after, 0), str(after, 1), str(after, 2))));
      q = q.orderBy('domain').orderBy('rrtype').orderBy('source');
    }
    return (await q.limit(limit).execute()).map((r) => ({
      key: side === 'domain' ? [r.rrtype, r.value, r.source] : [r.domain, r.rrtype, r.source],
      relation: {
        kind: side === 'domain' ? 'resolves-to' : 'resolved-from',
        id: side === 'domain' ? r.value : r.domain,
        to: side === 'domain' ? relationEndKind('resolves-to', r.value, r.rrtype) : relationEndKind('resolved-from', r.domain),
        rrtype: r.rrtype,
        source: r.source,
        first_seen: r.first_seen,
        last_seen: r.last_seen,
        count: Number(r.count),
      },
    }));
  };
  return { shape: ['text', 'text', 'text'], read };
}

/** Certificates served on an IP (`ip` side) or the IPs a certificate was served on. */
function served(db: Db, side: 'ip' | 'sha256', id: string): RelationStream {
  const other = side === 'ip' ? 'sha256' : 'ip';
  const read = async (after: RelationKey | undefined, limit: number): Promise<RelationRow[]> => {
    let q = db.selectFrom('served').selectAll().where(side, '=', id);
    if (after) q = q.where((eb) => eb(eb.refTuple(other, 'port', 'source'), '>', eb.tuple(str(after, 0), Number(after[1]), str(after, 2))));
    const rows = await q.orderBy(other).orderBy('port').orderBy('source').limit(limit).execute();
    return rows.map((r) => ({
      key: [r[other], Number(r.port), r.source],
      relation: { kind: side === 'ip' ? 'serves' : 'served-on', id: r[other], to: relationEndKind(side === 'ip' ? 'serves' : 'served-on', r[other]), port: Number(r.port), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen },
    }));
  };
  return { shape: ['text', 'int', 'text'], read };
}

/** Certificates naming a domain (`domain` side) or the domains a certificate names. */
function names(db: Db, side: 'domain' | 'sha256', id: string): RelationStream {
  const other = side === 'domain' ? 'sha256' : 'domain';
  const read = async (after: RelationKey | undefined, limit: number): Promise<RelationRow[]> => {
    let q = db.selectFrom('names').selectAll().where(side, '=', id);
    if (after) q = q.where((eb) => eb(eb.refTuple(other, 'source'), '>', eb.tuple(str(after, 0), str(after, 1))));
    const rows = await q.orderBy(other).orderBy('source').limit(limit).execute();
    return rows.map((r) => ({
      key: [r[other], r.source],
      relation: { kind: side === 'domain' ? 'named-by' : 'names', id: r[other], to: relationEndKind(side === 'domain' ? 'named-by' : 'names', r[other]), source: r.source, first_seen: r.first_seen, last_seen: r.last_seen },
    }));
  };
  return { shape: ['text', 'text'], read };
}

/** An entity's relations as streams, each in its own key order; a page walks them in turn. */
export function relationStreams(db: Db, kind: 'domain' | 'ip' | 'certificate', id: string): RelationStream[] {
  switch (kind) {
    case 'domain':
      return [resolutions(db, 'domain', id), resolutions(db, 'value', id), names(db, 'domain', id)];
    case 'ip':
      return [resolutions(db, 'value', id), served(db, 'ip', id)];
    case 'certificate':
      return [served(db, 'sha256', id), names(db, 'sha256', id)];
  }
}
