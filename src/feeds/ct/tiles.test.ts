// The static-ct-api source against a fake tiled log on 127.0.0.1 serving entries built from the
// real certificates of ../shared/data/certs.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertificateRecord } from '../../ingest/records.js';
import { FeedError, type FeedBatch, type FeedPosition, type FeedSource } from '../types.js';
import { ctTime } from './entry-records.js';
import { tileLeaf, type CtEntrySpec } from './test-support/entries.js';
import { haveCtCertificates, realCtEntries } from './test-support/real-certs.js';
import { startTiledLog, type TiledLogMisbehaviour, type TiledLogServer, type TiledLogServerOptions } from './test-support/tiled-log-server.js';
import { ctTilesSource, dataTilePath, parseCheckpoint, tileIndexPath } from './tiles.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const logged = (s: CtEntrySpec): string => sha256(s.type === 'x509' ? s.certificate : s.preCertificate);
const NOW = new Date('2026-03-01T00:00:00Z');
const signal = new AbortController().signal;

let log: TiledLogServer | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

async function start(entries: TiledLogServerOptions['entries'], opts: TiledLogServerOptions = {}): Promise<TiledLogServer> {
  log = await startTiledLog({ entries, ...opts });
  return log;
}

async function drain(source: FeedSource, from: FeedPosition | undefined): Promise<{ batches: FeedBatch[]; position: FeedPosition | undefined }> {
  const batches: FeedBatch[] = [];
  let position = from;
  for (let i = 0; i < 100; i++) {
    const b = await source.next(position, signal);
    if (b === 'idle') return { batches, position };
    batches.push(b);
    position = b.position;
  }
  throw new Error('never idle');
}

const certHashes = (batches: readonly FeedBatch[]): string[] =>
  batches.flatMap((b) => b.records.filter((r): r is CertificateRecord => r.kind === 'certificate').map((r) => r.sha256));
const tileRequests = (server: TiledLogServer): string[] => server.requests.filter((p) => p.startsWith('/tile/'));

describe('tile paths and checkpoints', () => {
  it('encodes tile indexes as 3-digit path elements, all but the last prefixed with x', () => {
    expect(tileIndexPath(0)).toBe('000');
    expect(tileIndexPath(67)).toBe('067');
    expect(tileIndexPath(999)).toBe('999');
    expect(tileIndexPath(1000)).toBe('x001/000');
    expect(tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(dataTilePath(5)).toBe('tile/data/005');
    expect(dataTilePath(5, 256)).toBe('tile/data/005');
    expect(dataTilePath(1234067, 17)).toBe('tile/data/x001/x234/067.p/17');
  });

  it('reads origin, size, root hash, and the timestamp of the origin’s RFC 6962 note signature', () => {
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(BigInt(Date.UTC(2025, 4, 6, 7, 8, 9)));
    const sig = Buffer.concat([Buffer.from([1, 2, 3, 4]), ts, Buffer.from([4, 3, 0, 2, 0xaa, 0xbb])]).toString('base64');
    const witness = Buffer.alloc(40, 7).toString('base64');
    const text = `rome.ct.example.com/2025h1\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 witness.example ${witness}\n\u2014 rome.ct.example.com/2025h1 ${sig}\n`;
    expect(parseCheckpoint(text)).toEqual({ origin: 'rome.ct.example.com/2025h1', size: 20852163, rootHash: 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', timestamp: Date.UTC(2025, 4, 6, 7, 8, 9) });
    // tlog-checkpoint's own example is signed with another key type: no CT timestamp in it.
    const ed25519 =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
    expect(parseCheckpoint(ed25519)).toEqual({ origin: 'example.com/behind-the-sofa', size: 20852163, rootHash: 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=' });
  });

  it.each([
    ['no blank line', 'a\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n', /no blank line/],
    ['a size that is not decimal', 'a\n0x10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n', /tree size "0x10" is not a decimal number/],
    ['a leading zero', 'a\n010\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n', /is not a decimal number/],
    ['a short root hash', 'a\n10\nCsUYapGGPo4dkMgI\n\n', /root hash is not the base64 of 32 bytes/],
    ['two lines only', 'a\n10\n\n', /starts with origin, tree size and root hash lines/],
  ])('refuses a checkpoint with %s', (_what, text, message) => {
    expect(() => parseCheckpoint(text)).toThrow(message);
  });
});

describe.skipIf(!haveCtCertificates())('ctTilesSource', () => {
  it('reads full data tiles, then the partial tile at the right edge; growth turns it into the full tile', async () => {
    const specs = realCtEntries(800);
    const server = await start(specs.slice(0, 600));
    const source = ctTilesSource({ url: server.url, from: 0, now: () => NOW });
    expect(source.id).toBe(`ct-tiles:${server.url}`);
    const first = await drain(source, undefined);
    expect(first.batches.map((b) => [b.entries, b.position])).toEqual([
      [256, { index: 256 }],
      [256, { index: 512 }],
      [88, { index: 600 }],
    ]);
    expect(certHashes(first.batches)).toEqual(specs.slice(0, 600).map(logged));
    expect(tileRequests(server)).toEqual(['/tile/data/000', '/tile/data/001', '/tile/data/002.p/88']);
    expect(source.progress()).toEqual({ size: 600, newest: ctTime(specs[599]!.timestamp) });

    server.append(specs.slice(600));
    const second = await drain(source, first.position);
    expect(second.batches.map((b) => b.entries)).toEqual([168, 32]);
    expect(certHashes(second.batches)).toEqual(specs.slice(600).map(logged));
    expect(tileRequests(server).slice(3)).toEqual(['/tile/data/002', '/tile/data/003.p/32']);
    const cert = second.batches[0]!.records[0] as CertificateRecord;
    expect(cert.observation.source).toBe(`ct:${new URL(server.url).host}`);
  });

  it('starts mid-tile (--from) and reads gzip-encoded tiles', async () => {
    const specs = realCtEntries(300);
    const server = await start(specs, { gzip: true });
    const { batches } = await drain(ctTilesSource({ url: server.url, from: 'latest-250', now: () => NOW }), undefined);
    expect(batches.map((b) => b.entries)).toEqual([206, 44]);
    expect(certHashes(batches)).toEqual(specs.slice(50).map(logged));
  });

  it('reads the full tile when the partial tile of its checkpoint is gone', async () => {
    const specs = realCtEntries(600);
    const server = await start(specs.slice(0, 300));
    const source = ctTilesSource({ url: server.url, from: 0, now: () => NOW });
    const b1 = (await source.next(undefined, signal)) as FeedBatch;
    server.append(specs.slice(300)); // tile 001 is full now; its partial tiles are no longer served
    const b2 = (await source.next(b1.position, signal)) as FeedBatch;
    expect(b2.position).toEqual({ index: 300 }); // as far as the checkpoint read said
    expect(certHashes([b2])).toEqual(specs.slice(256, 300).map(logged));
    expect(tileRequests(server)).toEqual(['/tile/data/000', '/tile/data/001.p/44', '/tile/data/001']);
  });

  it('tails by default: the first call hands back the checkpoint size as the start', async () => {
    const specs = realCtEntries(20);
    const server = await start(specs.slice(0, 10));
    const source = ctTilesSource({ url: server.url, now: () => NOW });
    expect(await source.next(undefined, signal)).toEqual({ records: [], entries: 0, position: { index: 10 } });
    expect(await source.next({ index: 10 }, signal)).toBe('idle');
    server.append(specs.slice(10));
    const b = (await source.next({ index: 10 }, signal)) as FeedBatch;
    expect(certHashes([b])).toEqual(specs.slice(10).map(logged));
  });

  it('a well-framed entry whose certificate does not decode is rejected with its index; the rest of the tile is kept', async () => {
    const specs = realCtEntries(5);
    const bad: CtEntrySpec = { type: 'x509', certificate: Buffer.from('not a certificate'), timestamp: specs[0]!.timestamp };
    const server = await start([specs[0]!, specs[1]!, bad, specs[3]!, specs[4]!]);
    const b = (await ctTilesSource({ url: server.url, from: 0, now: () => NOW }).next(undefined, signal)) as FeedBatch;
    expect(b.entries).toBe(5);
    expect(certHashes([b])).toEqual([specs[0]!, specs[1]!, specs[3]!, specs[4]!].map(logged));
    expect(b.rejected).toEqual([{ at: 'entry 2', message: expect.stringMatching(/^certificate: /) as unknown }]);
  });

  it('a tile whose entry says another leaf index is a FeedError', async () => {
    const specs = realCtEntries(3);
    const server = await start([specs[0]!, { tileLeaf: tileLeaf(specs[1]!, 7) }, specs[2]!]);
    await expect(ctTilesSource({ url: server.url, from: 0, now: () => NOW }).next(undefined, signal)).rejects.toThrow('tile/data/000.p/3: entry 1 says it is leaf 7');
  });

  describe('misbehaving logs: a FeedError with a readable message, the position unchanged', () => {
    const cases: [TiledLogMisbehaviour, 'checkpoint' | 'tile', RegExp][] = [
      ['garbage', 'tile', /^tile\/data\/000: entry 0 \(byte 0\) does not decode: unknown entry_type 2313$/],
      ['garbage', 'checkpoint', /^checkpoint: a checkpoint has a note text, a blank line and signatures; no blank line here$/],
      ['truncated', 'tile', /^tile\/data\/000: (entry \d+ \(byte \d+\) does not decode: .*|holds \d+ entries, 256 expected)$/],
      ['truncated', 'checkpoint', /^checkpoint: /],
      ['429', 'tile', /^tile\/data\/000: the log answered 429 Too Many Requests \(retry after 7 s\)$/],
      ['500', 'checkpoint', /^checkpoint: the log answered 500 Internal Server Error$/],
      ['404', 'tile', /^tile\/data\/000: the log answered 404 Not Found$/],
      ['hang', 'tile', /^tile\/data\/000: no answer within 300 ms$/],
      ['shrink', 'checkpoint', /^the log's tree shrank: its signed size is 150, below the 200 entries already read$/],
    ];
    it.each(cases)('%s on %s', async (what, on, message) => {
      const specs = realCtEntries(300);
      const server = await start(specs);
      const source = ctTilesSource({ url: server.url, timeoutMs: 300, now: () => NOW });
      const position = { index: what === 'shrink' ? 200 : 10 };
      server.misbehave(what, on);
      const err = await source.next(position, signal).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FeedError);
      expect((err as FeedError).message).toMatch(message);
      expect((err as FeedError).retryAfterMs).toBe(what === '429' ? 7000 : undefined);
      server.misbehave(undefined);
      const batch = (await source.next(position, signal)) as FeedBatch;
      expect(batch.position).toEqual({ index: 256 });
      expect(certHashes([batch])).toEqual(specs.slice(position.index, 256).map(logged));
    });
  });
});
