// `warren scan` on several cores: pieces of input (io/pieces.ts) go to worker threads in turn,
// their bytes handed over without a copy; each thread has its own compiled matcher and decodes,
// splits, parses and matches; results come back in input order, so the output is what one Scanner
// would write. The reading thread only finds line ends and writes results.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Piece } from '../io/pieces.js';
import type { Signature } from '../signatures/types.js';
import type { BatchResult } from './scan.js';

// Resolved from src/ (tests) and from dist/ alike: the worker always runs compiled.
export const SCAN_WORKER = fileURLToPath(new URL('../../dist/services/scan-worker.js', import.meta.url));

/** Threads for a large input: WARREN_SCAN_THREADS, else one per core up to 4; 1 = scan in-process. */
export function scanThreads(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.WARREN_SCAN_THREADS;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`WARREN_SCAN_THREADS must be a whole number from 1 to 64, not ${JSON.stringify(given)}`);
    return n;
  }
  return Math.min(availableParallelism(), 4);
}

interface Pending {
  readonly resolve: (r: BatchResult) => void;
  readonly reject: (e: Error) => void;
}

export class ScanPool {
  private readonly workers: Worker[];
  /** Pieces each thread holds: the next goes to the least busy, so a slow piece holds no one up. */
  private readonly load: number[];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failed: Error | undefined;

  /**
   * Threads start loading their code at once; they compile when `compile` gives them the
   * signatures, so a caller can start them before its own signature files are read.
   */
  constructor(threads: number) {
    this.load = new Array<number>(threads).fill(0);
    this.workers = Array.from({ length: threads }, (_, i) => {
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

  /** Each thread compiles these signatures (before any piece it is sent). */
  compile(signatures: readonly Signature[]): void {
    for (const w of this.workers) w.postMessage({ signatures });
  }

  /** The result of one piece, whose bytes move to the thread (unusable here afterwards). */
  scan(piece: Piece): Promise<BatchResult> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = this.seq++;
    let to = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[to]!) to = i;
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
      if (window.length >= 4 * this.workers.length) await emit(await window.shift()!);
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
