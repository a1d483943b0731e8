// Property: the fast matcher returns exactly what the naive reference returns, on random
// signatures (regex, literal, cidr; case rules; excludes) and random multi-valued records.
import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import type { MatchKind, Signature } from '../signatures/types.js';
import { FastMatcher } from './fast-matcher.js';
import { ReferenceMatcher } from './reference.js';
import { directPatternArb, directValueArb, hitShapeArb, hitValueArb } from './test-support/direct-shapes.js';
import { sig } from './test-support/signature.js';

// A small alphabet so that random patterns and values actually meet; it includes the characters
// where case folding is subtle (K/k/KELVIN SIGN, s/S/LONG S, É/é) and the domain punctuation.
const CHARS = ['a', 'b', 'c', 'k', 'K', '\u212A', 's', 'S', '\u017F', 'é', 'É', '.', '-', '0', '1', '@', 'x'];
const charArb = fc.constantFrom(...CHARS);
const textArb = fc.array(charArb, { minLength: 0, maxLength: 8 }).map((a) => a.join(''));
// Values are built from short fragments as well as single characters, so that multi-character
// patterns meet them often enough to exercise every path.
const FRAGMENTS = ['ab', 'k.', 'sé', '.ab', 'a-b', 'KS', '01', 'x@a', 'login', 'paypal', 'Secure', '\u017Fecure'];
const valueArb = fc
  .array(fc.oneof(charArb, fc.constantFrom(...FRAGMENTS)), { minLength: 1, maxLength: 8 })
  .map((a) => a.join(''));

function escape(c: string): string {
  return /[.\-@]/.test(c) ? `\\${c}` : c;
}

const literalRegexArb = fc.array(charArb, { minLength: 1, maxLength: 5 }).map((a) => a.map(escape).join(''));

// Regex fragments, composed into patterns of every shape the matcher treats differently.
const atomArb: fc.Arbitrary<string> = fc.oneof(
  literalRegexArb,
  fc.constantFrom('[a-c]', '[^.]', '.', '\\d', '[kK]', '\\w', '[sé]'),
  fc.tuple(literalRegexArb, literalRegexArb).map(([a, b]) => `(${a}|${b})`),
  fc.tuple(literalRegexArb, fc.constantFrom('+', '*', '?', '{1,2}', '{2}')).map(([a, q]) => `(?:${a})${q}`),
  fc.tuple(charArb, fc.constantFrom('+', '*', '?', '{2,}')).map(([c, q]) => `${escape(c)}${q}`),
);

// The shapes decided without RE2: exact, prefix, suffix, substring, label-suffix.
const simpleShapeArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '^', '(^|\\.)', '(?:^|\\.)'),
    fc.array(fc.oneof(charArb, fc.constantFrom(...FRAGMENTS)), { minLength: 1, maxLength: 2 }),
    fc.constantFrom('', '$'),
  )
  .map(([head, parts, tail]) => head + [...parts.join('')].map(escape).join('') + tail);

const composedArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '^', '(^|\\.)', '(?i)'),
    fc.array(atomArb, { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', '', '$'),
  )
  .map(([head, atoms, tail]) => head + atoms.join('') + tail)
  .filter(compiles);

const regexArb: fc.Arbitrary<string> = fc.oneof(composedArb, simpleShapeArb);

const ipArb = fc.oneof(
  fc.tuple(fc.constantFrom(10, 192), fc.nat(3), fc.nat(3), fc.nat(255)).map((p) => p.join('.')),
  fc.tuple(fc.nat(3), fc.nat(3)).map(([a, b]) => `2001:db8:${a}::${b}`),
);
const cidrArb = fc.oneof(
  fc.tuple(fc.constantFrom(10, 192), fc.nat(3), fc.constantFrom(8, 16)).map(([a, b, len]) => (len === 8 ? `${a}.0.0.0/8` : `${a}.${b}.0.0/16`)),
  fc.tuple(fc.nat(3), fc.constantFrom(32, 48)).map(([a, len]) => (len === 32 ? '2001:db8::/32' : `2001:db8:${a}::/48`)),
  ipArb,
);

interface Gen {
  field: 'domain' | 'x509.alternative_names' | 'ip';
  match: MatchKind;
  caseSensitive: boolean;
  patterns: string[];
  exclude: string[];
}

const textSigArb: fc.Arbitrary<Gen> = fc.record({
  field: fc.constantFrom('domain' as const, 'x509.alternative_names' as const),
  match: fc.constantFrom('regex' as const, 'regex' as const, 'literal' as const),
  caseSensitive: fc.boolean(),
  patterns: fc.array(fc.oneof(regexArb, textArb), { minLength: 1, maxLength: 4 }),
  exclude: fc.array(fc.oneof(regexArb, textArb), { maxLength: 1 }),
}).map((g) => ({
  ...g,
  // A literal pattern is any text; a regex one must compile.
  patterns: g.match === 'regex' ? g.patterns.filter(compiles) : g.patterns.filter((p) => p.length > 0),
  exclude: g.match === 'regex' ? g.exclude.filter(compiles) : g.exclude.filter((p) => p.length > 0),
}))
  .filter((g) => g.patterns.length > 0);

const cidrSigArb: fc.Arbitrary<Gen> = fc.record({
  field: fc.constant('ip' as const),
  match: fc.constant('cidr' as const),
  caseSensitive: fc.boolean(),
  patterns: fc.array(cidrArb, { minLength: 1, maxLength: 3 }),
  exclude: fc.array(cidrArb, { maxLength: 1 }),
});

function compiles(p: string): boolean {
  try {
    new RE2(p, 'u');
    return true;
  } catch {
    return false;
  }
}

function toSignatures(gens: Gen[]): Signature[] {
  return gens.map((g, i) => sig({ id: `s${i}`, ...g }));
}

// The hit-heavy shapes (issue 16) and the shapes decided by direct checks, mixed with everything
// above, over values built from the same vocabulary: candidates are frequent, as in the benchmark.
const hitSigArb: fc.Arbitrary<Gen> = fc.record({
  field: fc.constantFrom('domain' as const, 'x509.alternative_names' as const),
  match: fc.constant('regex' as const),
  caseSensitive: fc.boolean(),
  patterns: fc.array(fc.oneof({ arbitrary: hitShapeArb, weight: 3 }, { arbitrary: directPatternArb, weight: 2 }, { arbitrary: regexArb, weight: 1 }), { minLength: 1, maxLength: 3 }),
  exclude: fc.array(fc.oneof(hitShapeArb, directPatternArb), { maxLength: 1 }),
});

const hitRecordArb = fc.record({
  domain: fc.array(fc.oneof(hitValueArb, directValueArb), { minLength: 0, maxLength: 1 }),
  'x509.alternative_names': fc.array(fc.oneof(hitValueArb, directValueArb, valueArb), { maxLength: 4 }), // repeats too: each keeps its place
  ip: fc.constant([] as string[]),
});

const recordArb = fc.record({
  domain: fc.array(valueArb, { minLength: 0, maxLength: 1 }),
  'x509.alternative_names': fc.array(valueArb, { maxLength: 4 }),
  ip: fc.array(ipArb, { maxLength: 1 }),
});

function toFieldValues(r: Record<string, string[]>): Map<string, string[]> {
  return new Map(Object.entries(r).filter(([, v]) => v.length > 0));
}

/** The property both matchers must share: the same hits for every record. */
function fastEqualsReference(gens: Gen[], records: Record<string, string[]>[]): void {
  const sigs = toSignatures(gens);
  const fast = new FastMatcher(sigs);
  const ref = new ReferenceMatcher(sigs);
  for (const r of records) {
    const fv = toFieldValues(r);
    expect(fast.match(fv)).toEqual(ref.match(fv));
  }
}

describe('FastMatcher equals ReferenceMatcher', () => {
  it('on random signatures and records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ arbitrary: textSigArb, weight: 4 }, { arbitrary: cidrSigArb, weight: 1 }), { minLength: 1, maxLength: 25 }),
        fc.array(recordArb, { minLength: 1, maxLength: 10 }),
        fastEqualsReference,
      ),
      { numRuns: 400 },
    );
  });

  it('with many signatures sharing literals (automaton, triggers and sets at scale)', () => {
    fc.assert(
      fc.property(
        fc.array(textSigArb, { minLength: 50, maxLength: 300 }),
        fc.array(recordArb, { minLength: 5, maxLength: 20 }),
        fastEqualsReference,
      ),
      { numRuns: 40 },
    );
  });
});

describe('FastMatcher equals ReferenceMatcher on hit-heavy shapes and direct checks', () => {
  it('on random signatures and records', () => {
    fc.assert(
      fc.property(fc.array(hitSigArb, { minLength: 1, maxLength: 30 }), fc.array(hitRecordArb, { minLength: 1, maxLength: 10 }), fastEqualsReference),
      { numRuns: 3000 },
    );
  });

  it('matchMany with values repeated across the batch (the per-batch memo)', () => {
    fc.assert(
      fc.property(
        fc.array(hitSigArb, { minLength: 1, maxLength: 30 }),
        fc.array(hitRecordArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        (gens, pool, picks) => {
          const sigs = toSignatures(gens);
          const fast = new FastMatcher(sigs);
          const ref = new ReferenceMatcher(sigs);
          // Records drawn from a small pool: the same values come back within one batch, and
          // again in the next batch.
          const fvs = picks.map((k) => toFieldValues(pool[k % pool.length]!));
          const expected = fvs.map((fv) => ref.match(fv));
          expect(fast.matchMany(fvs)).toEqual(expected);
          expect(fast.matchMany(fvs.slice().reverse())).toEqual(expected.slice().reverse());
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('FastMatcher on signatures that repeat one another\'s patterns', () => {
  // Large sets repeat regexes (copies between teams, packs), and the fast matcher confirms a
  // repeated regex once for all its signatures: each must still get its own hit and lowest pattern.
  const poolSigArb = fc
    .tuple(
      fc.array(fc.oneof(hitShapeArb, hitShapeArb, directPatternArb), { minLength: 1, maxLength: 4 }),
      fc.array(fc.record({ picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), caseSensitive: fc.boolean() }), { minLength: 1, maxLength: 12 }),
    )
    .map(([pool, sigs]) =>
      sigs.map(({ picks, caseSensitive }): Gen => ({ field: 'x509.alternative_names', match: 'regex', caseSensitive, patterns: picks.map((k) => pool[k % pool.length]!), exclude: [] })),
    );

  it('gives each signature its hit and its lowest matching pattern', () => {
    fc.assert(fc.property(poolSigArb, fc.array(hitRecordArb, { minLength: 1, maxLength: 10 }), fastEqualsReference), { numRuns: 2000 });
  });

  it('confirms a shared regex for the others when its first signature is already decided', () => {
    // `a` is decided by its literal (pattern 0) before candidates are confirmed: `b` must not be skipped with it.
    const sigs = toSignatures([
      { field: 'domain', match: 'regex', caseSensitive: false, patterns: ['kw', 'kw[0-9]{2,4}\\.'], exclude: [] },
      { field: 'domain', match: 'regex', caseSensitive: false, patterns: ['kw[0-9]{2,4}\\.'], exclude: [] },
    ]);
    const hits = new FastMatcher(sigs).match(new Map([['domain', ['kw12.example']]]));
    expect(hits.map((h) => [h.signature, h.pattern])).toEqual([
      ['s0', 0],
      ['s1', 0],
    ]);
  });
});

describe('FastMatcher after its per-value stamp wraps', () => {
  it('forgets every mark of the values before', () => {
    fc.assert(
      fc.property(fc.array(hitSigArb, { minLength: 1, maxLength: 30 }), fc.array(hitRecordArb, { minLength: 1, maxLength: 10 }), (gens, records) => {
        const sigs = toSignatures(gens);
        const fast = new FastMatcher(sigs);
        const ref = new ReferenceMatcher(sigs);
        const expected = records.map((r) => ref.match(toFieldValues(r)));
        // The first values leave marks stamped 1, 2, …: the stamps the wrap starts again from.
        expect(records.map((r) => fast.match(toFieldValues(r)))).toEqual(expected);
        // The stamps are private: set them one short of the wrap (0x7fffffff), so that the values
        // come again with the stamps they had, and any mark the wrap does not clear is taken as theirs.
        const units = (fast as unknown as { units: Map<string, { stamp: number }> }).units;
        for (const unit of units.values()) unit.stamp = 0x7fffffff - 1;
        expect(records.map((r) => fast.match(toFieldValues(r)))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('FastMatcher.matchMany', () => {
  it('equals match on each record, in the canonical order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ arbitrary: textSigArb, weight: 4 }, { arbitrary: cidrSigArb, weight: 1 }), { minLength: 1, maxLength: 25 }),
        fc.array(recordArb, { minLength: 1, maxLength: 30 }),
        (gens, records) => {
          const sigs = toSignatures(gens);
          const fast = new FastMatcher(sigs);
          const ref = new ReferenceMatcher(sigs);
          // Shuffle field order per record, so the canonical order is not the matcher's order.
          const fvs = records.map((r, i) => {
            const entries = [...toFieldValues(r)];
            return new Map(i % 2 === 0 ? entries : entries.reverse());
          });
          expect(fast.matchMany(fvs)).toEqual(fvs.map((fv) => ref.match(fv)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
