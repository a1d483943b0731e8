import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestRecord } from '../ingest/records.js';
import { domainListSource } from './domain-list.js';
import { domainListFile, startDomainListServer, type DomainListFile, type DomainListServer } from './test-support/domain-list-server.js';
import { FeedError, type FeedBatch, type FeedPosition, type FeedSource } from './types.js';

const signal = new AbortController().signal;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');

let server: DomainListServer | undefined;
let file: DomainListFile | undefined;

afterEach(async () => {
  await server?.close();
  await file?.remove();
  server = undefined;
  file = undefined;
});

/** A clock the test moves. */
function clock(): { now: () => Date; advance(ms: number): void } {
  let t = T0;
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

function names(records: readonly IngestRecord[]): string[] {
  return records.map((r) => (r.kind === 'domain' ? r.domain : `unexpected ${r.kind}`));
}

/** Every batch until the source says 'idle'. */
async function drain(source: FeedSource, start: FeedPosition | undefined): Promise<{ batches: FeedBatch[]; position: FeedPosition | undefined }> {
  const batches: FeedBatch[] = [];
  let position = start;
  for (let i = 0; i < 100; i++) {
    const b = await source.next(position, signal);
    if (b === 'idle') break;
    batches.push(b);
    position = b.position;
  }
  return { batches, position };
}

async function newNames(source: FeedSource, start: FeedPosition | undefined): Promise<{ names: string[]; position: FeedPosition | undefined }> {
  const { batches, position } = await drain(source, start);
  return { names: batches.flatMap((b) => names(b.records)), position };
}

describe('domain list feed', () => {
  for (const where of ['file', 'http'] as const) {
    it(`only new lines count across calls, the list growing (${where})`, async () => {
      const c = clock();
      const first = ['# newly registered, 2026-03-01', 'alpha.example', '', 'BETA.Example.'];
      let location: string;
      let append: (lines: string[]) => Promise<void>;
      if (where === 'file') {
        file = await domainListFile(first);
        location = file.path;
        append = (lines) => file!.append(lines);
      } else {
        server = await startDomainListServer({ lines: first });
        location = server.url;
        append = (lines) => Promise.resolve(server!.append(lines));
      }
      const source = domainListSource({ location, everyMs: HOUR, now: c.now });
      expect(source.id).toBe(`domains:${location}`);

      const b1 = await source.next(undefined, signal);
      expect(b1).not.toBe('idle');
      const batch = b1 as FeedBatch;
      expect(batch.records).toEqual([
        { kind: 'domain', domain: 'alpha.example', observation: { source: source.id, firstSeen: '2026-03-01T12:00:00Z' } },
        { kind: 'domain', domain: 'beta.example', observation: { source: source.id, firstSeen: '2026-03-01T12:00:00Z' } },
      ]);
      expect(batch.entries).toBe(4);
      expect(batch.position).toMatchObject({ lines: 4 });
      expect(batch.rejected).toBeUndefined();

      // Consumed, and not due again: nothing is read.
      expect(await source.next(batch.position, signal)).toBe('idle');
      await append(['gamma.example']);
      c.advance(HOUR - 1);
      expect(await source.next(batch.position, signal)).toBe('idle');

      c.advance(1);
      const later = await newNames(source, batch.position);
      expect(later.names).toEqual(['gamma.example']);
      expect(later.position).toMatchObject({ lines: 5 });

      // Due again with nothing new: nothing to store.
      c.advance(HOUR);
      expect(await source.next(later.position, signal)).toBe('idle');
      if (server !== undefined) {
        // The unchanged list was asked for conditionally and not sent again.
        expect(server.notModified()).toBe(1);
        expect(server.requests()).toBe(3);
      }

      c.advance(HOUR);
      await append(['delta.example', 'epsilon.example']);
      const last = await newNames(source, later.position);
      expect(last.names).toEqual(['delta.example', 'epsilon.example']);
      const b = await source.next(later.position, signal);
      // The runner asking again from an older position (a batch it did not commit) gets it again.
      expect(b === 'idle' ? [] : names(b.records)).toEqual(['delta.example', 'epsilon.example']);
    });
  }

  it('rejects invalid lines with their line numbers and reads on', async () => {
    file = await domainListFile([
      'good.example',
      'not a domain',
      'https://phish.example/login',
      '192.0.2.1',
      'ok.example   # registered today',
      'x'.repeat(5000),
      '-',
      '*.wild.example',
      'localhost',
      'last.example',
    ]);
    const source = domainListSource({ location: file.path, everyMs: HOUR, now: clock().now });
    const { batches } = await drain(source, undefined);
    expect(batches.flatMap((b) => names(b.records))).toEqual(['good.example', 'ok.example', 'last.example']);
    const rejected = batches.flatMap((b) => b.rejected ?? []);
    expect(rejected.map((r) => r.at)).toEqual(['line 2', 'line 3', 'line 4', 'line 6', 'line 7', 'line 8', 'line 9']);
    expect(rejected[0]!.message).toMatch(/"not a domain" is not a domain name/);
    expect(rejected[2]!.message).toMatch(/IP address/);
    expect(rejected[3]!.message).toMatch(/longer than/);
    expect(rejected[5]!.message).toMatch(/wildcard/);
    expect(batches.reduce((n, b) => n + b.entries, 0)).toBe(10);
  });

  it('reads a rewritten list again from its first line (shorter, or changed within what was consumed)', async () => {
    const c = clock();
    server = await startDomainListServer({ lines: ['a.example', 'b.example', 'c.example'] });
    const source = domainListSource({ location: server.url, everyMs: HOUR, now: c.now });
    const first = await newNames(source, undefined);
    expect(first.names).toEqual(['a.example', 'b.example', 'c.example']);

    // Same length, one consumed line changed: not an append.
    server.replace(['a.example', 'z.example', 'c.example', 'd.example']);
    c.advance(HOUR);
    const second = await newNames(source, first.position);
    expect(second.names).toEqual(['a.example', 'z.example', 'c.example', 'd.example']);
    expect(second.position).toMatchObject({ lines: 4 });

    // Tomorrow's list replaces today's, shorter.
    server.replace(['x.example', 'y.example']);
    c.advance(HOUR);
    const third = await newNames(source, second.position);
    expect(third.names).toEqual(['x.example', 'y.example']);
    expect(third.position).toMatchObject({ lines: 2 });
  });

  it('batches at most 2,000 names and continues from a stored position after a restart', async () => {
    const all = Array.from({ length: 5000 }, (_, i) => `n${i}.example`);
    server = await startDomainListServer({ lines: all });
    const c = clock();
    const source = domainListSource({ location: server.url, everyMs: HOUR, now: c.now });
    const b1 = (await source.next(undefined, signal)) as FeedBatch;
    expect(b1.records).toHaveLength(2000);
    expect(b1.position).toMatchObject({ lines: 2000 });

    // A new process (nothing in memory) given the committed position: the rest, at once.
    const restarted = domainListSource({ location: server.url, everyMs: HOUR, now: c.now });
    const rest = await drain(restarted, b1.position);
    expect(rest.batches.map((b) => b.records.length)).toEqual([2000, 1000]);
    expect([...names(b1.records), ...rest.batches.flatMap((b) => names(b.records))]).toEqual(all);
    expect(restarted.progress()).toMatchObject({ size: 5000 });

    const small = domainListSource({ location: server.url, everyMs: HOUR, now: c.now, batchSize: 700 });
    expect(((await small.next(undefined, signal)) as FeedBatch).records).toHaveLength(700);
  });

  it('reads gzipped lists, from a file and over HTTP', async () => {
    file = await domainListFile([], 'domains.txt.gz');
    await file.write(gzipSync('one.example\ntwo.example\n'));
    const fromFile = await newNames(domainListSource({ location: file.path, everyMs: HOUR, now: clock().now }), undefined);
    expect(fromFile.names).toEqual(['one.example', 'two.example']);

    server = await startDomainListServer({ lines: ['three.example'], gzip: true });
    const c = clock();
    const source = domainListSource({ location: server.url, everyMs: HOUR, now: c.now });
    const first = await newNames(source, undefined);
    expect(first.names).toEqual(['three.example']);
    server.append(['four.example']);
    c.advance(HOUR);
    expect((await newNames(source, first.position)).names).toEqual(['four.example']);
  });

  it("leaves a file's unfinished last line until it is finished or found unchanged", async () => {
    const c = clock();
    file = await domainListFile(['a.example']);
    await file.appendRaw('b.exa'); // a writer in the middle of a line
    const source = domainListSource({ location: file.path, everyMs: HOUR, now: c.now });
    const first = await newNames(source, undefined);
    expect(first.names).toEqual(['a.example']);

    await file.appendRaw('mple\nc.example');
    c.advance(HOUR);
    const second = await newNames(source, first.position);
    expect(second.names).toEqual(['b.example']);

    // 'c.example' without a newline, the same at the next read: the list simply has no final newline.
    c.advance(HOUR);
    const third = await newNames(source, second.position);
    expect(third.names).toEqual(['c.example']);

    // A newline added after it later changes nothing: the same line, already consumed.
    await file.appendRaw('\n');
    c.advance(HOUR);
    expect(await source.next(third.position, signal)).toBe('idle');
  });

  it('reports failures as FeedError (retried), and recovers', async () => {
    const c = clock();
    server = await startDomainListServer({ lines: ['a.example'] });
    const source = domainListSource({ location: server.url, everyMs: HOUR, now: c.now });
    server.fail({ status: 503, retryAfter: '7' });
    const err = await source.next(undefined, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect((err as FeedError).message).toMatch(/HTTP 503/);
    expect((err as FeedError).retryAfterMs).toBe(7000);
    server.fail(undefined);
    expect((await newNames(source, undefined)).names).toEqual(['a.example']);

    const missing = domainListSource({ location: '/nonexistent/warren/list.txt', everyMs: HOUR, now: c.now });
    await expect(missing.next(undefined, signal)).rejects.toThrow(/cannot read \(ENOENT\)/);
  });

  it('skips a byte order mark; a guard that allows no private address refuses a loopback list', async () => {
    file = await domainListFile([]);
    await file.write(Buffer.from('\uFEFFbom.example\r\ncrlf.example\r\n'));
    const { batches } = await drain(domainListSource({ location: file.path, everyMs: HOUR, now: clock().now }), undefined);
    expect(batches.flatMap((b) => names(b.records))).toEqual(['bom.example', 'crlf.example']);
    expect(batches.flatMap((b) => b.rejected ?? [])).toEqual([]);

    server = await startDomainListServer({ lines: ['a.example'] });
    const guarded = domainListSource({ location: server.url, everyMs: HOUR, now: clock().now, guard: {} });
    await expect(guarded.next(undefined, signal)).rejects.toThrow(/refused/);
    expect(server.requests()).toBe(0);
  });

  it('refuses a list larger than maxBytes, plain or once gunzipped', async () => {
    server = await startDomainListServer({ lines: Array.from({ length: 200 }, (_, i) => `n${i}.example`) });
    const tooBig = domainListSource({ location: server.url, everyMs: HOUR, now: clock().now, maxBytes: 1000 });
    await expect(tooBig.next(undefined, signal)).rejects.toThrow(/larger than 1000 bytes/);

    file = await domainListFile([], 'big.gz');
    await file.write(gzipSync(Array.from({ length: 200 }, (_, i) => `n${i}.example\n`).join('')));
    const bomb = domainListSource({ location: file.path, everyMs: HOUR, now: clock().now, maxBytes: 1000 });
    await expect(bomb.next(undefined, signal)).rejects.toThrow(/larger than 1000 bytes once gunzipped/);
  });
});
