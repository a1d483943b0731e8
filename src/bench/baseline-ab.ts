// A/B against another build of Warren, for a machine too loaded for absolute figures (issue 16):
// the other checkout's matcher and this one alternate pass by pass in one process, and the two
// `warren scan` binaries alternate run by run on the same files. Load then falls on both alike.
//   WARREN_BENCH_BASELINE=/path/to/other/checkout (built) npm run build && node dist/bench/baseline-ab.js
// env: WARREN_BENCH_WORKLOADS (default hits), WARREN_BENCH_SCAN_SIZES (default 1000,10000,100000),
// WARREN_BENCH_RUNS (rounds, default 3). CPU time (user + sys) comes from /usr/bin/time when present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FastMatcher } from '../engine/fast-matcher.js';
import type { Matcher } from '../engine/types.js';
import type { Signature } from '../signatures/types.js';
import { writeRecords, writeSignatureFiles } from './scan-process.js';
import { workloadData, type Workload } from './workloads.js';

const BASELINE = process.env.WARREN_BENCH_BASELINE;
const SIZES = (process.env.WARREN_BENCH_SCAN_SIZES ?? '1000,10000,100000').split(',').map(Number);
const WORKLOADS = (process.env.WARREN_BENCH_WORKLOADS ?? 'hits').split(',') as Workload[];
const ROUNDS = Number(process.env.WARREN_BENCH_RUNS ?? 3);
const HERE = resolve(fileURLToPath(import.meta.url), '../../..');
const TIME = '/usr/bin/time';

type MatcherClass = new (sigs: readonly Signature[]) => Matcher;

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

function inProcess(Base: MatcherClass, records: Map<string, string[]>[], sigs: Signature[]): { before: number; after: number; values: number } {
  const batches: Map<string, string[]>[][] = [];
  for (let i = 0; i < records.length; i += 1_000) batches.push(records.slice(i, i + 1_000));
  const m = { before: new Base(sigs), after: new FastMatcher(sigs) };
  const pass = (k: 'before' | 'after'): number => {
    const t = performance.now();
    for (const b of batches) m[k].matchMany(b);
    return performance.now() - t;
  };
  pass('before');
  pass('after');
  const ms = { before: [] as number[], after: [] as number[] };
  for (let r = 0; r < 5; r++) for (const k of r % 2 ? (['before', 'after'] as const) : (['after', 'before'] as const)) ms[k].push(pass(k));
  let values = 0;
  for (const r of records) for (const [f, v] of r) if (m.after.fields.has(f)) values += v.length;
  return { before: median(ms.before), after: median(ms.after), values };
}

/** Wall and CPU seconds of one `warren scan` of `input` by the checkout at `root`. */
function scanRun(root: string, sigFiles: readonly string[], input: string): { wall: number; cpu: number } {
  const args = [join(root, 'bin/warren.js'), 'scan', ...sigFiles.flatMap((f) => ['--signatures', f]), input];
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const child = timed
    ? spawnSync(TIME, ['-f', '%U %S', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (child.status !== 0) throw new Error(`warren scan (${root}) exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const last = child.stderr.trim().split('\n').at(-1) ?? '';
  const [user, sys] = last.split(' ').map(Number);
  return { wall, cpu: timed ? user! + sys! : NaN };
}

async function main(): Promise<void> {
  if (!BASELINE) throw new Error('set WARREN_BENCH_BASELINE to a built checkout to compare with');
  const base = resolve(BASELINE);
  const { FastMatcher: Base } = (await import(pathToFileURL(join(base, 'dist/engine/fast-matcher.js')).href)) as { FastMatcher: MatcherClass };
  const dir = mkdtempSync(join(tmpdir(), 'warren-ab-'));
  const rows: string[] = [];
  try {
    for (const workload of WORKLOADS) {
      for (const size of SIZES) {
        const { records, sigs } = workloadData(workload, size, 200_000);
        const ip = inProcess(Base, records, sigs);
        const input = join(dir, 'records.jsonl');
        writeRecords(input, records);
        const empty = join(dir, 'empty.jsonl');
        writeFileSync(empty, '');
        const sigFiles = writeSignatureFiles(dir, sigs);
        const scan = { before: [] as { wall: number; cpu: number }[], after: [] as { wall: number; cpu: number }[] };
        const start = { before: [] as { wall: number; cpu: number }[], after: [] as { wall: number; cpu: number }[] };
        for (let r = 0; r < ROUNDS; r++) {
          for (const [k, root] of [['before', base], ['after', HERE]] as const) {
            const e = scanRun(root, sigFiles, empty);
            const f = scanRun(root, sigFiles, input);
            start[k].push(e);
            scan[k].push({ wall: f.wall - e.wall, cpu: f.cpu - e.cpu });
          }
        }
        for (const f of sigFiles) rmSync(f);
        const m = (xs: { wall: number; cpu: number }[], key: 'wall' | 'cpu'): number => median(xs.map((x) => x[key]));
        rows.push(
          `| ${workload} | ${fmt(size)} | ${fmt((ip.values / ip.before) * 1000)} | ${fmt((ip.values / ip.after) * 1000)} | ${fmt(ip.before / ip.after, 2)}× | ${fmt(m(scan.before, 'cpu'), 2)} s | ${fmt(m(scan.after, 'cpu'), 2)} s | ${fmt(m(scan.before, 'cpu') / m(scan.after, 'cpu'), 2)}× | ${fmt(m(scan.before, 'wall'), 2)} s | ${fmt(m(scan.after, 'wall'), 2)} s | ${fmt(m(start.before, 'cpu'), 2)} s | ${fmt(m(start.after, 'cpu'), 2)} s | ${fmt(loadavg()[0]!, 1)} |`,
        );
        process.stderr.write(`done: ${workload} ${size}\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    [
      `A/B against ${base}: in-process matchMany (5 alternating passes, median) and warren scan on 200,000 records (${ROUNDS} alternating rounds, median; scanning = full run − empty-input run)`,
      '',
      '| workload | signatures | values/s before | after | speed-up | scanning CPU before | after | speed-up | scanning wall before | after | start-up CPU before | after | load |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n') + '\n',
  );
}

await main();
