// The source registry: PREFIX:URL to a factory with the command's flags; the test-only source
// only under WARREN_TEST_FEEDS=1, reading whole lines of a growing file in batches.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFrom, createFeed, FeedSpecError, registerFeedFactory, type FeedSpec } from './registry.js';
import { FeedError, type FeedBatch } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createFeed', () => {
  it('hands the factory of the prefix the URL and the flags; the first colon ends the prefix', () => {
    const seen: FeedSpec[] = [];
    registerFeedFactory('domains', (spec) => {
      seen.push(spec);
      return { id: `domains:${spec.url}`, next: () => Promise.resolve('idle'), progress: () => ({}), close: () => Promise.resolve() };
    });
    expect(createFeed('domains:https://lists.example/new.txt', { from: 'latest-100', everyMs: 3_600_000 }).id).toBe('domains:https://lists.example/new.txt');
    createFeed('domains:/srv/list.txt');
    expect(seen).toEqual([{ url: 'https://lists.example/new.txt', from: 'latest-100', everyMs: 3_600_000 }, { url: '/srv/list.txt' }]);
  });

  it('refuses unknown prefixes, missing URLs and a --from that is neither an index nor latest-N', () => {
    expect(() => createFeed('https://ct.example/')).toThrow(FeedSpecError);
    expect(() => createFeed('nope:x')).toThrow(/is not a feed/);
    expect(() => createFeed('certstream:  ')).toThrow(/needs a URL/);
    expect(() => createFeed('ct:https://ct.example/', { from: '-5' })).toThrow(/--from "-5"/);
    expect(checkFrom('0')).toBe('0');
    expect(checkFrom('latest-100000')).toBe('latest-100000');
    expect(() => checkFrom('latest-')).toThrow(FeedSpecError);
  });
});

describe('test-feed:', () => {
  it('exists only with WARREN_TEST_FEEDS=1, and reads whole lines in batches from the position (or --from)', async () => {
    const file = join(dir, 'feed.jsonl');
    const line = (d: string): string => `${JSON.stringify({ kind: 'domain', domain: d, source: 't' })}\n`;
    writeFileSync(file, `${line('a.example')}${line('b.example')}{"kind": "domian"}\n${line('c.example')}{"kind": "dom`);
    const saved = process.env.WARREN_TEST_FEEDS;
    delete process.env.WARREN_TEST_FEEDS;
    expect(() => createFeed(`test-feed:${file}`)).toThrow(/is not a feed/);
    process.env.WARREN_TEST_FEEDS = '1';
    process.env.WARREN_TEST_FEED_BATCH = '3';
    try {
      const feed = createFeed(`test-feed:${file}`);
      const signal = new AbortController().signal;
      const first = (await feed.next(undefined, signal)) as FeedBatch;
      expect(first).toMatchObject({ entries: 3, position: { index: 3 }, rejected: [{ at: `${file}:3` }] });
      expect(first.records.map((r) => (r.kind === 'domain' ? r.domain : r.kind))).toEqual(['a.example', 'b.example']);
      expect(feed.progress()).toEqual({ size: 4 }); // the unfinished last line is not an entry yet
      const second = (await feed.next({ index: 3 }, signal)) as FeedBatch;
      expect(second).toMatchObject({ entries: 1, position: { index: 4 } });
      expect(await feed.next({ index: 4 }, signal)).toBe('idle');
      appendFileSync(file, 'ain", "domain": "d.example", "source": "t"}\n');
      expect(await feed.next({ index: 4 }, signal)).toMatchObject({ entries: 1, position: { index: 5 } });

      const tail = createFeed(`test-feed:${file}`, { from: 'latest-2' });
      expect(await tail.next(undefined, signal)).toMatchObject({ entries: 2, position: { index: 5 } });
      await expect(createFeed(`test-feed:${join(dir, 'missing.jsonl')}`).next(undefined, signal)).rejects.toBeInstanceOf(FeedError);
    } finally {
      if (saved === undefined) delete process.env.WARREN_TEST_FEEDS;
      else process.env.WARREN_TEST_FEEDS = saved;
      delete process.env.WARREN_TEST_FEED_BATCH;
    }
  });
});
