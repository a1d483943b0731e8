import { describe, expect, it } from 'vitest';
import { selfTimes } from './cpuprofile-summary.js';

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });

describe('selfTimes', () => {
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1) },
      { id: 2, callFrame: frame('match', 'file:///w/dist/engine/fast-matcher.js', 16) },
      { id: 3, callFrame: frame('', 'file:///w/dist/engine/fast-matcher.js', 40) },
      { id: 4, callFrame: frame('walk', 'file:///w/node_modules/tldts/dist/cjs/index.js', 1179) },
      { id: 5, callFrame: frame('match', 'file:///w/dist/engine/fast-matcher.js', 16) },
    ],
    // Node 5 is the same function as node 2 reached by another path: its time adds up.
    samples: [2, 3, 4, 5, 2, 9],
    timeDeltas: [1000, 2000, 4000, 8000, 500, 700],
    startTime: 0,
    endTime: 16200,
  };

  it('sums sample time per function across call paths, largest first, in ms', () => {
    expect(selfTimes(profile)).toEqual([
      { name: 'match engine/fast-matcher.js:17', ms: 9.5 },
      { name: 'walk tldts/dist/cjs/index.js:1180', ms: 4 },
      { name: '(anonymous) engine/fast-matcher.js:41', ms: 2 },
    ]);
  });

  it('sums per script when asked', () => {
    expect(selfTimes(profile, true)).toEqual([
      { name: 'engine/fast-matcher.js', ms: 11.5 },
      { name: 'tldts/dist/cjs/index.js', ms: 4 },
    ]);
  });
});
