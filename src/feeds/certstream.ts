// certstream (live.md "Feeds", `certstream:ws(s)://…`): a websocket server that pushes a JSON
// `certificate_update` message for every certificate the CT logs it follows publish. Each message
// is decoded by the certstream file parser (ingest/parsers/certstream.ts) as one line, so a
// message gives the same records whether it arrives here or through `warren ingest`.
//
// certstream is a live push stream: it cannot be asked for "what came after X". Certificates
// broadcast while Warren is not connected (down, reconnecting, or its buffer full) are NOT
// recovered; following the CT logs themselves (`ct:`) is the resumable way. The position is
// therefore information only: `{ seen, dropped, logs }` — messages consumed, messages dropped
// because the buffer was full, and the latest `cert_index` seen per CT log.
//
// Memory stays bounded: received messages wait in a queue of at most `bufferLimit` messages and
// `bufferBytes` bytes. At half of either the socket is paused (TCP flow control then slows the
// server) and it resumes once the consumer has drained the queue to a quarter. Messages that were
// already read from the socket when it was paused (at most one socket read, 64 KiB) still arrive:
// the other half absorbs them; whatever would pass the limit is dropped and counted.
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { certstreamLines } from '../ingest/parsers/certstream.js';
import type { IngestRecord } from '../ingest/records.js';
import { guardedLookup, refusedUrl, type GuardOptions } from '../net/guarded-http.js';
import { FeedError, type FeedBatch, type FeedPosition, type FeedProgress, type FeedSource } from './types.js';

export interface CertstreamOptions {
  /** The server's websocket URL (`ws://` or `wss://`). */
  readonly url: string;
  /** Most messages held between the socket and next() (default 1,000). */
  readonly bufferLimit?: number;
  /** Most bytes of messages held (default 64 MiB). */
  readonly bufferBytes?: number;
  /** Most messages one next() returns (default 500). */
  readonly batchSize?: number;
  /** How long next() waits for a message before answering 'idle' (default 1 s). */
  readonly idleMs?: number;
  /** Once a message is there, how long next() waits for more to fill the batch (default 200 ms). */
  readonly lingerMs?: number;
  /** Wait before reconnecting: doubles from minMs to maxMs after each failure (default 1 s to 60 s). */
  readonly backoff?: { readonly minMs?: number; readonly maxMs?: number };
  /** No frame at all (message, heartbeat, pong) for this long while reading: reconnect (default 120 s). */
  readonly staleMs?: number;
  /**
   * The SSRF guard (default: every address allowed — the URL is the operator's configuration, not
   * something a user submitted; the scheme is still checked).
   */
  readonly guard?: GuardOptions;
  /** The observation source of the records (default: the feed id, `certstream:<url>`). */
  readonly source?: string;
}

/** What the source is doing, for tests and `--status`. */
export interface CertstreamStats {
  /** Messages waiting in the queue now, and the most there ever were. */
  readonly queued: number;
  readonly maxQueued: number;
  readonly queuedBytes: number;
  /** Whether the socket is paused now, and how many times it was. */
  readonly paused: boolean;
  readonly pauses: number;
  /** Messages received (heartbeats excepted), and dropped because the queue was full. */
  readonly received: number;
  readonly dropped: number;
  /** Connections opened. */
  readonly connects: number;
}

export interface CertstreamSource extends FeedSource {
  stats(): CertstreamStats;
}

// Largest message accepted: certstream messages are a few KiB, with the chain tens of KiB; the
// file parser keeps values up to the same size.
const MAX_PAYLOAD = 16 * 1024 * 1024;

interface Queued {
  readonly text: string;
  readonly bytes: number;
}

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the position keeps of a message: its log and index (JSON that does not parse gives none). */
function messageInfo(text: string): { log?: string; index?: number; seen?: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  const data = isObject(value) && isObject(value.data) ? value.data : undefined;
  if (data === undefined) return {};
  const source = isObject(data.source) ? data.source : undefined;
  const log = typeof source?.url === 'string' ? source.url : typeof source?.name === 'string' ? source.name : undefined;
  const index = typeof data.cert_index === 'number' && Number.isSafeInteger(data.cert_index) ? data.cert_index : undefined;
  const seen = typeof data.seen === 'number' && Number.isFinite(data.seen) ? data.seen : undefined;
  return { ...(log !== undefined ? { log } : {}), ...(index !== undefined ? { index } : {}), ...(seen !== undefined ? { seen } : {}) };
}

function count(position: FeedPosition | undefined, key: string): number {
  const v = position?.[key];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;
}

function logIndexes(position: FeedPosition | undefined): Record<string, number> {
  const logs = position?.logs;
  const out: Record<string, number> = {};
  if (!isObject(logs)) return out;
  for (const [k, v] of Object.entries(logs)) if (typeof v === 'number') out[k] = v;
  return out;
}

// calidog's server sends `{"message_type": "heartbeat", "timestamp": …}` every 30 s or so.
const HEARTBEAT = /"message_type"\s*:\s*"heartbeat"/;

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

class Certstream implements CertstreamSource {
  readonly id: string;
  private readonly url: string;
  private readonly source: string;
  private readonly bufferLimit: number;
  private readonly bufferBytes: number;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly lingerMs: number;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;
  private readonly staleMs: number;
  private readonly lookup: LookupFunction;

  private ws: WebSocket | undefined;
  private queue: Queued[] = [];
  private queuedBytes = 0;
  private maxQueued = 0;
  private pauses = 0;
  private received = 0;
  private dropped = 0;
  private droppedSinceBatch = 0;
  private connects = 0;
  private backoffMs: number;
  private reconnectAt = 0;
  private pendingError: FeedError | undefined;
  private failure: string | undefined;
  private lastFrame = 0;
  private staleTimer: NodeJS.Timeout | undefined;
  private newest: string | undefined;
  private closed = false;
  private readonly waiters = new Set<Waiter>();

  constructor(options: CertstreamOptions) {
    let u: URL;
    try {
      u = new URL(options.url);
    } catch {
      throw new Error(`certstream: "${options.url}" is not a URL`);
    }
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error(`certstream: ${options.url} is not a ws:// or wss:// URL`);
    const guard = options.guard ?? { allowPrivate: true };
    // The guard speaks http(s); a websocket is an HTTP upgrade to the same host.
    const why = refusedUrl(`${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}/`, guard);
    if (why !== undefined) throw new Error(`certstream: ${options.url} refused: ${why}`);
    this.url = options.url;
    this.id = `certstream:${options.url}`;
    this.source = options.source ?? this.id;
    this.bufferLimit = Math.max(2, options.bufferLimit ?? 1000);
    this.bufferBytes = Math.max(2 * 1024, options.bufferBytes ?? 64 * 1024 * 1024);
    this.batchSize = Math.max(1, options.batchSize ?? 500);
    this.idleMs = Math.max(0, options.idleMs ?? 1000);
    this.lingerMs = Math.max(0, options.lingerMs ?? 200);
    this.minBackoff = Math.max(0, options.backoff?.minMs ?? 1000);
    this.maxBackoff = Math.max(this.minBackoff, options.backoff?.maxMs ?? 60_000);
    this.backoffMs = this.minBackoff;
    this.staleMs = Math.max(10, options.staleMs ?? 120_000);
    this.lookup = guardedLookup(guard);
  }

  async next(position: FeedPosition | undefined, signal: AbortSignal): Promise<FeedBatch | 'idle'> {
    if (this.closed) throw new FeedError(`${this.id}: closed`);
    if (this.queue.length === 0) {
      this.throwPending();
      if (signal.aborted) return 'idle';
      if (this.ws === undefined) {
        const wait = this.reconnectAt - performance.now();
        if (wait > 0) {
          await this.wait(Math.min(wait, this.idleMs), signal, () => false);
          return 'idle';
        }
        this.connect();
      }
      await this.wait(this.idleMs, signal, () => this.queue.length > 0);
      if (this.queue.length === 0) {
        this.throwPending();
        return 'idle';
      }
      // One message per batch would mean one store transaction per certificate: let a batch fill.
      if (this.queue.length < this.batchSize && this.ws !== undefined) await this.wait(this.lingerMs, signal, () => this.queue.length >= this.batchSize);
    }
    return this.batch(position);
  }

  progress(): FeedProgress {
    return this.newest === undefined ? {} : { newest: this.newest };
  }

  stats(): CertstreamStats {
    return {
      queued: this.queue.length,
      maxQueued: this.maxQueued,
      queuedBytes: this.queuedBytes,
      paused: this.ws?.isPaused ?? false,
      pauses: this.pauses,
      received: this.received,
      dropped: this.dropped,
      connects: this.connects,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    const ws = this.ws;
    this.disconnect();
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      // A polite close frame first; a server that does not answer it is cut off.
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
    });
  }

  private throwPending(): void {
    const e = this.pendingError;
    if (e === undefined) return;
    this.pendingError = undefined;
    throw e;
  }

  private connect(): void {
    const options: ClientOptions & { lookup: LookupFunction } = { maxPayload: MAX_PAYLOAD, handshakeTimeout: 30_000, lookup: this.lookup };
    const ws = new WebSocket(this.url, options);
    this.ws = ws;
    this.failure = undefined;
    this.lastFrame = performance.now();
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.connects++;
      this.lastFrame = performance.now();
      this.staleTimer = setInterval(() => this.checkStale(ws), Math.max(5, Math.floor(this.staleMs / 4)));
      this.staleTimer.unref();
    });
    // Text or binary frames alike carry JSON text.
    ws.on('message', (data) => this.receive(ws, data));
    ws.on('ping', () => this.touch(ws));
    ws.on('pong', () => this.touch(ws));
    // 'close' always follows 'error' (ws emits both), so the error is reported from there.
    ws.on('error', (e) => {
      if (this.ws === ws) this.failure ??= e.message;
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.disconnect();
      if (this.closed) return;
      const why = this.failure ?? `connection closed (code ${code}${reason.length > 0 ? `, ${reason.toString('utf8').slice(0, 200)}` : ''})`;
      const retryAfterMs = this.backoffMs;
      this.reconnectAt = performance.now() + retryAfterMs;
      this.backoffMs = Math.min(this.maxBackoff, Math.max(1, this.backoffMs * 2));
      this.pendingError = new FeedError(`${this.id}: ${why}; reconnecting (messages broadcast meanwhile are not recovered)`, retryAfterMs);
      this.wake();
    });
  }

  private disconnect(): void {
    if (this.staleTimer !== undefined) clearInterval(this.staleTimer);
    this.staleTimer = undefined;
    this.ws = undefined;
  }

  private touch(ws: WebSocket): void {
    if (this.ws === ws) this.lastFrame = performance.now();
  }

  private checkStale(ws: WebSocket): void {
    if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
    // Paused, nothing arrives by our own choice: that is not a dead server.
    if (ws.isPaused) {
      this.lastFrame = performance.now();
      return;
    }
    const quiet = performance.now() - this.lastFrame;
    if (quiet > this.staleMs) {
      this.failure = `no message, heartbeat or pong for ${Math.round(quiet)} ms`;
      ws.terminate(); // emits 'close' (1006): reported and retried from there
      return;
    }
    // Ask for a pong when the server has been quiet for a while (servers that send no heartbeat).
    if (quiet > this.staleMs / 2) ws.ping();
  }

  private receive(ws: WebSocket, data: RawData): void {
    if (this.ws !== ws) return;
    this.lastFrame = performance.now();
    const bytes = Buffer.isBuffer(data) ? data.length : Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    // Heartbeats are short; a long message that mentions the word is read as a message.
    if (bytes < 512) {
      const text = rawText(data);
      if (HEARTBEAT.test(text)) return;
    }
    this.received++;
    // A success resets the back-off: a server that accepts and drops at once keeps backing off.
    this.backoffMs = this.minBackoff;
    if (this.queue.length >= this.bufferLimit || this.queuedBytes + bytes > this.bufferBytes) {
      this.dropped++;
      this.droppedSinceBatch++;
      return;
    }
    this.queue.push({ text: rawText(data), bytes });
    this.queuedBytes += bytes;
    if (this.queue.length > this.maxQueued) this.maxQueued = this.queue.length;
    if (!ws.isPaused && (this.queue.length >= this.bufferLimit / 2 || this.queuedBytes >= this.bufferBytes / 2)) {
      ws.pause();
      this.pauses++;
    }
    this.wake();
  }

  private batch(position: FeedPosition | undefined): FeedBatch {
    const take = this.queue.splice(0, this.batchSize);
    for (const m of take) this.queuedBytes -= m.bytes;
    const ws = this.ws;
    if (ws?.isPaused === true && this.queue.length <= this.bufferLimit / 4 && this.queuedBytes <= this.bufferBytes / 4) ws.resume();

    const first = count(position, 'seen');
    const logs = logIndexes(position);
    const records: IngestRecord[] = [];
    const rejected: { at: string; message: string }[] = [];
    take.forEach((m, i) => {
      const at = `message ${first + i + 1}`;
      const info = messageInfo(m.text);
      if (info.log !== undefined && info.index !== undefined && info.index > (logs[info.log] ?? -1)) logs[info.log] = info.index;
      if (info.seen !== undefined) {
        const iso = new Date(Math.floor(info.seen) * 1000);
        if (!Number.isNaN(iso.getTime())) this.newest = `${iso.toISOString().slice(0, 19)}Z`;
      }
      // One message is one line, parsed on its own: a broken message cannot swallow the next.
      const parser = certstreamLines({ source: this.source });
      const text = m.text.trim();
      for (const r of [parser.line(text, 1), parser.end()]) {
        for (const rec of r.records) records.push(rec);
        for (const e of r.errors) rejected.push({ at, message: e.message });
      }
    });
    const dropped = this.droppedSinceBatch;
    this.droppedSinceBatch = 0;
    if (dropped > 0) rejected.push({ at: 'buffer', message: `${dropped} message(s) dropped: the queue was full (${this.bufferLimit} messages)` });
    return {
      records,
      entries: take.length,
      position: { seen: first + take.length, dropped: count(position, 'dropped') + dropped, logs },
      ...(rejected.length > 0 ? { rejected } : {}),
    };
  }

  /** Wakes the waiters whose condition holds (all of them once the connection broke or closed). */
  private wake(): void {
    const all = this.closed || this.pendingError !== undefined;
    for (const w of [...this.waiters]) if (all || w.until()) w.done();
  }

  /** Waits `ms`, or less: until `until()` holds, the connection breaks, or the signal aborts. */
  private wait(ms: number, signal: AbortSignal, until: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        until,
        done: () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', waiter.done);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, ms);
      signal.addEventListener('abort', waiter.done, { once: true });
      this.waiters.add(waiter);
    });
  }
}

interface Waiter {
  readonly until: () => boolean;
  readonly done: () => void;
}

/** A certstream feed (`certstream:<url>`); it connects on the first next(). */
export function certstreamSource(options: CertstreamOptions): CertstreamSource {
  return new Certstream(options);
}
