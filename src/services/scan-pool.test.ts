// The pool's output is one Scanner's, in input order, whichever thread scanned each piece: the
// command's own thread takes pieces once every worker holds its share.
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FastMatcher } from '../engine/fast-matcher.js';
import { linesOf, readPieces, type Piece } from '../io/pieces.js';
import { makeSignature } from '../signatures/make.js';
import { Scanner, type BatchResult } from './scan.js';
import { ScanPool } from './scan-pool.js';

const signatures = [
  makeSignature({ id: 'kw', field: 'domain', patterns: ['paypal-login[0-9]'], actions: [{ tag: 'T' }] }),
  makeSignature({ id: 'mail', field: 'whois.registrant.email', patterns: ['@qq\\.com$'], actions: [{ tag: 'T' }] }),
];

/** Pieces of `lines` lines each (one chunk a piece), some lines bad; every domain a hit, every other email. */
async function pieces(count: number, lines: number): Promise<Piece[]> {
  const chunks: string[] = [];
  for (let p = 0; p < count; p++) {
    const text: string[] = [];
    for (let i = 0; i < lines; i++) {
      const n = p * lines + i;
      if (n % 97 === 3) text.push('{"domain": not json');
      else text.push(JSON.stringify({ ...(n % 3 === 0 ? { id: `r${n}` } : {}), domain: `h${n}.paypal-login${n % 5}.example.com`, 'whois.registrant.email': `x${n}@${n % 2 ? 'qq.com' : 'example.org'}` }));
    }
    chunks.push(`${text.join('\n')}\n`);
  }
  const out: Piece[] = [];
  for await (const piece of readPieces(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(piece);
  return out;
}

function joined(results: readonly BatchResult[]): { output: string; problems: string; bad: number } {
  return {
    output: results.map((r) => r.output).join(''),
    problems: results.flatMap((r) => r.problems.map((p) => `${p.line}:${p.message}`)).join('\n'),
    bad: results.reduce((a, r) => a + r.badLines, 0),
  };
}

describe('ScanPool', () => {
  let pool: ScanPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('gives one Scanner’s output, problems and counts in input order, scanning on this thread and on a worker', async () => {
    const expected = joined((await pieces(24, 50)).map((p) => new Scanner(new FastMatcher(signatures), signatures).scanLines(linesOf(p))));
    expect(expected.output.split('\n').length).toBeGreaterThan(500);
    expect(expected.bad).toBeGreaterThan(5);

    pool = new ScanPool(2);
    pool.compile(signatures);
    const all = await pieces(24, 50);
    const results: BatchResult[] = [];
    // Half given at once (the worker's share first, then this thread's), half as read.
    const rest = Readable.from(all.slice(12))[Symbol.asyncIterator]() as AsyncIterator<Piece>;
    await pool.scanAll(all.slice(0, 12), rest, (r) => {
      results.push(r);
      return Promise.resolve();
    });
    expect(joined(results)).toEqual(expected);
    expect(pool.scanned.here).toBeGreaterThan(0);
    expect(pool.scanned.workers).toBeGreaterThan(0);
    expect(pool.scanned.here + pool.scanned.workers).toBe(24);
  });

  it('refuses fewer than two threads (one is the command scanning alone)', () => {
    expect(() => new ScanPool(1)).toThrow(/at least 2 threads/);
  });
});
