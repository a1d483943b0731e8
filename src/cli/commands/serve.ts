// `warren serve [--db URL] [--port 8080] [--host 127.0.0.1] [--watch SOURCE…]`: the API and the
// built web UI, with the delivery loop (and the feeds --watch names) running beside it.
// Configuration from flags and WARREN_* variables, checked before anything starts; SIGINT/SIGTERM
// finish in-flight requests, deliveries and feed batches, then exit.
import type { Command } from 'commander';
import { buildServer, metricsOf, WEB_ROOT } from '../../api/server.js';
import { watch } from '../../services/delivery/outbox.js';
import { ServiceError } from '../../services/errors.js';
import { serveHeapGrowingPercent, tightenHeap } from '../heap.js';
import { feedLease, feedSettingsFromEnv, runnerTiming, type FeedSettings } from '../../services/feeds/settings.js';
import { feedSources, watchFeeds } from '../../services/feeds/watch.js';
import type { FeedSource } from '../../feeds/types.js';
import { QueuedLiveLookups } from '../../services/jobs/live-jobs.js';
import type { WorkQueue } from '../../services/jobs/queue.js';
import { compiledOrgs } from '../../services/org-matcher.js';
import { createLiveLookups } from '../../services/live/create.js';
import type { LiveLookups, LiveRefresher } from '../../services/live/live.js';
import { liveQueueSettingsFromEnv, liveSettingsFromEnv, SettingError } from '../../services/live/settings.js';
import type { Store } from '../../services/store.js';
import { untilSignal, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { dbUrl, openQueue, openStore, withDb, withQueue } from '../store-options.js';

export interface ServeConfig {
  readonly port: number;
  readonly host: string;
  readonly secureCookies: boolean;
  readonly deliver: boolean;
  /** Live look-ups from the WARREN_LIVE… settings (docs/LIVE.md); with a queue, handed to workers. */
  readonly live: LiveRefresher;
}

/** Every problem with the configuration, one message each. */
export function checkServeConfig(o: { port?: string; host?: string; secureCookies?: boolean; deliver?: boolean }): { config?: ServeConfig; problems: string[] } {
  const problems: string[] = [];
  const portText = o.port ?? process.env.WARREN_PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`port ${portText} (--port / WARREN_PORT) is not 0-65535`);
  const host = o.host ?? process.env.WARREN_HOST ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) problems.push(`host ${host} (--host / WARREN_HOST) is not a host name or address`);
  const secure = o.secureCookies ?? process.env.WARREN_SECURE_COOKIES === '1';
  let live: LiveLookups | undefined;
  try {
    live = createLiveLookups(liveSettingsFromEnv());
  } catch (e) {
    if (!(e instanceof SettingError)) throw e;
    problems.push(e.message);
  }
  return problems.length > 0 || !live ? { problems } : { config: { port, host, secureCookies: secure, deliver: o.deliver ?? process.env.WARREN_DELIVER !== '0', live }, problems };
}

function sizeFromEnv(name: string, min: number, max: number): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name}=${text}: expected an integer from ${min} to ${max}`);
  return n;
}

/** WARREN_INGEST_PART_BYTES (decompressed bytes per upload part) and WARREN_HUNT_PART (entities per hunt part). */
function jobSizesFromEnv(): { partBytes?: number; huntPart?: number } {
  const partBytes = sizeFromEnv('WARREN_INGEST_PART_BYTES', 1024, 1024 * 1024 * 1024);
  const huntPart = sizeFromEnv('WARREN_HUNT_PART', 100, 100_000_000);
  return { ...(partBytes !== undefined ? { partBytes } : {}), ...(huntPart !== undefined ? { huntPart } : {}) };
}

export interface RunServerOptions {
  /** A built web UI to serve at `/` (see buildServer). */
  readonly webRoot?: string;
  /** What to print on stderr once listening. */
  readonly banner: (address: string) => string;
  /** Feeds to follow inside the server (`--watch`), stopped (their batch committed) on shutdown. */
  readonly feeds?: readonly FeedSource[];
  /** Their timing (WARREN_FEED_*). */
  readonly feedSettings?: FeedSettings;
  /** The work queue (`--queue`): uploads and retro-hunts become jobs for `warren worker`. */
  readonly queue?: WorkQueue;
}

/**
 * Serves the store until SIGINT/SIGTERM (what `warren serve` and `warren demo` share): compiles
 * the signatures, listens, runs the delivery loop beside the server, then finishes in-flight
 * requests and deliveries and closes the store.
 */
export async function runServer(store: Store, config: ServeConfig, ctx: CommandContext, opts: RunServerOptions): Promise<void> {
  // Compiled before the first request, so no caller waits for 10,000 signatures to compile.
  await compiledOrgs(store);
  const app = await buildServer({
    store,
    logger: { level: process.env.WARREN_LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] },
    secureCookies: config.secureCookies,
    live: config.live,
    ...(opts.webRoot !== undefined ? { webRoot: opts.webRoot } : {}),
    ...(opts.queue ? { queue: opts.queue, ...jobSizesFromEnv() } : {}),
  });
  const stop = new AbortController();
  const metrics = metricsOf(app);
  const onPass = (c: { sent: number; failed: number; dead: number }): void => {
    for (const [outcome, n] of Object.entries({ sent: c.sent, failed: c.failed, dead: c.dead })) {
      if (n > 0) metrics?.count('warren_deliveries_total', 'deliveries by outcome', { outcome }, n);
    }
  };
  const delivering = config.deliver ? watch(store, { signal: stop.signal, onPass }).catch((e: unknown) => app.log.error({ err: e }, 'delivery loop failed')) : Promise.resolve();
  // The runners never end on a failure (they back off and retry); /metrics and /api/v1/feeds read
  // their state from the store.
  const following =
    opts.feeds && opts.feeds.length > 0
      ? watchFeeds(store, opts.feeds, {
          signal: stop.signal,
          ...runnerTiming(opts.feedSettings ?? {}),
          onProgress: (p) => {
            if (p.state === 'error') app.log.warn({ feed: p.feed, retryInMs: p.waitMs }, `feed failed: ${p.error}`);
            if (p.state === 'resume') app.log.info({ feed: p.feed, position: p.position, committed: p.committed }, 'following feed');
            if (p.state === 'standby') app.log.info({ feed: p.feed, holder: p.holder }, 'another process follows this feed; standing by');
          },
          onReject: (feed, r) => app.log.warn({ feed, at: r.at }, `feed entry rejected: ${r.message}`),
        }, feedLease(opts.feedSettings ?? {})).catch((e: unknown) => app.log.error({ err: e }, 'feeds failed'))
      : Promise.resolve();
  const address = await app.listen({ port: config.port, host: config.host });
  await write(ctx.io.stderr, opts.banner(address));
  await untilSignal();
  stop.abort();
  await app.close();
  await delivering;
  await following;
  await opts.queue?.close();
  await store.close();
}

export function registerServe(program: Command, ctx: CommandContext): void {
  withQueue(withDb(
    program
      .command('serve')
      .description('run the API server (and the delivery loop)')
      .option('--port <port>', 'TCP port (WARREN_PORT; default 8080)')
      .option('--host <host>', 'address to listen on (WARREN_HOST; default 127.0.0.1)')
      .option('--secure-cookies', 'mark session cookies Secure (behind TLS; WARREN_SECURE_COOKIES=1)')
      .option('--no-deliver', 'do not run the delivery loop in this process (WARREN_DELIVER=0)')
      .option('--watch <sources...>', 'follow these feeds inside the server, as `warren watch` does (ct:URL, ct-tiles:URL, certstream:…, domains:…)'),
  )).action(async (opts: { db?: string; queue?: string; port?: string; host?: string; secureCookies?: boolean; deliver?: boolean; watch?: string[] }) => {
    const { config, problems } = checkServeConfig(opts);
    if (!config) throw new UsageError(problems.join('; '));
    const queue = openQueue(opts);
    let waitMs = 0;
    try {
      tightenHeap(process.env, serveHeapGrowingPercent(queue !== undefined, opts.watch !== undefined));
      if (queue) waitMs = liveQueueSettingsFromEnv(process.env, config.live.settings.timeoutMs).waitMs;
    } catch (e) {
      await queue?.close();
      if (e instanceof SettingError) throw new UsageError(e.message);
      throw e;
    }
    let feeds: FeedSource[] = [];
    let feedSettings: FeedSettings = {};
    if (opts.watch !== undefined) {
      try {
        feedSettings = feedSettingsFromEnv();
        feeds = await feedSources({ sources: opts.watch, ...(feedSettings.timeoutMs !== undefined ? { timeoutMs: feedSettings.timeoutMs } : {}) });
      } catch (e) {
        if (e instanceof ServiceError || e instanceof SettingError) throw new UsageError(`--watch: ${e.message}`);
        throw e;
      }
    }
    const store = await openStore(opts);
    // With a queue, workers run the live look-ups and this replica waits for their answers.
    const queued = queue ? new QueuedLiveLookups(config.live.settings, queue, waitMs) : undefined;
    try {
      // The UI when it has been built (npm run build); buildServer skips a missing folder.
      await runServer(store, queued ? { ...config, live: queued } : config, ctx, {
        webRoot: WEB_ROOT,
        banner: (address) => `warren: serving ${dbUrl(opts)} on ${address}${queue ? `; queue ${queue.url}` : ''}\n`,
        feeds,
        feedSettings,
        ...(queue ? { queue } : {}),
      });
    } finally {
      await queued?.close();
    }
  });
}
