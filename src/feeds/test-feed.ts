// `test-feed:PATH`, a source for tests that run `warren watch` as a child process (the kill -9
// test): a file of Warren JSON Lines records, one entry a line, read in batches with a pause
// before each so that a kill lands mid-run. It exists only when WARREN_TEST_FEEDS=1 (registry.ts);
// WARREN_TEST_FEED_BATCH sets the entries per batch (default 50), WARREN_TEST_FEED_DELAY_MS the
// pause (default 0). The file may grow between calls, as a feed does.
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { warrenFormat } from '../ingest/parsers/warren-jsonl.js';
import type { IngestRecord } from '../ingest/records.js';
import { FeedError, type FeedBatch, type FeedPosition, type FeedProgress, type FeedSource } from './types.js';

export const TEST_FEED_PREFIX = 'test-feed';

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 0 ? v : fallback;
}

export function testFeed(spec: { readonly url: string; readonly from?: string }): FeedSource {
  const path = spec.url;
  const batch = Math.max(1, envInt('WARREN_TEST_FEED_BATCH', 50));
  const pauseMs = envInt('WARREN_TEST_FEED_DELAY_MS', 0);
  let size: number | undefined;

  const readLines = async (): Promise<string[]> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new FeedError(`cannot read ${path}: ${(e as Error).message}`);
    }
    const lines = text.split('\n');
    // Only whole lines count: the last is still being written until its newline comes.
    lines.pop();
    size = lines.length;
    return lines;
  };

  const start = (lines: readonly string[]): number => {
    if (spec.from === undefined) return 0;
    const latest = /^latest-(\d+)$/.exec(spec.from);
    return latest ? Math.max(0, lines.length - Number(latest[1])) : Number(spec.from);
  };

  return {
    id: `${TEST_FEED_PREFIX}:${path}`,
    async next(position: FeedPosition | undefined, signal: AbortSignal): Promise<FeedBatch | 'idle'> {
      const lines = await readLines();
      const from = typeof position?.index === 'number' ? position.index : start(lines);
      if (from >= lines.length) return 'idle';
      if (pauseMs > 0) await delay(pauseMs, undefined, { signal });
      const end = Math.min(lines.length, from + batch);
      const parser = warrenFormat.lines!({ fileName: path });
      const records: IngestRecord[] = [];
      const rejected: { at: string; message: string }[] = [];
      for (let i = from; i < end; i++) {
        const r = parser.line(lines[i]!, i + 1);
        records.push(...r.records);
        for (const e of r.errors) rejected.push({ at: `${path}:${e.line}`, message: e.message });
      }
      return { records, entries: end - from, position: { index: end }, rejected };
    },
    progress(): FeedProgress {
      return size === undefined ? {} : { size };
    },
    close: () => Promise.resolve(),
  };
}
