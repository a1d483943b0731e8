// `warren worker [--db URL] [--queue URL] [--port N] [--no-deliver] [--watch SOURCE…]`: takes the
// queue's parts (upload slices to ingest, retro-hunt ranges) one at a time and the API replicas'
// live look-ups several at a time, runs the delivery loop, and follows the feeds --watch names
// under their leases (one follower per feed across all workers). Any number run at once against
// one PostgreSQL and one Redis (docs/DEPLOY.md).
// SIGTERM/SIGINT: stop taking work, finish what is in hand, commit the feeds' batches, exit.
import type { Command } from 'commander';
import { buildWorkerHealth, Metrics } from '../../api/worker-health.js';
import { watch } from '../../services/delivery/outbox.js';
import { ServiceError } from '../../services/errors.js';
import { feedLease, feedSettingsFromEnv, runnerTiming, type FeedSettings } from '../../services/feeds/settings.js';
import { feedSources, watchFeeds } from '../../services/feeds/watch.js';
import { partFamilies, queueFamilies } from '../../services/jobs/metrics.js';
import { LiveWorker } from '../../services/jobs/live-worker.js';
import { PartWorkers, workerSettingsFromEnv, type WorkerSettings } from '../../services/jobs/worker.js';
import { createLiveLookups } from '../../services/live/create.js';
import type { LiveLookups } from '../../services/live/live.js';
import { liveQueueSettingsFromEnv, liveSettingsFromEnv, SettingError, type LiveQueueSettings } from '../../services/live/settings.js';
import { compiledOrgs } from '../../services/org-matcher.js';
import type { FeedSource } from '../../feeds/types.js';
import { tightenHeap, WORKER_HEAP_GROWING_PERCENT } from '../heap.js';
import { untilSignal, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { dbUrl, openQueue, openStore, withDb, withQueue } from '../store-options.js';

interface WorkerFlags {
  db?: string;
  queue?: string;
  port?: string;
  host?: string;
  deliver?: boolean;
  watch?: string[];
}

export function registerWorker(program: Command, ctx: CommandContext): void {
  withQueue(
    withDb(
      program
        .command('worker')
        .description('take queued work (ingest parts, retro-hunt parts, live look-ups), deliver notifications and follow feeds, until SIGINT/SIGTERM')
        .option('--port <port>', 'serve /healthz, /readyz and /metrics on this port (WARREN_WORKER_PORT; default: none)')
        .option('--host <host>', 'address for --port (default 127.0.0.1)')
        .option('--no-deliver', 'do not run the delivery loop in this process (WARREN_DELIVER=0)')
        .option('--watch <sources...>', 'follow these feeds, one follower per feed across workers (ct:URL, ct-tiles:URL, certstream:…, domains:…)'),
    ),
  ).action(async (opts: WorkerFlags) => {
    const queue = openQueue(opts);
    if (!queue) throw new UsageError('warren worker takes its work from a queue: --queue redis://host:port or WARREN_QUEUE');
    const portText = opts.port ?? process.env.WARREN_WORKER_PORT;
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`port ${portText} (--port / WARREN_WORKER_PORT) is not 0-65535`);
    let settings: WorkerSettings;
    let lookups: LiveLookups;
    let liveQueue: LiveQueueSettings;
    let feedSettings: FeedSettings = {};
    let feeds: FeedSource[] = [];
    try {
      settings = workerSettingsFromEnv();
      const liveSettings = liveSettingsFromEnv();
      lookups = createLiveLookups(liveSettings);
      liveQueue = liveQueueSettingsFromEnv(process.env, liveSettings.timeoutMs);
      tightenHeap(process.env, WORKER_HEAP_GROWING_PERCENT);
      if (opts.watch !== undefined) {
        feedSettings = feedSettingsFromEnv();
        feeds = await feedSources({ sources: opts.watch, ...(feedSettings.timeoutMs !== undefined ? { timeoutMs: feedSettings.timeoutMs } : {}) });
      }
    } catch (e) {
      await queue.close();
      if (e instanceof SettingError || e instanceof RangeError || e instanceof ServiceError) throw new UsageError(e.message);
      throw e;
    }
    const store = await openStore(opts);
    // Every organisation's signatures compiled before the first part is taken (10,000 take
    // seconds): a part's time is then its own work, as it is for the API replicas.
    await compiledOrgs(store);
    const clock = { nowMs: () => Date.now() };
    const log = (line: string): void => void write(ctx.io.stderr, `${line}\n`);
    // A part's batches commit without waiting for the disk; the part's end, an ordinary commit,
    // makes them durable (services/jobs/work.ts). Two workers on two cores otherwise sat idle
    // in those waits (docs/PERFORMANCE.md, issue 17).
    const partStore = store.deferringCommits();
    const workers = new PartWorkers(
      store,
      queue,
      queue.url,
      settings,
      clock,
      (e) => {
        if (e.outcome === 'retry' || e.outcome === 'dead') log(`warren worker: ${e.kind} part ${e.job}#${e.part} ${e.outcome === 'dead' ? 'failed for good' : 'failed, will retry'}: ${e.error ?? ''}`);
      },
      partStore,
    );
    const live = new LiveWorker(store, lookups, queue.url, { concurrency: liveQueue.concurrency, lockMs: settings.lockMs });
    // Parts a restarted Redis lost are queued again before this worker waits for any.
    await workers.sweepNow().catch(() => 0);
    const stop = new AbortController();
    const metrics = new Metrics();
    metrics.collect(() => queueFamilies(store, queue, clock.nowMs()));
    metrics.collect(() => Promise.resolve(partFamilies(new Map([...workers.counts, ...live.counts]))));
    const deliver = opts.deliver ?? process.env.WARREN_DELIVER !== '0';
    const delivering = deliver
      ? watch(store, {
          signal: stop.signal,
          onPass: (c) => {
            for (const [outcome, n] of Object.entries({ sent: c.sent, failed: c.failed, dead: c.dead })) if (n > 0) metrics.count('warren_deliveries_total', 'deliveries by outcome', { outcome }, n);
          },
        }).catch((e: unknown) => log(`warren worker: delivery loop failed: ${(e as Error).message}`))
      : Promise.resolve();
    const following =
      feeds.length > 0
        ? watchFeeds(
            store,
            feeds,
            {
              signal: stop.signal,
              ...runnerTiming(feedSettings),
              onProgress: (p) => {
                if (p.state === 'error') log(`warren worker: feed ${p.feed} failed: ${p.error}`);
              },
              onReject: (feed, r) => log(`warren worker: feed ${feed} entry rejected at ${String(r.at)}: ${r.message}`),
            },
            feedLease(feedSettings),
          ).catch((e: unknown) => log(`warren worker: feeds failed: ${(e as Error).message}`))
        : Promise.resolve();
    const checks = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      try {
        await store.ping();
        out.store = 'ok';
      } catch (e) {
        out.store = (e as Error).message;
      }
      try {
        await queue.ping();
        out.queue = 'ok';
      } catch (e) {
        out.queue = (e as Error).message;
      }
      out.workers = workers.running && live.running ? 'ok' : 'stopped';
      return out;
    };
    const health = port !== undefined ? buildWorkerHealth({ checks, metrics }) : undefined;
    const address = health ? await health.listen({ port, host: opts.host ?? '127.0.0.1' }) : undefined;
    await write(ctx.io.stderr, `warren: worker on ${dbUrl(opts)} taking work from ${queue.url}${address ? `; health on ${address}` : ''}\n`);
    await untilSignal();
    stop.abort();
    await Promise.all([workers.close(), live.close()]);
    await delivering;
    await following;
    await health?.close();
    await queue.close();
    if (partStore !== store) await partStore.close();
    await store.close();
  });
}
