// A FeedSource in memory for the runner's tests: a list of entries (one domain each, or any
// records) that can grow, read `batch` at a time from `{ index }`; failures queued to be thrown
// by the next calls; every position asked for kept in `asked`.
import type { IngestRecord } from '../../../ingest/records.js';
import type { FeedBatch, FeedPosition, FeedProgress, FeedSource } from '../../../feeds/types.js';

export function domainEntry(domain: string, seen = '2026-04-01T00:00:00Z'): IngestRecord[] {
  return [{ kind: 'domain', domain, observation: { source: 'fake-feed', firstSeen: seen, lastSeen: seen } }];
}

export class FakeFeed implements FeedSource {
  readonly entries: IngestRecord[][] = [];
  /** Every position next() was asked for, in order. */
  readonly asked: (FeedPosition | undefined)[] = [];
  /** Thrown, one per call, before anything is read. */
  readonly failures: Error[] = [];
  /** Entries (by index) that cannot be decoded: rejected with this message, no records. */
  readonly broken = new Map<number, string>();
  /** Runs inside next() before it answers (a test aborts, or appends, from here). */
  onNext?: (position: FeedPosition | undefined) => void;
  closed = false;
  /** Set by `gathering()`: the source then says when entries are waiting, as a CT log does. */
  waiting?: (position: FeedPosition) => boolean;

  constructor(
    readonly id = 'fake:feed',
    public batch = 10,
  ) {}

  /** Tells the runner when entries are waiting after a position, so it gathers answers. */
  gathering(): this {
    this.waiting = (position) => typeof position.index === 'number' && position.index < this.entries.length;
    return this;
  }

  append(...domains: string[]): this {
    for (const d of domains) this.entries.push(domainEntry(d));
    return this;
  }

  next(position: FeedPosition | undefined, _signal: AbortSignal): Promise<FeedBatch | 'idle'> {
    this.asked.push(position);
    this.onNext?.(position);
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    const from = typeof position?.index === 'number' ? position.index : 0;
    if (from >= this.entries.length) return Promise.resolve('idle');
    const end = Math.min(this.entries.length, from + this.batch);
    const records: IngestRecord[] = [];
    const rejected: { at: string; message: string }[] = [];
    for (let i = from; i < end; i++) {
      const broken = this.broken.get(i);
      if (broken !== undefined) rejected.push({ at: `entry ${i}`, message: broken });
      else records.push(...this.entries[i]!);
    }
    return Promise.resolve({ records, entries: end - from, position: { index: end }, rejected });
  }

  progress(): FeedProgress {
    return { size: this.entries.length, newest: '2026-04-01T00:00:00Z' };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
