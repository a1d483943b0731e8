// Who follows each feed (migration 0017). Taking a lease is one statement on both dialects: an
// upsert that only replaces the row when the caller already holds it or it has ended, so two
// processes racing for a feed cannot both win. Times are the callers' clocks (ms since the epoch):
// a lease lasts long enough (tens of seconds) that clocks kept by NTP agree well within it.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface FeedLease {
  readonly feed: string;
  readonly holder: string;
  readonly expiresMs: number;
  readonly since: string;
}

/**
 * Takes or renews `feed`'s lease for `holder` until `nowMs + ttlMs`, unless another holder's
 * lease is still running. Answers the lease as it stands afterwards: the caller holds it when
 * its `holder` is the caller's.
 */
export async function takeFeedLease(db: Db, feed: string, holder: string, nowMs: number, ttlMs: number, sinceIso: string): Promise<FeedLease> {
  const expires = nowMs + ttlMs;
  await db
    .insertInto('feed_leases')
    .values({ feed, holder, expires_ms: expires, since: sinceIso })
    .onConflict((oc) =>
      oc
        .column('feed')
        .doUpdateSet((eb) => ({
          expires_ms: eb.ref('excluded.expires_ms'),
          // A renewal keeps its `since`; a take-over starts a new one.
          since: eb.case().when('feed_leases.holder', '=', holder).then(eb.ref('feed_leases.since')).else(eb.ref('excluded.since')).end(),
          holder: eb.ref('excluded.holder'),
        }))
        .where((eb) => eb.or([eb('feed_leases.holder', '=', holder), eb('feed_leases.expires_ms', '<', nowMs)])),
    )
    .execute();
  const row = await db.selectFrom('feed_leases').selectAll().where('feed', '=', feed).executeTakeFirstOrThrow();
  return { feed: row.feed, holder: row.holder, expiresMs: Number(row.expires_ms), since: row.since };
}

/**
 * Takes the lease from `from`, whatever its end, only if `from` still holds it (a compare and
 * set): for a holder known dead (lease.ts: a process of this host that no longer exists).
 */
export async function takeFeedLeaseFrom(db: Db, feed: string, from: string, holder: string, nowMs: number, ttlMs: number, sinceIso: string): Promise<FeedLease | undefined> {
  await db.updateTable('feed_leases').set({ holder, expires_ms: nowMs + ttlMs, since: sinceIso }).where('feed', '=', feed).where('holder', '=', from).execute();
  const row = await db.selectFrom('feed_leases').selectAll().where('feed', '=', feed).executeTakeFirst();
  return row && { feed: row.feed, holder: row.holder, expiresMs: Number(row.expires_ms), since: row.since };
}

/** Gives the lease up (a clean stop), so a waiting process takes the feed at once. */
export async function releaseFeedLease(db: Db, feed: string, holder: string): Promise<void> {
  await db.deleteFrom('feed_leases').where('feed', '=', feed).where('holder', '=', holder).execute();
}

/** Every lease, for the status: who follows what, and until when. */
export async function listFeedLeases(db: Db): Promise<FeedLease[]> {
  const rows = await db.selectFrom('feed_leases').selectAll().orderBy('feed').execute();
  return rows.map((r) => ({ feed: r.feed, holder: r.holder, expiresMs: Number(r.expires_ms), since: r.since }));
}
