// `npm run bench:pg-insert` (issue 17): what a batch's write costs PostgreSQL and the writer, rows
// sent as one JSON parameter per 2,000 (insertMany on PostgreSQL) against the baseline in the same
// run, 200-row VALUES statements with ~1,400 parameters each (insertChunks, what it ran before).
// COF records (resolutions: a domain, an IP and a resolution each, as the scale-out bench and
// passive DNS uploads write) stored in batches of 2,000, one transaction each, on a fresh database
// per run; the two ways alternate so that a drift of the machine's speed falls on both.
// Then a signature's tags: WARREN_BENCH_TAGS (default 20,000) written in one transaction as
// evaluation writes them (store/actions.ts upsertSignatureTags, multi-row), against one statement
// per tag (how evaluation wrote them before), alternating the same way.
// CPU is the writer's (process.cpuUsage) and its backend's (/proc/PID/stat of the connection's
// server process, so the database must be on this machine). Environment: WARREN_BENCH_RECORDS
// (default 200,000), WARREN_BENCH_RUNS (rounds, 3), WARREN_TEST_PG_URL (the admin URL).
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { cofFormat } from '../ingest/parsers/pdns.js';
import { DEFAULT_BATCH } from '../services/ingest/read.js';
import { upsertSignatureTags, type SignatureMark } from '../store/actions.js';
import { insertChunks } from '../store/insert-many.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { Store } from '../store/store.js';
import { writeBatch } from '../store/write.js';
import { generateCof } from './ingest-data.js';

const RECORDS = Number(process.env.WARREN_BENCH_RECORDS ?? 200_000);
const RUNS = Number(process.env.WARREN_BENCH_RUNS ?? 3);
const TAGS = Number(process.env.WARREN_BENCH_TAGS ?? 20_000);

type Way = 'json' | 'values';
interface Run {
  readonly wall: number;
  readonly client: number;
  readonly backend: number;
  readonly rows: number;
}

function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `work` on one connection of a fresh database (so its backend's CPU is the work's), measured after `warm`. */
async function onOneConnection(warm: (db: Kysely<Database>) => Promise<unknown>, work: (db: Kysely<Database>) => Promise<unknown>, count: string): Promise<Run> {
  const made = await createTestDatabase();
  if ('skip' in made) throw new Error(made.skip);
  const store = await Store.open(made.url);
  try {
    return await store.db.connection().execute(async (db) => {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
      await warm(db);
      const b0 = cpuSeconds(pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await work(db);
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const backend = cpuSeconds(pid) - b0;
      const rows = Number((await sql.raw<{ n: string }>(`select ${count} as n`).execute(db)).rows[0]!.n);
      return { wall, client: (c.user + c.system) / 1e6, backend, rows };
    });
  } finally {
    await store.close();
    await made.drop();
  }
}

function runOnce(way: Way, records: ReturnType<typeof cofFormat.parse>['records']): Promise<Run> {
  const write = (db: Kysely<Database>, batch: typeof records): Promise<unknown> => db.transaction().execute((trx) => (way === 'json' ? writeBatch(trx, batch) : writeBatch(trx, batch, insertChunks)));
  return onOneConnection(
    (db) => write(db, records.slice(0, DEFAULT_BATCH)), // statements compiled, caches warm
    async (db) => {
      for (let i = DEFAULT_BATCH; i < records.length; i += DEFAULT_BATCH) await write(db, records.slice(i, i + DEFAULT_BATCH));
    },
    '(select count(*) from resolutions) + (select count(*) from domains) + (select count(*) from ips)',
  );
}

type TagWay = 'batched' | 'one by one';

function tagOnce(way: TagWay): Promise<Run> {
  const mark = (i: number): SignatureMark => ({
    key: { org: 'bench', kind: 'domain', entity: `tagged-${i}.example` },
    name: 'Bench',
    provenance: { signature: 'bench-sig', signatureVersion: 1, field: 'domain', value: `tagged-${i}.example`, pattern: 0 },
  });
  const marks = Array.from({ length: TAGS }, (_, i) => mark(i));
  const now = '2026-01-01T00:00:00Z';
  return onOneConnection(
    (db) => upsertSignatureTags(db, [mark(-1)], now),
    (db) =>
      db.transaction().execute(async (trx) => {
        if (way === 'batched') await upsertSignatureTags(trx, marks, now);
        else for (const m of marks) await upsertSignatureTags(trx, [m], now);
      }),
    '(select count(*) from tags)',
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const records = cofFormat.parse(Buffer.from(generateCof(RECORDS)), {}).records;
const measured = RECORDS - DEFAULT_BATCH;
console.log(`bench:pg-insert: ${RECORDS.toLocaleString('en-US')} COF records in batches of ${DEFAULT_BATCH.toLocaleString('en-US')} (the first not timed), ${RUNS} rounds`);
const runs: Record<Way, Run[]> = { json: [], values: [] };
for (let round = 1; round <= RUNS; round++) {
  const order: Way[] = round % 2 ? ['values', 'json'] : ['json', 'values'];
  for (const way of order) {
    const r = await runOnce(way, records);
    runs[way].push(r);
    console.log(`  round ${round}, ${way}: ${r.wall.toFixed(2)} s, writer ${r.client.toFixed(2)} CPU s, backend ${r.backend.toFixed(2)} CPU s (${r.rows.toLocaleString('en-US')} rows stored)`);
  }
}
if (runs.json.some((r, i) => r.rows !== runs.values[i]!.rows)) throw new Error('the two ways stored different row counts');
const m = (way: Way, k: keyof Run): number => median(runs[way].map((r) => r[k]));
const per = (s: number): string => `${((s / measured) * 1e6).toFixed(1)} µs`;
console.log(`| ${measured.toLocaleString('en-US')} COF records stored (median of ${RUNS}) | wall | per record | writer CPU | per record | backend CPU | per record | writer + backend vs VALUES |`);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const way of ['values', 'json'] as const) {
  const total = m(way, 'client') + m(way, 'backend');
  const base = m('values', 'client') + m('values', 'backend');
  const name = way === 'values' ? '200-row VALUES, ~1,400 parameters (baseline)' : '2,000 rows as one JSON parameter';
  console.log(`| ${name} | ${m(way, 'wall').toFixed(2)} s | ${per(m(way, 'wall'))} | ${m(way, 'client').toFixed(2)} s | ${per(m(way, 'client'))} | ${m(way, 'backend').toFixed(2)} s | ${per(m(way, 'backend'))} | ${way === 'values' ? 'baseline' : `${(total / base).toFixed(2)}× (${(base / total).toFixed(2)}× less)`} |`);
}

const tagRuns: Record<TagWay, Run[]> = { batched: [], 'one by one': [] };
for (let round = 1; round <= RUNS; round++) {
  const order: TagWay[] = round % 2 ? ['one by one', 'batched'] : ['batched', 'one by one'];
  for (const way of order) {
    const r = await tagOnce(way);
    tagRuns[way].push(r);
    console.log(`  round ${round}, ${TAGS.toLocaleString('en-US')} tags ${way}: ${r.wall.toFixed(2)} s, writer ${r.client.toFixed(2)} CPU s, backend ${r.backend.toFixed(2)} CPU s (${r.rows.toLocaleString('en-US')} rows)`);
  }
}
const t = (way: TagWay, k: keyof Run): number => median(tagRuns[way].map((r) => r[k]));
console.log(`| ${TAGS.toLocaleString('en-US')} tags in one transaction (median of ${RUNS}) | wall | writer CPU | backend CPU | wall vs one by one |`);
console.log('|---|---:|---:|---:|---:|');
for (const way of ['one by one', 'batched'] as const) {
  const name = way === 'one by one' ? 'one statement per tag (baseline)' : 'multi-row (upsertSignatureTags)';
  console.log(`| ${name} | ${t(way, 'wall').toFixed(2)} s | ${t(way, 'client').toFixed(2)} s | ${t(way, 'backend').toFixed(2)} s | ${way === 'one by one' ? 'baseline' : `${(t('one by one', 'wall') / t(way, 'wall')).toFixed(1)}× faster`} |`);
}
