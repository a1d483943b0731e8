import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactValues } from './exact-values.js';
import { foldAscii } from './fold.js';

/** What get() must answer: every pair added under a literal equal to `value` (after folding). */
function reference(literals: readonly string[], value: string, fold: boolean): number[] | undefined {
  const same = (a: string): boolean => (fold ? foldAscii(a) === foldAscii(value) : a === value);
  const pairs = literals.flatMap((l, i) => (same(l) ? [i, i % 3] : []));
  return pairs.length > 0 ? pairs : undefined;
}

/** Case changes and the two non-ASCII members of ASCII letters' folding orbits (fold.ts). */
function variant(s: string, flips: readonly boolean[]): string {
  return Array.from(s, (c, i) => {
    if (!flips[i % flips.length]) return c;
    if (c === 'k') return '\u212a';
    if (c === 's') return '\u017f';
    return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  }).join('');
}

const text = fc.string({ unit: fc.constantFrom('a', 'k', 's', 'K', 'S', 'x', '@', '.', '1', 'é', '\u212a'), minLength: 0, maxLength: 12 });

describe('ExactValues', () => {
  // Sizes on both sides of the point where the bitmap starts filtering (2,048 keys).
  for (const size of [50, 5_000]) {
    for (const fold of [true, false]) {
      it(`answers exactly what a scan of its literals answers (${size} literals, ${fold ? 'folded' : 'case-sensitive'})`, () => {
        fc.assert(
          fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), fc.array(fc.tuple(fc.nat(), fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), text)), (seeds, queries) => {
            // Many literals from a few seeds: near neighbours that differ in one place.
            const literals = Array.from({ length: size }, (_, i) => `${seeds[i % seeds.length]!}${i % 7 === 0 ? '' : i.toString(36)}`);
            const set = new ExactValues(fold);
            literals.forEach((l, i) => set.add(l, i, i % 3));
            expect(set.size).toBe(new Set(literals.map((l) => (fold ? foldAscii(l) : l))).size);
            for (const [at, flips, other] of queries) {
              for (const value of [literals[at % size]!, variant(literals[at % size]!, flips), other, `${literals[at % size]!}${other}`]) {
                expect(set.get(value), JSON.stringify(value)).toEqual(reference(literals, value, fold));
              }
            }
          }),
          { numRuns: size > 1_000 ? 15 : 200 },
        );
      });
    }
  }

  it('answers nothing before anything is added', () => {
    expect(new ExactValues(true).get('')).toBeUndefined();
    expect(new ExactValues(false).get('a')).toBeUndefined();
  });
});
