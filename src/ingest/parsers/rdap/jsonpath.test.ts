import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NODES, MAX_PATH_LENGTH, parsePath, PathSyntaxError, selectPath, type Located } from './jsonpath.js';

const doc = {
  a: [
    { roles: ['x'], v: [1, 2, 3, 4], n: 3, s: 'b' },
    { roles: ['y'], v: [5, 6, 7, 8], n: 10, s: 'a', t: { type: 'voice' } },
  ],
  'odd key': 'k',
  "it's": { q: 1 },
};

/** The values a path selects, in order; undefined when the path is not read. */
const values = (path: string, root: unknown = doc): unknown[] | undefined => selectPath(root, path)?.map((l) => l.value);

describe('selectPath: selectors', () => {
  it('selects members by dotted and bracketed names, with quotes and escapes', () => {
    expect(values('$')).toEqual([doc]);
    expect(values('$.odd')).toEqual([]);
    expect(values("$['odd key']")).toEqual(['k']);
    expect(values('$["odd key"]')).toEqual(['k']);
    expect(values("$['it\\'s'].q")).toEqual([1]);
    expect(values('$.a[1].t.type')).toEqual(['voice']);
    expect(values("$.a[0]['roles','v'][0]")).toEqual(['x', 1]);
  });

  it('counts indexes from either end, and selects nothing out of range', () => {
    expect(values('$.a[0].v[0]')).toEqual([1]);
    expect(values('$.a[0].v[-1]')).toEqual([4]);
    expect(values('$.a[0].v[4]')).toEqual([]);
    expect(values('$.a[0].v[-5]')).toEqual([]);
    expect(values('$.odd key[0]')).toBeUndefined();
  });

  it('slices with start, end and step, forwards and backwards', () => {
    expect(values('$.a[0].v[1:3]')).toEqual([2, 3]);
    expect(values('$.a[0].v[:2]')).toEqual([1, 2]);
    expect(values('$.a[0].v[-2:]')).toEqual([3, 4]);
    expect(values('$.a[0].v[1::2]')).toEqual([2, 4]);
    expect(values('$.a[0].v[::-1]')).toEqual([4, 3, 2, 1]);
    expect(values('$.a[0].v[2:0:-1]')).toEqual([3, 2]);
    expect(values('$.a[0].v[::0]')).toEqual([]);
    expect(values('$.a[0].roles[0:1]')).toEqual(['x']);
  });

  it('takes every child with a wildcard and every descendant with ..', () => {
    expect(values('$.a[*].n')).toEqual([3, 10]);
    expect(values('$.a[1].t.*')).toEqual(['voice']);
    expect(values('$..type')).toEqual(['voice']);
    expect(values('$..v[0]')).toEqual([1, 5]);
    expect(values('$..[0]')).toEqual([{ ...doc.a[0] }, 'x', 1, 'y', 5]);
  });

  it('gives the container and key of each location, so the caller can replace the value', () => {
    const root = JSON.parse(JSON.stringify(doc)) as typeof doc;
    const found = selectPath(root, '$.a[*].v[0]')!;
    expect(found.map((l: Located) => l.key)).toEqual([0, 0]);
    expect(found[0]!.parent).toBe(root.a[0]!.v);
    expect(found[1]!.parent).toBe(root.a[1]!.v);
    expect(selectPath(root, "$['odd key']")![0]).toMatchObject({ parent: root, key: 'odd key', value: 'k' });
  });
});

describe('selectPath: filters', () => {
  const roles = (path: string): unknown => values(path)?.map((v) => (v as { roles: string[] }).roles[0]);

  it('reads both the RFC 9535 form and the older ?(…) form', () => {
    expect(roles("$.a[?@.roles[0]=='y']")).toEqual(['y']);
    expect(roles("$.a[?(@.roles[0]=='y')]")).toEqual(['y']);
    expect(roles('$.a[?(@["s"] == "b")]')).toEqual(['x']);
  });

  it('compares numbers and strings, and nothing of different types', () => {
    expect(roles('$.a[?(@.n < 5)]')).toEqual(['x']);
    expect(roles('$.a[?(@.n <= 3)]')).toEqual(['x']);
    expect(roles('$.a[?(@.n > 3)]')).toEqual(['y']);
    expect(roles('$.a[?(@.n >= 10)]')).toEqual(['y']);
    expect(roles('$.a[?(@.n == 1e1)]')).toEqual(['y']);
    expect(roles("$.a[?(@.s < 'b')]")).toEqual(['y']);
    expect(roles("$.a[?(@.n < 'z')]")).toEqual([]);
    expect(roles('$.a[?(@.n != 3)]')).toEqual(['y']);
  });

  it('tests existence, negation, conjunction, disjunction and parentheses', () => {
    expect(roles('$.a[?(@.t)]')).toEqual(['y']);
    expect(roles('$.a[?(!@.t)]')).toEqual(['x']);
    expect(roles("$.a[?(@.t.type=='voice' && @.roles[0]!='x')]")).toEqual(['y']);
    expect(roles('$.a[?(@.n==3 || @.n==10)]')).toEqual(['x', 'y']);
    expect(roles('$.a[?(!(@.n==3 || @.t))]')).toEqual([]);
    expect(roles('$.a[?(@.missing == null)]')).toEqual([]);
    // A missing member is unequal to anything present, and `!=` says so.
    expect(roles("$.a[?(@.missing != 'x')]")).toEqual(['x', 'y']);
    expect(roles('$.a[?(@.n == true)]')).toEqual([]);
  });
});

describe('selectPath: what it does not read', () => {
  it('gives undefined for broken paths', () => {
    for (const path of ['', 'a.b', '$.', '$[', "$.a[?(@.roles[0]=='", '$.a[?(@.n <)]', '$.a[1', '$.a[x]', '$ $', '$.a[?(@.n == 3]']) {
      expect(selectPath(doc, path), path).toBeUndefined();
    }
  });

  it('gives undefined for a path longer than MAX_PATH_LENGTH, and reads one just short of it', () => {
    const padded = (n: number): string => `$${' '.repeat(n - 3)}.a`;
    expect(padded(MAX_PATH_LENGTH)).toHaveLength(MAX_PATH_LENGTH);
    expect(values(padded(MAX_PATH_LENGTH))).toEqual([doc.a]);
    expect(selectPath(doc, padded(MAX_PATH_LENGTH + 1))).toBeUndefined();
  });

  it('refuses filters nested too deeply', () => {
    // `?` and `(` open two levels; 30 negations make 32, the most there may be.
    expect(values(`$.a[?(${'!'.repeat(30)}@.t)]`)).toEqual([doc.a[1]]);
    expect(selectPath(doc, `$.a[?(${'!'.repeat(31)}@.t)]`)).toBeUndefined();
    expect(selectPath(doc, `$.a[?${'('.repeat(40)}@.t${')'.repeat(40)}]`)).toBeUndefined();
  });

  it('parsePath throws PathSyntaxError, and only that, for what it cannot read', () => {
    expect(() => parsePath('$.a[')).toThrow(PathSyntaxError);
    expect(parsePath('$..a[0]')).toEqual([
      { descendant: true, selectors: [{ kind: 'name', name: 'a' }] },
      { descendant: false, selectors: [{ kind: 'index', index: 0 }] },
    ]);
  });
});

describe('selectPath: bounds', () => {
  it('stops at MAX_NODES locations, however large the document', () => {
    const big = { list: Array.from({ length: MAX_NODES + 500 }, (_, i) => i) };
    expect(selectPath(big, '$.list[*]')!.length).toBeLessThanOrEqual(MAX_NODES + 1);
    expect(selectPath(big, '$.list[:]')).toHaveLength(MAX_NODES);
  });

  it('does not descend without end into deep documents', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i++) deep = { d: deep };
    expect(values('$..d', deep)!.length).toBeLessThan(100);
  });

  it('never throws, and every location holds its value, for random paths on random JSON', () => {
    const token = fc.constantFrom('$', '.', '..', '[', ']', '?', '(', ')', '@', '*', ':', '-1', '0', '2', "'a'", '"x', '==', '!=', '<', '&&', '||', '!', 'a', 'v', 'roles', ' ', ',', '1e3', 'true', 'null');
    const path = fc.array(token, { maxLength: 30 }).map((t) => `$${t.join('')}`);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), path, (root, p) => {
        for (const l of selectPath(root, p) ?? []) {
          if (l.parent === undefined) expect(l.value).toBe(root);
          else expect((l.parent as Record<string | number, unknown>)[l.key!]).toBe(l.value);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});
