// Pieces (for scanning on threads) must give exactly the lines readLineBatches gives: same
// numbers, texts and too-long marks, whatever the chunking, line ends, characters and lengths.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLineBatches, type Line } from './lines.js';
import { linesOf, readPieces, type Piece } from './pieces.js';

async function viaBatches(chunks: Buffer[], max: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const batch of readLineBatches(Readable.from(chunks), max)) out.push(...batch);
  return out;
}

async function viaPieces(chunks: Buffer[], max: number): Promise<{ lines: Line[]; pieces: Piece[] }> {
  const pieces: Piece[] = [];
  for await (const p of readPieces(Readable.from(chunks), max)) pieces.push(p);
  return { lines: pieces.flatMap((p) => linesOf(p, max)), pieces };
}

/** The input cut at the given offsets (a chunk boundary may fall inside a UTF-8 character). */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

const lineArb = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', '{', '"', ' ', 'é', '€', '😀', '\r'), maxLength: 12 }),
  fc.nat({ max: 60 }).map((n) => 'x'.repeat(n)), // around and far past the small limits below
  fc.nat({ max: 30 }).map((n) => '€'.repeat(n)), // three bytes a character
);

describe('readPieces + linesOf', () => {
  it('equal readLineBatches on random inputs, chunkings and limits (3,000 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 20 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom(4, 8, 16, 1024),
        async (lines, eol, finalEol, at, max) => {
          const bytes = Buffer.from(lines.join(eol) + (finalEol && lines.length > 0 ? eol : ''), 'utf8');
          const chunks = cut(bytes, at);
          const { lines: got, pieces } = await viaPieces(chunks, max);
          expect(got).toEqual(await viaBatches(chunks, max));
          // Every piece owns its buffer (it is transferred to a thread); all but the last end a
          // line, or only stand for a dropped long line.
          for (const p of pieces) expect(p.bytes.byteLength).toBe(p.bytes.buffer.byteLength);
          for (const p of pieces.slice(0, -1)) expect(p.bytes.at(-1) ?? (p.tooLongFirst ? 10 : -1)).toBe(10);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('drops a line far over the limit as it is read, and numbers the next lines on', async () => {
    const chunks = [Buffer.from('a\nbb'), ...Array.from({ length: 10 }, () => Buffer.from('x'.repeat(10))), Buffer.from('y\nc\nd')];
    const { lines, pieces } = await viaPieces(chunks, 8);
    expect(lines.map((l) => [l.number, l.text, l.tooLong])).toEqual([
      [1, 'a', false],
      [2, '', true],
      [3, 'c', false],
      [4, 'd', false],
    ]);
    // Nothing of the long line was held: no piece is larger than the chunks around its end.
    expect(Math.max(...pieces.map((p) => p.bytes.byteLength))).toBeLessThan(3 * 8);
  });
});
