// Live look-ups (live.md): when a domain or IP is viewed and what the store holds about it is
// missing or older than the TTL, its sources are fetched, the records go through the one ingest
// pipeline (stored and evaluated exactly as an ingested file's), and each source's status is
// kept in the store (live_fetches) so every worker and replica answers "fetched lately?" alike.
import type { LiveContext, LiveOutcome, LiveSource, LiveStatus } from '../../live/types.js';
import { resolvedAddresses } from '../../live/dns.js';
import type { TlsTarget } from '../../live/tls.js';
import { ServerLimiter } from '../../live/limiter.js';
import type { IngestRecord } from '../../ingest/records.js';
import { liveFetches, recordLiveFetch, type LiveFetchRow } from '../../store/live-fetches.js';
import type { Store } from '../../store/store.js';
import type { EntityRef } from '../entity.js';
import { EVERY_ORG, type EvaluationScope } from '../ingest/evaluate-batch.js';
import { IngestPipeline } from '../ingest/pipeline.js';
import type { LiveMode, LiveSettings } from './settings.js';

/** The fetchers a LiveLookups runs (live/*.ts in production; tests may substitute). */
export interface LiveFetchers {
  /** RDAP where the bootstrap names a server for the TLD, else WHOIS on port 43. */
  registration(ctx: LiveContext, domain: string): Promise<LiveOutcome>;
  dns(ctx: LiveContext, domain: string): Promise<LiveOutcome>;
  tls(ctx: LiveContext, targets: readonly TlsTarget[]): Promise<LiveOutcome>;
  ipRegistration(ctx: LiveContext, ip: string): Promise<LiveOutcome>;
}

/** One source's part of a view: `"live": [{"source", "status", "at", "detail"}]` (live.md). */
export interface LiveReport {
  readonly source: LiveSource;
  readonly status: LiveStatus;
  readonly at: string;
  readonly detail?: string;
}

export interface RefreshOptions {
  readonly mode: LiveMode;
  /** The view's time: the fetch time of what is fetched now. */
  readonly now: string;
  /** Whose signatures meet what is fetched: the viewer's organisation (or every one, for the operator). */
  readonly scope?: EvaluationScope;
}

/** How long a failed or refused fetch keeps a view from asking the same source again. */
export const FAILURE_BACKOFF_MS = 5 * 60_000;
/** TLS grabs per view: the first addresses resolved (live.md). */
export const MAX_TLS_ADDRESSES = 4;

const REGISTRATION: readonly LiveSource[] = ['rdap', 'whois'];
const ORDER: readonly LiveSource[] = ['rdap', 'whois', 'rdap-ip', 'dns', 'tls'];

/**
 * What a view asks of live look-ups (services/lookup.ts, the routes): LiveLookups runs them in
 * this process; QueuedLiveLookups (services/jobs/live-jobs.ts) hands them to `warren worker`.
 */
export interface LiveRefresher {
  /** This process's settings: a view without a mode of its own uses `settings.mode`. */
  readonly settings: LiveSettings;
  refresh(store: Store, ref: EntityRef, opts: RefreshOptions): Promise<LiveReport[]>;
}

/** The sources a refresh of an entity asks, in groups: one group is one fetch (a domain's registration is RDAP or WHOIS). */
function sourceGroups(kind: 'domain' | 'ip'): readonly (readonly LiveSource[])[] {
  return kind === 'domain' ? [REGISTRATION, ['dns'], ['tls']] : [['rdap-ip'], ['tls']];
}

/** The newest row of these sources when it still stands in for a fetch under `mode`. */
function freshRow(rows: readonly LiveFetchRow[], sources: readonly LiveSource[], opts: RefreshOptions, settings: LiveSettings): LiveFetchRow | undefined {
  if (opts.mode === 'always') return undefined;
  const row = rows.filter((r) => sources.includes(r.source as LiveSource)).sort((a, b) => b.fetchedAt.localeCompare(a.fetchedAt))[0];
  if (!row) return undefined;
  const age = Date.parse(opts.now) - Date.parse(row.fetchedAt);
  const limit = row.status === 'ok' ? settings.ttlMs : Math.min(FAILURE_BACKOFF_MS, settings.ttlMs);
  return age >= 0 && age < limit ? row : undefined;
}

/** What a refresh would do, without doing it: the sources the store answers for (`cached`) and those it would fetch (`due`; `rdap` for a domain's registration). */
export interface LivePlan {
  readonly cached: readonly LiveReport[];
  readonly due: readonly LiveSource[];
}

export async function livePlan(store: Store, ref: EntityRef, opts: RefreshOptions, settings: LiveSettings): Promise<LivePlan> {
  if (opts.mode === 'off' || ref.kind === 'certificate') return { cached: [], due: [] };
  const rows = await liveFetches(store.db, ref.kind, ref.id);
  const cached: LiveReport[] = [];
  const due: LiveSource[] = [];
  for (const group of sourceGroups(ref.kind)) {
    const row = freshRow(rows, group, opts, settings);
    if (row) cached.push(cachedReport(row));
    else due.push(group[0]!);
  }
  return { cached: sortReports(cached), due };
}

/** Reports in the order every view lists them. */
export function sortReports(reports: readonly LiveReport[]): LiveReport[] {
  return [...reports].sort((a, b) => ORDER.indexOf(a.source) - ORDER.indexOf(b.source));
}

export class LiveLookups implements LiveRefresher {
  private readonly inFlight = new Map<string, Promise<LiveReport[]>>();

  constructor(
    readonly settings: LiveSettings,
    private readonly fetchers: LiveFetchers,
    readonly limiter: ServerLimiter = new ServerLimiter(),
  ) {}

  /**
   * Brings what the store knows of a domain or IP up to date under `mode`, and says what each
   * source did. Never throws for a source's failure: that is a report. Two views of one entity
   * at once in this process share one refresh.
   */
  refresh(store: Store, ref: EntityRef, opts: RefreshOptions): Promise<LiveReport[]> {
    if (opts.mode === 'off' || ref.kind === 'certificate') return Promise.resolve([]);
    const key = `${ref.kind}:${ref.id}:${opts.mode}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = this.run(store, ref, opts).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private context(now: string): LiveContext {
    return { guard: { allowPrivate: this.settings.allowPrivate }, timeoutMs: this.settings.timeoutMs, now, limiter: this.limiter };
  }

  private fresh(rows: readonly LiveFetchRow[], sources: readonly LiveSource[], opts: RefreshOptions): LiveFetchRow | undefined {
    return freshRow(rows, sources, opts, this.settings);
  }

  private async run(store: Store, ref: EntityRef, opts: RefreshOptions): Promise<LiveReport[]> {
    const rows = await liveFetches(store.db, ref.kind, ref.id);
    const ctx = this.context(opts.now);
    const cached: LiveReport[] = [];
    const fetched: LiveOutcome[] = [];
    const step = async (sources: readonly LiveSource[], fetch: () => Promise<LiveOutcome>): Promise<LiveOutcome | undefined> => {
      const row = this.fresh(rows, sources, opts);
      if (row) {
        cached.push(cachedReport(row));
        return undefined;
      }
      const outcome = await safely(sources[0]!, fetch);
      fetched.push(outcome);
      return outcome;
    };
    if (ref.kind === 'domain') {
      const domain = ref.id;
      const [, dns] = await Promise.all([step(REGISTRATION, () => this.fetchers.registration(ctx, domain)), step(['dns'], () => this.fetchers.dns(ctx, domain))]);
      const tlsRow = this.fresh(rows, ['tls'], opts);
      if (tlsRow) cached.push(cachedReport(tlsRow));
      else {
        const addresses = dns ? resolvedAddresses(dns) : await storedAddresses(store, domain);
        if (addresses.length === 0) {
          fetched.push({ source: 'tls', status: 'failed', detail: 'no address to connect to: the name resolved to none', records: [] });
        } else {
          const targets = addresses.slice(0, MAX_TLS_ADDRESSES).flatMap((ip) => this.settings.tlsPorts.map((port): TlsTarget => ({ ip, port, servername: domain })));
          fetched.push(await safely('tls', () => this.fetchers.tls(ctx, targets)));
        }
      }
    } else {
      const ip = ref.id;
      await Promise.all([
        step(['rdap-ip'], () => this.fetchers.ipRegistration(ctx, ip)),
        step(['tls'], () => this.fetchers.tls(ctx, this.settings.tlsPorts.map((port): TlsTarget => ({ ip, port })))),
      ]);
    }
    const records: IngestRecord[] = fetched.flatMap((o) => o.records);
    if (records.length > 0) {
      const pipeline = new IngestPipeline(store, { scope: opts.scope ?? EVERY_ORG, now: () => opts.now, onReject: () => undefined });
      await pipeline.ingestRecords(records);
    }
    // After the records: a crash in between only means the next view fetches again.
    for (const o of fetched) {
      await recordLiveFetch(store.db, ref.kind, ref.id, { source: o.source, status: o.status, detail: o.detail ?? null, fetchedAt: opts.now, records: o.records.length });
    }
    return sortReports([...cached, ...fetched.map((o): LiveReport => ({ source: o.source, status: o.status, at: opts.now, ...(o.detail !== undefined ? { detail: o.detail } : {}) }))]);
  }
}

function cachedReport(row: LiveFetchRow): LiveReport {
  const said = row.status === 'ok' ? `fetched ${row.records} record${row.records === 1 ? '' : 's'}` : `${row.status}${row.detail ? `: ${row.detail}` : ''}`;
  return { source: row.source as LiveSource, status: 'cached', at: row.fetchedAt, detail: `within its time to live; the fetch then ${said}` };
}

/** A fetcher must not throw; if one does, its source failed and the view goes on. */
async function safely(source: LiveSource, fetch: () => Promise<LiveOutcome>): Promise<LiveOutcome> {
  try {
    return await fetch();
  } catch (e) {
    return { source, status: 'failed', detail: `internal error: ${(e as Error).message}`, records: [] };
  }
}

/** The addresses the store last saw the name resolve to (when DNS was not fetched in this view). */
async function storedAddresses(store: Store, domain: string): Promise<string[]> {
  const rel = await store.domainRelations(domain);
  return rel
    .filter((r) => r.kind === 'resolves-to' && (r.rrtype === 'A' || r.rrtype === 'AAAA') && r.to === 'ip')
    .sort((a, b) => (b.last_seen ?? '').localeCompare(a.last_seen ?? ''))
    .map((r) => r.id)
    .filter((ip, i, all) => all.indexOf(ip) === i);
}
