import { describe, expect, it } from 'vitest';

// web/src is outside this project's rootDir (src): the pure module is loaded at run time (vitest
// transpiles it) and typed here, as route-match.test.ts does.
type Action = { readonly go: string } | 'lookup' | 'next' | 'previous' | 'help';
const KEYS = '../../web/src/keys.js';
const { interpretKey } = (await import(/* @vite-ignore */ KEYS)) as {
  interpretKey: (key: string, at: number, pendingG: number | undefined) => { action?: Action; pendingG?: number };
};

/** The actions a sequence of [key, time stamp] presses makes, carrying the pending `g` along. */
function press(...keys: [string, number][]): (Action | undefined)[] {
  let pending: number | undefined;
  return keys.map(([k, at]) => {
    const r = interpretKey(k, at, pending);
    pending = r.pendingG;
    return r.action;
  });
}

describe('interpretKey (the UI keyboard shortcuts)', () => {
  it.each([
    ['/', 'lookup'],
    ['j', 'next'],
    ['k', 'previous'],
    ['?', 'help'],
    ['x', undefined],
    ['n', undefined],
    ['G', undefined],
  ] as const)('%s alone → %s', (key, action) => {
    expect(press([key, 0])).toEqual([action]);
  });

  it.each([
    ['n', '/notifications'],
    ['s', '/signatures'],
    ['o', '/'],
    ['i', '/ingest'],
  ])('g then %s goes to %s', (key, path) => {
    expect(press(['g', 100], [key, 600])).toEqual([undefined, { go: path }]);
  });

  it('forgets a g after 1.5 s: the letter is then a key of its own', () => {
    expect(press(['g', 0], ['n', 1501])).toEqual([undefined, undefined]);
    expect(press(['g', 0], ['j', 1501])).toEqual([undefined, 'next']);
    expect(press(['g', 0], ['n', 1500])).toEqual([undefined, { go: '/notifications' }]);
  });

  it('ends the sequence on any other key, which does nothing itself', () => {
    expect(press(['g', 0], ['x', 10], ['n', 20])).toEqual([undefined, undefined, undefined]);
    expect(press(['g', 0], ['j', 10])).toEqual([undefined, undefined]);
  });

  it('lets a modifier pressed alone pass without ending the sequence', () => {
    expect(press(['g', 0], ['Shift', 10], ['n', 20])).toEqual([undefined, undefined, { go: '/notifications' }]);
    expect(press(['Shift', 0], ['?', 10])).toEqual([undefined, 'help']);
  });
});
