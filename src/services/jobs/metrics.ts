// The queue as Prometheus families, read at scrape time: per queue (ingest, hunt, live) its depth
// (waiting, active, delayed), dead letters and the age of its oldest waiting part (from Redis; a
// look-up is the live queue's part); jobs by kind and status (from the store); and, in a worker,
// the parts it ran by outcome. The shape is the one api/metrics.ts collectors return.
import { jobCounts } from '../../store/jobs.js';
import type { Store } from '../../store/store.js';
import { QUEUE_NAMES, type WorkQueue } from './queue.js';

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: readonly { readonly labels: Record<string, string>; readonly value: number }[];
}

export async function queueFamilies(store: Store, queue: WorkQueue, nowMs: number): Promise<Family[]> {
  const depths = await Promise.all(QUEUE_NAMES.map(async (kind) => ({ kind, d: await queue.depth(kind, nowMs) })));
  const gauge = (name: string, help: string, pick: (d: (typeof depths)[number]['d']) => number): Family => ({
    name,
    help,
    type: 'gauge',
    samples: depths.map(({ kind, d }) => ({ labels: { queue: kind }, value: pick(d) })),
  });
  return [
    gauge('warren_queue_waiting', 'parts waiting to be taken, by queue', (d) => d.waiting),
    gauge('warren_queue_active', 'parts being run by a worker, by queue', (d) => d.active),
    gauge('warren_queue_delayed', 'parts waiting for a retry (back-off), by queue', (d) => d.delayed),
    gauge('warren_queue_dead_letters', 'parts that failed every attempt, by queue', (d) => d.failed),
    gauge('warren_queue_oldest_waiting_seconds', 'age of the oldest waiting part, by queue', (d) => d.oldestSeconds),
    { name: 'warren_jobs', help: 'jobs in the store by kind and status', type: 'gauge', samples: (await jobCounts(store.db)).map((c) => ({ labels: { kind: c.kind, status: c.status }, value: c.n })) },
  ];
}

/** A worker's own counters: parts run by queue and outcome (done, skipped, retry, dead; a look-up nobody waited for any more is skipped). */
export function partFamilies(counts: ReadonlyMap<string, number>): Family[] {
  return [
    {
      name: 'warren_queue_parts_total',
      help: 'parts this worker ran, by queue and outcome (retry and dead are failures)',
      type: 'counter',
      samples: [...counts].map(([key, value]) => {
        const [queue, outcome] = key.split('\t') as [string, string];
        return { labels: { queue, outcome }, value };
      }),
    },
  ];
}
