// The RFC 6962 source against a fake log on 127.0.0.1 serving entries built from the real
// certificates of ../shared/data/certs.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertificateRecord } from '../../ingest/records.js';
import { FeedError, type FeedBatch, type FeedPosition, type FeedSource } from '../types.js';
import { ctTime } from './entry-records.js';
import { base64, ctLogSource } from './rfc6962.js';
import { startCtLog, type CtLogMisbehaviour, type CtLogServer } from './test-support/ct-log-server.js';
import { merkleTreeLeaf, type CtEntrySpec } from './test-support/entries.js';
import { haveCtCertificates, realCtEntries } from './test-support/real-certs.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const logged = (s: CtEntrySpec): string => sha256(s.type === 'x509' ? s.certificate : s.preCertificate);
const NOW = new Date('2026-03-01T00:00:00Z');
const signal = new AbortController().signal;

let log: CtLogServer | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

async function start(entries: readonly CtEntrySpec[], opts: Parameters<typeof startCtLog>[0] = {}): Promise<CtLogServer> {
  log = await startCtLog({ entries, ...opts });
  return log;
}

/** Calls next() until 'idle', returning the batches. */
async function drain(source: FeedSource, from: FeedPosition | undefined): Promise<{ batches: FeedBatch[]; position: FeedPosition | undefined }> {
  const batches: FeedBatch[] = [];
  let position = from;
  for (let i = 0; i < 1000; i++) {
    const b = await source.next(position, signal);
    if (b === 'idle') return { batches, position };
    batches.push(b);
    position = b.position;
  }
  throw new Error('never idle');
}

const certHashes = (batches: readonly FeedBatch[]): string[] =>
  batches.flatMap((b) => b.records.filter((r): r is CertificateRecord => r.kind === 'certificate').map((r) => r.sha256));

const entriesAsked = (server: CtLogServer): { asked: number; returned: number }[] =>
  server.requests.filter((r) => r.path.endsWith('get-entries')).map((r) => ({ asked: r.end! - r.start! + 1, returned: r.returned! }));

describe.skipIf(!haveCtCertificates())('ctLogSource', () => {
  it('follows a log to its end in the batches the log returns (it caps at 32, we ask 256), then idles', async () => {
    const specs = realCtEntries(100);
    const server = await start(specs, { maxBatch: 32 });
    const source = ctLogSource({ url: server.url, from: 0, now: () => NOW });
    expect(source.id).toBe(`ct:${server.url}`);
    expect(source.progress()).toEqual({});
    const { batches, position } = await drain(source, undefined);
    expect(batches.map((b) => b.position)).toEqual([{ index: 32 }, { index: 64 }, { index: 96 }, { index: 100 }]);
    expect(batches.map((b) => b.entries)).toEqual([32, 32, 32, 4]);
    expect(position).toEqual({ index: 100 });
    // Every entry in order: the logged certificate, or the pre-certificate of a precert entry.
    expect(certHashes(batches)).toEqual(specs.map(logged));
    expect(specs.filter((s) => s.type === 'precert').length).toBeGreaterThan(10);
    // Asked 100 (all there is, under 256), got 32: from then on 32 at a time.
    expect(entriesAsked(server)).toEqual([
      { asked: 100, returned: 32 },
      { asked: 32, returned: 32 },
      { asked: 32, returned: 32 },
      { asked: 4, returned: 4 },
    ]);
    expect(source.progress()).toEqual({ size: 100, newest: ctTime(specs[99]!.timestamp) });
    const first = batches[0]!.records[0] as CertificateRecord;
    expect(first.observation).toEqual({ source: `ct:${new URL(server.url).host}`, firstSeen: '2024-01-01T00:00:00Z', lastSeen: '2024-01-01T00:00:00Z' });
  });

  it('a log that gives all that is asked is asked batchSize at a time', async () => {
    const server = await start(realCtEntries(120), { maxBatch: 1000 });
    const { batches } = await drain(ctLogSource({ url: server.url, from: 0, batchSize: 50, now: () => NOW }), undefined);
    expect(batches.map((b) => b.entries)).toEqual([50, 50, 20]);
    expect(entriesAsked(server).map((r) => r.asked)).toEqual([50, 50, 20]);
  });

  it('a cap learnt from an answer cut at a page edge is raised to the log’s real cap by a later probe', async () => {
    const specs = realCtEntries(1100);
    const server = await start(specs, { maxBatch: 32, pageAligned: true });
    const { batches } = await drain(ctLogSource({ url: server.url, from: 10, now: () => NOW }), undefined);
    expect(certHashes(batches)).toEqual(specs.slice(10).map(logged));
    const asked = entriesAsked(server);
    expect(asked[0]).toEqual({ asked: 256, returned: 22 }); // 10 … 31: the page's end
    expect(asked[1]).toEqual({ asked: 22, returned: 22 });
    expect(asked[31]).toEqual({ asked: 256, returned: 32 }); // the probe
    expect(asked.slice(32, -1).every((r) => r.asked === 32 && r.returned === 32)).toBe(true);
  });

  it('a growing tree is followed to its end, idles, then reads what was appended', async () => {
    const specs = realCtEntries(30);
    const server = await start(specs.slice(0, 10));
    const source = ctLogSource({ url: server.url, from: 0, now: () => NOW });
    const first = await drain(source, undefined);
    expect(first.position).toEqual({ index: 10 });
    expect(await source.next(first.position, signal)).toBe('idle');
    server.append(specs.slice(10, 25));
    const second = await drain(source, first.position);
    expect(second.position).toEqual({ index: 25 });
    expect(certHashes(second.batches)).toEqual(specs.slice(10, 25).map(logged));
    server.append(specs.slice(25));
    const third = await drain(source, second.position);
    expect(certHashes(third.batches)).toEqual(specs.slice(25).map(logged));
    expect(source.progress().size).toBe(30);
  });

  it('re-reads the STH while reading behind it once it is older than sthMaxAgeMs', async () => {
    const server = await start(realCtEntries(40), { maxBatch: 10 });
    let now = NOW.getTime();
    const source = ctLogSource({ url: server.url, from: 0, now: () => new Date(now) });
    const b1 = await source.next(undefined, signal);
    const sths = (): number => server.requests.filter((r) => r.path.endsWith('get-sth')).length;
    expect(sths()).toBe(1);
    server.append(realCtEntries(5));
    const b2 = await source.next((b1 as FeedBatch).position, signal);
    expect(sths()).toBe(1);
    now += 61_000;
    await source.next((b2 as FeedBatch).position, signal);
    expect(sths()).toBe(2);
    expect(source.progress().size).toBe(45);
  });

  describe('misbehaving logs: a FeedError with a readable message, the position unchanged', () => {
    const cases: [CtLogMisbehaviour, 'get-sth' | 'get-entries', RegExp][] = [
      ['garbage', 'get-entries', /^get-entries 5-19: the answer is not JSON \(\d+ bytes starting "<!doctype html>/],
      ['garbage', 'get-sth', /^get-sth: the answer is not JSON/],
      ['truncated', 'get-entries', /^get-entries 5-19: the answer is not JSON/],
      ['truncated', 'get-sth', /^get-sth: the answer is not JSON/],
      ['cut', 'get-entries', /^get-entries 5-19: answer cut short \(\d+ of \d+ bytes\)$/],
      ['429', 'get-entries', /^get-entries 5-19: the log answered 429 Too Many Requests \(retry after 7 s\)$/],
      ['500', 'get-sth', /^get-sth: the log answered 500 Internal Server Error$/],
      ['hang', 'get-entries', /^get-entries 5-19: no answer within 300 ms$/],
      ['no-entries', 'get-entries', /^get-entries 5-19: the log returned no entries$/],
      ['shrink', 'get-sth', /^the log's tree shrank: its signed size is 10, below the 15 entries already read$/],
    ];
    it.each(cases)('%s on %s', async (what, on, message) => {
      const specs = realCtEntries(20);
      const server = await start(specs);
      const source = ctLogSource({ url: server.url, timeoutMs: 300, now: () => NOW });
      const position = what === 'shrink' ? { index: 15 } : { index: 5 };
      server.misbehave(what, on);
      const err = await source.next(position, signal).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FeedError);
      expect((err as FeedError).message).toMatch(message);
      expect((err as FeedError).retryAfterMs).toBe(what === '429' ? 7000 : undefined);
      // Nothing was consumed: the same position reads the same entries once the log recovers.
      server.misbehave(undefined);
      const batch = (await source.next(position, signal)) as FeedBatch;
      expect(batch.position).toEqual({ index: 20 });
      expect(certHashes([batch])).toEqual(specs.slice(position.index).map(logged));
    });

    it('a URL that is no log (404)', async () => {
      const server = await start([]);
      const source = ctLogSource({ url: `${server.url}nothing-here/`, now: () => NOW });
      await expect(source.next(undefined, signal)).rejects.toThrow(/^get-sth: the log answered 404 Not Found$/);
    });

    it('an aborted request ends at once as a FeedError', async () => {
      const server = await start(realCtEntries(5));
      server.misbehave('hang');
      const ac = new AbortController();
      const pending = ctLogSource({ url: server.url, timeoutMs: 30_000, now: () => NOW }).next({ index: 0 }, ac.signal);
      setTimeout(() => ac.abort(), 50);
      const t0 = Date.now();
      await expect(pending).rejects.toThrow(/^get-sth: interrupted$/);
      expect(Date.now() - t0).toBeLessThan(5000);
    });
  });

  it('an entry that does not decode is rejected with its index and reason; the others are kept', async () => {
    const specs = realCtEntries(6);
    const server = await start([specs[0]!, specs[1]!]);
    server.append([
      { leaf_input: Buffer.from([0, 0, 0, 0, 1]).toString('base64'), extra_data: '' }, // cut timestamp
      specs[3]!,
      { leaf_input: 'not base64!', extra_data: '' },
      { type: 'x509', certificate: Buffer.from('not a certificate'), timestamp: specs[4]!.timestamp },
    ]);
    // A precert entry whose extra_data does not decode.
    const pre = specs.find((s) => s.type === 'precert')!;
    server.append([{ leaf_input: merkleTreeLeaf(pre).toString('base64'), extra_data: Buffer.from([0, 0, 9]).toString('base64') }]);
    const batch = (await ctLogSource({ url: server.url, from: 0, now: () => NOW }).next(undefined, signal)) as FeedBatch;
    expect(batch.entries).toBe(7);
    expect(batch.position).toEqual({ index: 7 });
    expect(certHashes([batch])).toEqual([logged(specs[0]!), logged(specs[1]!), logged(specs[3]!)]);
    expect(batch.rejected).toEqual([
      { at: 'entry 2', message: 'leaf_input: timestamp: needs 8 bytes, 3 left' },
      { at: 'entry 4', message: 'leaf_input and extra_data are not both base64 text' },
      { at: 'entry 5', message: expect.stringMatching(/^certificate: /) as unknown },
      { at: 'entry 6', message: 'extra_data: pre_certificate: needs 9 bytes, 0 left' },
    ]);
  });

  describe('--from', () => {
    it('by default tails: the first call hands back the tree size as the start, then only new entries', async () => {
      const specs = realCtEntries(15);
      const server = await start(specs.slice(0, 10));
      const source = ctLogSource({ url: server.url, now: () => NOW });
      const first = await source.next(undefined, signal);
      expect(first).toEqual({ records: [], entries: 0, position: { index: 10 } });
      expect(server.requests.map((r) => r.path)).toEqual(['/ct/v1/get-sth']);
      server.append(specs.slice(10));
      // The start is kept: a second first call does not jump to the new tree size.
      const again = (await source.next(undefined, signal)) as FeedBatch;
      expect(again.position).toEqual({ index: 15 });
      expect(certHashes([again])).toEqual(specs.slice(10).map(logged));
    });

    it('latest-N starts N entries before the tree size (0 when the log is smaller); a number at that index', async () => {
      const specs = realCtEntries(10);
      const server = await start(specs);
      const tail4 = (await ctLogSource({ url: server.url, from: 'latest-4', now: () => NOW }).next(undefined, signal)) as FeedBatch;
      expect(certHashes([tail4])).toEqual(specs.slice(6).map(logged));
      const all = (await ctLogSource({ url: server.url, from: 'latest-100', now: () => NOW }).next(undefined, signal)) as FeedBatch;
      expect(all.entries).toBe(10);
      const at3 = (await ctLogSource({ url: server.url, from: '3', now: () => NOW }).next(undefined, signal)) as FeedBatch;
      expect(certHashes([at3])).toEqual(specs.slice(3).map(logged));
    });

    it('an index beyond the tree waits (FeedError) until the log reaches it', async () => {
      const specs = realCtEntries(60);
      const server = await start(specs.slice(0, 10));
      const source = ctLogSource({ url: server.url, from: 50, now: () => NOW });
      await expect(source.next(undefined, signal)).rejects.toThrow("--from 50 is beyond the log's 10 entries: waiting for the log to reach it");
      server.append(specs.slice(10));
      const batch = (await source.next(undefined, signal)) as FeedBatch;
      expect(certHashes([batch])).toEqual(specs.slice(50).map(logged));
    });

    it('refuses what is neither an index nor latest-N, and a stored position that is not { index }', async () => {
      expect(() => ctLogSource({ url: 'https://ct.example/log/', from: 'yesterday' })).toThrow(/expected an entry index \(e\.g\. 0\) or latest-N/);
      expect(() => ctLogSource({ url: 'https://ct.example/log/', from: -1 })).toThrow(/whole number from 0/);
      expect(() => ctLogSource({ url: 'ftp://ct.example/log/' })).toThrow(/only http and https/);
      expect(() => ctLogSource({ url: 'https://ct.example/log/', batchSize: 0 })).toThrow(/batch size/);
      const server = await start(realCtEntries(3));
      await expect(ctLogSource({ url: server.url }).next({ index: 'x' }, signal)).rejects.toThrow(FeedError);
    });
  });
});

describe('base64 (leaf_input, extra_data)', () => {
  // The definition it stands in for: standard padded base64, nothing else.
  const reference = (s: string): Uint8Array | undefined => (s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s) ? Buffer.from(s, 'base64') : undefined);
  const chars = fc.constantFrom(...'ABCXYZabcxyz0189+/=-_ \n*.'.split(''));
  const strings = fc.oneof(
    fc.string({ unit: chars, maxLength: 24 }),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
    fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), chars).map(([b, at, c]) => {
      const s = Buffer.from(b).toString('base64');
      const i = at % s.length;
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
  );

  it('reads exactly what standard padded base64 reads, and the same bytes', () => {
    fc.assert(
      fc.property(strings, (s) => {
        expect(base64(s)).toEqual(reference(s));
      }),
      { numRuns: 20_000, seed: 6962 },
    );
  });

  it('refuses the URL alphabet, whitespace, misplaced padding and a length not a multiple of 4', () => {
    for (const bad of ['AB-_', 'AB C', 'A=BC', 'A===', '====', 'ABC', 'AB\nC']) expect(base64(bad), bad).toBeUndefined();
    expect([...base64('')!]).toEqual([]);
    expect([...base64('AAE=')!]).toEqual([0, 1]);
  });
});
