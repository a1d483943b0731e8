// How often `warren watch` and `warren serve --watch` ask and how long they wait, from the
// environment (docs/MONITORING.md, "Timing"). The defaults suit real logs; shorter values are for
// a local log (tests, a lab). A wrong value is reported by its variable's name before anything
// is fetched.
import { parseDuration, SettingError } from '../live/settings.js';
import { DEFAULT_LEASE_MS, leaseHolder, type LeaseOptions } from './lease.js';
import { DEFAULT_BACKOFF, type RunFeedOptions } from './runner.js';

export interface FeedSettings {
  /** WARREN_FEED_POLL: the wait of a feed with nothing new before it asks again (runner default 1 s). */
  readonly pollMs?: number;
  /** WARREN_FEED_BACKOFF: the first wait after a failure, doubling per failure up to 5 minutes (default 1 s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /**
   * WARREN_FEED_TIMEOUT: one request to a CT log or a domain list (defaults 30 s and 60 s); a
   * fetch as a whole (a tree head and entries) is abandoned after four times that (default 2 min).
   */
  readonly timeoutMs?: number;
  readonly nextTimeoutMs?: number;
  /** WARREN_FEED_LEASE: how long a follower's lease on a feed lasts unless renewed (default 20 s, lease.ts). */
  readonly leaseMs?: number;
  /** WARREN_FEED_COMMIT_ENTRIES: most entries gathered into one commit while a log has more waiting (default 4,096). */
  readonly commitEntries?: number;
}

function duration(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new SettingError(`${name}: "${text}" is not a duration like 250ms, 5s or 10m`);
  return ms;
}

function count(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n) || n < 1) throw new SettingError(`${name}: "${text}" is not a whole number from 1`);
  return n;
}

/** The settings the environment gives (none: the runner's and the sources' own defaults). */
export function feedSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): FeedSettings {
  const pollMs = duration(env, 'WARREN_FEED_POLL');
  const backoffMs = duration(env, 'WARREN_FEED_BACKOFF');
  const timeoutMs = duration(env, 'WARREN_FEED_TIMEOUT');
  const commitEntries = count(env, 'WARREN_FEED_COMMIT_ENTRIES');
  const leaseMs = duration(env, 'WARREN_FEED_LEASE');
  return {
    ...(leaseMs !== undefined ? { leaseMs } : {}),
    ...(commitEntries !== undefined ? { commitEntries } : {}),
    ...(pollMs !== undefined ? { pollMs } : {}),
    ...(backoffMs !== undefined ? { backoff: { initialMs: backoffMs, maxMs: Math.max(backoffMs, DEFAULT_BACKOFF.maxMs) } } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs, nextTimeoutMs: 4 * timeoutMs } : {}),
  };
}

/** The lease every feed of this process is followed under (one follower per feed across processes). */
export function feedLease(s: FeedSettings): LeaseOptions {
  return { holder: leaseHolder(), ttlMs: s.leaseMs ?? DEFAULT_LEASE_MS };
}

/** The runner's part of the settings (the sources take `timeoutMs` through feedSources). */
export function runnerTiming(s: FeedSettings): Pick<RunFeedOptions, 'pollMs' | 'backoff' | 'nextTimeoutMs' | 'commitEntries'> {
  return {
    ...(s.commitEntries !== undefined ? { commitEntries: s.commitEntries } : {}),
    ...(s.pollMs !== undefined ? { pollMs: s.pollMs } : {}),
    ...(s.backoff !== undefined ? { backoff: s.backoff } : {}),
    ...(s.nextTimeoutMs !== undefined ? { nextTimeoutMs: s.nextTimeoutMs } : {}),
  };
}
