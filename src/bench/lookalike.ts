// `npm run bench:lookalike` (issue 19): look-alike matching speed and quality.
//  1. Throughput of 1,000 look-alike signatures (one brand each: the OpenDNS top list's first
//     1,000 registered labels, their own domains excluded) over benign and look-alike domains,
//     against the engine's literal throughput (1,000 `match: literal` signatures on the brands'
//     domains) and keyword regexes (1,000 `brand` substring signatures, the seed's approach),
//     measured in the same run on the same values, one core (the matcher is single-threaded).
//  2. Recall and false positives on the labelled set of lookalike-data.ts, per family.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FastMatcher } from '../engine/fast-matcher.js';
import { describeWhy } from '../engine/lookalike/why.js';
import { makeSignature } from '../signatures/make.js';
import { LOOKALIKE_DEFAULTS, type Signature } from '../signatures/types.js';
import { DOMAINS_DIR, labelledSet, phishedBrands, phishingKeywords, topBrands, type Brand, type LabelledSet } from './lookalike-data.js';

const VALUES = Number(process.env.WARREN_BENCH_VALUES ?? 400_000);
const BATCH = 1_000;

function lookalikeSignatures(brands: readonly Brand[], distance = LOOKALIKE_DEFAULTS.distance, keywords?: readonly string[]): Signature[] {
  const lookalike = { ...LOOKALIKE_DEFAULTS, distance, ...(keywords ? { keywords } : {}) };
  return brands.map((b, i) => makeSignature({ id: `brand-${i}`, field: 'domain', match: 'lookalike', patterns: [b.label], exclude: [...b.own], lookalike, actions: [{ tag: 'LookAlike' }] }));
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * Values per CPU second (user + system time of this process) of each signature set: one warm-up
 * pass each, then ROUNDS rounds of one pass of every set, in an order that rotates, and each
 * set's median. CPU time, not wall time, because the machine is shared; interleaved, because a
 * VM's speed drifts by 30% within minutes, and sets measured one after the other would carry that
 * drift into their ratio.
 */
const ROUNDS = 5;

interface Rate {
  perSec: number;
  hits: number;
  compileMs: number;
}

function rates(sets: readonly (readonly Signature[])[], batches: readonly Map<string, string[]>[][], values: number): Rate[] {
  const matchers = sets.map((sigs) => {
    const t0 = performance.now();
    const m = new FastMatcher(sigs);
    return { m, compileMs: performance.now() - t0 };
  });
  const pass = (m: FastMatcher): number => {
    let n = 0;
    for (const b of batches) for (const h of m.matchMany(b)) n += h.length;
    return n;
  };
  const hits = matchers.map(({ m }) => pass(m));
  const times: number[][] = matchers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < matchers.length; k++) {
      const i = (k + round) % matchers.length;
      const t = process.cpuUsage();
      pass(matchers[i]!.m);
      const used = process.cpuUsage(t);
      times[i]!.push((used.user + used.system) / 1000);
    }
  }
  return matchers.map(({ compileMs }, i) => {
    const ms = times[i]!.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
    return { perSec: values / (ms / 1000), hits: hits[i]!, compileMs };
  });
}

function throughput(set: LabelledSet, lookalikeEvery: number): void {
  const brands = topBrands(1_000);
  // Benign names with a look-alike after every `lookalikeEvery`-th, repeated to VALUES.
  const pool: string[] = [];
  const pos = set.positives;
  for (let i = 0; i < set.negatives.length; i++) {
    pool.push(set.negatives[i]!);
    if (i % lookalikeEvery === 0) pool.push(pos[(i * 7919) % pos.length]!.domain);
  }
  const values: string[] = [];
  for (let i = 0; values.length < VALUES; i++) values.push(pool[i % pool.length]!);
  const records = values.map((v) => new Map([['domain', [v]]]));
  const batches: Map<string, string[]>[][] = [];
  for (let i = 0; i < records.length; i += BATCH) batches.push(records.slice(i, i + BATCH));
  const lookalike = lookalikeSignatures(brands);
  const literal = brands.map((b, i) => makeSignature({ id: `lit-${i}`, field: 'domain', match: 'literal', patterns: [`${b.label}.${b.tld}`], actions: [{ tag: 'T' }] }));
  const keyword = brands.map((b, i) => makeSignature({ id: `kw-${i}`, field: 'domain', patterns: [b.label.replace(/[-.]/g, '\\$&')], exclude: b.own.map((d) => `(^|\\.)${d.replace(/\./g, '\\.')}$`), actions: [{ tag: 'T' }] }));
  console.log(`\n## Throughput: 1,000 signatures on field domain, ${fmt(values.length)} values (${fmt(pool.length)} distinct: ${fmt(set.negatives.length)} benign, the rest look-alikes), batches of ${BATCH}`);
  const [lit, kw, la, la2] = rates([literal, keyword, lookalike, lookalikeSignatures(brands, 2)], batches, values.length) as [Rate, Rate, Rate, Rate];
  console.log('| signatures | values per CPU second | hits | compile ms | vs literal |');
  console.log('|---|---:|---:|---:|---:|');
  const row = (name: string, r: Rate): void =>
    console.log(`| ${name} | ${fmt(r.perSec)} | ${fmt(r.hits)} | ${fmt(r.compileMs)} | ${fmt(r.perSec / lit.perSec, 2)}× |`);
  row('1,000 `match: literal` (brand.tld)', lit);
  row('1,000 keyword regexes (`brand`)', kw);
  row('1,000 `match: lookalike`, distance 1', la);
  row('1,000 `match: lookalike`, distance 2', la2);
  console.log(`\nlook-alike cost: ${fmt(lit.perSec / la.perSec, 2)}× the literal time per value at distance 1 (target ≤ 2×), ${fmt(lit.perSec / la2.perSec, 2)}× at distance 2`);
}

function quality(set: LabelledSet, distance: number, what: string, keywords?: readonly string[]): void {
  const sigs = lookalikeSignatures(set.brands, distance, keywords);
  const m = new FastMatcher(sigs);
  const byFamily = new Map<string, { n: number; hit: number; right: number; within: number; withinHit: number }>();
  for (const p of set.positives) {
    const hits = m.match(new Map([['domain', [p.domain]]]));
    const f = byFamily.get(p.family) ?? { n: 0, hit: 0, right: 0, within: 0, withinHit: 0 };
    f.n++;
    if (hits.length > 0) f.hit++;
    if (hits.some((h) => h.why?.brand === p.brand)) f.right++;
    if (p.distance <= distance) {
      f.within++;
      if (hits.length > 0) f.withinHit++;
    }
    byFamily.set(p.family, f);
  }
  const flagged: string[] = [];
  const flaggedBy = new Map<string, number>();
  for (const d of set.negatives) {
    const hits = m.match(new Map([['domain', [d]]]));
    if (hits.length === 0) continue;
    const why = hits[0]!.why!;
    flagged.push(describeWhy(why, d));
    // The family that makes it a look-alike: an edit if any, else how the brand was placed.
    const key = why.families.filter((f) => f !== 'keyword-added' && f !== 'hyphenation').join(' + ') || why.families.join(' + ');
    flaggedBy.set(key, (flaggedBy.get(key) ?? 0) + 1);
  }
  const total = [...byFamily.values()].reduce((a, f) => ({ n: a.n + f.n, hit: a.hit + f.hit, right: a.right + f.right, within: a.within + f.within, withinHit: a.withinHit + f.withinHit }), { n: 0, hit: 0, right: 0, within: 0, withinHit: 0 });
  const pct = (a: number, b: number): string => (b === 0 ? '–' : `${fmt((100 * a) / b, 1)}%`);
  const listed = keywords ? `; keywords: dnstwist's english.dict (${keywords.length} words, the same the dictionary positives are made from)` : '';
  console.log(`\n## Quality at distance ${distance}: ${set.brands.length} ${what} (one signature each, own domains excluded${listed})`);
  console.log('| dnstwist family | positives | recall | named the right brand | within distance by construction | recall there |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [family, f] of [...byFamily].sort()) console.log(`| ${family} | ${fmt(f.n)} | ${pct(f.hit, f.n)} | ${pct(f.right, f.n)} | ${fmt(f.within)} | ${pct(f.withinHit, f.within)} |`);
  console.log(`| **all** | ${fmt(total.n)} | ${pct(total.hit, total.n)} | ${pct(total.right, total.n)} | ${fmt(total.within)} | ${pct(total.withinHit, total.within)} |`);
  console.log(`\nfalse positives: ${fmt(flagged.length)} of ${fmt(set.negatives.length)} popular/random domains flagged (${pct(flagged.length, set.negatives.length)}); left out as real listed sites: ${fmt(set.realSites)} permutations`);
  console.log(`by family: ${[...flaggedBy].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${fmt(n)}`).join(', ')}`);
  for (const f of flagged.slice(0, 25)) console.log(`  - ${f}`);
  if (flagged.length > 25) console.log(`  - … ${fmt(flagged.length - 25)} more`);
}

function main(): void {
  if (!existsSync(join(DOMAINS_DIR, 'opendns-top-domains.txt'))) {
    console.log(`bench:lookalike needs ${DOMAINS_DIR} (../shared/data/domains); set WARREN_DOMAINS_DATA`);
    return;
  }
  console.log(`# bench:lookalike — node ${process.version}, load: ${execSync('uptime').toString().trim()}`);
  const brands = Number(process.env.WARREN_BENCH_BRANDS ?? 100);
  const set = labelledSet(topBrands(brands));
  console.log(`labelled set: ${fmt(set.brands.length)} brands, ${fmt(set.positives.length)} generated look-alikes, ${fmt(set.negatives.length)} benign domains`);
  throughput(set, 100);
  throughput(set, 4);
  quality(set, 1, 'top-list brands');
  quality(set, 2, 'top-list brands');
  const phished = labelledSet(phishedBrands());
  console.log(`\nphished brands found in the top list: ${phished.brands.map((b) => b.label).join(', ')}`);
  quality(phished, 1, 'often-phished brands');
  quality(phished, 2, 'often-phished brands');
  // What a brand team gets by naming the words phishers add (phishing_catcher's and dnstwist's way).
  const keywords = phishingKeywords();
  quality(set, 1, 'top-list brands', keywords);
  quality(phished, 1, 'often-phished brands', keywords);
  console.log(`\nload after: ${execSync('uptime').toString().trim()}`);
}

main();
