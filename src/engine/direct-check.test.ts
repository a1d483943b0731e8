// The direct checks against RE2 itself: for random patterns of the shapes direct-check.ts reads
// (and random near-misses it must refuse), its decision equals RE2's test on random values.
import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { directShape, MAX_EXPANSION, type DirectShape } from './direct-check.js';
import { foldAscii } from './fold.js';
import { re2Flags } from './pattern-testers.js';
import { directPatternArb, directValueArb } from './test-support/direct-shapes.js';

/** What a finite shape means, written plainly. */
function finiteMatches(shape: Extract<DirectShape, { kind: 'finite' }>, value: string, ci: boolean): boolean {
  const t = ci ? foldAscii(value) : value;
  return shape.strings.some((s) => {
    if (shape.start && shape.end) return t === s;
    if (shape.start) return t.startsWith(s);
    if (shape.end) return t.endsWith(s);
    return t.includes(s);
  });
}

function decide(shape: DirectShape, value: string, ci: boolean): boolean {
  return shape.kind === 'finite' ? finiteMatches(shape, value, ci) : shape.check(value, () => foldAscii(value));
}

describe('directShape equals RE2', () => {
  it('on random patterns of the shapes it reads, both case rules', () => {
    let accepted = 0;
    fc.assert(
      fc.property(directPatternArb, fc.boolean(), fc.array(directValueArb, { minLength: 1, maxLength: 12 }), (pattern, cs, values) => {
        const shape = directShape(pattern, !cs);
        if (!shape) return;
        accepted++;
        const re = new RE2(pattern, re2Flags(cs));
        for (const v of values) expect(decide(shape, v, !cs), `${pattern} ${cs ? 'cs' : 'ci'} on ${JSON.stringify(v)}`).toBe(re.test(v));
      }),
      { numRuns: 6000 },
    );
    // The generator is meant to exercise the checks, not the refusals.
    expect(accepted).toBeGreaterThan(3000);
  });

  it('on the hit-heavy workload\'s shapes', () => {
    const kw = fc.constantFrom('kw', 'pay', 'login', 'sec', 'ab');
    const shapeArb = fc.oneof(
      kw.map((k) => `${k}[0-9]{2,4}\\.`),
      kw.map((k) => `${k}-?(secure|login|verify)`),
      fc.tuple(kw, kw).map(([a, b]) => `(${a}|${b})[.-](login|verify|secure|account)`),
      kw.map((k) => `${k} (ltd|llc|inc|gmbh)`),
    );
    const valueArb = fc
      .array(fc.constantFrom('kw', 'pay', 'login', 'sec', 'ab', '1', '12', '123', '12345', '.', '-', ' ', 'ltd', 'LLC', 'Inc', 'secure', 'verify', 'account', 'K', '\u212Aw'), { maxLength: 7 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(shapeArb, fc.boolean(), fc.array(valueArb, { minLength: 1, maxLength: 12 }), (pattern, cs, values) => {
        const shape = directShape(pattern, !cs);
        expect(shape).toBeDefined();
        const re = new RE2(pattern, re2Flags(cs));
        for (const v of values) expect(decide(shape!, v, !cs), `${pattern} on ${JSON.stringify(v)}`).toBe(re.test(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the shapes it is for, and leaves the rest to RE2', () => {
    expect(directShape('kw-?(secure|login|verify)', true)).toMatchObject({ kind: 'finite', start: false, end: false });
    const lures = directShape('kw-?(secure|login|verify)', true);
    expect(lures?.kind === 'finite' ? lures.strings : []).toHaveLength(6);
    expect(directShape('(a|b)[.-](login|verify|secure|account)', true)).toMatchObject({ kind: 'finite' });
    expect(directShape('^acme (ltd|llc)$', false)).toMatchObject({ kind: 'finite', start: true, end: true });
    expect(directShape('kw[0-9]{2,4}\\.', true)).toMatchObject({ kind: 'class-run' });
    for (const refused of ['a.b', 'a\\wb', '(?i)ab', '[^a]b', 'a(^|b)', '^a|b', 'é[0-9]', 'ab*', '(ab)+', '(a|)', '[0-9]{2}[a-b]{2}', `a[0-9]{${MAX_EXPANSION}}`]) {
      const shape = directShape(refused, true);
      // A refusal, or (for the last) a class run: never a wrong finite expansion.
      if (refused.startsWith('a[0-9]{')) expect(shape?.kind).toBe('class-run');
      else expect(shape, refused).toBeUndefined();
    }
  });
});
