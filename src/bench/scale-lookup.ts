// Issue 17's lookup target on the big store (scale-gen.ts): domain and IP lookups as the API does
// them (services/lookup.ts lookup(): relations, every field, the organisation's tags and
// classification), paced at 200 a second for 30 seconds with random existing keys and a few
// absent ones, p50/p95/p99/max. Baselines in the same run: the same lookups on a 1 % store (made
// by the generator when missing) and SELECT 1 round trips on the big store. Then EXPLAIN
// (ANALYZE, BUFFERS) of the resolution queries, to show the index use.
// npm run bench:scale   (WARREN_BENCH_PG as scale-gen; WARREN_BENCH_PG_SMALL, WARREN_BENCH_RATE,
// WARREN_BENCH_SECONDS)
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
}

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

/**
 * Open loop: request i is due at start + i / rate whatever the others are doing, and its latency
 * counts from then (a slow answer delays none of the later starts, and a stall is not hidden).
 */
async function paced(label: string, seconds: number, keys: readonly Key[], one: (k: Key) => Promise<unknown>): Promise<Run> {
  const total = Math.round(seconds * RATE);
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  const start = performance.now();
  let behind = 0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else behind = Math.max(behind, -wait);
    const key = keys[i % keys.length] as Key;
    inFlight.push(
      one(key).then(() => {
        const ms = performance.now() - due;
        latencies.push(ms);
        const list = byKind.get(key.kind) ?? [];
        list.push(ms);
        byKind.set(key.kind, list);
      }),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  for (const v of byKind.values()) v.sort((a, b) => a - b);
  return { label, latencies, byKind, behindMs: behind, seconds: (performance.now() - start) / 1000 };
}

const ms = (v: number): string => v.toFixed(1);

function row(run: Run, list: readonly number[] = run.latencies, what = run.label): string {
  return `| ${what} | ${list.length.toLocaleString('en')} | ${ms(percentile(list, 50))} | ${ms(percentile(list, 95))} | ${ms(percentile(list, 99))} | ${ms(list[list.length - 1] ?? 0)} |`;
}

async function lookups(store: Store, label: string): Promise<Run> {
  const keys = await sampleKeys(store, Math.round(RATE * (SECONDS + WARM_SECONDS)));
  const now = isoSeconds(new Date());
  const one = (k: Key): Promise<unknown> => lookup(store, k.text, { org: ORG, now });
  // The warm-up uses other keys than the measured run, so nothing measured is a repeat.
  await paced(`${label} warm-up`, WARM_SECONDS, keys.slice(Math.round(RATE * SECONDS)), one);
  const run = await paced(label, SECONDS, keys.slice(0, Math.round(RATE * SECONDS)), one);
  const found = await Promise.all(keys.slice(0, 50).map((k) => lookup(store, k.text).then((v) => (v?.relations.length ?? 0) > 0)));
  log(`${label}: ${found.filter(Boolean).length} of the first 50 keys have relations (absent ones should not)`);
  return run;
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
    const ping = await paced('SELECT 1 round trip (big store)', SECONDS / 3, [{ kind: 'absent', text: '' }], () => big.ping());
    const smallRun = await lookups(smallStore, 'lookup, 1 % store (500,000 resolutions)');
    const bigRun = await lookups(big, 'lookup, full store');
    console.log(`\nPaced at ${RATE} lookups/s (open loop; latency from each request's due time), after a ${WARM_SECONDS} s warm-up on other keys; ms:\n`);
    console.log('| run | lookups | p50 | p95 | p99 | max |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const run of [bigRun, smallRun]) {
      console.log(row(run));
      for (const [kind, list] of [...run.byKind].sort()) console.log(row(run, list, `  … ${kind}`));
    }
    console.log(row(ping));
    const p99 = percentile(bigRun.latencies, 99);
    console.log(`\nfull store p99 ${ms(p99)} ms (target < 20 ms: ${p99 < 20 ? 'met' : 'NOT met'}); ratio to the 1 % store's p99 ${(p99 / percentile(smallRun.latencies, 99)).toFixed(2)}, p50 ${(percentile(bigRun.latencies, 50) / percentile(smallRun.latencies, 50)).toFixed(2)}; to SELECT 1's p50 ${(percentile(bigRun.latencies, 50) / percentile(ping.latencies, 50)).toFixed(1)}`);
    console.log(`pacing: the sender fell behind its schedule by at most ${ms(Math.max(bigRun.behindMs, smallRun.behindMs))} ms`);
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
