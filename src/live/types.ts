// Live look-ups (../shared/spec/live.md): each source fetches what the internet says about one
// domain or IP and returns it as ingest records, which the one ingest pipeline stores and
// evaluates exactly as an ingested file's (services/live/). Fetchers never throw: every failure is
// an outcome with a status and a reason an analyst can read.
import type { GuardOptions } from '../net/guarded-http.js';
import type { IngestRecord } from '../ingest/records.js';
import type { ServerLimiter } from './limiter.js';

export const LIVE_SOURCES = ['rdap', 'whois', 'dns', 'tls', 'rdap-ip'] as const;
export type LiveSource = (typeof LIVE_SOURCES)[number];

/**
 * What one source did for one view. `cached`: not fetched, the stored observation is within the
 * TTL (set by the service, never by a fetcher).
 */
export type LiveStatus = 'ok' | 'refused' | 'failed' | 'cached';

export interface LiveOutcome {
  readonly source: LiveSource;
  readonly status: LiveStatus;
  /** For people: what was asked and what came back ("rdap.example: 404 no such domain"). Never a stack trace. */
  readonly detail?: string;
  readonly records: IngestRecord[];
}

/** What every fetcher is given. */
export interface LiveContext {
  readonly guard: GuardOptions;
  /** Per request. */
  readonly timeoutMs: number;
  /** The fetch time (ISO 8601 UTC, second precision): the records' seen / observed time. */
  readonly now: string;
  /** At most 2 requests in flight per upstream server; 429 / Retry-After honoured. */
  readonly limiter: ServerLimiter;
  readonly signal?: AbortSignal;
}
