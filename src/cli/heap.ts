// How tightly V8 keeps the heap of Warren's long-running processes (`warren watch`, `warren
// serve`; `warren worker` and an API replica less tightly, see WORKER_HEAP_GROWING_PERCENT). A follower allocates a batch's worth of objects that live across the store's awaits
// and so reach the old generation; V8 by default lets the old generation grow by a large factor
// before it collects, and keeps the pages it grew into: a 1,000,000-entry CT backfill held
// 300–350 MiB RSS for ~60 MiB of live heap. A smaller growing factor collects sooner and keeps
// RSS near the live set (docs/PERFORMANCE.md, "Feeds"), at a small CPU cost; it is a soft
// setting — never a limit that could end the process, as --max-old-space-size would be.
//
// V8 reads this flag when it sizes the heap after each full collection, so setting it once the
// process runs takes effect (a startup-only flag such as --max-old-space-size would not).
import { setFlagsFromString } from 'node:v8';
import { SettingError } from '../services/live/settings.js';

/** The old generation grows by this percentage after a full collection (V8's own default is far larger). */
export const DEFAULT_HEAP_GROWING_PERCENT = 20;

/**
 * A worker's: it ingests parts and hunts flat out, and its batches are garbage a moment later.
 * At 20 % it ran a full collection every ~0.3 s of a 600,000-record ingest (76 in 25 s, for a
 * ~55 MiB live heap), whose concurrent marking took ~40 % of its CPU; at 100 % the heap stays
 * within twice the live set and that work falls by about 3 s of 14 (docs/PERFORMANCE.md,
 * "Scale-out: workers").
 */
export const WORKER_HEAP_GROWING_PERCENT = 100;

/**
 * `warren serve`'s: the tight default while it ingests or follows feeds itself; the worker's when
 * it is an API replica (`--queue`, no `--watch`). A replica ingests nothing: its garbage is
 * requests and the uploads it cuts into parts, buffers dead a moment later whose external memory
 * made the tight factor collect the whole heap (10,000 compiled signatures) over and over:
 * accepting a 78 MB upload took 1.7 s at 20 %, 1.0 s at 100 % (docs/PERFORMANCE.md, "Scale-out:
 * workers"), a wait no number of workers shortens.
 */
export function serveHeapGrowingPercent(queued: boolean, followsFeeds: boolean): number {
  return queued && !followsFeeds ? WORKER_HEAP_GROWING_PERCENT : DEFAULT_HEAP_GROWING_PERCENT;
}

/** WARREN_HEAP_GROWING_PERCENT: a whole number from 1 to 1000, `default` (V8's own), or unset (`fallback`). */
export function heapGrowingPercent(env: NodeJS.ProcessEnv = process.env, fallback = DEFAULT_HEAP_GROWING_PERCENT): number | undefined {
  const text = env.WARREN_HEAP_GROWING_PERCENT?.trim();
  if (text === undefined || text === '') return fallback;
  if (text === 'default') return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new SettingError(`WARREN_HEAP_GROWING_PERCENT: "${text}" is not a whole number from 1 to 1000, or default`);
  return n;
}

/** Applies the setting to this process (once, at the start of a long-running command). */
export function tightenHeap(env: NodeJS.ProcessEnv = process.env, fallback = DEFAULT_HEAP_GROWING_PERCENT): void {
  const percent = heapGrowingPercent(env, fallback);
  if (percent !== undefined) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
