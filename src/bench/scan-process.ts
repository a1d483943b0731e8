// Whole-process benchmark of `warren scan` (issue 16): what a user sees — parse JSON Lines,
// normalise and derive fields, match, write hits — on the engine benchmark's workloads, with the
// start-up (node, loading and compiling the signatures) subtracted: a run on an empty input with
// the same signatures is timed beside each run. Runs after `npm run bench:engine`, or alone:
//   npm run build && node dist/bench/scan-process.js
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Signature } from '../signatures/types.js';
import { naiveRate } from './naive-loop.js';
import { workloadData, type Workload } from './workloads.js';

const RECORDS = 200_000;
const SIZES = (process.env.WARREN_BENCH_SCAN_SIZES ?? '1000,10000,100000').split(',').map(Number);
const RUNS = Number(process.env.WARREN_BENCH_RUNS ?? 3);
/** The loader refuses files over 16 MiB; 5,000 signatures in JSON is ~1 MiB. */
const SIGNATURES_PER_FILE = 5_000;
const NAIVE_BUDGET_PATTERN_VALUES = 60_000_000;
const BIN = resolve(fileURLToPath(import.meta.url), '../../../bin/warren.js');

interface ScanResult {
  readonly workload: Workload;
  readonly signatures: number;
  readonly startupMs: number;
  readonly totalMs: number;
  readonly hits: number;
  readonly values: number;
  readonly recordsPerSec: number;
  readonly valuesPerSec: number;
  readonly naiveRecordsPerSec: number;
  readonly naiveRecords: number;
  readonly ratio: number;
}

/** The file form of a signature (signatures.md), keys the loader would fill left out. */
export function fileForm(s: Signature): Record<string, unknown> {
  return {
    id: s.id,
    title: s.title,
    status: s.status,
    field: s.field,
    match: s.match,
    patterns: s.patterns,
    ...(s.exclude.length > 0 ? { exclude: s.exclude } : {}),
    actions: s.actions,
  };
}

export function writeSignatureFiles(dir: string, sigs: readonly Signature[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < sigs.length; i += SIGNATURES_PER_FILE) {
    const file = join(dir, `signatures-${i / SIGNATURES_PER_FILE}.json`);
    writeFileSync(file, JSON.stringify(sigs.slice(i, i + SIGNATURES_PER_FILE).map(fileForm)));
    files.push(file);
  }
  return files;
}

export function writeRecords(file: string, records: readonly Map<string, string[]>[]): number {
  let values = 0;
  const lines: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const o: Record<string, string | string[]> = {};
    for (const [f, v] of records[i]!) {
      o[f] = v.length === 1 ? v[0]! : v;
      values += v.length;
    }
    lines.push(JSON.stringify({ id: i, ...o }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return values;
}

/** Wall time of one `warren scan` process; hits are written to a file, as a user would. */
function timeScan(sigFiles: readonly string[], input: string, out: string): number {
  const fd = openSync(out, 'w');
  try {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, [BIN, 'scan', ...sigFiles.flatMap((f) => ['--signatures', f]), input], {
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    const ms = performance.now() - t0;
    if (child.status !== 0) throw new Error(`warren scan exited ${child.status}: ${child.stderr.slice(0, 2000)}`);
    return ms;
  } finally {
    closeSync(fd);
  }
}

function countLines(file: string): number {
  const text = readFileSync(file, 'utf8');
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function measure(dir: string, workload: Workload, size: number): ScanResult {
  const { records, sigs } = workloadData(workload, size, RECORDS);
  const input = join(dir, `records-${workload}.jsonl`);
  const values = writeRecords(input, records);
  const empty = join(dir, 'empty.jsonl');
  writeFileSync(empty, '');
  const sigFiles = writeSignatureFiles(dir, sigs);
  const out = join(dir, 'scan-output.jsonl');
  // Alternate empty and full runs so that load on the shared VM hits both alike.
  const startups: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    startups.push(timeScan(sigFiles, empty, out));
    totals.push(timeScan(sigFiles, input, out));
  }
  const hits = countLines(out);
  const startupMs = median(startups);
  const totalMs = median(totals);
  const seconds = (totalMs - startupMs) / 1000;
  const naive = naiveRate(sigs, records, NAIVE_BUDGET_PATTERN_VALUES);
  for (const f of sigFiles) rmSync(f);
  const recordsPerSec = records.length / seconds;
  process.stderr.write(`done: warren scan, ${workload}, ${size} signatures (runs: ${totals.map((t) => Math.round(t)).join(', ')} ms; start-up ${startups.map((t) => Math.round(t)).join(', ')} ms)\n`);
  return {
    workload,
    signatures: size,
    startupMs,
    totalMs,
    hits,
    values,
    recordsPerSec,
    valuesPerSec: values / seconds,
    naiveRecordsPerSec: naive.recordsPerSec,
    naiveRecords: naive.records,
    ratio: recordsPerSec / naive.recordsPerSec,
  };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function runScanBenchmark(workloads: readonly Workload[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'warren-scan-bench-'));
  const results: ScanResult[] = [];
  try {
    for (const workload of workloads) for (const size of SIZES) results.push(measure(dir, workload, size));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = [
    `warren scan, whole process: ${fmt(RECORDS)} records from a JSON Lines file, hits to a file; median of ${RUNS} run(s), start-up (empty input, same signatures) subtracted`,
    '',
    '| workload | signatures | start-up | total | hits | hits/record | records/s | input values/s | naive records/s (sample) | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.workload} | ${fmt(r.signatures)} | ${fmt(r.startupMs / 1000, 2)} s | ${fmt(r.totalMs / 1000, 2)} s | ${fmt(r.hits)} | ${fmt(r.hits / RECORDS, 2)} | ${fmt(r.recordsPerSec)} | ${fmt(r.valuesPerSec)} | ${fmt(r.naiveRecordsPerSec)} (${fmt(r.naiveRecords)}) | ${fmt(r.ratio)}× |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const workloads = (process.env.WARREN_BENCH_WORKLOADS ?? 'classic,hits').split(',') as Workload[];
  runScanBenchmark(workloads);
}
