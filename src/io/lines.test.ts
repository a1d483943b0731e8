import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLineBatches, readLines, type Line } from './lines.js';

async function collect(chunks: (string | Buffer)[], max?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(Readable.from(chunks), max)) out.push(l);
  return out;
}

describe('readLines', () => {
  it('splits across chunk boundaries and strips CRLF', async () => {
    const lines = await collect(['a\r\nb', 'c\n', '\nlast']);
    expect(lines.map((l) => [l.number, l.text])).toEqual([
      [1, 'a'],
      [2, 'bc'],
      [3, ''],
      [4, 'last'],
    ]);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = Buffer.from('é\n');
    const lines = await collect([bytes.subarray(0, 1), bytes.subarray(1)]);
    expect(lines[0]!.text).toBe('é');
  });

  it('drops an over-long line, reports it by number, and keeps going', async () => {
    const lines = await collect(['short\n', 'x'.repeat(30), 'y'.repeat(30), '\nok\n'], 40);
    expect(lines.map((l) => [l.number, l.text, l.tooLong])).toEqual([
      [1, 'short', false],
      [2, '', true],
      [3, 'ok', false],
    ]);
  });

  it('has no phantom last line after a final newline', async () => {
    expect((await collect(['a\n'])).length).toBe(1);
    expect((await collect([])).length).toBe(0);
  });
});

describe('readLineBatches', () => {
  it('yields the same lines as readLines, a chunk\'s worth at a time, never an empty batch', async () => {
    const chunks = ['a\r\nb', 'c\n', '\n', 'no newline yet', ' still', '\nlast'];
    const batches: Line[][] = [];
    for await (const b of readLineBatches(Readable.from(chunks))) batches.push(b);
    expect(batches.every((b) => b.length > 0)).toBe(true);
    expect(batches.map((b) => b.map((l) => l.number))).toEqual([[1], [2], [3], [4], [5]]);
    const one: Line[] = [];
    for await (const l of readLines(Readable.from(chunks))) one.push(l);
    expect(batches.flat()).toEqual(one);
  });
});
