// `npm run bench:scale-out` (issue 17): an upload ingested and evaluated against 10,000 signatures
// by queued workers, real processes on the machine's PostgreSQL and Redis: one `warren serve
// --queue` and 1, then 2 `warren worker`s. The baseline in the same run is the 1-worker time; the
// figure is the ratio. Each run gets a fresh database, so neither writes over the other's rows.
// Environment: WARREN_BENCH_RECORDS (default 150,000 COF records), WARREN_BENCH_SIGNATURES
// (10,000), WARREN_BENCH_WORKERS (default "1,2"), WARREN_BENCH_RUNS (rounds, 3), WARREN_BENCH_POLL_MS
// (how often the job is polled, 1,000), WARREN_TEST_PG_URL (the admin URL), WARREN_BENCH_WORKER_NODE
// (Node options for the workers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": NODE_OPTIONS
// refuses --cpu-prof, and profiling the server too would hide the workers' share).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { Store } from '../store/store.js';
import { partsOf } from '../store/jobs.js';
import { addMember, createOrg, issueApiKey } from '../services/accounts.js';
import { importSignatures } from '../services/org-signatures.js';
import { generateCof } from './ingest-data.js';
import { generateSignatures } from './generate.js';

const RECORDS = Number(process.env.WARREN_BENCH_RECORDS ?? 150_000);
const SIGNATURES = Number(process.env.WARREN_BENCH_SIGNATURES ?? 10_000);
const WORKERS = (process.env.WARREN_BENCH_WORKERS ?? '1,2').split(',').map(Number);
const PART_BYTES = Number(process.env.WARREN_INGEST_PART_BYTES ?? 512 * 1024);
const ROOT = join(import.meta.dirname, '../..');
const NOW = '2026-01-01T00:00:00Z';
const EMAIL = 'bench@bench.example';
/** How often the job's view is asked for; its end time comes from the store. */
const POLL_MS = Number(process.env.WARREN_BENCH_POLL_MS ?? 1000);

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

const WORKER_NODE = (process.env.WARREN_BENCH_WORKER_NODE ?? '').split(' ').filter((a) => a !== '');

function warren(args: string[], env: Record<string, string>): { child: ChildProcess; stderr: () => string } {
  const node = args[0] === 'worker' ? WORKER_NODE : [];
  const child = spawn(process.execPath, [...node, join(ROOT, 'bin/warren.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  return { child, stderr: () => err };
}

async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Run {
  readonly workers: number;
  readonly seconds: number;
  /** Until the upload was accepted (received, cut into parts, queued): the server's share. */
  readonly accepted: number;
  readonly records: number;
  readonly parts: number;
  readonly tags: number;
}

async function runOnce(workers: number, upload: Buffer, yaml: ReturnType<typeof generateSignatures>): Promise<Run> {
  const made = await createTestDatabase();
  if ('skip' in made) throw new Error(made.skip);
  const store = await Store.open(made.url);
  const children: ChildProcess[] = [];
  try {
    await createOrg(store, 'bench', 'bench', NOW);
    await addMember(store, 'bench', { email: EMAIL, org: 'bench', role: 'analyst', now: NOW });
    const { key } = await issueApiKey(store, 'bench', { user: EMAIL, name: 'bench', org: 'bench', now: NOW });
    await importSignatures(store, 'bench', yaml, { now: NOW });
    const env = { WARREN_QUEUE_PREFIX: `warren-bench-${process.pid}-${workers}`, WARREN_LOG_LEVEL: 'warn', WARREN_INGEST_PART_BYTES: String(PART_BYTES) };
    const queue = ['--db', made.url, '--queue', process.env.WARREN_BENCH_QUEUE ?? 'redis://127.0.0.1:6379'];
    const server = warren(['serve', ...queue, '--port', '0', '--no-deliver'], env);
    children.push(server.child);
    const base = await until(() => /on (http:\/\/[^\s;]+)/.exec(server.stderr())?.[1], 60_000, 'the server');
    const started: ReturnType<typeof warren>[] = [];
    for (let i = 0; i < workers; i++) {
      const w = warren(['worker', ...queue, '--no-deliver'], env);
      children.push(w.child);
      started.push(w);
    }
    await until(() => (started.every((w) => /taking work from/.test(w.stderr())) ? true : undefined), 60_000, 'the workers');
    const auth = { authorization: `Basic ${Buffer.from(`${EMAIL}:${key}`).toString('base64')}` };
    const t0 = Date.now();
    const posted = await fetch(`${base}/api/v1/ingest?name=bench.ndjson`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body: upload });
    if (posted.status !== 202) throw new Error(`upload refused: ${posted.status} ${await posted.text()}`);
    const { job } = (await posted.json()) as { job: string };
    const accepted = (Date.now() - t0) / 1000;
    const view = await until(
      async () => {
        const v = (await (await fetch(`${base}/api/v1/ingest/${job}`, { headers: auth })).json()) as { status: string; summary: { read: number; actions: { tags: number } }; progress: { parts: number } };
        return v.status === 'running' ? undefined : v;
      },
      3_600_000,
      'the ingest job',
      POLL_MS,
    );
    if (view.status !== 'done') throw new Error(`the job ended ${view.status}`);
    // The end is read from the store (each part's end, in ms on this machine's clock), not from
    // when a poll saw it: polling often enough for that precision took ~5% of a core (the API
    // replica and its database connection answering ten views a second), taken from the workers.
    const ended = Math.max(...(await partsOf(store.db, job)).map((p) => p.updatedMs));
    const seconds = (ended - t0) / 1000;
    return { workers, seconds, accepted, records: view.summary.read, parts: view.progress.parts, tags: view.summary.actions.tags };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await store.close();
    await made.drop();
  }
}

const RUNS = Number(process.env.WARREN_BENCH_RUNS ?? 3);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const upload = Buffer.from(generateCof(RECORDS));
  const signatures = generateSignatures(SIGNATURES, 31);
  process.stderr.write(`bench:scale-out: ${fmt(RECORDS)} COF records (${fmt(upload.length / 1e6, 1)} MB), ${fmt(SIGNATURES)} signatures, workers ${WORKERS.join(' then ')}, ${RUNS} rounds\n`);
  // Rounds alternate the worker counts, so the machine's other load falls on each alike.
  const runs = new Map<number, Run[]>(WORKERS.map((n) => [n, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const n of WORKERS) {
      const r = await runOnce(n, upload, signatures);
      runs.get(n)!.push(r);
      process.stderr.write(`  round ${round + 1}, ${n} worker(s): ${fmt(r.seconds, 1)} s (accepted after ${fmt(r.accepted, 1)} s), ${fmt(r.records / r.seconds)} records/s (${r.parts} parts, ${fmt(r.tags)} tags)\n`);
    }
  }
  const whole = (n: number): number => median(runs.get(n)!.map((r) => r.seconds));
  // Each round's own ratio, then their median: a paired estimate, which a drift of the machine's
  // speed across the rounds moves less than a ratio of two medians does.
  const paired = (n: number): number => median(runs.get(n)!.map((r, i) => runs.get(WORKERS[0]!)![i]!.seconds / r.seconds));
  // The workers' share: from the upload's acceptance (its parts queued) to the job's end.
  const work = (n: number): number => median(runs.get(n)!.map((r) => r.seconds - r.accepted));
  const base = WORKERS[0]!;
  const first = runs.get(base)![0]!;
  const rows = [
    `| queued ingest + evaluation (${fmt(RECORDS)} COF records, ${fmt(SIGNATURES)} signatures, PostgreSQL + Redis, ${first.parts} parts of ${fmt(PART_BYTES / 1024)} KiB; median of ${RUNS}) | upload to done | records/s | vs ${base} worker | parts queued to done | records/s | vs ${base} worker | vs ${base} worker, median of the rounds' ratios (upload to done) | runs (upload to done) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...WORKERS.map((n) => {
      const ratio = (a: number, b: number): string => (n === base ? 'baseline' : `${fmt(a / b, 2)}×`);
      return `| ${n} worker${n === 1 ? '' : 's'} | ${fmt(whole(n), 1)} s | ${fmt(RECORDS / whole(n))} | ${ratio(whole(base), whole(n))} | ${fmt(work(n), 1)} s | ${fmt(RECORDS / work(n))} | ${ratio(work(base), work(n))} | ${n === base ? 'baseline' : `${fmt(paired(n), 2)}×`} | ${runs
        .get(n)!
        .map((r) => fmt(r.seconds, 1))
        .join(', ')} s |`;
    }),
  ];
  process.stdout.write(`${rows.join('\n')}\n`);
}

await main();
