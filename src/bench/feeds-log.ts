// The feeds benchmark's CT logs, in a process of their own (forked by feeds.ts): the fake RFC 6962
// log of the tests (startCtLog) serving entries made from a certificate pool (feeds-certs.ts).
// Its own process, so that serving (JSON of 256 entries a request, and the log's 1,000,000
// entries in memory) is not counted in the runner's time or RSS: a real log is elsewhere too.
//
// Commands arrive over IPC (advanced serialisation: Buffers arrive as Uint8Arrays) and each is
// answered with its `id`. `grow` appends one entry every `everyMs` (its schedule kept against the
// clock, not drifting with timer lateness) and answers with when each entry appeared.
import { startCtLog, type CtLogServer } from '../feeds/ct/test-support/ct-log-server.js';
import { poolEntry, type CertPool } from './feeds-certs.js';

export type LogCommand =
  | { readonly op: 'pool'; readonly name: string; readonly pool: CertPool }
  | { readonly op: 'start'; readonly log: string; readonly maxBatch?: number }
  | { readonly op: 'fill'; readonly log: string; readonly pool: string; readonly from: number; readonly count: number; readonly timestamp: number }
  | { readonly op: 'grow'; readonly log: string; readonly pool: string; readonly count: number; readonly everyMs: number }
  | { readonly op: 'close'; readonly log: string };

export type LogAnswer =
  | { readonly url: string }
  | { readonly size: number }
  /** Entry index → when it appeared (ms since the epoch, sub-millisecond). */
  | { readonly appeared: readonly (readonly [number, number])[] }
  | { readonly closed: true }
  | { readonly ok: true }
  | { readonly error: string };

/** Wall-clock time with sub-millisecond resolution, comparable across the two processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

const pools = new Map<string, CertPool>();
const logs = new Map<string, CtLogServer>();

function must<T>(m: Map<string, T>, key: string, what: string): T {
  const v = m.get(key);
  if (v === undefined) throw new Error(`no ${what} ${key}`);
  return v;
}

async function grow(log: CtLogServer, pool: CertPool, count: number, everyMs: number): Promise<[number, number][]> {
  const appeared: [number, number][] = [];
  const start = epochMs();
  for (let n = 0; n < count; n++) {
    const wait = start + n * everyMs - epochMs();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const index = log.size();
    const entry = poolEntry(pool, index, Math.floor(epochMs()));
    log.append([entry]);
    appeared.push([index, epochMs()]);
  }
  return appeared;
}

async function run(c: LogCommand): Promise<LogAnswer> {
  switch (c.op) {
    case 'pool':
      // Structured clone made its Buffers Uint8Arrays: poolDer copies them with Buffer.from either way.
      pools.set(c.name, c.pool);
      return { ok: true };
    case 'start': {
      const log = await startCtLog(c.maxBatch !== undefined ? { maxBatch: c.maxBatch } : {});
      logs.set(c.log, log);
      return { url: log.url };
    }
    case 'fill': {
      const log = must(logs, c.log, 'log');
      const pool = must(pools, c.pool, 'pool');
      // In slices: building a million entries at once would hold their specs as well as the log's.
      for (let at = c.from; at < c.from + c.count; at += 10_000) {
        const n = Math.min(10_000, c.from + c.count - at);
        log.append(Array.from({ length: n }, (_, k) => poolEntry(pool, at + k, c.timestamp + (at + k) * 10)));
      }
      return { size: log.size() };
    }
    case 'grow':
      return { appeared: await grow(must(logs, c.log, 'log'), must(pools, c.pool, 'pool'), c.count, c.everyMs) };
    case 'close':
      await must(logs, c.log, 'log').close();
      logs.delete(c.log);
      return { closed: true };
  }
}

process.on('message', (m: { id: number; command: LogCommand }) => {
  run(m.command).then(
    (answer) => process.send?.({ id: m.id, answer }),
    (e: unknown) => process.send?.({ id: m.id, answer: { error: e instanceof Error ? e.message : String(e) } }),
  );
});
process.on('disconnect', () => process.exit(0));
