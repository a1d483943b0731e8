import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldAscii } from './fold.js';
import { Q, QGramIndex } from './qgram-index.js';

/** Every (needle, end) where a needle occurs in the folded text: what scan must report. */
function naive(needles: readonly string[], text: string): string[] {
  const folded = foldAscii(text);
  const out: string[] = [];
  for (let start = 0; start < folded.length; start++) {
    needles.forEach((n, id) => {
      if (folded.startsWith(n, start)) out.push(`${id}@${start + n.length}`);
    });
  }
  return out.sort();
}

function scanned(index: QGramIndex, text: string): string[] {
  const out: string[] = [];
  index.scan(text, () => foldAscii(text), (id, end) => out.push(`${id}@${end}`));
  return out.sort();
}

// A small alphabet crowds many needles onto few prefixes, as keyword-like signatures do.
const unit = fc.constantFrom('a', 'b', 'k', 's', '-');
const needle = fc.string({ unit, minLength: Q, maxLength: Q + 3 });
/** Text with the folding orbits' other members (upper case, KELVIN SIGN, LONG S) and others. */
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'k', 's', '-', 'A', 'B', 'K', 'S', '\u212a', '\u017f', 'x', 'é'), maxLength: 24 });

describe('QGramIndex', () => {
  it('reports exactly the occurrences a naive scan finds: crowded prefixes, needles ending at the text end', () => {
    fc.assert(
      fc.property(fc.uniqueArray(needle, { minLength: 1, maxLength: 60 }), fc.array(text, { minLength: 1, maxLength: 10 }), fc.array(fc.tuple(fc.nat(), fc.nat(), text)), (needles, texts, planted) => {
        const index = new QGramIndex(needles);
        // Texts that hold needles, at their ends and inside, besides the random ones.
        const all = [...texts, ...planted.map(([i, at, t]) => `${t.slice(0, at % (t.length + 1))}${needles[i % needles.length]!.toUpperCase()}${t.slice(at % (t.length + 1))}`)];
        for (const t of all) expect(scanned(index, t), JSON.stringify(t)).toEqual(naive(needles, t));
      }),
      { numRuns: 2_000 },
    );
  });

  it('finds needles among thousands that share their first three characters', () => {
    // Enough needles that the bitmap's two bits and the table are both exercised at scale.
    const needles = Array.from({ length: 20_000 }, (_, i) => `abc${i.toString(36).padStart(2, 'a')}`);
    const index = new QGramIndex(needles);
    for (const id of [0, 1, 999, 12_345, needles.length - 1]) {
      const t = `x${needles[id]!}`;
      expect(scanned(index, t)).toEqual(naive(needles, t));
      expect(scanned(index, t)).toContain(`${id}@${t.length}`);
    }
  });
});
