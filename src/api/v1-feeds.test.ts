// GET /api/v1/feeds and the feed metrics: what the runners stored, the same for every
// organisation's members (feeds are the server's), nothing without credentials; /metrics has
// each feed's entries, position, lag and errors.
import { describe, expect, it } from 'vitest';
import { FeedError } from '../feeds/types.js';
import { runFeed } from '../services/feeds/runner.js';
import { FakeFeed } from '../services/feeds/test-support/fake-source.js';
import { NOW, useTestApi } from './test-support/api.js';

const api = useTestApi();

async function follow(): Promise<void> {
  const ct = new FakeFeed('ct:https://ct.example/2026h1/', 4).append('a.example', 'b.example', 'c.example', 'd.example', 'e.example');
  // The far end has more than was read: a lag of 3 once two batches (index 5) are in.
  ct.progress = () => ({ size: 8, newest: '2026-03-01T11:59:00Z' });
  ct.failures.push(new FeedError('HTTP 429 from ct.example', 1));
  const stop = new AbortController();
  await runFeed(api.store, ct, { signal: stop.signal, now: () => NOW, batchLimit: 2, sleep: () => Promise.resolve() });
  const list = new FakeFeed('domains:/srv/lists/new.txt', 10);
  await runFeed(api.store, list, { signal: stop.signal, now: () => NOW, sleep: () => Promise.resolve(stop.abort()) });
}

describe('GET /api/v1/feeds', () => {
  it('lists every feed with position, size, lag, entries/s and last error, the same for members of any organisation', async () => {
    await follow();
    const { 'a-viewer': viewer, 'b-admin': other } = api.users;
    const r = await api.request(viewer, { method: 'GET', url: '/api/v1/feeds' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual([
      {
        feed: 'ct:https://ct.example/2026h1/',
        position: { index: 5 },
        evaluated: { index: 5 },
        index: 5,
        size: 8,
        lag: 3,
        newest: '2026-03-01T11:59:00Z',
        entries: 5,
        rate: 5,
        errors: 1,
        lastError: 'HTTP 429 from ct.example',
        lastErrorAt: '2026-03-01T12:00:00Z',
        updated: '2026-03-01T12:00:00Z',
      },
      {
        feed: 'domains:/srv/lists/new.txt',
        position: null,
        evaluated: null,
        index: null,
        size: 0,
        lag: null,
        newest: '2026-04-01T00:00:00Z',
        entries: 0,
        rate: 0,
        errors: 0,
        lastError: null,
        lastErrorAt: null,
        updated: '2026-03-01T12:00:00Z',
      },
    ]);
    const beta = await api.request(other, { method: 'GET', url: '/api/v1/feeds' });
    expect(beta.json()).toEqual(r.json());
    expect((await api.request(undefined, { method: 'GET', url: '/api/v1/feeds' })).statusCode).toBe(401);
    expect((await api.request(other, { method: 'GET', url: '/api/v1/feeds?org=acme' })).statusCode).toBe(404);
  });

  it('exposes each feed in /metrics', async () => {
    const text = (await api.request(undefined, { method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('# TYPE warren_feed_entries_total counter');
    expect(text).toContain('warren_feed_entries_total{feed="ct:https://ct.example/2026h1/"} 5');
    expect(text).toContain('warren_feed_entries_total{feed="domains:/srv/lists/new.txt"} 0');
    expect(text).toContain('warren_feed_position{feed="ct:https://ct.example/2026h1/"} 5');
    expect(text).toContain('warren_feed_lag{feed="ct:https://ct.example/2026h1/"} 3');
    expect(text).toContain('warren_feed_errors_total{feed="ct:https://ct.example/2026h1/"} 1');
    // A feed whose position does not count entries has no position or lag sample.
    expect(text).not.toContain('warren_feed_position{feed="domains:');
    expect(text).not.toContain('warren_feed_lag{feed="domains:');
  });
});
