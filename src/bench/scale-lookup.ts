// Issue 17's lookup target on the big store (scale-gen.ts): domain and IP lookups as the API does
// them (services/lookup.ts lookup(): relations, every field, the organisation's tags and
// classification), paced at 200 a second for 30 seconds with random existing keys and a few
// absent ones, p50/p95/p99/max. Baselines in the same run: the same lookups on a 1 % store (made
// by the generator when missing) and SELECT 1 round trips on the big store. Then EXPLAIN
// (ANALYZE, BUFFERS) of the resolution queries, to show the index use.
// npm run bench:scale   (WARREN_BENCH_PG as scale-gen; WARREN_BENCH_PG_SMALL, WARREN_BENCH_RATE,
// WARREN_BENCH_SECONDS)
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { isoSeconds } from '../services/clock.js';
import { lookup } from '../services/lookup.js';
import { Store } from '../store/store.js';
import { DEFAULT_SCALE_URL, ensureDatabase, generateScaleStore } from './scale-gen.js';

const BIG = process.env.WARREN_BENCH_PG ?? DEFAULT_SCALE_URL;
const SMALL = process.env.WARREN_BENCH_PG_SMALL ?? DEFAULT_SCALE_URL.replace(/warren_scale$/, 'warren_scale_small');
const RATE = Number(process.env.WARREN_BENCH_RATE ?? 200);
const SECONDS = Number(process.env.WARREN_BENCH_SECONDS ?? 30);
const WARM_SECONDS = 5;
const ORG = 'bench';
/** The most relations an ordinary key's lookup returns (the second pair of runs). */
const ORDINARY = 1000;

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

interface Key {
  readonly kind: 'domain' | 'ip' | 'absent';
  readonly text: string;
}

interface Run {
  readonly label: string;
  /** From the moment each request was due (so queueing behind a slow one counts), in ms. */
  readonly latencies: number[];
  readonly byKind: Map<string, number[]>;
  readonly behindMs: number;
  readonly seconds: number;
  /** When the requests slower than SLOW_MS were due (ms since the process started): stalls or spread? */
  readonly slowAt: number[];
}

const SLOW_MS = 100;
const BENCH_START = performance.now();

/**
 * Random existing keys from the store: a Bernoulli sample of domains and of IPs (every row
 * equally likely), shuffled, plus absent names and addresses (5 % each kind). Drawn before the
 * timed run, so the sampling's scans are not measured.
 */
async function sampleKeys(store: Store, n: number): Promise<Key[]> {
  const keys: Key[] = [];
  const sample = async (table: 'domains' | 'ips', column: string, rows: number): Promise<string[]> => {
    const total = Number((await store.db.selectFrom(table).select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const percent = Math.min(100, (100 * rows * 2) / Math.max(1, total));
    const r = await sql<{ k: string }>`select ${sql.ref(column)} as k from ${sql.table(table)} tablesample bernoulli (${sql.lit(percent)}) order by random() limit ${sql.lit(rows)}`.execute(store.db);
    return r.rows.map((x) => x.k);
  };
  const half = Math.round(n * 0.45);
  for (const k of await sample('domains', 'name', half)) keys.push({ kind: 'domain', text: k });
  for (const k of await sample('ips', 'address', half)) keys.push({ kind: 'ip', text: k });
  for (let i = 0; keys.length < n; i++) {
    keys.push(i % 2 === 0 ? { kind: 'absent', text: `absent-${i}-${Math.random().toString(36).slice(2, 8)}.example` } : { kind: 'absent', text: `203.0.113.${i % 250}` });
  }
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [keys[i], keys[j]] = [keys[j] as Key, keys[i] as Key];
  }
  return keys;
}

/** A lookup's size: how many relations it returned, in decades (the tail is the big ones). */
function relationBucket(n: number): string {
  return n <= 100 ? 'relations ≤ 100' : n <= 1000 ? 'relations 101–1,000' : n <= 10_000 ? 'relations 1,001–10,000' : 'relations > 10,000';
}

/**
 * How many relations the lookup of `key` returns, counted by the database (resolutions both ways;
 * served for an IP): to pick the keys of ordinary size.
 */
async function relationCount(store: Store, key: Key): Promise<number> {
  const r =
    key.kind === 'ip'
      ? await sql<{ n: string }>`select (select count(*) from resolutions where value = ${key.text}) + (select count(*) from served where ip = ${key.text}) as n`.execute(store.db)
      : await sql<{ n: string }>`select (select count(*) from resolutions where domain = ${key.text}) + (select count(*) from resolutions where value = ${key.text}) as n`.execute(store.db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The keys whose lookups return at most `max` relations (absent keys stay). */
async function ordinaryKeys(store: Store, keys: readonly Key[], max: number): Promise<Key[]> {
  const out: Key[] = [];
  for (const k of keys) if (k.kind === 'absent' || (await relationCount(store, k)) <= max) out.push(k);
  return out;
}

/**
 * Open loop: request i is due at start + i / rate whatever the others are doing, and its latency
 * counts from then (a slow answer delays none of the later starts, and a stall is not hidden).
 */
async function paced(label: string, seconds: number, keys: readonly Key[], one: (k: Key) => Promise<number | void>): Promise<Run> {
  const total = Math.round(seconds * RATE);
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  const slowAt: number[] = [];
  const start = performance.now();
  let behind = 0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else behind = Math.max(behind, -wait);
    const key = keys[i % keys.length] as Key;
    // A timer can fire up to a millisecond before its time (whole-millisecond timers, the event
    // loop's cached clock): a request sent early is timed from when it was sent, a late one from
    // when it was due.
    const from = Math.min(due, performance.now());
    inFlight.push(
      one(key).then((relations) => {
        const ms = performance.now() - from;
        latencies.push(ms);
        if (ms > SLOW_MS) slowAt.push(due);
        for (const group of [key.kind, ...(relations === undefined ? [] : [relationBucket(relations)])]) {
          const list = byKind.get(group) ?? [];
          list.push(ms);
          byKind.set(group, list);
        }
      }),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  for (const v of byKind.values()) v.sort((a, b) => a - b);
  return { label, latencies, byKind, behindMs: behind, seconds: (performance.now() - start) / 1000, slowAt };
}

const ms = (v: number): string => v.toFixed(1);

function row(run: Run, list: readonly number[] = run.latencies, what = run.label): string {
  return `| ${what} | ${list.length.toLocaleString('en')} | ${ms(percentile(list, 50))} | ${ms(percentile(list, 95))} | ${ms(percentile(list, 99))} | ${ms(list[list.length - 1] ?? 0)} |`;
}

/** Runs merged: the blocks of one store, alternating with the other's. */
function merge(label: string, runs: readonly Run[]): Run {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const byKind = new Map<string, number[]>();
  for (const r of runs) for (const [k, v] of r.byKind) byKind.set(k, [...(byKind.get(k) ?? []), ...v]);
  for (const v of byKind.values()) v.sort((a, b) => a - b);
  return { label, latencies, byKind, behindMs: Math.max(0, ...runs.map((r) => r.behindMs)), seconds: runs.reduce((t, r) => t + r.seconds, 0), slowAt: runs.flatMap((r) => r.slowAt) };
}

interface Subject {
  readonly label: string;
  readonly store: Store;
  readonly keys: Key[];
  readonly blocks: Run[];
  /** This process's CPU time (user + system) during the store's paced blocks, in ms. */
  cpuMs: number;
}

const BLOCK_SECONDS = 5;

/**
 * Both stores' lookups in alternating 5 s blocks (full, 1 %, full, …), each block paced at RATE,
 * so whatever else the machine is doing falls on both alike; each store warmed first on keys
 * the measured blocks do not use.
 */
async function alternating(subjects: readonly Subject[], now: string): Promise<void> {
  const perBlock = Math.round(RATE * BLOCK_SECONDS);
  for (const s of subjects) {
    await paced(`${s.label} warm-up`, WARM_SECONDS, s.keys.slice(-Math.round(RATE * WARM_SECONDS)), (k) => lookup(s.store, k.text, { org: ORG, now }).then((v) => v?.relations.length ?? 0));
  }
  for (let b = 0; b * BLOCK_SECONDS < SECONDS; b++) {
    for (const s of subjects) {
      const cpu = process.cpuUsage();
      s.blocks.push(await paced(s.label, BLOCK_SECONDS, s.keys.slice(b * perBlock, (b + 1) * perBlock), (k) => lookup(s.store, k.text, { org: ORG, now }).then((v) => v?.relations.length ?? 0)));
      const used = process.cpuUsage(cpu);
      s.cpuMs += (used.user + used.system) / 1000;
    }
  }
}

/** One lookup at a time (nothing queued behind another): the service time alone, in ms. */
async function serial(store: Store, keys: readonly Key[], now: string): Promise<number[]> {
  const out: number[] = [];
  for (const k of keys) {
    const t = performance.now();
    await lookup(store, k.text, { org: ORG, now });
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

async function explain(store: Store, what: string, column: 'domain' | 'value', key: string): Promise<void> {
  const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) select * from resolutions where ${sql.ref(column)} = ${key}`.execute(store.db);
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) ${what} (${key}):\n${r.rows.map((x) => `    ${x['QUERY PLAN']}`).join('\n')}`);
}

async function main(): Promise<void> {
  // The baseline store: the same generator at 1 %, made once and kept.
  await ensureDatabase(SMALL);
  const small = await Store.open(SMALL);
  const smallDomains = Number((await small.db.selectFrom('domains').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  await small.close();
  if (smallDomains === 0) {
    log(`generating the 1 % baseline store at ${SMALL}`);
    await generateScaleStore(SMALL, 0.01, log);
  }
  const big = await Store.open(BIG);
  const smallStore = await Store.open(SMALL);
  try {
    const stats = async (s: Store): Promise<string> => {
      const r = await sql<{ n: string }>`select sum(reltuples)::bigint::text as n from pg_class where relkind = 'r' and relname like 'resolutions\_p%'`.execute(s.db);
      return `~${Number(r.rows[0]?.n ?? 0).toLocaleString('en')} resolutions (planner estimate)`;
    };
    log(`big store ${BIG}: ${await stats(big)}; small ${SMALL}: ${await stats(smallStore)}`);
    const now = isoSeconds(new Date());
    const total = Math.round(RATE * (SECONDS + WARM_SECONDS));
    const bigKeys = await sampleKeys(big, total);
    const smallKeys = await sampleKeys(smallStore, total);
    // Ordinary keys: their lookups return at most 1,000 relations. The rest are the hot entities
    // (shared hosting addresses, the name servers and mail hosts of big providers), whose lookup
    // returns every relation they have.
    const bigOrdinary = await ordinaryKeys(big, await sampleKeys(big, Math.round(total * 1.02)), ORDINARY);
    const smallOrdinary = await ordinaryKeys(smallStore, await sampleKeys(smallStore, Math.round(total * 1.02)), ORDINARY);
    const subjects: Subject[] = [
      { label: 'lookup, full store', store: big, keys: bigKeys, blocks: [], cpuMs: 0 },
      { label: 'lookup, 1 % store', store: smallStore, keys: smallKeys, blocks: [], cpuMs: 0 },
      { label: `lookup, full store, keys with ≤ ${ORDINARY.toLocaleString('en')} relations`, store: big, keys: bigOrdinary, blocks: [], cpuMs: 0 },
      { label: `lookup, 1 % store, keys with ≤ ${ORDINARY.toLocaleString('en')} relations`, store: smallStore, keys: smallOrdinary, blocks: [], cpuMs: 0 },
    ];
    for (const s of subjects) {
      const found = await Promise.all(s.keys.slice(0, 100).map((k) => lookup(s.store, k.text).then((v) => (v?.relations.length ?? 0) > 0)));
      const absent = s.keys.slice(0, 100).filter((k) => k.kind === 'absent').length;
      log(`${s.label}: ${found.filter(Boolean).length} of 100 keys have relations (${absent} of them are absent keys)`);
    }
    const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
    const loadBefore = load();
    const ping = await paced('SELECT 1 round trip (full store)', BLOCK_SECONDS * 2, [{ kind: 'absent', text: '' }], () => big.ping());
    await alternating(subjects, now);
    const loadAfter = load();
    const serialRuns = [];
    for (const s of subjects) serialRuns.push({ label: `${s.label}, one at a time`, list: await serial(s.store, s.keys.slice(0, 500), now) });
    const runs = subjects.map((s) => merge(s.label, s.blocks));
    const [bigRun, smallRun, bigOrdinaryRun, smallOrdinaryRun] = runs as [Run, Run, Run, Run];
    console.log(`\nPaced at ${RATE} lookups/s (open loop; latency from each request's due time), ${SECONDS} s per store in alternating ${BLOCK_SECONDS} s blocks, after a ${WARM_SECONDS} s warm-up on other keys; ms:\n`);
    console.log('| run | lookups | p50 | p95 | p99 | max |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const run of runs) {
      console.log(row(run));
      for (const [kind, list] of [...run.byKind].sort()) console.log(row(run, list, `  … ${kind}`));
    }
    console.log(row(ping));
    for (const r of serialRuns) console.log(row({ label: r.label, latencies: r.list, byKind: new Map(), behindMs: 0, seconds: 0, slowAt: [] }));
    const p99 = percentile(bigRun.latencies, 99);
    console.log(`\nfull store p99 ${ms(p99)} ms (target < 20 ms at ${RATE}/s: ${p99 < 20 ? 'met' : 'NOT met'}); ratio to the 1 % store: p99 ${(p99 / percentile(smallRun.latencies, 99)).toFixed(2)}, p50 ${(percentile(bigRun.latencies, 50) / percentile(smallRun.latencies, 50)).toFixed(2)}; full store p50 / SELECT 1 p50 ${(percentile(bigRun.latencies, 50) / percentile(ping.latencies, 50)).toFixed(1)}`);
    for (const run of runs) {
      // Slow requests in a few whole seconds are a stall of everything (the machine, the server);
      // spread over many seconds, they are the lookups themselves.
      const seconds = [...new Set(run.slowAt.map((t) => Math.floor(t / 1000)))].sort((a, b) => a - b);
      console.log(`${run.label}: ${run.slowAt.length} requests over ${SLOW_MS} ms, due in ${seconds.length} distinct seconds${seconds.length > 0 ? ` (t = ${seconds.map((x) => x - Math.floor(BENCH_START / 1000)).join(', ')} s)` : ''}`);
    }
    for (const s of subjects) console.log(`${s.label}: this process used ${((100 * s.cpuMs) / (s.blocks.length * BLOCK_SECONDS * 1000)).toFixed(0)} % of a core while paced`);
    const q = percentile(bigOrdinaryRun.latencies, 99);
    console.log(`keys with ≤ ${ORDINARY.toLocaleString('en')} relations: full store p99 ${ms(q)} ms (${q < 20 ? 'met' : 'NOT met'}), ratio to the 1 % store p99 ${(q / percentile(smallOrdinaryRun.latencies, 99)).toFixed(2)}, p50 ${(percentile(bigOrdinaryRun.latencies, 50) / percentile(smallOrdinaryRun.latencies, 50)).toFixed(2)}`);
    console.log(`pacing: the sender fell behind its schedule by at most ${ms(Math.max(...runs.map((r) => r.behindMs)))} ms; load average before ${loadBefore}, after ${loadAfter} (${cpus().length} cores)`);
    const fresh = await sampleKeys(big, 20);
    const domain = fresh.find((k) => k.kind === 'domain')?.text ?? 'example.com';
    const ip = fresh.find((k) => k.kind === 'ip')?.text ?? '192.0.2.1';
    await explain(big, 'a domain\'s resolutions', 'domain', domain);
    await explain(big, 'the domains resolving to an IP', 'value', ip);
  } finally {
    await big.close();
    await smallStore.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
