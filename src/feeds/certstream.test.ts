import { afterEach, describe, expect, it } from 'vitest';
import { parseCertstream } from '../ingest/parsers/certstream.js';
import type { IngestRecord } from '../ingest/records.js';
import { certstreamSource, type CertstreamSource } from './certstream.js';
import { certstreamSamples, startCertstreamServer, syntheticCertstreamMessage, type CertstreamTestServer } from './test-support/certstream-server.js';
import { FeedError, type FeedBatch, type FeedPosition } from './types.js';

const samples = certstreamSamples();
const signal = new AbortController().signal;

let server: CertstreamTestServer | undefined;
let source: CertstreamSource | undefined;

afterEach(async () => {
  await source?.close();
  await server?.close();
  source = undefined;
  server = undefined;
});

interface Collected {
  readonly batches: FeedBatch[];
  readonly position: FeedPosition | undefined;
}

/** Calls next() until `entries` messages were consumed (or gives up after `rounds` calls). */
async function collect(src: CertstreamSource, entries: number, start?: FeedPosition, rounds = 200): Promise<Collected> {
  const batches: FeedBatch[] = [];
  let position = start;
  let seen = 0;
  for (let i = 0; i < rounds && seen < entries; i++) {
    const b = await src.next(position, signal);
    if (b === 'idle') continue;
    batches.push(b);
    seen += b.entries;
    position = b.position;
  }
  return { batches, position };
}

function domainsOf(records: readonly IngestRecord[]): string[] {
  return records.flatMap((r) => (r.kind === 'domain' || r.kind === 'names' ? [r.domain] : []));
}

/** Starts the source (it connects lazily on the first next()) and waits for it to be connected. */
async function connected(src: CertstreamSource, srv: CertstreamTestServer): Promise<void> {
  const first = src.next(undefined, signal);
  await srv.waitForClients(1);
  expect(await first).toBe('idle');
}

describe.skipIf(samples.length === 0)('certstream feed on the real messages of ../shared/data/certstream', () => {
  it('gives for each message the records the certstream file parser gives, heartbeats not counted', async () => {
    server = await startCertstreamServer();
    source = certstreamSource({ url: server.url, idleMs: 50, lingerMs: 50 });
    await connected(source, server);
    server.heartbeat();
    await server.send(samples.slice(0, 1));
    server.heartbeat();
    await server.send(samples.slice(1));

    const { batches, position } = await collect(source, samples.length);
    const records = batches.flatMap((b) => b.records);
    expect(batches.reduce((n, b) => n + b.entries, 0)).toBe(samples.length);
    const expected = parseCertstream(samples.join('\n'), { source: source.id });
    expect(expected.errors).toEqual([]);
    expect(records).toEqual(expected.records);
    expect(records.length).toBeGreaterThan(samples.length);
    expect(batches.flatMap((b) => b.rejected ?? [])).toEqual([]);

    // The position is information: messages seen and each log's latest cert_index.
    const logs: Record<string, number> = {};
    for (const m of samples) {
      const data = (JSON.parse(m) as { data: { cert_index: number; source: { url: string } } }).data;
      logs[data.source.url] = Math.max(logs[data.source.url] ?? -1, data.cert_index);
    }
    expect(position).toEqual({ seen: samples.length, dropped: 0, logs });
    expect(source.progress().newest).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe('certstream feed', () => {
  it('rejects garbage messages one by one and goes on with the stream', async () => {
    server = await startCertstreamServer();
    source = certstreamSource({ url: server.url, idleMs: 50, lingerMs: 50 });
    await connected(source, server);
    const good = [syntheticCertstreamMessage(1, 500), syntheticCertstreamMessage(2, 500)];
    // An unclosed object must not swallow the message after it.
    await server.send([good[0]!, 'not json at all', '{"message_type":"certificate_update","data":{', '{"message_type":"surprise"}', good[1]!]);

    const { batches, position } = await collect(source, 5);
    expect(domainsOf(batches.flatMap((b) => b.records))).toEqual(['n1.example.com', 'n2.example.com']);
    const rejected = batches.flatMap((b) => b.rejected ?? []);
    expect(rejected.map((r) => r.at)).toEqual(['message 2', 'message 3', 'message 4']);
    expect(rejected[2]!.message).toMatch(/surprise/);
    expect(position).toMatchObject({ seen: 5, logs: { 'ct.example/log/': 2 } });
  });

  it('continues the counts of the position it is given (a restart)', async () => {
    server = await startCertstreamServer();
    source = certstreamSource({ url: server.url, idleMs: 50, lingerMs: 20 });
    await connected(source, server);
    await server.send(['garbage', syntheticCertstreamMessage(7, 500)]);
    const { batches, position } = await collect(source, 2, { seen: 10, dropped: 3, logs: { 'ct.example/log/': 9, 'other/': 4 } });
    expect(batches.flatMap((b) => b.rejected ?? []).map((r) => r.at)).toEqual(['message 11']);
    // cert_index 7 is older than the 9 already seen: the latest stays.
    expect(position).toEqual({ seen: 12, dropped: 3, logs: { 'ct.example/log/': 9, 'other/': 4 } });
  });

  it('pauses the socket when a slow consumer lets the queue fill: the queue stays bounded, nothing is lost', async () => {
    server = await startCertstreamServer();
    const bufferLimit = 64;
    source = certstreamSource({ url: server.url, bufferLimit, batchSize: 5, idleMs: 200, lingerMs: 0 });
    await connected(source, server);
    const total = 600;
    const sent = server.send(Array.from({ length: total }, (_, i) => syntheticCertstreamMessage(i, 3000)));

    const domains: string[] = [];
    let position: FeedPosition | undefined;
    let maxQueued = 0;
    for (let round = 0; round < 2000 && domains.length < total; round++) {
      const b = await source.next(position, signal);
      maxQueued = Math.max(maxQueued, source.stats().queued);
      if (b === 'idle') continue;
      expect(b.records.length).toBeLessThanOrEqual(5 * 3);
      domains.push(...domainsOf(b.records));
      position = b.position;
      await new Promise((r) => setTimeout(r, 2)); // the slow store
    }
    await sent;
    expect(domains).toEqual(Array.from({ length: total }, (_, i) => `n${i}.example.com`));
    const stats = source.stats();
    expect(stats.maxQueued).toBeLessThanOrEqual(bufferLimit);
    expect(maxQueued).toBeLessThanOrEqual(bufferLimit);
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.dropped).toBe(0);
    expect(position).toMatchObject({ seen: total, dropped: 0 });
  });

  it('drops and counts what still arrives past the limit once paused (one socket read of tiny messages)', async () => {
    server = await startCertstreamServer();
    const bufferLimit = 10;
    source = certstreamSource({ url: server.url, bufferLimit, batchSize: 3, idleMs: 100, lingerMs: 0 });
    await connected(source, server);
    const total = 2000; // ~200 bytes each: one 64 KiB read holds hundreds
    await server.send(Array.from({ length: total }, (_, i) => syntheticCertstreamMessage(i, 200)));

    let delivered = 0;
    let position: FeedPosition | undefined;
    const notes: string[] = [];
    for (let round = 0; round < 3000 && delivered + source.stats().dropped < total; round++) {
      const b = await source.next(position, signal);
      expect(source.stats().queued).toBeLessThanOrEqual(bufferLimit);
      if (b === 'idle') continue;
      delivered += domainsOf(b.records).length;
      notes.push(...(b.rejected ?? []).filter((r) => r.at === 'buffer').map((r) => r.message));
      position = b.position;
    }
    for (let round = 0; round < 20 && source.stats().queued > 0; round++) {
      const b = await source.next(position, signal);
      if (b === 'idle') continue;
      delivered += domainsOf(b.records).length;
      notes.push(...(b.rejected ?? []).filter((r) => r.at === 'buffer').map((r) => r.message));
      position = b.position;
    }
    const { dropped, maxQueued, received } = source.stats();
    expect(received).toBe(total);
    expect(dropped).toBeGreaterThan(0);
    expect(delivered + dropped).toBe(total);
    expect(maxQueued).toBeLessThanOrEqual(bufferLimit);
    expect(position).toMatchObject({ seen: delivered, dropped });
    expect(notes.join(' ')).toMatch(/dropped: the queue was full/);
  });

  it('reports a dropped connection once, then reconnects and goes on', async () => {
    server = await startCertstreamServer();
    source = certstreamSource({ url: server.url, idleMs: 50, lingerMs: 20, backoff: { minMs: 10, maxMs: 100 } });
    await connected(source, server);
    await server.send([syntheticCertstreamMessage(1, 500), syntheticCertstreamMessage(2, 500)]);
    const before = await collect(source, 2);
    expect(domainsOf(before.batches.flatMap((b) => b.records))).toEqual(['n1.example.com', 'n2.example.com']);

    server.dropConnections();
    let error: unknown;
    for (let i = 0; i < 50 && error === undefined; i++) {
      try {
        expect(await source.next(before.position, signal)).toBe('idle');
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).message).toMatch(/not recovered/);
    expect((error as FeedError).retryAfterMs).toBe(10);

    // The next calls reconnect (no second error while the server is up).
    const reconnecting = (async () => {
      for (let i = 0; i < 50 && server.connections() < 2; i++) expect(await source.next(before.position, signal)).toBe('idle');
    })();
    await server.waitForClients(1);
    await reconnecting;
    expect(server.connections()).toBe(2);
    await server.send([syntheticCertstreamMessage(3, 500)]);
    const after = await collect(source, 1, before.position);
    expect(domainsOf(after.batches.flatMap((b) => b.records))).toEqual(['n3.example.com']);
    expect(after.position).toMatchObject({ seen: 3 });
    expect(source.stats().connects).toBe(2);
  });

  it('backs off more after each failed connection', async () => {
    server = await startCertstreamServer();
    const url = server.url;
    await server.close();
    server = undefined;
    source = certstreamSource({ url, idleMs: 50, backoff: { minMs: 20, maxMs: 50 } });
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 100 && delays.length < 3; i++) {
      try {
        await source.next(undefined, signal);
      } catch (e) {
        expect(e).toBeInstanceOf(FeedError);
        expect((e as FeedError).message).toMatch(/ECONNREFUSED/);
        delays.push((e as FeedError).retryAfterMs);
      }
    }
    expect(delays).toEqual([20, 40, 50]);
  });

  it('reconnects when the server goes silent (no message, heartbeat or pong)', async () => {
    server = await startCertstreamServer({ autoPong: false });
    source = certstreamSource({ url: server.url, idleMs: 30, staleMs: 60, backoff: { minMs: 10 } });
    await connected(source, server);
    let error: unknown;
    for (let i = 0; i < 100 && error === undefined; i++) {
      try {
        await source.next(undefined, signal);
      } catch (e) {
        error = e;
      }
    }
    expect((error as Error).message).toMatch(/no message, heartbeat or pong/);
  });

  it('refuses a URL that is not a websocket', () => {
    expect(() => certstreamSource({ url: 'https://certstream.example/' })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => certstreamSource({ url: 'ws://10.0.0.1/', guard: {} })).toThrow(/refused/);
  });
});
