// `npm run bench:live`: the live look-up targets of issue 13, against RDAP (registry and
// registrar), DNS and TLS servers on 127.0.0.1 serving ICANN's real replies (live-internet.ts).
//  - cold: the first view of each of 200 new names, one after another, and for each the servers'
//    own latency on that view's critical path, timed just before with plain clients; the target
//    is on the difference (< 300 ms at p95);
//  - warm: the second view of the same names within the TTL, against the baseline of the same run:
//    each name viewed again right after with live look-ups off (< 5 ms added);
//  - concurrency: 100 views of 100 other new names at once, on fresh servers that answer late as
//    distant ones would (round trips of WARREN_BENCH_LIVE_RTT_MS, so that requests overlap) and on
//    fresh ones that do not; every server's peak in flight and the limiter's must stay ≤ 2.
// Everything goes through `lookup` (services/lookup.ts) with LiveLookups built from the
// environment-style settings, on a SQLite store with signatures on the registrant's email and the
// certificate's CN, so each cold view stores, evaluates and tags as a user's view does.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookup, refreshLive, type EntityView } from '../services/lookup.js';
import { createLiveLookups } from '../services/live/create.js';
import type { LiveLookups } from '../services/live/live.js';
import { liveSettingsFromEnv } from '../services/live/settings.js';
import { importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { Store } from '../store/store.js';
import { COMMON_NAME, criticalPath, NO_DELAY, REGISTRANT_EMAIL, roundTrips, startBenchInternet, TLD, type BenchInternet, type Delays } from './live-internet.js';

const COLD = Number(process.env.WARREN_BENCH_LIVE_NAMES ?? 200);
const CONCURRENT = Number(process.env.WARREN_BENCH_LIVE_CONCURRENT ?? 100);
/** The round trip the concurrency run's servers pretend to be away (live-internet.ts roundTrips). */
const RTT_MS = Number(process.env.WARREN_BENCH_LIVE_RTT_MS ?? 10);
const WARMUP = 5;
const ORG = 'bench';
const NOW = '2026-06-01T12:00:00Z';
const later = (minutes: number): string => new Date(Date.parse(NOW) + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const TAG = 'Malicious_Registrant';

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}.${TLD}`);

function lookups(net: BenchInternet): LiveLookups {
  return createLiveLookups(liveSettingsFromEnv(net.env));
}

/** Why a view is not what a cold (or warm) view of these servers must give; undefined when it is. */
function wrong(v: EntityView | undefined, status: string): string | undefined {
  if (!v) return 'no view';
  const got = Object.fromEntries(v.live.map((l) => [l.source, l.status]));
  const bad = ['rdap', 'dns', 'tls'].filter((s) => got[s] !== status);
  if (bad.length > 0) return `${v.id}: ${v.live.map((l) => `${l.source} ${l.status}${l.detail ? ` (${l.detail})` : ''}`).join('; ')}`;
  if (!v.tags.some((t) => t.name === TAG)) return `${v.id}: not tagged ${TAG}`;
  return undefined;
}

async function timedView(store: Store, name: string, live: LiveLookups, now: string, mode?: 'off'): Promise<{ ms: number; view: EntityView | undefined }> {
  const t = performance.now();
  const view = await lookup(store, name, { org: ORG, now, live: { lookups: live, ...(mode ? { mode } : {}) } });
  return { ms: performance.now() - t, view };
}

interface Concurrency {
  delays: Delays;
  /** The least time the requests take at 2 in flight per server, the busiest server's. */
  floorMs: number;
  wallMs: number;
  ok: number;
  problems: string[];
  registry: number;
  registrar: number;
  dns: number;
  /** Undefined: the server counts it only when it holds connections (a delay). */
  tls: number | undefined;
  limiter: number;
  dnsQueries: number;
}

function added(d: Delays): string {
  return d.rdapMs + d.dnsMs + d.tlsMs === 0 ? 'servers answer at once' : `servers answer late: RDAP +${d.rdapMs} ms, DNS +${d.dnsMs} ms, TLS +${d.tlsMs} ms`;
}

async function concurrent(store: Store, prefix: string, delays: Delays): Promise<Concurrency> {
  const batch = names(prefix, CONCURRENT);
  const net = await startBenchInternet(batch, delays);
  if (!net) throw new Error('the real replies are gone');
  try {
    const live = lookups(net);
    const t = performance.now();
    const views = await Promise.all(batch.map((n) => lookup(store, n, { org: ORG, now: NOW, live: { lookups: live } })));
    const wallMs = performance.now() - t;
    const problems = views.map((v) => wrong(v, 'ok')).filter((p): p is string => p !== undefined);
    const served = (n: number, ms: number): number => (n / 2) * ms;
    const floorMs = Math.max(
      served(net.registry.requests.filter((r) => r.kind === 'domain').length, delays.rdapMs),
      served(net.registrar.requests.length, delays.rdapMs),
      served(net.dns.queries.length, delays.dnsMs),
      served(net.tls.connections, delays.tlsMs),
    );
    return {
      delays,
      floorMs,
      wallMs,
      ok: views.length - problems.length,
      problems,
      registry: net.registry.inFlightPeak.domain,
      registrar: net.registrar.inFlightPeak.registrar,
      dns: net.dns.peak,
      tls: delays.tlsMs > 0 ? net.tls.peak : undefined,
      limiter: live.limiter.peak,
      dnsQueries: net.dns.queries.length,
    };
  } finally {
    await net.close();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'warren-bench-live-'));
  const warmup = names('warmup', WARMUP);
  const cold = names('cold', COLD);
  const net = await startBenchInternet([...warmup, ...cold]);
  if (!net) {
    log('the real RDAP replies (../shared/data/rdap/icann) are absent: nothing to serve, nothing measured');
    process.exitCode = 1;
    return;
  }
  const store = await Store.open(`sqlite:${join(dir, 'live.db')}`);
  try {
    await importSignatures(
      store,
      ORG,
      [
        makeSignature({ id: 'bad-registrant', field: 'whois.registrant.email', match: 'literal', patterns: [REGISTRANT_EMAIL], actions: [{ tag: TAG }] }),
        makeSignature({ id: 'known-bad-cert', field: 'x509.subject.common_name', match: 'literal', patterns: [COMMON_NAME], target: ['ip'], actions: [{ tag: 'KnownBadCert' }] }),
        makeSignature({ id: 'brand', field: 'domain', patterns: ['acmebrand'], actions: [{ alert: { severity: 'high' } }] }),
      ],
      { now: NOW },
    );
    const live = lookups(net);
    const problems: string[] = [];

    // The first view of the process fetches the bootstrap and runs cold code; reported apart.
    const first = await timedView(store, warmup[0]!, live, NOW);
    for (const n of warmup.slice(1)) await timedView(store, n, live, NOW);
    const firstProblem = wrong(first.view, 'ok');
    if (firstProblem) problems.push(firstProblem);
    log(`first view of the process: ${fmt(first.ms, 1)} ms`);

    const coldMs: number[] = [];
    const serverMs: number[] = [];
    const beyond: number[] = [];
    for (const n of cold) {
      const path = await criticalPath(net, n);
      const { ms, view } = await timedView(store, n, live, NOW);
      const p = wrong(view, 'ok');
      if (p) problems.push(p);
      coldMs.push(ms);
      serverMs.push(path);
      beyond.push(ms - path);
    }
    // The shared address and name servers gain a relation per name: a view that grew with them would show here.
    log(`cold: ${cold.length} views, p50 ${fmt(percentile(coldMs, 50), 1)} ms (first 50: ${fmt(percentile(coldMs.slice(0, 50), 50), 1)} ms, last 50: ${fmt(percentile(coldMs.slice(-50), 50), 1)} ms)`);

    // Requests the servers got for the cold names, to show that warm views asked none.
    const requestsAfterCold = net.registry.requests.length + net.registrar.requests.length + net.dns.queries.length + net.tls.connections;
    // Each name's warm view, then the same name with live look-ups off: drift in the machine's
    // load falls on both alike, and the off view reads what the warm view has just read. Then the
    // live part of a view alone (what a warm view adds, timed without a subtraction's noise).
    const warmMs: number[] = [];
    const offMs: number[] = [];
    const refreshMs: number[] = [];
    for (const n of cold) {
      const warm = await timedView(store, n, live, later(1));
      const p = wrong(warm.view, 'cached');
      if (p) problems.push(p);
      warmMs.push(warm.ms);
      const off = await timedView(store, n, live, later(2), 'off');
      if (!off.view?.tags.some((t) => t.name === TAG)) problems.push(`${n}: off view not tagged`);
      if ((off.view?.live.length ?? 0) > 0) problems.push(`${n}: off view reports live sources`);
      offMs.push(off.ms);
      const t = performance.now();
      const reports = await refreshLive(store, { kind: 'domain', id: n }, { org: ORG, now: later(3), live: { lookups: live } });
      refreshMs.push(performance.now() - t);
      if (!reports.every((r) => r.status === 'cached')) problems.push(`${n}: refresh within the TTL fetched`);
    }
    const warmRequests = net.registry.requests.length + net.registrar.requests.length + net.dns.queries.length + net.tls.connections - requestsAfterCold;
    log(`warm p50 ${fmt(percentile(warmMs, 50), 2)} ms, off p50 ${fmt(percentile(offMs, 50), 2)} ms`);

    const runs: Concurrency[] = [];
    for (const [i, delays] of [roundTrips(RTT_MS), NO_DELAY].entries()) {
      const r = await concurrent(store, `together${i}`, delays);
      problems.push(...r.problems);
      runs.push(r);
      log(`${CONCURRENT} views at once, ${added(delays)}: ${fmt(r.wallMs / 1000, 2)} s`);
    }
    const loadAfter = loadavg();

    const base = percentile(offMs, 50);
    const ratio = (ms: number): string => `${fmt(ms / base, 1)}×`;
    const row = (what: string, xs: readonly number[], vs: boolean, d = 1): string =>
      `| ${what} | ${fmt(xs.length)} | ${fmt(percentile(xs, 50), d)} | ${fmt(percentile(xs, 95), d)} | ${fmt(percentile(xs, 99), d)} | ${vs ? ratio(percentile(xs, 50)) : ''} |`;
    const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
    console.log(
      [
        `Live look-ups benchmark: node ${process.version}, SQLite, one process; servers on 127.0.0.1: RDAP registry + registrar (ICANN's replies renamed), DNS, TLS; load average ${load(loadBefore)} before, ${load(loadAfter)} after`,
        '',
        '| view (lookup with live look-ups) | views | p50 ms | p95 ms | p99 ms | p50 vs baseline |',
        '|---|---:|---:|---:|---:|---:|',
        row('baseline: the same stored names, live off', offMs, true, 2),
        row('cold: first view of a new name', coldMs, true),
        row("servers' own latency on a cold view's critical path (plain clients)", serverMs, false),
        row("cold minus the servers' latency, per view", beyond, true),
        row('warm: second view within the TTL', warmMs, true, 2),
        `| warm − baseline (difference of the percentiles) | | ${fmt(percentile(warmMs, 50) - base, 2)} | ${fmt(percentile(warmMs, 95) - percentile(offMs, 95), 2)} | ${fmt(percentile(warmMs, 99) - percentile(offMs, 99), 2)} | |`,
        row("the warm view's live part alone (refreshLive within the TTL)", refreshMs, false, 2),
        '',
        `First view of the process (fetches the RDAP bootstrap): ${fmt(first.ms, 1)} ms. Requests the servers got during the warm views: ${warmRequests}.`,
        '',
        `| ${CONCURRENT} views at once (Promise.all) of new names, fresh servers and LiveLookups | wall s | floor at 2 in flight (busiest server: requests ÷ 2 × delay) | DNS queries | peak in flight: RDAP registry | RDAP registrar | DNS | TLS | limiter | views ok and tagged |`,
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...runs.map(
          (r) =>
            `| ${added(r.delays)} | ${fmt(r.wallMs / 1000, 2)} | ${r.floorMs > 0 ? `${fmt(r.floorMs / 1000, 2)} s` : ''} | ${fmt(r.dnsQueries)} | ${r.registry} | ${r.registrar} | ${r.dns} | ${r.tls ?? 'n/a'} | ${r.limiter} | ${r.ok}/${CONCURRENT} |`,
        ),
      ].join('\n'),
    );

    const coldP95 = percentile(beyond, 95);
    const warmAdded = percentile(warmMs, 50) - base;
    const refreshP95 = percentile(refreshMs, 95);
    const peaks = runs.flatMap((r) => [r.registry, r.registrar, r.dns, r.tls ?? 0, r.limiter]);
    const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
    console.log(
      [
        '',
        '| target (issue 13) | measured | |',
        '|---|---|---|',
        `| cold view < 300 ms at p95 beyond the servers' own latency | ${fmt(coldP95, 1)} ms (p95 of view − critical path) | ${verdict(coldP95 < 300)} |`,
        `| warm view adds < 5 ms | p50 ${fmt(warmAdded, 2)} ms over live off (p95 ${fmt(percentile(warmMs, 95) - percentile(offMs, 95), 2)} ms); its live part alone p95 ${fmt(refreshP95, 2)} ms; ${warmRequests} requests | ${verdict(warmAdded < 5 && refreshP95 < 5 && warmRequests === 0)} |`,
        `| ${CONCURRENT} concurrent views, ≤ 2 requests in flight per upstream server | highest peak ${Math.max(...peaks)}; ${runs.map((r) => `${r.ok}/${CONCURRENT} ok`).join(', ')} | ${verdict(Math.max(...peaks) <= 2 && runs.every((r) => r.ok === CONCURRENT))} |`,
      ].join('\n'),
    );
    if (problems.length > 0) {
      console.log(`\n${problems.length} views were not what they must be (first 10):\n${problems.slice(0, 10).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await net.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
