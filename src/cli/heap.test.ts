// WARREN_HEAP_GROWING_PERCENT: read and refused by name; and the flag it sets, set in a running
// process, changes how far V8 lets the heap grow (a child process churning promoted garbage
// peaks lower with it than with V8's default).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SettingError } from '../services/live/settings.js';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercent, serveHeapGrowingPercent, WORKER_HEAP_GROWING_PERCENT } from './heap.js';

/** A process whose batches live across a few turns (as a feed's do), printing its peak heap. */
const CHURN = `
const v8 = require('node:v8');
if (process.argv[1]) v8.setFlagsFromString('--heap-growing-percent=' + process.argv[1]);
const live = []; for (let i = 0; i < 300000; i++) live.push({ a: 'x' + i, b: [i, i + 1] });
const keep = []; let peak = 0;
(async () => {
  for (let round = 0; round < 120; round++) {
    const batch = []; for (let i = 0; i < 20000; i++) batch.push({ s: 'y'.repeat(40) + i, n: [i, i * 2] });
    keep.push(batch); if (keep.length > 3) keep.shift();
    await new Promise((r) => setImmediate(r));
    peak = Math.max(peak, process.memoryUsage().heapTotal);
  }
  process.stdout.write(String(peak));
})();`;

function peakHeap(percent?: number): number {
  const r = spawnSync(process.execPath, ['-e', CHURN, ...(percent !== undefined ? [String(percent)] : [])], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the heap setting of long-running commands', () => {
  it('reads WARREN_HEAP_GROWING_PERCENT: ours by default, V8 own with "default", a wrong value refused by name', () => {
    expect(heapGrowingPercent({})).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent({ WARREN_HEAP_GROWING_PERCENT: '50' })).toBe(50);
    // A worker's own default, which the setting still overrides.
    expect(heapGrowingPercent({}, WORKER_HEAP_GROWING_PERCENT)).toBe(100);
    expect(heapGrowingPercent({ WARREN_HEAP_GROWING_PERCENT: '20' }, WORKER_HEAP_GROWING_PERCENT)).toBe(20);
    expect(heapGrowingPercent({ WARREN_HEAP_GROWING_PERCENT: 'default' }, WORKER_HEAP_GROWING_PERCENT)).toBeUndefined();
    expect(heapGrowingPercent({ WARREN_HEAP_GROWING_PERCENT: 'default' })).toBeUndefined();
    expect(() => heapGrowingPercent({ WARREN_HEAP_GROWING_PERCENT: '0' })).toThrow(SettingError);
    expect(() => heapGrowingPercent({ WARREN_HEAP_GROWING_PERCENT: 'lots' })).toThrow(/^WARREN_HEAP_GROWING_PERCENT: "lots" is not a whole number/);
  });

  it("gives warren serve the tight default unless it is an API replica that follows no feed", () => {
    expect(serveHeapGrowingPercent(false, false)).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(serveHeapGrowingPercent(false, true)).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(serveHeapGrowingPercent(true, true)).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(serveHeapGrowingPercent(true, false)).toBe(WORKER_HEAP_GROWING_PERCENT);
    expect(WORKER_HEAP_GROWING_PERCENT).toBeGreaterThan(DEFAULT_HEAP_GROWING_PERCENT);
  });

  it('set in a running process, the flag keeps the heap smaller than V8 default does', () => {
    const [mine, v8s] = [peakHeap(DEFAULT_HEAP_GROWING_PERCENT), peakHeap()];
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan(v8s * 0.85);
  });
});
