// Every `match: lookalike` signature on one field, compiled: a candidate index over all their
// brands, then explain.ts on each proposed brand, lowest (signature, pattern) first.
import type { Signature } from '../../signatures/types.js';
import { LOOKALIKE_DEFAULTS } from '../../signatures/types.js';
import type { ValueTester } from '../pattern-testers.js';
import type { Hit } from '../types.js';
import { CandidateIndex } from './candidate-index.js';
import { domainsExcludeTester } from './exclude.js';
import { compileBrand, matchBrand, registeredLabel, type CompiledBrand } from './explain.js';
import { FastName } from './fast-name.js';
import { parseName, type ParsedName } from './name.js';
import type { LookalikeWhy } from './why.js';

/** One signature's brands and excludes, for both matchers. */
export interface CompiledLookalike {
  readonly brands: readonly CompiledBrand[];
  readonly exclude: ValueTester | undefined;
}

export function compileLookalike(s: Signature): CompiledLookalike {
  const options = s.lookalike ?? LOOKALIKE_DEFAULTS;
  return { brands: s.patterns.map((p) => compileBrand(p, options)), exclude: s.exclude.length > 0 ? domainsExcludeTester(s.exclude) : undefined };
}

/** The registered label, computed once per name and only when a candidate needs it. */
export function lazyRegistered(name: ParsedName): () => number {
  let label: number | undefined;
  return () => (label ??= registeredLabel(name));
}

/** The naive meaning: every pattern of the signature, in order; for the reference matcher. */
export function findLookalike(c: CompiledLookalike, value: string): { pattern: number; why: LookalikeWhy } | undefined {
  if (c.exclude?.(value)) return undefined;
  const name = parseName(value);
  const registered = lazyRegistered(name);
  for (let pattern = 0; pattern < c.brands.length; pattern++) {
    const why = matchBrand(c.brands[pattern]!, name, registered);
    if (why) return { pattern, why };
  }
  return undefined;
}

export class LookalikeUnit {
  private readonly ids: readonly string[];
  private readonly compiled: readonly CompiledLookalike[];
  private readonly brandSig: Int32Array;
  private readonly brandPat: Int32Array;
  private readonly brands: CompiledBrand[] = [];
  private readonly index: CandidateIndex;
  private stamp = 0;
  private readonly brandStamp: Int32Array;
  private readonly found: Int32Array;
  private foundCount = 0;
  private readonly fast = new FastName();
  private readonly sink = (id: number): void => {
    if (this.brandStamp[id] === this.stamp) return;
    this.brandStamp[id] = this.stamp;
    this.found[this.foundCount++] = id;
  };
  readonly patterns: number;

  constructor(
    private readonly field: string,
    signatures: readonly Signature[],
  ) {
    this.ids = signatures.map((s) => s.id);
    this.compiled = signatures.map(compileLookalike);
    const sig: number[] = [];
    const pat: number[] = [];
    this.compiled.forEach((c, s) =>
      c.brands.forEach((b, p) => {
        this.brands.push(b);
        sig.push(s);
        pat.push(p);
      }),
    );
    this.brandSig = Int32Array.from(sig);
    this.brandPat = Int32Array.from(pat);
    this.patterns = this.brands.length;
    this.brandStamp = new Int32Array(this.brands.length);
    this.found = new Int32Array(this.brands.length);
    this.index = new CandidateIndex(this.brands);
  }

  /** Appends the value's hits to `out`, in signature order. */
  matchValue(value: string, out: Hit[]): void {
    if (++this.stamp === 0x7fffffff) {
      this.stamp = 1;
      this.brandStamp.fill(0);
    }
    this.foundCount = 0;
    const fast = this.fast;
    let name: ParsedName | undefined;
    const laidOut = fast.layout(value);
    if (laidOut) {
      this.index.collectRuns(fast.codes, fast.length, fast.starts, fast.ends, fast.count, this.sink);
      // As CandidateIndex.collect: plain forms too where rn or vv was merged, embedded brands in folds only.
      if (fast.merged) this.index.collectRuns(fast.plainCodes, fast.plainLength, fast.plainStarts, fast.plainEnds, fast.count, this.sink, false);
    } else this.index.collect((name = parseName(value)), this.sink);
    const n = this.foundCount;
    if (n === 0) return;
    // Brand ids run in (signature, pattern) order, so ascending ids give each signature's lowest pattern first.
    // Usually one or two: an insertion sort in place, without a subarray view.
    const found = this.found;
    for (let i = 1; i < n; i++) {
      const id = found[i]!;
      let j = i - 1;
      for (; j >= 0 && found[j]! > id; j--) found[j + 1] = found[j]!;
      found[j + 1] = id;
    }
    let registered: (() => number) | undefined;
    let done = -1;
    for (let f = 0; f < n; f++) {
      const id = found[f]!;
      const s = this.brandSig[id]!;
      if (s === done) continue;
      // A brand's own domains are the commonest candidates: excluded before they are explained.
      if (this.compiled[s]!.exclude?.(value)) {
        done = s;
        continue;
      }
      name ??= laidOut ? fast.parsed(value) : parseName(value);
      registered ??= lazyRegistered(name);
      const why = matchBrand(this.brands[id]!, name, registered);
      if (!why) continue;
      done = s;
      out.push({ signature: this.ids[s]!, field: this.field, value, pattern: this.brandPat[id]!, why });
    }
  }
}
