// A fake RFC 6962 CT log on 127.0.0.1 for tests: `ct/v1/get-sth` and `ct/v1/get-entries` over
// entries built from certificates (entries.ts) or given raw (to serve corrupt ones). It grows
// while followed (append), caps get-entries at `maxBatch` like real logs (optionally at page
// edges, as Trillian-based logs do), and misbehaves on demand.
//
//   const log = await startCtLog({ entries: realCtEntries(), maxBatch: 32 });
//   ctLogSource({ url: log.url, from: 0 });   log.append(more);   log.misbehave('429');
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extraData, merkleTreeLeaf, type CtEntrySpec } from './entries.js';
import { leafHash, merkleTreeHash } from './merkle.js';

/** An entry served as given: base64 texts that need not decode (or not be base64 at all). */
export interface RawCtEntry {
  readonly leaf_input: string;
  readonly extra_data: string;
}

/**
 * What goes wrong: 'garbage' (200 with HTML), 'truncated' (200, JSON cut in half, consistent
 * Content-Length), 'cut' (the connection closes halfway through the declared body), 'shrink'
 * (get-sth says half the tree), '429' (Retry-After: retryAfterS), '500', 'hang' (no answer),
 * 'no-entries' (get-entries answers an empty list).
 */
export type CtLogMisbehaviour = 'garbage' | 'truncated' | 'cut' | 'shrink' | '429' | '500' | 'hang' | 'no-entries';

export interface CtLogServerOptions {
  readonly entries?: readonly (CtEntrySpec | RawCtEntry)[];
  /** Most entries one get-entries returns (default 256). */
  readonly maxBatch?: number;
  /** Cap at page edges too: a request starting inside a page of maxBatch ends at the page's end. */
  readonly pageAligned?: boolean;
  /** Retry-After of '429', seconds (default 7). */
  readonly retryAfterS?: number;
  /** The STH timestamp (default: the newest entry's timestamp, else 2024-01-01). */
  readonly sthTimestamp?: () => number;
}

export interface CtLogRequest {
  readonly path: string;
  readonly start?: number;
  readonly end?: number;
  /** Entries returned (get-entries). */
  readonly returned?: number;
}

export interface CtLogServer {
  /** The log's base URL, ending in '/'. */
  readonly url: string;
  size(): number;
  append(entries: readonly (CtEntrySpec | RawCtEntry)[]): void;
  setMaxBatch(n: number): void;
  /** Misbehave on `on` (default both endpoints) until called again with undefined. */
  misbehave(what: CtLogMisbehaviour | undefined, on?: 'get-sth' | 'get-entries'): void;
  readonly requests: readonly CtLogRequest[];
  close(): Promise<void>;
}

interface Stored {
  readonly raw: RawCtEntry;
  readonly hash: Buffer;
  readonly timestamp?: number;
}

function store(e: CtEntrySpec | RawCtEntry): Stored {
  if ('leaf_input' in e) return { raw: e, hash: leafHash(Buffer.from(e.leaf_input, 'base64')) };
  const leaf = merkleTreeLeaf(e);
  return { raw: { leaf_input: leaf.toString('base64'), extra_data: extraData(e).toString('base64') }, hash: leafHash(leaf), timestamp: e.timestamp };
}

export async function startCtLog(opts: CtLogServerOptions = {}): Promise<CtLogServer> {
  const entries: Stored[] = (opts.entries ?? []).map(store);
  let maxBatch = opts.maxBatch ?? 256;
  let bad: { what: CtLogMisbehaviour; on?: string } | undefined;
  const requests: CtLogRequest[] = [];
  const sockets = new Set<Socket>();

  const sthTimestamp = (): number => {
    if (opts.sthTimestamp) return opts.sthTimestamp();
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.timestamp !== undefined) return entries[i]!.timestamp!;
    return Date.UTC(2024, 0, 1);
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const endpoint = u.pathname.replace(/^\/ct\/v1\//, '');
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const log: { path: string; start?: number; end?: number; returned?: number } = { path: u.pathname };
    requests.push(log);
    const fault = bad !== undefined && (bad.on === undefined || bad.on === endpoint) ? bad.what : undefined;

    let body: string;
    if (endpoint === 'get-sth') {
      const size = fault === 'shrink' ? Math.floor(entries.length / 2) : entries.length;
      body = JSON.stringify({
        tree_size: size,
        timestamp: sthTimestamp(),
        sha256_root_hash: merkleTreeHash(entries.slice(0, size).map((e) => e.hash)).toString('base64'),
        tree_head_signature: createHash('sha256').update(String(size)).digest('base64'), // not a real signature: nothing verifies it
      });
    } else if (endpoint === 'get-entries') {
      const start = Number(u.searchParams.get('start'));
      const end = Number(u.searchParams.get('end'));
      log.start = start;
      log.end = end;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || start >= entries.length) {
        return send(400, JSON.stringify({ error_message: 'bad start or end', success: false }));
      }
      let last = Math.min(end, entries.length - 1, start + maxBatch - 1);
      if (opts.pageAligned === true) last = Math.min(last, (Math.floor(start / maxBatch) + 1) * maxBatch - 1);
      const slice = fault === 'no-entries' ? [] : entries.slice(start, last + 1);
      log.returned = slice.length;
      body = JSON.stringify({ entries: slice.map((e) => e.raw) });
    } else {
      return send(404, JSON.stringify({ error_message: 'not found' }));
    }

    switch (fault) {
      case undefined:
      case 'shrink':
      case 'no-entries':
        return send(200, body);
      case 'garbage':
        return send(200, '<!doctype html><html><body>Service temporarily unavailable</body></html>', { 'content-type': 'text/html' });
      case 'truncated':
        return send(200, body.slice(0, Math.floor(body.length / 2)));
      case 'cut':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case '429':
        return send(429, JSON.stringify({ error_message: 'rate limited' }), { 'retry-after': String(opts.retryAfterS ?? 7) });
      case '500':
        return send(500, JSON.stringify({ error_message: 'internal error' }));
      case 'hang':
        return; // close() destroys the socket
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    size: () => entries.length,
    append(more) {
      for (const e of more) entries.push(store(e));
    },
    setMaxBatch(n) {
      maxBatch = n;
    },
    misbehave(what, on) {
      bad = what === undefined ? undefined : on === undefined ? { what } : { what, on };
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
