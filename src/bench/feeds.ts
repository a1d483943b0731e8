// `npm run bench:feeds`: the feed targets of issue 14, against the tests' fake RFC 6962 log
// (startCtLog) in a child process (feeds-log.ts), serving distinct certificates made from a
// signed pool (feeds-certs.ts). The runner (runFeed, as `warren watch` runs it) works in this
// process, on one thread, into SQLite in a temporary folder, with 10,000 signatures enabled.
//  1. Memory: a WARREN_BENCH_FEED_ENTRIES-entry backfill (default 1,000,000), RSS sampled every
//     second and at 10 %, 25 %, 50 %, 75 % and 100 % of the entries (< 300 MiB, flat). Run first,
//     so this process holds nothing but what the runner needs.
//  2. Throughput: WARREN_BENCH_FEED_THROUGHPUT entries (default 50,000) from position 0 until
//     caught up, with 10,000 signatures and with none; the baseline in the same run is the same
//     certificates ingested from a PEM file through the pipeline `warren ingest` runs. Median
//     of WARREN_BENCH_FEED_RUNS alternating runs (default 3). Per stage: the source's next()
//     (fetch + JSON + decode), the store's write, the rest (evaluation, position marks).
//  3. Latency: a log that grows by one matching entry every 10 ms, followed with the runner's
//     default poll interval (and, for comparison, shorter ones): from the entry's appearance in
//     the log to its notification's row in the outbox, p50/p95/p99.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeExtraData, decodeMerkleTreeLeaf } from '../feeds/ct/leaf.js';
import { ctEntryRecords } from '../feeds/ct/entry-records.js';
import { ctLogSource } from '../feeds/ct/rfc6962.js';
import { extraData, merkleTreeLeaf } from '../feeds/ct/test-support/entries.js';
import type { FeedSource } from '../feeds/types.js';
import { formatByName } from '../ingest/detect.js';
import { FORMATS } from '../ingest/formats.js';
import { bufferInput } from '../ingest/input.js';
import { DEFAULT_POLL_MS, runFeed, type FeedRunProgress } from '../services/feeds/runner.js';
import { EVERY_ORG } from '../services/ingest/evaluate-batch.js';
import { IngestPipeline } from '../services/ingest/pipeline.js';
import { compiledOrgs } from '../services/org-matcher.js';
import { importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import type { Signature } from '../signatures/types.js';
import { addChannel } from '../store/delivery.js';
import { readFeedPosition } from '../store/feed-positions.js';
import { Store } from '../store/store.js';
import { feedSignatures } from './feeds-signatures.js';
import { generatePool, poolEntry, poolIndex, poolPem, type CertPool } from './feeds-certs.js';
import { epochMs, type LogAnswer, type LogCommand } from './feeds-log.js';
import { brandWords } from './generate.js';

const BACKFILL = Number(process.env.WARREN_BENCH_FEED_ENTRIES ?? 1_000_000);
const THROUGHPUT = Number(process.env.WARREN_BENCH_FEED_THROUGHPUT ?? 50_000);
const RUNS = Number(process.env.WARREN_BENCH_FEED_RUNS ?? 3);
const LATENCY = Number(process.env.WARREN_BENCH_FEED_LATENCY ?? 3_000);
const APPEND_EVERY_MS = Number(process.env.WARREN_BENCH_FEED_APPEND_MS ?? 10);
const SIGS = Number(process.env.WARREN_BENCH_SIGNATURES ?? 10_000);
const POOL = Number(process.env.WARREN_BENCH_FEED_POOL ?? 2_000);
/** Poll intervals of the latency run: the default, then shorter ones for comparison (each once: a log and store per interval). */
const POLLS = [...new Set([DEFAULT_POLL_MS, ...(process.env.WARREN_BENCH_FEED_POLLS ?? '100').split(',').filter(Boolean).map(Number)])];
const PRECERT_SHARE = 0.5;
/** The what-if row's batch: the file path's (services/ingest/read.ts DEFAULT_BATCH). */
const BIG_BATCH = 2_000;
/** The checkout: bin/warren.js is what the memory run starts (this file runs as dist/bench/feeds.js). */
const REPO_ROOT = join(import.meta.dirname, '../..');
const ORG = 'bench';
const NOW = '2026-06-01T12:00:00Z';
const MiB = 1024 * 1024;
/** The word every entry of the latency log carries, and its alert signature's pattern. */
const LATENCY_BRAND = 'acmebrand';

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const median = <T>(runs: readonly T[], key: (r: T) => number): T => [...runs].sort((a, b) => key(a) - key(b))[Math.floor((runs.length - 1) / 2)]!;

// ---- the log process -----------------------------------------------------------------------

class LogProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (a: LogAnswer) => void>();
  private next = 0;

  constructor() {
    // Its heap holds the backfill's log: a million entries as base64 text, several GiB.
    this.child = fork(fileURLToPath(new URL('./feeds-log.js', import.meta.url)), [], { serialization: 'advanced', execArgv: ['--max-old-space-size=12288'] });
    this.child.on('message', (m: { id: number; answer: LogAnswer }) => {
      this.waiting.get(m.id)?.(m.answer);
      this.waiting.delete(m.id);
    });
  }

  async send(command: LogCommand): Promise<LogAnswer> {
    const id = this.next++;
    const answer = await new Promise<LogAnswer>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ id, command });
    });
    if ('error' in answer) throw new Error(`log process, ${command.op}: ${answer.error}`);
    return answer;
  }

  async start(name: string, maxBatch?: number): Promise<string> {
    const a = await this.send({ op: 'start', log: name, ...(maxBatch !== undefined ? { maxBatch } : {}) });
    if (!('url' in a)) throw new Error('the log process did not answer with a URL');
    return a.url;
  }

  stop(): void {
    this.child.disconnect();
  }
}

// ---- signatures ----------------------------------------------------------------------------

/** A fresh SQLite store with the signatures enabled and compiled, and a channel for the outbox. */
async function prepare(dir: string, name: string, sigs: readonly Signature[]): Promise<Store> {
  const store = await Store.open(`sqlite:${join(dir, `${name}.db`)}`);
  if (sigs.length > 0) {
    await importSignatures(store, ORG, sigs, { now: NOW });
    // A change of signatures compiles once, not per batch: not part of what is timed.
    await compiledOrgs(store);
    // No deliverer runs: the rows stay pending, where the latency is measured.
    await addChannel(store.db, { org: ORG, name: 'soc', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' }, secret: null }, NOW);
  }
  return store;
}

async function count(store: Store, table: 'certificates' | 'notifications' | 'outbox'): Promise<number> {
  const r = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function dbBytes(dir: string, name: string): number {
  let n = 0;
  for (const f of [`${name}.db`, `${name}.db-wal`]) {
    try {
      n += statSync(join(dir, f)).size;
    } catch {
      // no WAL file left
    }
  }
  return n;
}

// ---- one feed run --------------------------------------------------------------------------

interface FeedRun {
  readonly entries: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly fetchS: number;
  readonly writeS: number;
  readonly certificates: number;
  readonly notifications: number;
  readonly tags: number;
  readonly rejected: number;
  readonly errors: number;
  readonly dbBytes: number;
}

interface FeedRunHooks {
  /** Once the store is ready, just before the runner starts. */
  readonly onStart?: () => void;
  /** After each committed (stored and evaluated) batch. */
  readonly onBatch?: (p: FeedRunProgress) => void;
}

/** Follows the log from entry 0 until caught up (the runner's first idle), timing its stages. */
async function followToEnd(dir: string, name: string, url: string, sigs: readonly Signature[], hooks: FeedRunHooks = {}, batchSize?: number): Promise<FeedRun> {
  const store = await prepare(dir, name, sigs);
  try {
    const source = ctLogSource({ url, from: 0, ...(batchSize !== undefined ? { batchSize } : {}) });
    let fetchMs = 0;
    let writeMs = 0;
    const timed: FeedSource = {
      id: source.id,
      next: async (position, signal) => {
        const t = performance.now();
        try {
          return await source.next(position, signal);
        } finally {
          fetchMs += performance.now() - t;
        }
      },
      // Without it the runner would commit each answer alone (no gathering, no fetch ahead).
      ...(source.waiting ? { waiting: source.waiting.bind(source) } : {}),
      progress: () => source.progress(),
      close: () => source.close(),
    };
    const write = store.write.bind(store);
    store.write = async (records, also) => {
      const t = performance.now();
      try {
        return await write(records, also);
      } finally {
        writeMs += performance.now() - t;
      }
    };
    const stop = new AbortController();
    let endedAt = 0;
    let errors = 0;
    hooks.onStart?.();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const summary = await runFeed(store, timed, {
      signal: stop.signal,
      onProgress: (p) => {
        if (p.state === 'batch') hooks.onBatch?.(p);
        else if (p.state === 'idle') {
          endedAt = performance.now();
          stop.abort();
        } else if (p.state === 'error') {
          errors++;
          log(`${name}: feed error (retried): ${p.error}`);
        }
      },
    });
    const used = process.cpuUsage(cpu);
    return {
      entries: summary.entries,
      wallS: (endedAt - started) / 1000,
      cpuS: (used.user + used.system) / 1e6,
      fetchS: fetchMs / 1000,
      writeS: writeMs / 1000,
      certificates: await count(store, 'certificates'),
      notifications: await count(store, 'notifications'),
      tags: summary.actions.tags,
      rejected: summary.rejected,
      errors,
      dbBytes: dbBytes(dir, name),
    };
  } finally {
    await store.close();
  }
}

// ---- the file path (baseline) --------------------------------------------------------------

async function ingestFile(dir: string, name: string, pem: Buffer, sigs: readonly Signature[]): Promise<FeedRun> {
  const store = await prepare(dir, name, sigs);
  const format = formatByName(FORMATS, 'pem');
  if (!format) throw new Error('the pem format is not registered');
  try {
    let writeMs = 0;
    const write = store.write.bind(store);
    store.write = async (records, also) => {
      const t = performance.now();
      try {
        return await write(records, also);
      } finally {
        writeMs += performance.now() - t;
      }
    };
    let rejected = 0;
    const pipeline = new IngestPipeline(store, { scope: EVERY_ORG, now: () => NOW, onReject: () => void rejected++ });
    const cpu = process.cpuUsage();
    const started = performance.now();
    await pipeline.ingest(bufferInput('bench.pem', pem), format);
    const wallS = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      entries: pipeline.summary.read,
      wallS,
      cpuS: (used.user + used.system) / 1e6,
      fetchS: NaN,
      writeS: writeMs / 1000,
      certificates: await count(store, 'certificates'),
      notifications: await count(store, 'notifications'),
      tags: pipeline.summary.actions.tags,
      rejected,
      errors: 0,
      dbBytes: dbBytes(dir, name),
    };
  } finally {
    await store.close();
  }
}

/** Decoding alone, in this process: leaf_input and extra_data as a log serves them → records. */
function decodeOnly(pool: CertPool, n: number): number {
  const entries = Array.from({ length: n }, (_, i) => {
    const e = poolEntry(pool, i, Date.UTC(2026, 0, 1) + i * 10);
    return { leaf: merkleTreeLeaf(e), extra: extraData(e) };
  });
  const pass = (): number => {
    const t = performance.now();
    for (const { leaf, extra } of entries) {
      const entry = decodeMerkleTreeLeaf(leaf);
      const pre = entry.type === 'precert' ? decodeExtraData('precert', extra) : undefined;
      const out = ctEntryRecords(entry, pre?.type === 'precert' ? pre.preCertificate : undefined, 'ct:bench');
      if ('error' in out) throw new Error(`entry does not decode: ${out.error}`);
    }
    return (performance.now() - t) / n;
  };
  pass(); // warm-up: the runs above were warm too
  return pass() * 1000;
}

// ---- memory ---------------------------------------------------------------------------------

interface Checkpoint {
  readonly share: number;
  readonly entries: number;
  readonly s: number;
  readonly rssMiB: number;
  /** CPU seconds of the watch process since its start (user + system). */
  readonly cpuS: number;
  /** Context switches since the start: voluntary ones wait (I/O, the log's answer), involuntary ones lost the core. */
  readonly waits: number;
  readonly preempted: number;
  /** The kernel's peak RSS of the process so far (VmHWM). */
  readonly peakMiB: number;
}

interface MemoryRun {
  readonly checkpoints: Checkpoint[];
  readonly samples: { entries: number; rssMiB: number }[];
  /** The first sample, about a second after the start (node, modules, store open, compiling). */
  readonly firstMiB: number;
  /** The kernel's own peak of the process's RSS over the whole run (VmHWM). */
  readonly maxMiB: number;
  /** Least-squares slope of RSS over entries from 10 % on, MiB per 100,000 entries. */
  readonly slope: number;
  readonly fillS: number;
  readonly entries: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly certificates: number;
  readonly notifications: number;
  readonly dbBytes: number;
}

function slopePer100k(samples: readonly { entries: number; rssMiB: number }[]): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const mx = samples.reduce((a, s) => a + s.entries, 0) / n;
  const my = samples.reduce((a, s) => a + s.rssMiB, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.entries - mx) * (s.rssMiB - my);
    den += (s.entries - mx) ** 2;
  }
  return den === 0 ? NaN : (num / den) * 100_000;
}

/** What the kernel says of a process: RSS and its peak, CPU, context switches. */
interface ProcReading {
  readonly rssMiB: number;
  readonly peakMiB: number;
  readonly cpuS: number;
  readonly waits: number;
  readonly preempted: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function readProc(pid: number): ProcReading | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    // /proc/PID/stat: fields 14 and 15 (utime, stime) after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024, cpuS: ticks / CLOCK_TICKS, waits: kb('voluntary_ctxt_switches'), preempted: kb('nonvoluntary_ctxt_switches') };
  } catch {
    return undefined; // the process has ended
  }
}

/**
 * The backfill as an operator runs it: `warren watch --from 0 ct:URL` (bin/warren.js, a process
 * of its own that does nothing else) on a SQLite store prepared here with the signatures. Its RSS,
 * peak RSS (the kernel's VmHWM, so no peak between samples is missed), CPU and context switches
 * are read from /proc every second, its position from the store; SIGTERM once it has evaluated
 * the whole log.
 */
async function memory(dir: string, logs: LogProcess, sigs: readonly Signature[]): Promise<MemoryRun> {
  const url = await logs.start('backfill');
  const fillStarted = performance.now();
  for (let at = 0; at < BACKFILL; at += 100_000) {
    await logs.send({ op: 'fill', log: 'backfill', pool: 'main', from: at, count: Math.min(100_000, BACKFILL - at), timestamp: Date.UTC(2026, 0, 1) });
  }
  const fillS = (performance.now() - fillStarted) / 1000;
  log(`backfill log: ${fmt(BACKFILL)} entries made in ${fmt(fillS, 1)} s; following it with warren watch…`);
  const store = await prepare(dir, 'backfill', sigs);
  const feed = `ct:${url}`;
  try {
    const started = performance.now();
    // WARREN_BENCH_WATCH_NODE_FLAGS: node flags for the watch process alone (e.g. --trace-gc).
    const flags = (process.env.WARREN_BENCH_WATCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...flags, join(REPO_ROOT, 'bin/warren.js'), 'watch', '--db', `sqlite:${join(dir, 'backfill.db')}`, '--from', '0', feed], {
      cwd: REPO_ROOT,
      env: { ...process.env, WARREN_DB: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    // WARREN_BENCH_WATCH_LOG: a file that receives the watch process's output whole.
    const keep = process.env.WARREN_BENCH_WATCH_LOG ? createWriteStream(process.env.WARREN_BENCH_WATCH_LOG) : undefined;
    child.stdout.on('data', (b: Buffer) => keep?.write(b));
    child.stderr.on('data', (b: Buffer) => {
      keep?.write(b);
      stderr = (stderr + b.toString()).slice(-4000);
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const pid = child.pid!;
    const samples: { entries: number; rssMiB: number }[] = [];
    const checkpoints: Checkpoint[] = [];
    const shares = [0.1, 0.25, 0.5, 0.75, 1];
    let firstMiB = NaN;
    let last: ProcReading | undefined;
    let entries = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      if (child.exitCode !== null) throw new Error(`warren watch ended (${child.exitCode}) before the end of the log:\n${stderr}`);
      const reading = readProc(pid);
      if (!reading) continue;
      last = reading;
      if (Number.isNaN(firstMiB)) firstMiB = reading.rssMiB;
      entries = (await readFeedPosition(store.db, feed))?.evaluatedEntries ?? 0;
      samples.push({ entries, rssMiB: reading.rssMiB });
      const s = (performance.now() - started) / 1000;
      while (checkpoints.length < shares.length && entries >= shares[checkpoints.length]! * BACKFILL) {
        checkpoints.push({ share: shares[checkpoints.length]!, entries, s, rssMiB: reading.rssMiB, cpuS: reading.cpuS, waits: reading.waits, preempted: reading.preempted, peakMiB: reading.peakMiB });
        log(`  ${fmt(100 * checkpoints.at(-1)!.share)} %: ${fmt(entries)} entries in ${fmt(s, 1)} s, RSS ${fmt(reading.rssMiB)} MiB (peak so far ${fmt(reading.peakMiB)} MiB)`);
      }
      if (entries >= BACKFILL) break;
    }
    const wallS = (performance.now() - started) / 1000;
    child.kill('SIGTERM');
    await exited;
    return {
      checkpoints,
      samples,
      firstMiB,
      maxMiB: last.peakMiB,
      slope: slopePer100k(samples.filter((x) => x.entries >= 0.1 * BACKFILL)),
      fillS,
      entries,
      wallS,
      cpuS: last.cpuS,
      certificates: await count(store, 'certificates'),
      notifications: await count(store, 'notifications'),
      dbBytes: dbBytes(dir, 'backfill'),
    };
  } finally {
    await store.close();
    await logs.send({ op: 'close', log: 'backfill' });
  }
}

// ---- latency --------------------------------------------------------------------------------

interface LatencyRun {
  readonly pollMs: number;
  readonly appended: number;
  readonly latenciesMs: number[];
  readonly missing: number;
}

async function latency(dir: string, logs: LogProcess, pool: CertPool, sigs: readonly Signature[], pollMs: number): Promise<LatencyRun> {
  const name = `latency-${pollMs}`;
  const url = await logs.start(name);
  const store = await prepare(dir, name, [...sigs, makeSignature({ id: 'brand-watch', field: 'domain', patterns: [LATENCY_BRAND], actions: [{ alert: { severity: 'high' } }] })]);
  try {
    const inOutbox = new Map<number, number>();
    let lastSeq = 0;
    let reading: Promise<void> = Promise.resolve();
    // The batch's notifications and their outbox rows are committed when the runner reports
    // the batch: stamped then, and read after (the read is not part of the latency).
    const readOutbox = (at: number): Promise<void> =>
      store.db
        .selectFrom('outbox')
        .innerJoin('notifications', 'notifications.id', 'outbox.notification')
        .select(['outbox.seq', 'notifications.value'])
        .where('outbox.seq', '>', lastSeq)
        .orderBy('outbox.seq')
        .execute()
        .then((rows) => {
          for (const r of rows) {
            lastSeq = Math.max(lastSeq, Number(r.seq));
            const i = poolIndex(pool, r.value);
            if (i !== undefined && !inOutbox.has(i)) inOutbox.set(i, at);
          }
        });
    let idle: () => void = () => undefined;
    const firstIdle = new Promise<void>((r) => (idle = r));
    const stop = new AbortController();
    const running = runFeed(store, ctLogSource({ url, from: 0 }), {
      signal: stop.signal,
      pollMs,
      onProgress: (p) => {
        if (p.state === 'idle') idle();
        else if (p.state === 'batch') {
          const at = epochMs();
          reading = reading.then(() => readOutbox(at));
        } else if (p.state === 'error') log(`${name}: feed error (retried): ${p.error}`);
      },
    });
    await firstIdle;
    const grown = await logs.send({ op: 'grow', log: name, pool: 'latency', count: LATENCY, everyMs: APPEND_EVERY_MS });
    if (!('appeared' in grown)) throw new Error('the log process did not say when entries appeared');
    // Everything appended is in the outbox within one poll interval and a few batches; the
    // deadline only ends a run that would otherwise never finish.
    const deadline = performance.now() + pollMs + 60_000;
    while (inOutbox.size < grown.appeared.length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    await running;
    await reading;
    const latenciesMs: number[] = [];
    for (const [i, at] of grown.appeared) {
      const seen = inOutbox.get(i);
      if (seen !== undefined) latenciesMs.push(seen - at);
    }
    return { pollMs, appended: grown.appeared.length, latenciesMs, missing: grown.appeared.length - latenciesMs.length };
  } finally {
    await store.close();
    await logs.send({ op: 'close', log: name });
  }
}

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'warren-bench-feeds-'));
  const logs = new LogProcess();
  try {
    const brands = brandWords(7, Math.max(500, Math.ceil(SIGS / 2)));
    const sigs = feedSignatures(SIGS, brands);
    const t = performance.now();
    const pool = await generatePool({ size: POOL, seed: 51, brandShare: 0.01, brands: brands.slice(0, 500), precertShare: PRECERT_SHARE });
    const latencyPool = await generatePool({
      size: 2,
      seed: 52,
      brandShare: 1,
      brands: [LATENCY_BRAND],
      precertShare: PRECERT_SHARE,
      names: (i) => (i === 0 ? `login-${LATENCY_BRAND}-xxxxxxx.com` : `secure-${LATENCY_BRAND}-xxxxxxx.net`),
    });
    log(`pool: ${fmt(POOL)} signed templates in ${fmt((performance.now() - t) / 1000, 1)} s`);
    await logs.send({ op: 'pool', name: 'main', pool });
    await logs.send({ op: 'pool', name: 'latency', pool: latencyPool });

    // 1. Memory, first: nothing else has grown this process's heap yet.
    const mem = BACKFILL > 0 ? await memory(dir, logs, sigs) : undefined;
    rmSync(join(dir, 'backfill.db'), { force: true });
    rmSync(join(dir, 'backfill.db-wal'), { force: true });

    // 2. Throughput.
    const url = await logs.start('throughput');
    await logs.send({ op: 'fill', log: 'throughput', pool: 'main', from: 0, count: THROUGHPUT, timestamp: Date.UTC(2026, 0, 1) });
    const pem = poolPem(pool, THROUGHPUT);
    log(`throughput log: ${fmt(THROUGHPUT)} entries; PEM baseline ${fmt(pem.length / MiB, 1)} MiB`);
    // The same entries from a log that answers BIG_BATCH at once, read BIG_BATCH at a time: one
    // transaction per BIG_BATCH entries as the file path has (not the source's default of 256).
    const bigUrl = await logs.start('throughput-big', BIG_BATCH);
    await logs.send({ op: 'fill', log: 'throughput-big', pool: 'main', from: 0, count: THROUGHPUT, timestamp: Date.UTC(2026, 0, 1) });
    const runs = { feedSigs: [] as FeedRun[], feedBig: [] as FeedRun[], feedNone: [] as FeedRun[], fileSigs: [] as FeedRun[], fileNone: [] as FeedRun[] };
    for (let r = 0; r < RUNS; r++) {
      const one = async (key: keyof typeof runs, f: () => Promise<FeedRun>): Promise<void> => {
        const run = await f();
        runs[key].push(run);
        log(`run ${r + 1} ${key}: ${fmt(run.entries)} in ${fmt(run.wallS, 2)} s = ${fmt(run.entries / run.wallS)}/s (CPU ${fmt(run.cpuS, 2)} s)`);
        for (const f2 of [`${key}${r}.db`, `${key}${r}.db-wal`]) rmSync(join(dir, f2), { force: true });
      };
      await one('feedSigs', () => followToEnd(dir, `feedSigs${r}`, url, sigs));
      await one('fileSigs', () => ingestFile(dir, `fileSigs${r}`, pem, sigs));
      await one('feedBig', () => followToEnd(dir, `feedBig${r}`, bigUrl, sigs, {}, BIG_BATCH));
      await one('feedNone', () => followToEnd(dir, `feedNone${r}`, url, []));
      await one('fileNone', () => ingestFile(dir, `fileNone${r}`, pem, []));
    }
    await logs.send({ op: 'close', log: 'throughput' });
    await logs.send({ op: 'close', log: 'throughput-big' });
    const decodeUs = decodeOnly(pool, Math.min(THROUGHPUT, 10_000));

    // 3. Latency.
    const lat: LatencyRun[] = [];
    for (const pollMs of POLLS) {
      const r = await latency(dir, logs, latencyPool, sigs, pollMs);
      lat.push(r);
      log(`latency, poll ${fmt(pollMs)} ms: p50 ${fmt(percentile(r.latenciesMs, 50))} ms, p99 ${fmt(percentile(r.latenciesMs, 99))} ms, ${r.missing} missing`);
    }
    const loadAfter = loadavg();

    // ---- report ----
    const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
    const wall = (r: FeedRun): number => r.wallS;
    const m = { feedSigs: median(runs.feedSigs, wall), feedBig: median(runs.feedBig, wall), feedNone: median(runs.feedNone, wall), fileSigs: median(runs.fileSigs, wall), fileNone: median(runs.fileNone, wall) };
    const rate = (r: FeedRun): number => r.entries / r.wallS;
    const share = (s: number, r: FeedRun): string => (Number.isNaN(s) ? '' : `${fmt(s, 2)} s (${fmt((100 * s) / r.wallS)} %)`);
    // With the next answer fetched while a batch is stored, fetch and store overlap: their sum may pass
// the wall time, and then the rest is not what is left of it (NaN: not shown).
const rest = (r: FeedRun): number => {
  const left = r.wallS - (Number.isNaN(r.fetchS) ? 0 : r.fetchS) - r.writeS;
  return left < 0 ? NaN : left;
};
    const row = (what: string, sigCount: number, r: FeedRun, all: FeedRun[], vs?: FeedRun): string =>
      `| ${what} | ${fmt(sigCount)} | ${fmt(r.entries)} | ${fmt(r.wallS, 2)} (${all.map((x) => fmt(x.wallS, 2)).join(', ')}) | **${fmt(rate(r))}** | ${fmt(r.cpuS, 2)} | ${fmt(r.entries / r.cpuS)} | ${share(r.fetchS, r)} | ${share(r.writeS, r)} | ${share(rest(r), r)} | ${fmt(r.certificates)} / ${fmt(r.tags)} / ${fmt(r.notifications)} | ${vs ? `${fmt(rate(r) / rate(vs), 2)}×` : ''} |`;
    const lines = [
      `Feeds benchmark: node ${process.version}, SQLite; the runner in this process (one thread), the fake RFC 6962 log (startCtLog) in a child process; entries from ${fmt(POOL)} signed templates (${fmt(100 * PRECERT_SHARE)} % pre-certificates), each entry a distinct certificate; ${fmt(SIGS)} signatures + 5 alerting; load average ${load(loadBefore)} before, ${load(loadAfter)} after`,
      '',
      `Throughput: ${fmt(THROUGHPUT)} entries from position 0 until caught up (median of ${RUNS} runs; all runs in brackets)`,
      '',
      '| path | signatures | entries | wall s | entries/s | CPU s | entries per CPU s | fetch + decode (next(); overlaps the store when fetched ahead) | store (write) | evaluate + rest | certificates / tags / notifications | feed ÷ file |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      row('feed: ct: log → runFeed', SIGS, m.feedSigs, runs.feedSigs, m.fileSigs),
      row('file: the same certificates as PEM → IngestPipeline (`warren ingest`)', SIGS, m.fileSigs, runs.fileSigs),
      row(`what if: feed in batches of ${fmt(BIG_BATCH)} (log and source; the default is 256)`, SIGS, m.feedBig, runs.feedBig, m.fileSigs),
      row('feed: ct: log → runFeed', 0, m.feedNone, runs.feedNone, m.fileNone),
      row('file: PEM → IngestPipeline', 0, m.fileNone, runs.fileNone),
      '',
      `Decoding alone (leaf_input + extra_data → records, in this process, warm): ${fmt(decodeUs, 1)} µs per entry (${fmt(1e6 / decodeUs)} entries/s). Signatures cost the feed ${fmt(100 * (m.feedSigs.wallS / m.feedNone.wallS - 1))} % of its wall time (median runs).`,
    ];
    if (mem) {
      const late = mem.samples.filter((x) => x.entries >= BACKFILL / 2).map((x) => x.rssMiB);
      lines.push(
        '',
        `Memory: a ${fmt(BACKFILL)}-entry backfill from position 0 with ${fmt(SIGS)} signatures, followed by \`warren watch --from 0 ct:URL\` in a process of its own (log made in ${fmt(mem.fillS, 1)} s, not timed); its RSS read from /proc every second (${mem.samples.length} samples), its peak from the kernel (VmHWM). RSS at the first sample (about 1 s in: node, modules, store open, signatures compiling) ${fmt(mem.firstMiB)} MiB`,
        '',
        '| checkpoint | entries | elapsed s | RSS MiB | peak so far MiB | since the previous checkpoint: entries/s | entries per CPU s | waits (voluntary switches) | preempted (involuntary) |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...mem.checkpoints.map((c, i) => {
          const prev = mem.checkpoints[i - 1] ?? { entries: 0, s: 0, cpuS: 0, waits: 0, preempted: 0 };
          const n = c.entries - prev.entries;
          return `| ${fmt(100 * c.share)} % | ${fmt(c.entries)} | ${fmt(c.s, 1)} | ${fmt(c.rssMiB)} | ${fmt(c.peakMiB)} | ${fmt(n / (c.s - prev.s))} | ${fmt(n / (c.cpuS - prev.cpuS))} | ${fmt(c.waits - prev.waits)} | ${fmt(c.preempted - prev.preempted)} |`;
        }),
        '',
        `Peak RSS (VmHWM) ${fmt(mem.maxMiB)} MiB; second half of the samples: ${fmt(Math.min(...late))}–${fmt(Math.max(...late))} MiB; trend from 10 % on: ${fmt(mem.slope, 2)} MiB per 100,000 entries (least squares over the samples). Whole backfill: ${fmt(mem.entries)} entries in ${fmt(mem.wallS, 1)} s = ${fmt(mem.entries / mem.wallS)}/s, start-up included (CPU ${fmt(mem.cpuS, 1)} s = ${fmt(mem.entries / mem.cpuS)} per CPU second); ${fmt(mem.certificates)} certificates, ${fmt(mem.notifications)} notifications; SQLite file + WAL ${fmt(mem.dbBytes / MiB)} MiB (${fmt(mem.dbBytes / MiB / (mem.entries / 1e6))} MiB per million entries).`,
      );
    }
    lines.push(
      '',
      `Latency: a log growing by one entry every ${APPEND_EVERY_MS} ms, each a new certificate for a name with "${LATENCY_BRAND}" (an alerting signature, among the ${fmt(SIGS)}); from the entry's appearance in the log to its notification's row in the outbox`,
      '',
      '| poll interval | entries | p50 ms | p95 ms | p99 ms | max ms | not in the outbox |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...lat.map((r) => `| ${fmt(r.pollMs)} ms${r.pollMs === DEFAULT_POLL_MS ? ' (the default)' : ''} | ${fmt(r.appended)} | ${fmt(percentile(r.latenciesMs, 50))} | ${fmt(percentile(r.latenciesMs, 95))} | ${fmt(percentile(r.latenciesMs, 99))} | ${fmt(Math.max(...r.latenciesMs))} | ${r.missing} |`),
    );
    const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
    const feedRate = rate(m.feedSigs);
    const cpuRate = m.feedSigs.entries / m.feedSigs.cpuS;
    const def = lat.find((r) => r.pollMs === DEFAULT_POLL_MS)!;
    const p99 = percentile(def.latenciesMs, 99);
    lines.push(
      '',
      '| target (issue 14) | measured | |',
      '|---|---|---|',
      `| ≥ 5,000 CT entries/s on one core from a local log (decode + store + evaluate ${fmt(SIGS)} signatures, SQLite) | ${fmt(feedRate)} entries/s wall, ${fmt(cpuRate)} per CPU second (${fmt(feedRate / rate(m.fileSigs), 2)}× the file path) | ${verdict(feedRate >= 5000)} |`,
      mem
        ? `| memory flat (< 300 MiB RSS) over a ${fmt(BACKFILL)}-entry backfill${BACKFILL < 1_000_000 ? ' (scaled down: the target is 1,000,000)' : ''} | max ${fmt(mem.maxMiB)} MiB; ${mem.checkpoints.map((c) => `${fmt(100 * c.share)} %: ${fmt(c.rssMiB)}`).join(', ')} MiB; ${fmt(mem.slope, 2)} MiB per 100k entries | ${verdict(mem.maxMiB < 300 && BACKFILL >= 1_000_000)} |`
        : '| memory over a 1,000,000-entry backfill | not run (WARREN_BENCH_FEED_ENTRIES=0) | MISS |',
      `| entry in a followed log → notification in the outbox < 2 s at p99 (default poll interval, ${fmt(DEFAULT_POLL_MS)} ms) | p99 ${fmt(p99)} ms over ${fmt(def.latenciesMs.length)} entries${def.missing > 0 ? `, ${def.missing} never arrived` : ''} | ${verdict(p99 < 2000 && def.missing === 0)} |`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    const problems = Object.values(runs).flat().filter((r) => r.rejected > 0 || r.errors > 0);
    if (problems.length > 0) {
      process.stdout.write(`\n${problems.length} runs had rejected entries or feed errors: see above\n`);
      process.exitCode = 1;
    }
  } finally {
    logs.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
