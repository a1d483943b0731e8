// What `warren watch --status`, GET /api/v1/feeds, /metrics and the Feeds panel show of each
// feed: read from the store, so a server reports the feeds a separate `warren watch` follows as
// well as its own (`warren serve --watch`), and every replica reports the same.
import type { FeedPosition } from '../../feeds/types.js';
import { listFeedPositions } from '../../store/feed-positions.js';
import type { Store } from '../../store/store.js';
import { systemClock, type Clock } from '../clock.js';

/**
 * A rate older than this is no longer a rate: the runner stopped (it reports at every batch,
 * every idle poll and every failure, and backs off for at most 5 minutes).
 */
export const STALE_RATE_MS = 10 * 60_000;

export interface FeedStatus {
  /** The feed as given to `warren watch`: `ct:https://…/`, `domains:…`. */
  readonly feed: string;
  /** The source's position after the last stored batch (null before the first). */
  readonly position: FeedPosition | null;
  /** After the last batch whose signatures ran: where a restart resumes. */
  readonly evaluated: FeedPosition | null;
  /** The next entry to read, when the position counts entries (`index`, or a list's `line`). */
  readonly index: number | null;
  /** Entries at the source in all (a CT log's tree size), when known. */
  readonly size: number | null;
  /** size − index, when both are known. */
  readonly lag: number | null;
  /** When the newest entry appeared at the source, when known. */
  readonly newest: string | null;
  /** Entries read in all. */
  readonly entries: number;
  /** Entries per second over the last minute; 0 when the feed has not reported for 10 minutes. */
  readonly rate: number;
  /** Failures in all (each retried). */
  readonly errors: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** When the runner last reported. */
  readonly updated: string;
}

/** Where a position stands in the source's entries, when it counts them. */
export function positionIndex(position: FeedPosition | null | undefined): number | null {
  if (!position) return null;
  for (const key of ['index', 'line']) {
    const v = position[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

export function feedLag(position: FeedPosition | null | undefined, size: number | null | undefined): number | null {
  const index = positionIndex(position);
  return index === null || size === null || size === undefined ? null : Math.max(0, size - index);
}

/** Every feed the store knows, by name. */
export async function feedStatus(store: Store, clock: Clock = systemClock): Promise<FeedStatus[]> {
  const now = clock().getTime();
  return (await listFeedPositions(store.db)).map((r) => ({
    feed: r.feed,
    position: r.position,
    evaluated: r.evaluated,
    index: positionIndex(r.position),
    size: r.size,
    lag: feedLag(r.position, r.size),
    newest: r.newest,
    entries: r.entries,
    rate: now - Date.parse(r.updatedAt) > STALE_RATE_MS ? 0 : Math.round(r.rate * 10) / 10,
    errors: r.errors,
    lastError: r.lastError,
    lastErrorAt: r.lastErrorAt,
    updated: r.updatedAt,
  }));
}
