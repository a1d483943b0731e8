// `npm run bench:scale-hunt` (issue 17): one signature's retro-hunt over every stored domain of a
// big PostgreSQL store (the 5,000,000 domains `npm run bench:scale-gen` makes), split into
// key-range parts that `warren worker` processes take: 1 worker, then 2. The baseline in the same
// run is the 1-worker time; the ratio is printed. Each run hunts with a new signature version, so
// both do the same work (tags are upserts: the second run writes as many rows as the first).
// Environment: WARREN_BENCH_PG (default postgres://postgres@127.0.0.1:5432/warren_scale),
// WARREN_BENCH_WORKERS ("1,2"), WARREN_HUNT_PART (entities per part, default 250,000).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_HUNT_PART, queuedHunts } from '../services/jobs/hunt-jobs.js';
import { BullWorkQueue } from '../services/jobs/queue.js';
import { importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { jobById, partsOf } from '../store/jobs.js';
import { Store } from '../store/store.js';

const URL_ = process.env.WARREN_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/warren_scale';
const WORKERS = (process.env.WARREN_BENCH_WORKERS ?? '1,2').split(',').map(Number);
const PART = Number(process.env.WARREN_HUNT_PART ?? DEFAULT_HUNT_PART);
const QUEUE = process.env.WARREN_BENCH_QUEUE ?? 'redis://127.0.0.1:6379';
const ROOT = join(import.meta.dirname, '../..');

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

async function huntOnce(store: Store, workers: number, pattern: string): Promise<{ seconds: number; parts: number; scanned: number; tags: number }> {
  const prefix = `warren-bench-hunt-${process.pid}-${workers}`;
  process.env.WARREN_QUEUE_PREFIX = prefix;
  const queue = new BullWorkQueue(QUEUE);
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      children.push(spawn(process.execPath, [join(ROOT, 'bin/warren.js'), 'worker', '--db', URL_, '--queue', QUEUE, '--no-deliver'], { cwd: ROOT, env: { ...process.env, WARREN_QUEUE_PREFIX: prefix }, stdio: ['ignore', 'ignore', 'inherit'] }));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = performance.now();
    const sig = makeSignature({ id: 'bench-hunt', field: 'domain', patterns: [pattern], actions: [{ tag: 'BenchHunt' }] });
    const report = await importSignatures(store, 'bench', [sig], { now: '2026-01-01T00:00:00Z', hunts: queuedHunts(queue, { partSize: PART, clockMs: () => Date.now() }) });
    const id = report.huntJob!.id;
    for (;;) {
      const job = await jobById(store.db, id);
      if (job && job.status !== 'running') {
        if (job.status !== 'done') throw new Error(`hunt ended ${job.status}: ${job.error ?? ''}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - t0) / 1000;
    let scanned = 0;
    let tags = 0;
    for (const p of await partsOf(store.db, id)) {
      const r = JSON.parse(p.result ?? '{}') as { scanned?: { domain?: number }; applied?: { tags?: number } };
      scanned += r.scanned?.domain ?? 0;
      tags += r.applied?.tags ?? 0;
    }
    return { seconds, parts: report.huntJob!.parts, scanned, tags };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await queue.close();
  }
}

async function main(): Promise<void> {
  const store = await Store.open(URL_);
  try {
    const domains = Number((await store.db.selectFrom('domains').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    process.stderr.write(`bench:scale-hunt: ${fmt(domains)} domains in ${URL_.replace(/\/\/[^@]*@/, '//')}, parts of ${fmt(PART)}\n`);
    const rows: string[] = [];
    let base: number | undefined;
    // Each run a different prefix that about 1 in 4,096 of scale-gen's names hold (a few hundred
    // to a few thousand tags): the hunt reads and matches everything and writes what it finds.
    const patterns = ['^abc', '^abd', '^abe'];
    for (const [i, n] of WORKERS.entries()) {
      const r = await huntOnce(store, n, patterns[i % patterns.length]!);
      base ??= r.seconds;
      process.stderr.write(`  ${n} worker(s): ${fmt(r.seconds, 1)} s for ${fmt(r.scanned)} domains (${r.parts} parts, ${fmt(r.tags)} tags)\n`);
      rows.push(`| ${n} worker${n === 1 ? '' : 's'} | ${fmt(r.scanned)} | ${r.parts} | ${fmt(r.seconds, 1)} s | ${fmt(r.scanned / r.seconds)} | ${r.seconds === base ? 'baseline' : `${fmt(base / r.seconds, 2)}×`} |`);
    }
    process.stdout.write(['| retro-hunt of one signature on `domain` (PostgreSQL, queued parts) | domains | parts | time | domains/s | vs first |', '|---|---:|---:|---:|---:|---:|', ...rows, ''].join('\n'));
  } finally {
    await store.close();
  }
}

await main();
