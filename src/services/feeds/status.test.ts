// The pieces of a feed's status: the sliding rate, index and lag from a source's position, a rate
// that goes stale when the runner stops.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportFeed } from '../../store/feed-positions.js';
import { Store } from '../../store/store.js';
import { SlidingRate } from './rate.js';
import { feedLag, feedStatus, positionIndex } from './status.js';

describe('SlidingRate', () => {
  it('is entries per second over the window, over the lifetime while it is shorter, and forgets what left the window', () => {
    const t0 = 1_000_000;
    const r = new SlidingRate(60_000, t0);
    expect(r.rate(t0)).toBe(0);
    r.add(t0 + 500, 30);
    expect(r.rate(t0 + 500)).toBe(30); // at least a second
    r.add(t0 + 10_000, 70);
    expect(r.rate(t0 + 10_000)).toBe(10);
    r.add(t0 + 30_000, 200);
    expect(r.rate(t0 + 30_000)).toBe(10);
    expect(r.rate(t0 + 65_000)).toBeCloseTo(270 / 60); // the first sample left
    expect(r.rate(t0 + 80_000)).toBeCloseTo(200 / 60);
    expect(r.rate(t0 + 200_000)).toBe(0);
  });
});

describe('index and lag', () => {
  it('read the entries a position counts (index, or a list line), nothing from a position that counts none', () => {
    expect(positionIndex({ index: 5 })).toBe(5);
    expect(positionIndex({ line: 12, hash: 'ab' })).toBe(12);
    expect(positionIndex({ cursor: 'opaque' })).toBeNull();
    expect(positionIndex({ index: '5' })).toBeNull();
    expect(positionIndex(null)).toBeNull();
    expect(feedLag({ index: 5 }, 8)).toBe(3);
    expect(feedLag({ index: 9 }, 8)).toBe(0); // a size learnt before the last batch
    expect(feedLag({ index: 5 }, null)).toBeNull();
    expect(feedLag({ cursor: 'x' }, 8)).toBeNull();
  });
});

describe('feedStatus', () => {
  it('shows the last reported rate while the runner reports, 0 once it has been silent for 10 minutes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warren-feed-status-'));
    const store = await Store.open(`sqlite:${join(dir, 's.db')}`);
    try {
      await reportFeed(store.db, 'ct:https://ct.example/', { at: '2026-04-01T00:00:00Z', rate: 12.54, size: 1_000_000 });
      const at = (iso: string) => async () => (await feedStatus(store, () => new Date(iso)))[0];
      expect(await at('2026-04-01T00:09:59Z')()).toMatchObject({ rate: 12.5, size: 1_000_000, position: null, index: null, lag: null, entries: 0 });
      expect(await at('2026-04-01T00:10:01Z')()).toMatchObject({ rate: 0 });
      // A later report without a size keeps the size known.
      await reportFeed(store.db, 'ct:https://ct.example/', { at: '2026-04-01T00:11:00Z', rate: 0 });
      expect(await at('2026-04-01T00:11:00Z')()).toMatchObject({ size: 1_000_000, updated: '2026-04-01T00:11:00Z' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
