import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnchoredTrie } from './anchored-trie.js';
import { foldAscii } from './fold.js';

/** Every needle the folded text starts (or, reversed, ends) with, as `id:length`. */
function naive(needles: readonly string[], text: string, reverse: boolean): string[] {
  const folded = foldAscii(text);
  return needles.flatMap((n, id) => ((reverse ? folded.endsWith(n) : folded.startsWith(n)) ? [`${id}:${n.length}`] : [])).sort();
}

function walked(trie: AnchoredTrie, text: string): string[] {
  const out: string[] = [];
  trie.walk(text, (id, length) => out.push(`${id}:${length}`));
  return out.sort();
}

// Few letters: needles share paths, end inside one another (`com`, `.com`), and repeat.
const needle = fc.string({ unit: fc.constantFrom('a', 'c', 'k', 'm', 'o', '.'), minLength: 1, maxLength: 6 });
const text = fc.string({ unit: fc.constantFrom('a', 'c', 'k', 'm', 'o', '.', 'A', 'C', 'K', '\u212a', 'x'), maxLength: 10 });

describe('AnchoredTrie', () => {
  for (const reverse of [false, true]) {
    it(`reports exactly the needles the text ${reverse ? 'ends' : 'starts'} with, as a naive check does`, () => {
      fc.assert(
        fc.property(fc.array(needle, { minLength: 1, maxLength: 40 }), fc.array(text, { minLength: 1, maxLength: 10 }), fc.array(fc.tuple(fc.nat(), text)), (needles, texts, planted) => {
          const trie = new AnchoredTrie(needles, reverse);
          // Texts built on needles, in upper case too, besides the random ones.
          const built = planted.map(([i, t]) => {
            const n = needles[i % needles.length]!;
            const shown = i % 2 ? n.toUpperCase() : n;
            return reverse ? `${t}${shown}` : `${shown}${t}`;
          });
          for (const t of [...texts, ...built, ...needles]) expect(walked(trie, t), JSON.stringify(t)).toEqual(naive(needles, t, reverse));
        }),
        { numRuns: 2_000 },
      );
    });
  }
});
