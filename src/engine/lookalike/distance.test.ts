// The distance functions against the textbook definition: a fresh (n+1)×(m+1) array of arrays per
// pair. The fast versions share one table between calls of different sizes, so the sequences of
// pairs fast-check draws also check that no call reads what an earlier one left behind.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneEdit, osaDistance, osaDistanceCodes, osaEdits, osaUpToOne, type Edit } from './distance.js';

function textbook(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate the edits make of the brand (omit, replace, transpose index the brand; insert the result). */
function apply(brand: string, edits: readonly Edit[]): string {
  let out = '';
  let i = 0;
  const copyTo = (at: number): void => {
    while (i < at && i < brand.length) out += brand[i++];
  };
  for (const e of edits) {
    switch (e.op) {
      case 'insert':
        while (out.length < e.at && i < brand.length) out += brand[i++];
        out += e.ch;
        break;
      case 'omit':
        copyTo(e.at);
        i++;
        break;
      case 'replace':
        copyTo(e.at);
        expect(brand[i]).toBe(e.from);
        out += e.to;
        i++;
        break;
      case 'transpose':
        copyTo(e.at);
        out += brand[i + 1]! + brand[i]!;
        i += 2;
        break;
    }
  }
  return out + brand.slice(i);
}

// Short strings over a small alphabet, so that transpositions, repeats and near-equal pairs are common.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'l', '1'), maxLength: 14 });
const pairs = fc.array(fc.tuple(word, word), { minLength: 1, maxLength: 6 });

describe('optimal string alignment distance', () => {
  it('osaDistance, osaDistanceCodes and osaEdits agree with the textbook table (5,000 sequences of pairs)', () => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 3 }), (list, limit) => {
        for (const [a, b] of list) {
          const want = textbook(a, b);
          expect(osaDistance(a, b)).toBe(want);
          const codes = Uint16Array.from([...`xx${b}yy`].map((c) => c.charCodeAt(0)));
          // Within the limit exact; past it only "too far" is promised.
          const bounded = osaDistanceCodes(a, codes, 2, 2 + b.length, limit);
          if (want <= limit) expect(bounded).toBe(want);
          else expect(bounded).toBeGreaterThan(limit);
          const { distance, edits } = osaEdits(a, b);
          expect(distance).toBe(want);
          expect(edits).toHaveLength(want);
          expect(apply(a, edits)).toBe(b);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('a long pair after short ones, and short after long (the shared table grows and is reused)', () => {
    const long = 'paypal'.repeat(30);
    const other = `${long.slice(0, 90)}x${long.slice(91)}q`;
    expect(osaDistance('ab', 'ba')).toBe(1);
    expect(osaDistance(long, other)).toBe(textbook(long, other));
    expect(osaEdits(long, other).edits).toHaveLength(2);
    expect(osaEdits('paypal', 'pyapal').edits).toEqual([{ op: 'transpose', at: 1 }]);
    expect(osaEdits('', 'ab').edits).toEqual([
      { op: 'insert', at: 0, ch: 'a' },
      { op: 'insert', at: 1, ch: 'b' },
    ]);
    expect(osaEdits('ab', '').edits).toEqual([
      { op: 'omit', at: 0, ch: 'a' },
      { op: 'omit', at: 1, ch: 'b' },
    ]);
  });
});

describe('the distance-1 shortcuts', () => {
  // Small alphabets, so that repeated letters (where an edit could be placed in several ways) are common.
  const word = fc.array(fc.constantFrom('a', 'b', 'c', 'l', 'o'), { maxLength: 9 }).map((a) => a.join(''));
  const edited = fc.tuple(word, fc.nat(3), fc.nat(10), fc.constantFrom('a', 'b', 'c', 'l', 'o')).map(([w, op, at, ch]) => {
    const i = at % (w.length + 1);
    switch (op) {
      case 0:
        return [w, w.slice(0, i) + w.slice(i + 1)] as const;
      case 1:
        return [w, w.slice(0, i) + ch + w.slice(i)] as const;
      case 2:
        return [w, w.slice(0, i) + ch + w.slice(i + 1)] as const;
      default:
        return [w, i + 1 < w.length ? w.slice(0, i) + w[i + 1]! + w[i]! + w.slice(i + 2) : w] as const;
    }
  });
  const pair = fc.oneof(edited, fc.tuple(word, word));

  it('osaUpToOne is the distance, capped at 2, on any slice of a code array', () => {
    fc.assert(
      fc.property(pair, fc.nat(3), ([a, b], pad) => {
        const codes = [...`${'x'.repeat(pad)}${b}y`].map((c) => c.charCodeAt(0));
        expect(osaUpToOne(a, codes, pad, pad + b.length)).toBe(Math.min(textbook(a, b), 2));
      }),
      { numRuns: 20_000 },
    );
  });

  it('oneEdit is the edit osaEdits finds, wherever the distance is 1', () => {
    fc.assert(
      fc.property(pair, ([brand, candidate]) => {
        if (textbook(brand, candidate) !== 1) return;
        expect(oneEdit(brand, candidate)).toEqual(osaEdits(brand, candidate).edits[0]);
      }),
      { numRuns: 20_000 },
    );
  });
});
