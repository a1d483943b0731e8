import { describe, expect, it } from 'vitest';

// web/src is outside this project's rootDir (src), so the pure module is loaded at run time
// (vitest transpiles it) and typed here.
interface DiffLine {
  readonly op: 'same' | 'add' | 'del';
  readonly text: string;
}
const DIFF = '../../web/src/diff.js';
const { diffLines } = (await import(/* @vite-ignore */ DIFF)) as { diffLines: (before: string, after: string) => DiffLine[] };

describe('diffLines', () => {
  it('keeps common lines and marks removed and added ones in order', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'del', text: 'b' },
      { op: 'add', text: 'x' },
      { op: 'same', text: 'c' },
      { op: 'add', text: 'd' },
    ]);
  });

  it('handles empty sides and identical texts', () => {
    expect(diffLines('', 'a\nb')).toEqual([
      { op: 'add', text: 'a' },
      { op: 'add', text: 'b' },
    ]);
    expect(diffLines('a', '')).toEqual([{ op: 'del', text: 'a' }]);
    expect(diffLines('a\nb', 'a\nb').every((l) => l.op === 'same')).toBe(true);
  });

  it('finds the longest common subsequence', () => {
    const d = diffLines('1\n2\n3\n4\n5', '0\n2\n3\n5\n6');
    expect(d.filter((l) => l.op === 'same').map((l) => l.text)).toEqual(['2', '3', '5']);
  });
});
