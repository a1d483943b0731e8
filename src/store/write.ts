// Writing a batch of ingest records: entities and relations upserted so that ingesting the same
// input again changes nothing (times widen to the earliest/latest seen, counts keep the largest
// reported, identical WHOIS replies are one version).
import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import { issuerSerialRef, sha1Ref, type FieldMap, type IngestRecord, type NamesRecord, type Observation, type ServedRecord } from '../ingest/records.js';
import { rangeLpmKeys } from './as-lpm.js';
import { hexKey } from './ip-keys.js';
import type { Database } from './schema.js';
import { chunks } from './chunks.js';
import { insertMany as defaultInsertMany, ROWS_PER_INSERT } from './insert-many.js';
import { isEntityName, resolutionValueKind } from './relations.js';

type Tx = Kysely<Database>;
type Row = Record<string, unknown>;

/** Rows to write per table, merged by primary key in memory first (one statement can't touch a row twice). */
class TableRows<R extends Row> {
  private readonly rows = new Map<string, R>();
  constructor(
    private readonly key: (r: R) => string,
    private readonly merge: (a: R, b: R) => R,
  ) {}
  add(r: R): void {
    const k = this.key(r);
    const prev = this.rows.get(k);
    this.rows.set(k, prev ? this.merge(prev, r) : r);
  }
  values(): R[] {
    return [...this.rows.values()];
  }
}

function minTime(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
function maxTime(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

interface Seen {
  first_seen: string | null;
  last_seen: string | null;
}
function widen<R extends Seen>(a: R, b: R): R {
  return { ...a, first_seen: minTime(a.first_seen, b.first_seen), last_seen: maxTime(a.last_seen, b.last_seen) };
}
function seen(o: Observation): Seen {
  return { first_seen: o.firstSeen ?? o.lastSeen ?? null, last_seen: o.lastSeen ?? o.firstSeen ?? null };
}

/** SQL for "the earlier of the stored and the incoming value", NULL meaning unknown. */
function earliest(table: string, col: string): RawBuilder<string | null> {
  const cur = sql.ref(`${table}.${col}`);
  const inc = sql.ref(`excluded.${col}`);
  return sql`case when ${inc} is null then ${cur} when ${cur} is null or ${inc} < ${cur} then ${inc} else ${cur} end`;
}
function latest(table: string, col: string): RawBuilder<string | null> {
  const cur = sql.ref(`${table}.${col}`);
  const inc = sql.ref(`excluded.${col}`);
  return sql`case when ${inc} is null then ${cur} when ${cur} is null or ${inc} > ${cur} then ${inc} else ${cur} end`;
}
function widenSet(table: string): { first_seen: RawBuilder<string | null>; last_seen: RawBuilder<string | null> } {
  return { first_seen: earliest(table, 'first_seen'), last_seen: latest(table, 'last_seen') };
}

type NetworkRow = Database['ip_networks'] & Row;

/**
 * Whether a registration observed at `incoming` replaces one observed at `stored`: the newer
 * observation's fields win (the same one again changes nothing); an undated observation replaces
 * only an undated one.
 */
function replacesRegistration(incoming: string | null, stored: string | null): boolean {
  return stored === null || (incoming !== null && incoming >= stored);
}

function mergeNetworks(a: NetworkRow, b: NetworkRow): NetworkRow {
  const times = widen(a, b);
  const newer = replacesRegistration(b.observed, a.observed) ? b : a;
  return { ...newer, first_seen: times.first_seen, last_seen: times.last_seen };
}

/** The same rule in SQL, for a stored row (replacesRegistration). */
function networkConflictSet(): Record<string, RawBuilder<unknown>> {
  const incomingWins = sql`(ip_networks.observed is null or (excluded.observed is not null and excluded.observed >= ip_networks.observed))`;
  const pick = (col: string): RawBuilder<unknown> => sql`case when ${incomingWins} then ${sql.ref(`excluded.${col}`)} else ${sql.ref(`ip_networks.${col}`)} end`;
  return { ...widenSet('ip_networks'), fields: pick('fields'), observed: pick('observed') };
}


/** Names of a certificate: its SAN DNS names and subject CNs that are domain names. */
export function certificateNames(fields: Record<string, string[]>): string[] {
  const names = new Set<string>();
  for (const v of fields['x509.subject.common_name'] ?? []) if (/^[*a-z0-9_.-]+\.[a-z0-9-]+$/i.test(v)) names.add(v.toLowerCase());
  for (const v of fields['x509.alternative_names'] ?? []) if (/^[*a-z0-9_.-]+\.[a-z0-9-]+$/i.test(v)) names.add(v.toLowerCase());
  return [...names];
}

/** Defined with the other relation rules in relations.ts; exported here too for existing importers. */
export { isEntityName };

type CertRow = Database['certificates'] & Row;

/**
 * Two rows of one certificate in a batch: a DER-bearing row wins over a field-only one (its DER,
 * SHA-1 and parsed fields); between two field-only rows the later one's fields are kept.
 */
function mergeCertificates(a: CertRow, b: CertRow): CertRow {
  const times = widen(a, b);
  if (a.der !== null) return { ...a, sha1: a.sha1 ?? b.sha1, first_seen: times.first_seen, last_seen: times.last_seen };
  if (b.der !== null) return { ...b, first_seen: times.first_seen, last_seen: times.last_seen };
  return { ...b, sha1: b.sha1 ?? a.sha1, first_seen: times.first_seen, last_seen: times.last_seen };
}

/** The stored certificate's columns on a conflict: a stored DER (and what was parsed from it) is never replaced. */
function certificateConflictSet(): Record<string, RawBuilder<unknown>> {
  const parsedWins = (col: string): RawBuilder<unknown> =>
    sql`case when certificates.der is null then ${sql.ref(`excluded.${col}`)} else ${sql.ref(`certificates.${col}`)} end`;
  return {
    ...widenSet('certificates'),
    der: sql`coalesce(certificates.der, excluded.der)`,
    sha1: sql`case when certificates.der is null and excluded.der is not null then excluded.sha1 else coalesce(certificates.sha1, excluded.sha1) end`,
    fields: parsedWins('fields'),
    not_before: parsedWins('not_before'),
    not_after: parsedWins('not_after'),
    version: parsedWins('version'),
    serial: parsedWins('serial'),
  };
}

/**
 * Writes one batch. Returns the relations that pending references resolved to in this write (a
 * relation of this batch whose certificate key is already known, or one stored pending by an
 * earlier ingest whose key this batch gave): they are new relations, for evaluation.
 */
export async function writeBatch(db: Tx, records: readonly IngestRecord[], insertMany: typeof defaultInsertMany = defaultInsertMany): Promise<IngestRecord[]> {
  const domains = new TableRows<Database['domains'] & Row>((r) => r.name, widen);
  const ips = new TableRows<Database['ips'] & Row>((r) => r.address, widen);
  const certs = new TableRows<CertRow>((r) => r.sha256, mergeCertificates);
  const refs = new Map<string, { sha256: string; source: string }>();
  const pending = new TableRows<Database['pending_relations'] & Row>(
    (r) => `${r.ref}\0${r.relation}\0${r.target}\0${r.port}\0${r.source}`,
    widen,
  );
  const whois = new TableRows<Omit<Database['whois'], 'seq'> & Row>((r) => `${r.domain}\0${r.content_hash}`, (a) => a);
  const resolutions = new TableRows<Insertable<Database['resolutions']> & Seen & Row>(
    (r) => `${r.domain}\0${r.rrtype}\0${r.value}\0${r.source}`,
    (a, b) => ({ ...widen(a, b), count: Math.max(a.count, b.count) }),
  );
  const served = new TableRows<Database['served'] & Row>((r) => `${r.sha256}\0${r.ip}\0${r.port}\0${r.source}`, widen);
  const names = new TableRows<Database['names'] & Row>((r) => `${r.sha256}\0${r.domain}\0${r.source}`, widen);
  const ranges = new TableRows<Insertable<Database['as_ranges']> & Row>(
    (r) => `${r.family}\0${r.start_hex}\0${r.end_hex}\0${r.source}`,
    (_a, b) => b,
  );
  const networks = new TableRows<NetworkRow>((r) => `${r.family}\0${r.start_hex}\0${r.end_hex}\0${r.source}`, mergeNetworks);

  const addDomain = (name: string, s: Seen): void => {
    if (isEntityName(name)) domains.add({ name, ...s });
  };
  // A certificate's other keys (SHA-1, issuer and serial), for sources that name it so.
  const addKeys = (sha256: string, sha1: string | undefined, fields: FieldMap, source: string): void => {
    if (sha1 !== undefined) refs.set(sha1Ref(sha1), { sha256, source });
    const bySerial = issuerSerialRef(fields);
    if (bySerial !== undefined && !refs.has(bySerial)) refs.set(bySerial, { sha256, source });
  };
  const addIp = (address: string, s: Seen): void => ips.add({ address, family: address.includes(':') ? 6 : 4, ...s });

  for (const r of records) {
    switch (r.kind) {
      case 'certificate':
      case 'certificate-fields': {
        // One row either way; a field-only certificate (no DER) is completed when its DER comes.
        const s = seen(r.observation);
        const { 'x509.not_before': nb, 'x509.not_after': na } = r.fields;
        const withDer = r.kind === 'certificate';
        certs.add({
          sha256: r.sha256,
          sha1: r.sha1 ?? null,
          der: withDer ? Buffer.from(r.der) : null,
          fields: JSON.stringify(r.fields),
          not_before: nb?.[0] ?? null,
          not_after: na?.[0] ?? null,
          version: (withDer ? r.version : undefined) ?? null,
          serial: (withDer ? r.serial : undefined) ?? null,
          ...s,
        });
        addKeys(r.sha256, r.sha1, r.fields, r.observation.source);
        for (const name of certificateNames(r.fields)) {
          names.add({ sha256: r.sha256, domain: name, source: 'certificate', ...s });
          addDomain(name, s);
        }
        break;
      }
      case 'certificate-ref':
        if (!refs.has(r.ref)) refs.set(r.ref, { sha256: r.sha256, source: r.source });
        break;
      case 'pending-relation': {
        const s = seen(r.observation);
        if (r.relation.kind === 'served') {
          pending.add({ ref: r.ref, relation: 'served', target: r.relation.ip, port: r.relation.port ?? 0, source: r.observation.source, ...s });
          addIp(r.relation.ip, s);
        } else {
          pending.add({ ref: r.ref, relation: 'names', target: r.relation.domain, port: 0, source: r.observation.source, ...s });
          addDomain(r.relation.domain, s);
        }
        break;
      }
      case 'whois': {
        const { 'whois.raw': raw, ...fields } = r.fields;
        const rawText = raw?.[0] ?? null;
        const json = JSON.stringify(fields, Object.keys(fields).sort());
        const hash = createHash('sha256').update(`${r.observed ?? ''}\0${json}\0${rawText ?? ''}`).digest('hex');
        whois.add({ domain: r.domain, content_hash: hash, observed: r.observed ?? null, source: r.source, fields: json, raw: rawText });
        addDomain(r.domain, { first_seen: r.observed ?? null, last_seen: r.observed ?? null });
        break;
      }
      case 'resolution': {
        const s = seen(r.observation);
        resolutions.add({ domain: r.domain, rrtype: r.rrtype, value: r.value, source: r.observation.source, ...s, count: r.observation.count ?? 1 });
        addDomain(r.domain, s);
        const valueKind = resolutionValueKind(r.rrtype);
        if (valueKind === 'ip') addIp(r.value, s);
        else if (valueKind === 'domain') addDomain(r.value, s);
        break;
      }
      case 'served': {
        const s = seen(r.observation);
        served.add({ sha256: r.sha256, ip: r.ip, port: r.port ?? 0, source: r.observation.source, ...s });
        addIp(r.ip, s);
        break;
      }
      case 'names': {
        const s = seen(r.observation);
        names.add({ sha256: r.sha256, domain: r.domain, source: r.observation.source, ...s });
        addDomain(r.domain, s);
        break;
      }
      case 'domain':
        addDomain(r.domain, seen(r.observation));
        break;
      case 'as-range': {
        const start = hexKey(r.start);
        const end = hexKey(r.end);
        if (!start || !end || start.family !== end.family) break;
        ranges.add({
          family: start.family,
          start_hex: start.hex,
          end_hex: end.hex,
          ...rangeLpmKeys(start.hex, end.hex),
          start_ip: r.start,
          end_ip: r.end,
          asn: r.asn,
          name: r.name ?? null,
          source: r.source,
        });
        break;
      }
      case 'network': {
        // A registration describes a block, not an entity: no IP is created for it.
        const start = hexKey(r.start);
        const end = hexKey(r.end);
        if (!start || !end || start.family !== end.family || start.hex > end.hex) break;
        const observed = r.observed ?? null;
        networks.add({
          family: start.family,
          start_hex: start.hex,
          end_hex: end.hex,
          ...rangeLpmKeys(start.hex, end.hex),
          start_ip: r.start,
          end_ip: r.end,
          source: r.source,
          fields: JSON.stringify(r.fields),
          observed,
          first_seen: observed,
          last_seen: observed,
        });
        break;
      }
    }
  }

  // Certificate keys first, then every pending relation whose key is now known becomes a relation.
  const refRows = [...refs].map(([ref, v]) => ({ ref, sha256: v.sha256, source: v.source }));
  await insertMany(db, 'write.ts:certificate_refs', refRows, (rows) =>
    db.insertInto('certificate_refs').values(rows).onConflict((oc) => oc.column('ref').doNothing()),
  );
  const resolved: IngestRecord[] = [];
  const tie = (p: Database['pending_relations'], sha256: string): void => {
    const s = { first_seen: p.first_seen, last_seen: p.last_seen };
    const observation: Observation = {
      source: p.source,
      ...(p.first_seen !== null ? { firstSeen: p.first_seen } : {}),
      ...(p.last_seen !== null ? { lastSeen: p.last_seen } : {}),
    };
    if (p.relation === 'served') {
      served.add({ sha256, ip: p.target, port: p.port, source: p.source, ...s });
      addIp(p.target, s);
      const r: ServedRecord = p.port === 0 ? { kind: 'served', sha256, ip: p.target, observation } : { kind: 'served', sha256, ip: p.target, port: p.port, observation };
      resolved.push(r);
    } else {
      names.add({ sha256, domain: p.target, source: p.source, ...s });
      addDomain(p.target, s);
      const r: NamesRecord = { kind: 'names', sha256, domain: p.target, observation };
      resolved.push(r);
    }
  };
  const pendingRows = pending.values();
  if (pendingRows.length > 0) {
    // The batch's own pending relations: keys of this batch, or stored by an earlier one.
    const known = new Map([...refs].map(([ref, v]) => [ref, v.sha256]));
    const unknown = [...new Set(pendingRows.map((p) => p.ref).filter((ref) => !known.has(ref)))];
    for (const keys of chunks(unknown, ROWS_PER_INSERT)) {
      for (const r of await db.selectFrom('certificate_refs').select(['ref', 'sha256']).where('ref', 'in', keys).execute()) known.set(r.ref, r.sha256);
    }
    const still: (Database['pending_relations'] & Row)[] = [];
    for (const p of pendingRows) {
      const sha256 = known.get(p.ref);
      if (sha256 === undefined) still.push(p);
      else tie(p, sha256);
    }
    await insertMany(db, 'write.ts:pending_relations', still, (rows) =>
      db
        .insertInto('pending_relations')
        .values(rows)
        .onConflict((oc) => oc.columns(['ref', 'relation', 'target', 'port', 'source']).doUpdateSet(widenSet('pending_relations'))),
    );
  }
  // Relations stored pending by earlier ingests whose key this batch gave. Most stores have none
  // (only sources that name a certificate by another key leave any): one look at the table then
  // spares a lookup per 200 keys, 40 for a CT feed's commit of 4,096 entries.
  if (refs.size > 0 && (await db.selectFrom('pending_relations').select('ref').limit(1).executeTakeFirst()) !== undefined) {
    for (const keys of chunks([...refs.keys()], ROWS_PER_INSERT)) {
      const waiting = await db.selectFrom('pending_relations').selectAll().where('ref', 'in', keys).execute();
      if (waiting.length === 0) continue;
      for (const p of waiting) {
        // A relation pends only while its key is unknown, so this batch's mapping is the stored one.
        const sha256 = refs.get(p.ref)!.sha256;
        tie(p, sha256);
      }
      await db.deleteFrom('pending_relations').where('ref', 'in', keys).execute();
    }
  }

  await insertMany(db, 'write.ts:domains', domains.values(), (rows) =>
    db.insertInto('domains').values(rows).onConflict((oc) => oc.column('name').doUpdateSet(widenSet('domains'))),
  );
  await insertMany(db, 'write.ts:ips', ips.values(), (rows) =>
    db.insertInto('ips').values(rows).onConflict((oc) => oc.column('address').doUpdateSet(widenSet('ips'))),
  );
  await insertMany(db, 'write.ts:certificates', certs.values(), (rows) =>
    db.insertInto('certificates').values(rows).onConflict((oc) => oc.column('sha256').doUpdateSet(certificateConflictSet())),
  );
  await insertMany(db, 'write.ts:whois', whois.values(), (rows) =>
    db.insertInto('whois').values(rows).onConflict((oc) => oc.columns(['domain', 'content_hash']).doNothing()),
  );
  await insertMany(db, 'write.ts:resolutions', resolutions.values(), (rows) =>
    db
      .insertInto('resolutions')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['domain', 'rrtype', 'value', 'source']).doUpdateSet({
          ...widenSet('resolutions'),
          count: sql`case when excluded.count > resolutions.count then excluded.count else resolutions.count end`,
        }),
      ),
  );
  await insertMany(db, 'write.ts:served', served.values(), (rows) =>
    db
      .insertInto('served')
      .values(rows)
      .onConflict((oc) => oc.columns(['sha256', 'ip', 'port', 'source']).doUpdateSet(widenSet('served'))),
  );
  await insertMany(db, 'write.ts:names', names.values(), (rows) =>
    db
      .insertInto('names')
      .values(rows)
      .onConflict((oc) => oc.columns(['sha256', 'domain', 'source']).doUpdateSet(widenSet('names'))),
  );
  await insertMany(db, 'write.ts:as_ranges', ranges.values(), (rows) =>
    db
      .insertInto('as_ranges')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['family', 'start_hex', 'end_hex', 'source']).doUpdateSet({
          asn: sql`excluded.asn`,
          name: sql`excluded.name`,
          start_ip: sql`excluded.start_ip`,
          end_ip: sql`excluded.end_ip`,
        }),
      ),
  );
  await insertMany(db, 'write.ts:ip_networks', networks.values(), (rows) =>
    db
      .insertInto('ip_networks')
      .values(rows)
      .onConflict((oc) => oc.columns(['family', 'start_hex', 'end_hex', 'source']).doUpdateSet(networkConflictSet())),
  );
  return resolved;
}
