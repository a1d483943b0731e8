// The naive reference loop the engine benchmarks compare against: what Yeti's match API,
// OpenCTI's tagger and phishing_catcher do — every signature's JS RegExp over every value of its field.
import { networkContains, parseNetwork } from '../fields/ip.js';
import type { Signature } from '../signatures/types.js';

type Tester = (v: string) => boolean;

function naiveTesters(s: Signature): { patterns: Tester[]; exclude: Tester[] } {
  const one = (p: string): Tester => {
    switch (s.match) {
      case 'regex': {
        const re = new RegExp(p, s.caseSensitive ? '' : 'i');
        return (v) => re.test(v);
      }
      case 'literal': {
        const lp = s.caseSensitive ? p : p.toLowerCase();
        return s.caseSensitive ? (v) => v === lp : (v) => v.toLowerCase() === lp;
      }
      case 'cidr': {
        const n = parseNetwork(p);
        return (v) => {
          const x = parseNetwork(v);
          return n.ok && x.ok && networkContains(n.network, x.network);
        };
      }
      case 'lookalike':
        // Nothing naive tools do corresponds: bench:lookalike has its own baselines.
        throw new Error('the naive loop does not time look-alike signatures');
    }
  };
  return { patterns: s.patterns.map(one), exclude: s.exclude.map(one) };
}

export interface NaiveRate {
  /** Records and field values (of fields some signature names) in the timed sample. */
  readonly records: number;
  readonly values: number;
  readonly hits: number;
  readonly valuesPerSec: number;
  readonly recordsPerSec: number;
}

/**
 * The naive loop timed on a prefix of `records` sized so that about `budget` pattern × value
 * tests run (a few seconds): at 10,000 signatures the whole set would take hours.
 */
export function naiveRate(sigs: readonly Signature[], records: readonly Map<string, string[]>[], budget: number): NaiveRate {
  const byField = new Map<string, { patterns: Tester[]; exclude: Tester[] }[]>();
  let patternCount = 0;
  for (const s of sigs) {
    const list = byField.get(s.field) ?? [];
    list.push(naiveTesters(s));
    byField.set(s.field, list);
    patternCount += s.patterns.length;
  }
  const sampleSize = Math.max(50, Math.min(records.length, Math.floor(budget / patternCount / 4)));
  const sample = records.slice(0, sampleSize);
  let hits = 0;
  let values = 0;
  const pass = (recs: readonly Map<string, string[]>[]): void => {
    for (const r of recs) {
      for (const [field, vals] of r) {
        const list = byField.get(field);
        if (!list) continue;
        values += vals.length;
        for (const v of vals) {
          for (const t of list) {
            if (t.patterns.some((p) => p(v)) && !t.exclude.some((p) => p(v))) hits++;
          }
        }
      }
    }
  };
  pass(sample.slice(0, Math.ceil(sampleSize / 10))); // JIT warm-up
  hits = 0;
  values = 0;
  const t0 = performance.now();
  pass(sample);
  const seconds = (performance.now() - t0) / 1000;
  return { records: sample.length, values, hits, valuesPerSec: values / seconds, recordsPerSec: sample.length / seconds };
}
