// `warren scan` on several cores: pieces of input (io/pieces.ts) are scanned by the command's own
// thread and by worker threads, their bytes handed to a worker without a copy; each thread has its
// own compiled matcher and decodes, splits, parses and matches; results come back in input order,
// so the output is what one Scanner would write. The reading thread also finds line ends and
// writes results, and scans a piece itself whenever every worker has enough queued: threads that
// only waited for pieces left a core idle while each worker compiled the signatures, which on
// 200,000 records made two threads no faster than one (docs/PERFORMANCE.md).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FastMatcher } from '../engine/fast-matcher.js';
import { linesOf, type Piece } from '../io/pieces.js';
import type { Signature } from '../signatures/types.js';
import { Scanner, type BatchResult } from './scan.js';

// Resolved from src/ (tests) and from dist/ alike: the worker always runs compiled.
export const SCAN_WORKER = fileURLToPath(new URL('../../dist/services/scan-worker.js', import.meta.url));

/** Threads that scan a large input (the command's own included): WARREN_SCAN_THREADS, else one per core up to 4; 1 = no workers. */
export function scanThreads(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.WARREN_SCAN_THREADS;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`WARREN_SCAN_THREADS must be a whole number from 1 to 64, not ${JSON.stringify(given)}`);
    return n;
  }
  return Math.min(availableParallelism(), 4);
}

/**
 * Pieces a worker may hold before the command's thread scans the next one itself: one being
 * scanned and two waiting, so that a worker does not wait while the reader scans a piece (about
 * as long as a worker takes for one), and the reader scans only while every worker is busy.
 */
const WORKER_QUEUE = 3;

interface Pending {
  readonly resolve: (r: BatchResult) => void;
  readonly reject: (e: Error) => void;
}

export class ScanPool {
  private readonly workers: Worker[];
  /** The command's own scanner, once the signatures are compiled. */
  private local: Scanner | undefined;
  /** Pieces scanned by this thread and by the workers, for tests and diagnostics. */
  readonly scanned = { here: 0, workers: 0 };
  /** Pieces each thread holds: the next goes to the least busy, so a slow piece holds no one up. */
  private readonly load: number[];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failed: Error | undefined;

  /**
   * `threads` scan, the command's own among them: `threads - 1` workers start loading their code
   * at once; they compile when `compile` gives them the signatures, so a caller can start them
   * before its own signature files are read.
   */
  constructor(threads: number) {
    if (!Number.isInteger(threads) || threads < 2) throw new RangeError(`a scan pool has at least 2 threads, not ${threads}`);
    this.load = new Array<number>(threads - 1).fill(0);
    this.workers = Array.from({ length: threads - 1 }, (_, i) => {
      const w = new Worker(SCAN_WORKER);
      w.on('message', (m: { seq: number; result: BatchResult }) => {
        const p = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        this.load[i]!--;
        p?.resolve(m.result);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a scan thread stopped (exit code ${code})`));
      });
      return w;
    });
  }

  /**
   * Each thread compiles these signatures (a worker before any piece it is sent); the workers
   * are sent them first, so that they compile while this thread does.
   */
  compile(signatures: readonly Signature[]): void {
    for (const w of this.workers) w.postMessage({ signatures });
    this.local = new Scanner(new FastMatcher(signatures), signatures);
  }

  /**
   * The result of one piece: from the least busy worker, whose bytes then move to it (unusable
   * here afterwards), or, when every worker holds WORKER_QUEUE pieces, from this thread at once.
   */
  scan(piece: Piece): Promise<BatchResult> {
    if (this.failed) return Promise.reject(this.failed);
    let to = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[to]!) to = i;
    if (this.load[to]! >= WORKER_QUEUE && this.local) {
      this.scanned.here++;
      return Promise.resolve(this.local.scanLines(linesOf(piece)));
    }
    this.scanned.workers++;
    const seq = this.seq++;
    this.load[to]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.workers[to]!.postMessage({ seq, piece }, [piece.bytes.buffer as ArrayBuffer]);
    });
  }

  /**
   * Every piece (those already read, then the rest as they are read) through the threads, each
   * result handed to `emit` in input order; at most four pieces per thread in flight, so memory
   * stays bounded whatever the input's size.
   */
  async scanAll(read: readonly Piece[], rest: AsyncIterator<Piece>, emit: (r: BatchResult) => Promise<void>): Promise<void> {
    const window: Promise<BatchResult>[] = [];
    const submit = async (piece: Piece): Promise<void> => {
      const result = this.scan(piece);
      // Awaited in order below; until then a failure must not count as unhandled.
      result.catch(() => undefined);
      window.push(result);
      if (window.length >= 4 * (this.workers.length + 1)) await emit(await window.shift()!);
    };
    for (const piece of read) await submit(piece);
    for (let next = await rest.next(); !next.done; next = await rest.next()) await submit(next.value);
    while (window.length > 0) await emit(await window.shift()!);
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
  }

  async close(): Promise<void> {
    // Every result is in when close is called: exits from here on are ours, not failures.
    this.failed ??= new Error('the scan pool is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
