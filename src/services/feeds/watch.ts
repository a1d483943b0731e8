// Following several feeds at once (`warren watch`, `warren serve --watch`): the sources the
// arguments name, each run by its own runner over the one store until the stop.
import { setTimeout as delay } from 'node:timers/promises';
import { createFeed, feedsFromLogList, FeedSpecError } from '../../feeds/registry.js';
import type { FeedSource } from '../../feeds/types.js';
import type { Store } from '../../store/store.js';
import { ServiceError } from '../errors.js';
import { runLeased, type LeaseOptions } from './lease.js';
import { runFeed, type FeedRunSummary, type RunFeedOptions } from './runner.js';

export interface FeedArguments {
  /** `PREFIX:URL` each (feeds/registry.ts). */
  readonly sources: readonly string[];
  readonly from?: string;
  readonly everyMs?: number;
  /** A CT log list (v3 JSON), file or URL: every log it says to follow. */
  readonly logList?: string;
  readonly usable?: boolean;
  /** One request to a source, in ms (WARREN_FEED_TIMEOUT, settings.ts). */
  readonly timeoutMs?: number;
}

/**
 * The sources to follow, each once (a log named twice, or both by hand and by the list, is one
 * feed). A spec that cannot be followed is the caller's mistake: ServiceError 'invalid'.
 */
export async function feedSources(a: FeedArguments): Promise<FeedSource[]> {
  const opts = {
    ...(a.from !== undefined ? { from: a.from } : {}),
    ...(a.everyMs !== undefined ? { everyMs: a.everyMs } : {}),
    ...(a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : {}),
  };
  const byId = new Map<string, FeedSource>();
  try {
    if (a.usable && a.logList === undefined) throw new FeedSpecError('--usable applies to --log-list');
    for (const arg of a.sources) {
      const s = createFeed(arg, opts);
      if (!byId.has(s.id)) byId.set(s.id, s);
    }
    if (a.logList !== undefined) {
      const list = { usable: a.usable ?? false, ...(a.from !== undefined ? { from: a.from } : {}), ...(a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : {}) };
      for (const s of await feedsFromLogList(a.logList, list)) {
        if (!byId.has(s.id)) byId.set(s.id, s);
      }
    }
  } catch (e) {
    await Promise.all([...byId.values()].map((s) => s.close()));
    if (e instanceof FeedSpecError) throw new ServiceError('invalid', e.message);
    throw e;
  }
  if (byId.size === 0) throw new ServiceError('invalid', 'name a feed to follow (ct:URL, ct-tiles:URL, certstream:wss://…, domains:URL-or-PATH) or --log-list');
  return [...byId.values()];
}

/**
 * The kill test's child (WARREN_TEST_FEEDS=1) may pause between a batch's write and its
 * evaluation (WARREN_TEST_FEED_WRITE_PAUSE_MS), so that a kill lands exactly there.
 */
function testWritePause(): RunFeedOptions['afterWrite'] {
  const ms = Number(process.env.WARREN_TEST_FEED_WRITE_PAUSE_MS);
  if (process.env.WARREN_TEST_FEEDS !== '1' || !Number.isInteger(ms) || ms <= 0) return undefined;
  return () => delay(ms);
}

/**
 * Runs every source until the stop, then closes them; one summary per feed. With `lease`, each
 * feed is followed only while this process holds its lease (lease.ts): other processes told to
 * follow the same feed stand by.
 */
export async function watchFeeds(store: Store, sources: readonly FeedSource[], opts: RunFeedOptions, lease?: LeaseOptions): Promise<FeedRunSummary[]> {
  const afterWrite = opts.afterWrite ?? testWritePause();
  const run = (s: FeedSource): Promise<FeedRunSummary> => {
    const o = { ...opts, ...(afterWrite ? { afterWrite } : {}) };
    return lease ? runLeased(store, s, o, lease) : runFeed(store, s, o);
  };
  try {
    return await Promise.all(sources.map(run));
  } finally {
    await Promise.all(sources.map((s) => s.close().catch(() => undefined)));
  }
}
