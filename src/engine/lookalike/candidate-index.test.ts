// The candidate index's promise, tested on its own: every run within a brand's distance is
// proposed, whatever the brand's length (the near filter's keys grow with the run length, see
// HEAD_LEN) and wherever the edit falls. Explain.ts refutes extra proposals, so only misses matter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOOKALIKE_DEFAULTS } from '../../signatures/types.js';
import { CandidateIndex } from './candidate-index.js';
import { compileBrand } from './explain.js';
import { parseName } from './name.js';

// Few letters, so that brands share heads and tails and an edit often makes another brand's key.
const word = (min: number, max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'abcdeklmst'), { minLength: min, maxLength: max }).map((a) => a.join(''));

type Edit = readonly [op: number, at: number, ch: string];

/** One optimal-string-alignment edit of `text` (or none when it does not apply). */
function edit(text: string, [op, at, ch]: Edit): string {
  const i = at % (text.length + 1);
  switch (op % 4) {
    case 0:
      return i < text.length ? text.slice(0, i) + text.slice(i + 1) : text;
    case 1:
      return text.slice(0, i) + ch + text.slice(i);
    case 2:
      return i < text.length ? text.slice(0, i) + ch + text.slice(i + 1) : text;
    default:
      return i + 1 < text.length ? text.slice(0, i) + text[i + 1]! + text[i]! + text.slice(i + 2) : text;
  }
}

function proposed(index: CandidateIndex, value: string): Set<number> {
  const out = new Set<number>();
  index.collect(parseName(value), (id) => out.add(id));
  return out;
}

const editArb = fc.tuple(fc.nat(3), fc.oneof(fc.constantFrom(0, 1, 2, 3, 37, 38, 39, 40), fc.nat(40)), fc.constantFrom(...'abcdeklmstz'));

describe('CandidateIndex', () => {
  it('proposes every brand a run is within distance 1 (or 2) of, for brands of 5 to 40 letters', () => {
    fc.assert(
      fc.property(fc.array(word(5, 40), { minLength: 1, maxLength: 8 }), fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 2 }), fc.constantFrom(1, 2), fc.constantFrom('', 'x-', 'login.'), (brands, pick, edits, distance, before) => {
        const compiled = brands.map((b) => compileBrand(b, { ...LOOKALIKE_DEFAULTS, distance }));
        const index = new CandidateIndex(compiled);
        const target = pick % brands.length;
        const changed = edits.slice(0, distance).reduce(edit, brands[target]!);
        expect(proposed(index, `${before}${changed}.com`).has(target), `${brands[target]} → ${changed}`).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('proposes a brand that allows no edit only for itself, as a whole word', () => {
    const index = new CandidateIndex([compileBrand('abcdekl', { ...LOOKALIKE_DEFAULTS, distance: 0 }), compileBrand('ups', LOOKALIKE_DEFAULTS)]);
    expect(proposed(index, 'abcdekl.com')).toEqual(new Set([0]));
    expect(proposed(index, 'my-ups.com')).toEqual(new Set([1]));
    expect(proposed(index, 'abcdek.com').has(0)).toBe(false);
    expect(proposed(index, 'upss.com').has(1)).toBe(false);
  });
});
