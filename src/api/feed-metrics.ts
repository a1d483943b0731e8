// The feeds in /metrics, read from the store at each scrape: a server reports the feeds a
// separate `warren watch` follows as well as its own (--watch). The counters are the stored
// totals, so they survive restarts of either process.
import type { FeedStatus } from '../services/feeds/status.js';
import type { MetricFamily } from './metrics.js';

export function feedMetricFamilies(feeds: readonly FeedStatus[]): MetricFamily[] {
  const of = (value: (f: FeedStatus) => number | null): MetricFamily['samples'] =>
    feeds.flatMap((f) => {
      const v = value(f);
      return v === null ? [] : [{ labels: { feed: f.feed }, value: v }];
    });
  return [
    { name: 'warren_feed_entries_total', help: 'entries read from each feed', type: 'counter', samples: of((f) => f.entries) },
    { name: 'warren_feed_position', help: "each feed's next entry, when its position counts entries", type: 'gauge', samples: of((f) => f.index) },
    { name: 'warren_feed_lag', help: 'entries at the source not yet read (size − position), when known', type: 'gauge', samples: of((f) => f.lag) },
    { name: 'warren_feed_errors_total', help: 'failures of each feed (each retried)', type: 'counter', samples: of((f) => f.errors) },
  ];
}
