// What both CT sources share: a log is a growing list of entries with a signed size (an STH, a
// checkpoint). Following it means: learn the size, pick the start once (--from), read from the
// position up to the size, ask for a new size when caught up, and refuse a size below the
// position (a log that shrank, or another log behind the same URL).
import type { IngestRecord } from '../../ingest/records.js';
import { FeedError, type FeedBatch, type FeedPosition, type FeedProgress, type FeedSource } from '../types.js';
import { ctTime } from './entry-records.js';

/**
 * Where to start on first contact (no committed position): an entry index, or `latest-N`, N
 * entries before the tree size first seen (`latest-0`, `latest`: only what comes after).
 */
export type CtFrom = number | string;

export type CtStart = { readonly index: number } | { readonly back: number };

/**
 * Reads --from. The default is the tail (`latest-0`): a real log holds billions of entries, and
 * someone who starts monitoring wants what is issued from now on; a backfill is asked for with
 * an index (`0`) or `latest-N`. Throws on anything else (a configuration error, not a feed's).
 */
export function parseCtFrom(from: CtFrom | undefined): CtStart {
  if (from === undefined || from === 'latest') return { back: 0 };
  if (typeof from === 'number') {
    if (!Number.isSafeInteger(from) || from < 0) throw new Error(`--from ${from}: an entry index is a whole number from 0`);
    return { index: from };
  }
  const t = from.trim();
  if (/^\d+$/.test(t) && Number.isSafeInteger(Number(t))) return { index: Number(t) };
  const m = /^latest-(\d+)$/.exec(t);
  if (m && Number.isSafeInteger(Number(m[1]))) return { back: Number(m[1]) };
  throw new Error(`--from ${JSON.stringify(from)}: expected an entry index (e.g. 0) or latest-N (e.g. latest-100000)`);
}

/** The log's signed size. */
export interface LogHead {
  readonly size: number;
  /** When the log signed it (ms since the epoch), when known. */
  readonly timestamp?: number;
}

/** What one read gave: entries from the asked start, at least one. */
export interface LogRead {
  readonly records: IngestRecord[];
  readonly entries: number;
  readonly rejected: { at: string; message: string }[];
}

export interface LogProtocol {
  head(signal: AbortSignal): Promise<LogHead>;
  /** Entries from `start` (below `size`, the last head's size): at least one, or a FeedError. */
  read(start: number, size: number, signal: AbortSignal): Promise<LogRead>;
}

export interface FollowOptions {
  readonly from?: CtFrom;
  readonly now: () => Date;
  /** How old a head may get while reading behind it before it is asked again (for lag shown). */
  readonly headMaxAgeMs: number;
}

/** The `{ index }` of a committed position, checked (it is read back from the store). */
export function positionIndex(position: FeedPosition): number {
  const index = position.index;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw new FeedError(`the stored position ${JSON.stringify(position)} is not { index: n } with n a whole number from 0`);
  }
  return index;
}

export function followLog(id: string, protocol: LogProtocol, opts: FollowOptions): FeedSource {
  const start = parseCtFrom(opts.from);
  let head: LogHead | undefined;
  let headAt = 0;
  let startIndex: number | undefined;

  const refresh = async (signal: AbortSignal): Promise<LogHead> => {
    head = await protocol.head(signal);
    headAt = opts.now().getTime();
    return head;
  };

  return {
    id,
    async next(position: FeedPosition | undefined, signal: AbortSignal): Promise<FeedBatch | 'idle'> {
      let pos: number;
      let fresh = false;
      if (position !== undefined) pos = positionIndex(position);
      else if (startIndex !== undefined) pos = startIndex;
      else {
        const h = await refresh(signal);
        fresh = true;
        if ('back' in start) pos = Math.max(0, h.size - start.back);
        else if (start.index > h.size) throw new FeedError(`--from ${start.index} is beyond the log's ${h.size} entries: waiting for the log to reach it`);
        else pos = start.index;
        startIndex = pos;
      }
      if (!fresh && (head === undefined || pos >= head.size || opts.now().getTime() - headAt > opts.headMaxAgeMs)) await refresh(signal);
      const size = head!.size;
      if (size < pos) throw new FeedError(`the log's tree shrank: its signed size is ${size}, below the ${pos} entries already read`);
      if (pos >= size) {
        // First contact with nothing to read yet: hand the runner the start so it commits it, and
        // a restart tails from here rather than from a later tree size.
        return position === undefined ? { records: [], entries: 0, position: { index: pos } } : 'idle';
      }
      const got = await protocol.read(pos, size, signal);
      const batch: FeedBatch = { records: got.records, entries: got.entries, position: { index: pos + got.entries } };
      return got.rejected.length > 0 ? { ...batch, rejected: got.rejected } : batch;
    },
    waiting(position: FeedPosition): boolean {
      const index = position.index;
      return head !== undefined && typeof index === 'number' && index < head.size;
    },
    progress(): FeedProgress {
      if (head === undefined) return {};
      const newest = head.timestamp === undefined ? undefined : ctTime(head.timestamp);
      return newest === undefined ? { size: head.size } : { size: head.size, newest };
    },
    close: () => Promise.resolve(),
  };
}
