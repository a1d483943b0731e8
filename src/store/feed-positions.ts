// Where each followed feed stands (migration 0013): the position committed with the records of
// the batch that ends there, the position whose batch has been evaluated, and what the status
// shows (entries read, rate, the source's size and newest entry, the last error). Positions are
// the sources' own JSON; the store neither reads nor orders them.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** A source's position as stored: a JSON object (feeds/types.ts FeedPosition). */
export type StoredPosition = Readonly<Record<string, unknown>>;

export interface FeedPositionRow {
  readonly feed: string;
  /** After the last batch whose records are stored; null before the first. */
  readonly position: StoredPosition | null;
  /** After the last batch whose signatures ran; null before the first. */
  readonly evaluated: StoredPosition | null;
  /** Entries read up to `position` (never decreasing). */
  readonly entries: number;
  /** Entries read up to `evaluated`. */
  readonly evaluatedEntries: number;
  readonly updatedAt: string;
  /** Entries per second over the runner's window, as of updatedAt. */
  readonly rate: number;
  readonly errors: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly size: number | null;
  readonly newest: string | null;
}

function parsePosition(text: string | null): StoredPosition | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as StoredPosition) : null;
  } catch {
    // Written by this module as JSON; a row edited by hand to garbage means "start again".
    return null;
  }
}

function present(r: Selectable<Database['feed_positions']>): FeedPositionRow {
  return {
    feed: r.feed,
    position: parsePosition(r.position),
    evaluated: parsePosition(r.evaluated),
    entries: Number(r.entries),
    evaluatedEntries: Number(r.evaluated_entries),
    updatedAt: r.updated_at,
    rate: Number(r.rate),
    errors: Number(r.errors),
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    size: r.size === null ? null : Number(r.size),
    newest: r.newest,
  };
}

export async function readFeedPosition(db: Db, feed: string): Promise<FeedPositionRow | undefined> {
  const r = await db.selectFrom('feed_positions').selectAll().where('feed', '=', feed).executeTakeFirst();
  return r ? present(r) : undefined;
}

export async function listFeedPositions(db: Db): Promise<FeedPositionRow[]> {
  return (await db.selectFrom('feed_positions').selectAll().orderBy('feed').execute()).map(present);
}

/** What a source last learnt of the far end, and the runner's rate, at `at`. */
export interface FeedReport {
  readonly at: string;
  readonly rate: number;
  readonly size?: number | undefined;
  readonly newest?: string | undefined;
}

function blankRow(feed: string, r: FeedReport): Insertable<Database['feed_positions']> {
  return {
    feed,
    position: null,
    evaluated: null,
    entries: 0,
    evaluated_entries: 0,
    updated_at: r.at,
    rate: r.rate,
    errors: 0,
    last_error: null,
    last_error_at: null,
    size: r.size ?? null,
    newest: r.newest ?? null,
  };
}

/** Size and newest keep their stored value when the source does not know them now. */
const knownSet = {
  updated_at: sql<string>`excluded.updated_at`,
  rate: sql<number>`excluded.rate`,
  size: sql<number | null>`coalesce(excluded.size, feed_positions.size)`,
  newest: sql<string | null>`coalesce(excluded.newest, feed_positions.newest)`,
};

/**
 * A batch's end: called inside the transaction that writes the batch's records (Store.write's
 * `also`), so the position is stored exactly when they are. `entries` is the count at `position`.
 */
export async function commitFeedPosition(db: Db, feed: string, position: StoredPosition, entries: number, r: FeedReport): Promise<void> {
  await db
    .insertInto('feed_positions')
    .values({ ...blankRow(feed, r), position: JSON.stringify(position), entries })
    .onConflict((oc) =>
      oc.column('feed').doUpdateSet({
        ...knownSet,
        position: sql<string>`excluded.position`,
        // A replay from the evaluated position may end its batches elsewhere: the count a
        // counter metric reads never goes back.
        entries: sql<number>`case when excluded.entries > feed_positions.entries then excluded.entries else feed_positions.entries end`,
      }),
    )
    .execute();
}

/** The batch ending at `position` has been evaluated (its actions applied). */
export async function markFeedEvaluated(db: Db, feed: string, position: StoredPosition, entries: number): Promise<void> {
  await db.updateTable('feed_positions').set({ evaluated: JSON.stringify(position), evaluated_entries: entries }).where('feed', '=', feed).execute();
}

/** Nothing new (or not yet a batch): the source's size and newest entry, the runner's rate. */
export async function reportFeed(db: Db, feed: string, r: FeedReport): Promise<void> {
  await db
    .insertInto('feed_positions')
    .values(blankRow(feed, r))
    .onConflict((oc) => oc.column('feed').doUpdateSet(knownSet))
    .execute();
}

/** A failure the runner retries: counted, and kept as the last error with its time. */
export async function recordFeedError(db: Db, feed: string, message: string, r: FeedReport): Promise<void> {
  await db
    .insertInto('feed_positions')
    .values({ ...blankRow(feed, r), errors: 1, last_error: message, last_error_at: r.at })
    .onConflict((oc) =>
      oc.column('feed').doUpdateSet({
        ...knownSet,
        errors: sql<number>`feed_positions.errors + 1`,
        last_error: sql<string>`excluded.last_error`,
        last_error_at: sql<string>`excluded.last_error_at`,
      }),
    )
    .execute();
}
