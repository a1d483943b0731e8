// Migration 0019 on PostgreSQL: resolutions and served become hash-partitioned tables; what a
// store held before moves over, the store's writes (ON CONFLICT upserts on the parent) land and
// read back both ways and stay idempotent, and the scale generator (bench/scale-gen.ts) fills
// the partitioned schema with the counts it plans. Skipped when no PostgreSQL server answers.
import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestRecord } from '../ingest/records.js';
import { generateScaleStore, scalePlan } from '../bench/scale-gen.js';
import { migrationProvider, SIGHTING_PARTITIONS } from './migrations.js';
import { rawConnection } from './test-support/raw-connection.js';
import { createTestDatabase, type TestDatabase } from './scratch-postgres.js';
import { Store } from './store.js';

const SHA = 'a'.repeat(64);
const SHA2 = 'b'.repeat(64);

function batch(): IngestRecord[] {
  const out: IngestRecord[] = [];
  // Enough distinct domains and IPs that rows spread over many partitions.
  for (let i = 0; i < 60; i++) {
    const seen = { source: 'pdns', firstSeen: `2024-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`, lastSeen: '2024-03-01T00:00:00Z', count: i + 1 };
    out.push({ kind: 'resolution', domain: `host${i}.example.com`, rrtype: 'A', value: `198.51.100.${i}`, observation: seen });
    out.push({ kind: 'resolution', domain: `host${i}.example.com`, rrtype: 'CNAME', value: 'edge.example.net', observation: seen });
    out.push({ kind: 'served', sha256: i % 2 === 0 ? SHA : SHA2, ip: `198.51.100.${i}`, port: 443, observation: { source: 'scan', firstSeen: '2024-02-01T00:00:00Z' } });
  }
  return out;
}

async function partitions(db: Kysely<unknown>): Promise<Record<string, number>> {
  const r = await sql<{ parent: string; n: string }>`
    select c.relname as parent, count(i.inhrelid)::text as n
      from pg_partitioned_table p join pg_class c on c.oid = p.partrelid left join pg_inherits i on i.inhparent = c.oid
     where p.partstrat = 'h' group by c.relname`.execute(db);
  return Object.fromEntries(r.rows.map((x) => [x.parent, Number(x.n)]));
}

/** Every row of both tables in key order: what "nothing changed" compares. */
async function snapshot(db: Kysely<unknown>): Promise<unknown[]> {
  const a = await sql`select * from resolutions order by domain, rrtype, value, source`.execute(db);
  const b = await sql`select * from served order by sha256, ip, port, source`.execute(db);
  return [a.rows, b.rows];
}

describe('PostgreSQL: migration 0019, partitioned sightings', () => {
  let made: TestDatabase | undefined;
  let skip: string | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase();
    if ('skip' in db) skip = db.skip;
    else made = db;
  });
  afterAll(async () => {
    await made?.drop();
  });

  it('moves a 0017 store’s sightings into hash partitions, then writes and reads through them idempotently', async (t) => {
    if (!made) return t.skip(skip);
    const { db, dialect, close } = rawConnection(made.url);
    try {
      const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
      expect((await migrator.migrateTo('0017_feed_leases')).error).toBeUndefined();
      expect(await partitions(db)).toEqual({});
      await sql`insert into resolutions values ('old.example.org', 'A', '192.0.2.7', 'pdns', '2023-01-01T00:00:00Z', '2023-02-01T00:00:00Z', 5)`.execute(db);
      await sql`insert into served values (${SHA}, '192.0.2.7', 8443, 'scan', '2023-01-01T00:00:00Z', null)`.execute(db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await partitions(db)).toEqual({ resolutions: SIGHTING_PARTITIONS, served: SIGHTING_PARTITIONS });
      // The indexes every lookup direction needs, on the parent (each partition has its own).
      const indexes = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where tablename in ('resolutions', 'served') order by indexname`.execute(db);
      expect(indexes.rows.map((r) => r.indexname)).toEqual(['resolutions_pk', 'resolutions_value', 'served_ip', 'served_pk']);
    } finally {
      await close();
    }

    const store = await Store.open(made.url);
    const raw = rawConnection(made.url);
    try {
      // The rows of before 0019 moved over and read back.
      expect(await store.domainRelations('old.example.org')).toEqual([
        { kind: 'resolves-to', id: '192.0.2.7', to: 'ip', rrtype: 'A', source: 'pdns', first_seen: '2023-01-01T00:00:00Z', last_seen: '2023-02-01T00:00:00Z', count: 5 },
      ]);
      expect((await store.certificateRelations(SHA)).filter((r) => r.kind === 'served-on')).toEqual([
        { kind: 'served-on', id: '192.0.2.7', to: 'ip', port: 8443, source: 'scan', first_seen: '2023-01-01T00:00:00Z', last_seen: null },
      ]);

      await store.write(batch());
      const counts = await sql<{ part: string; n: string }>`select tableoid::regclass::text as part, count(*)::text as n from resolutions group by 1`.execute(raw.db);
      expect(counts.rows.every((r) => /^resolutions_p\d\d$/.test(r.part))).toBe(true);
      expect(counts.rows.length).toBeGreaterThan(8);
      expect(counts.rows.reduce((s, r) => s + Number(r.n), 0)).toBe(121);
      expect(Number((await sql<{ n: string }>`select count(*)::text as n from served`.execute(raw.db)).rows[0]?.n)).toBe(61);

      // Both directions of each table.
      expect(await store.domainRelations('host7.example.com')).toEqual([
        { kind: 'resolves-to', id: '198.51.100.7', to: 'ip', rrtype: 'A', source: 'pdns', first_seen: '2024-01-08T00:00:00Z', last_seen: '2024-03-01T00:00:00Z', count: 8 },
        { kind: 'resolves-to', id: 'edge.example.net', to: 'domain', rrtype: 'CNAME', source: 'pdns', first_seen: '2024-01-08T00:00:00Z', last_seen: '2024-03-01T00:00:00Z', count: 8 },
      ]);
      expect((await store.domainRelations('edge.example.net')).filter((r) => r.kind === 'resolved-from')).toHaveLength(60);
      const ip = await store.ipRelations('198.51.100.7');
      expect(ip.map((r) => `${r.kind} ${r.id}`).sort()).toEqual([`resolved-from host7.example.com`, `serves ${SHA2}`]);
      expect((await store.certificateRelations(SHA)).filter((r) => r.kind === 'served-on')).toHaveLength(31);

      // The same batch again changes nothing; a wider observation widens through the upsert.
      const before = await snapshot(raw.db);
      await store.write(batch());
      expect(await snapshot(raw.db)).toEqual(before);
      await store.write([{ kind: 'resolution', domain: 'host7.example.com', rrtype: 'A', value: '198.51.100.7', observation: { source: 'pdns', firstSeen: '2023-12-01T00:00:00Z', lastSeen: '2024-06-01T00:00:00Z', count: 3 } }]);
      expect((await store.domainRelations('host7.example.com'))[0]).toMatchObject({ first_seen: '2023-12-01T00:00:00Z', last_seen: '2024-06-01T00:00:00Z', count: 8 });
    } finally {
      await raw.close();
      await store.close();
    }
  });

  it('the scale generator fills the partitioned schema with the counts it plans', async (t) => {
    if (!made) return t.skip(skip);
    const scale = 0.0002;
    const plan = scalePlan(scale);
    const report = await generateScaleStore(made.url, scale, undefined, { overwrite: true });
    expect(report.plan).toEqual(plan);
    expect(report.counts).toEqual({ domains: plan.domains, resolutions: plan.resolutions, ips: plan.ips });
    expect(plan).toMatchObject({ domains: 1000, resolutions: 10_000, ips: 600 });
    const { db, close } = rawConnection(made.url);
    try {
      // The generator rebuilt the keys it dropped for the load, exactly as the migration made them.
      expect(await partitions(db)).toEqual({ resolutions: SIGHTING_PARTITIONS, served: SIGHTING_PARTITIONS });
      const indexes = await sql<{ n: string }>`select count(*)::text as n from pg_indexes where tablename like 'resolutions%'`.execute(db);
      expect(Number(indexes.rows[0]?.n)).toBe(2 * (SIGHTING_PARTITIONS + 1));
      const byType = await sql<{ rrtype: string; n: string }>`select rrtype, count(*)::text as n from resolutions group by rrtype order by rrtype`.execute(db);
      expect(byType.rows.map((r) => [r.rrtype, Number(r.n)])).toEqual([['A', 6000], ['CNAME', 1000], ['MX', 1000], ['NS', 2000]]);
      // Every value names a stored entity: A records an IP, the others a domain.
      const dangling = await sql<{ n: string }>`
        select count(*)::text as n from resolutions r
         where (r.rrtype = 'A' and not exists (select 1 from ips where address = r.value))
            or (r.rrtype <> 'A' and not exists (select 1 from domains where name = r.value))`.execute(db);
      expect(Number(dangling.rows[0]?.n)).toBe(0);
      const sizes = Object.fromEntries(report.sizes.map((s) => [s.relation, s]));
      expect(sizes.resolutions?.totalBytes).toBeGreaterThan(sizes.resolutions?.tableBytes ?? Infinity);
    } finally {
      await close();
    }
    // Warren reads the generated store: a generated domain's resolutions are its lookup's relations.
    const store = await Store.open(made.url);
    try {
      const name = (await sql<{ domain: string }>`select domain from resolutions limit 1`.execute(store.db)).rows[0]?.domain ?? '';
      expect((await store.domainRelations(name)).filter((r) => r.kind === 'resolves-to')).toHaveLength(10);
    } finally {
      await store.close();
    }
  });
});
