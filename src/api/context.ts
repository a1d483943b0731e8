// What buildServer (server.ts) hands every route: the store, the clock, the metrics and the
// server's settings. A module of its own so that routes never import the server that registers
// them (no import cycle: server.ts → routes/* → context.ts).
import type { GuardOptions } from '../net/guarded-http.js';
import type { LiveRefresher } from '../services/live/live.js';
import type { Clock } from '../services/clock.js';
import type { WorkQueue } from '../services/jobs/queue.js';
import type { HuntDispatcher } from '../services/org-signatures.js';
import type { Store } from '../store/store.js';
import type { Metrics } from './metrics.js';

export interface AppContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly secureCookies: boolean;
  readonly outboundGuard: GuardOptions;
  /** Live look-ups: in this process, or with a queue handed to the workers (services/jobs/live-jobs.ts). */
  readonly live: LiveRefresher;
  /**
   * The work queue, when the server runs with one (`--queue`): uploads become jobs that workers
   * ingest in parts, and signature changes' retro-hunts become jobs (docs/DEPLOY.md).
   */
  readonly jobs?: { readonly queue: WorkQueue; readonly hunts: HuntDispatcher; readonly partBytes: number };
}
