// A fake static-ct-api (tiled) CT log on 127.0.0.1 for tests: `checkpoint`, data tiles
// `tile/data/<N>` (256 entries) and partial tiles `tile/data/<N>.p/<W>` for the right edge,
// `issuer/<sha256>` for the chain certificates. Entries are built from certificates (entries.ts)
// with their leaf_index extension, or given as raw TileLeaf bytes. It grows while followed, can
// gzip its tiles, drops a partial tile once the full tile exists (as the spec allows), and
// misbehaves on demand.
//
//   const log = await startTiledLog({ entries: realCtEntries(300) });
//   ctTilesSource({ url: log.url, from: 0 });
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { tileIndexPath, TILE_WIDTH } from '../tiles.js';
import { leafIndexExtensions, timestampedEntry, tileLeaf, type CtEntrySpec } from './entries.js';
import { leafHash, merkleTreeHash } from './merkle.js';

/** A TileLeaf served as given (to serve one whose framing is broken). */
export interface RawTileLeaf {
  readonly tileLeaf: Uint8Array;
}

/**
 * What goes wrong: 'garbage' (200, bytes that are no TileLeaf / no checkpoint), 'truncated'
 * (200, the body cut in half with a consistent Content-Length), 'shrink' (the checkpoint says
 * half the tree), '429' (Retry-After: retryAfterS), '500', 'hang', '404'.
 */
export type TiledLogMisbehaviour = 'garbage' | 'truncated' | 'shrink' | '429' | '500' | 'hang' | '404';

export interface TiledLogServerOptions {
  readonly entries?: readonly (CtEntrySpec | RawTileLeaf)[];
  /** The checkpoint origin (default: the URL without scheme and trailing slash). */
  readonly origin?: string;
  /** Send data tiles with Content-Encoding: gzip. */
  readonly gzip?: boolean;
  /** Keep serving partial tiles after the full tile exists (default false: 404, as logs may). */
  readonly keepPartials?: boolean;
  /** Retry-After of '429', seconds (default 7). */
  readonly retryAfterS?: number;
  /** The checkpoint's timestamp (default: the newest entry's, else 2024-01-01). */
  readonly timestamp?: () => number;
}

export interface TiledLogServer {
  /** The monitoring prefix, ending in '/'. */
  readonly url: string;
  size(): number;
  append(entries: readonly (CtEntrySpec | RawTileLeaf)[]): void;
  /** Misbehave on `on` (default every path) until called again with undefined. */
  misbehave(what: TiledLogMisbehaviour | undefined, on?: 'checkpoint' | 'tile'): void;
  /** Paths requested, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

interface Stored {
  readonly tileLeaf: Buffer;
  readonly hash: Buffer;
  readonly timestamp?: number;
}

function uint64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
}

export async function startTiledLog(opts: TiledLogServerOptions = {}): Promise<TiledLogServer> {
  const entries: Stored[] = [];
  const issuers = new Map<string, Uint8Array>();
  const add = (e: CtEntrySpec | RawTileLeaf): void => {
    const index = entries.length;
    if ('tileLeaf' in e) {
      entries.push({ tileLeaf: Buffer.from(e.tileLeaf), hash: leafHash(e.tileLeaf) });
      return;
    }
    for (const c of e.chain ?? []) issuers.set(createHash('sha256').update(c).digest('hex'), c);
    // The Merkle leaf of a static-ct-api entry carries the same leaf_index extension as its TileLeaf.
    const leaf = Buffer.concat([Uint8Array.of(0, 0), timestampedEntry(e, leafIndexExtensions(index))]);
    entries.push({ tileLeaf: tileLeaf(e, index), hash: leafHash(leaf), timestamp: e.timestamp });
  };
  for (const e of opts.entries ?? []) add(e);
  let bad: { what: TiledLogMisbehaviour; on?: string } | undefined;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let origin = opts.origin ?? '';

  const checkpoint = (size: number): string => {
    let ts = Date.UTC(2024, 0, 1);
    if (opts.timestamp) ts = opts.timestamp();
    else for (let i = size - 1; i >= 0; i--) if (entries[i]!.timestamp !== undefined) { ts = entries[i]!.timestamp!; break; }
    const root = merkleTreeHash(entries.slice(0, size).map((e) => e.hash)).toString('base64');
    const keyId = createHash('sha256').update(`${origin}\n\x05`).digest().subarray(0, 4);
    // RFC6962NoteSignature: timestamp, then a TreeHeadSignature (hash, signature algorithms, an
    // empty signature here: nothing verifies it).
    const sig = Buffer.concat([keyId, uint64(ts), Uint8Array.of(4, 3, 0, 0)]);
    return `${origin}\n${size}\n${root}\n\n\u2014 ${origin} ${sig.toString('base64')}\n`;
  };

  /** The body of data tile `n` of `width`, or undefined when the log does not serve it. */
  const dataTile = (n: number, width: number | undefined): Buffer | undefined => {
    const first = n * TILE_WIDTH;
    const full = first + TILE_WIDTH <= entries.length;
    if (width === undefined) return full ? Buffer.concat(entries.slice(first, first + TILE_WIDTH).map((e) => e.tileLeaf)) : undefined;
    if (width < 1 || width >= TILE_WIDTH || first + width > entries.length) return undefined;
    if (full && opts.keepPartials !== true) return undefined;
    return Buffer.concat(entries.slice(first, first + width).map((e) => e.tileLeaf));
  };

  /** N of a tile path's index part, when written the one way tlog-tiles allows. */
  const tileIndex = (path: string): number | undefined => {
    const n = Number(path.replace(/[x/]/g, ''));
    return Number.isSafeInteger(n) && tileIndexPath(n) === path ? n : undefined;
  };

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const kind = path === '/checkpoint' ? 'checkpoint' : path.startsWith('/tile/') ? 'tile' : 'other';
    const fault = bad !== undefined && kind !== 'other' && (bad.on === undefined || bad.on === kind) ? bad.what : undefined;
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': kind === 'tile' ? 'application/octet-stream' : 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };

    let body: Buffer | undefined;
    if (kind === 'checkpoint') body = Buffer.from(checkpoint(fault === 'shrink' ? Math.floor(entries.length / 2) : entries.length));
    else if (kind === 'tile') {
      const m = /^\/tile\/data\/((?:x\d{3}\/)*\d{3})(?:\.p\/(\d+))?$/.exec(path);
      const n = m ? tileIndex(m[1]!) : undefined;
      body = n === undefined ? undefined : dataTile(n, m![2] === undefined ? undefined : Number(m![2]));
    } else {
      const m = /^\/issuer\/([0-9a-f]{64})$/.exec(path);
      const issuer = m ? issuers.get(m[1]!) : undefined;
      if (issuer) return send(200, Buffer.from(issuer), { 'content-type': 'application/pkix-cert' });
    }
    if (body === undefined) return send(404, 'not found\n', { 'content-type': 'text/plain' });

    switch (fault) {
      case undefined:
      case 'shrink':
        if (kind === 'tile' && opts.gzip === true) return send(200, gzipSync(body), { 'content-encoding': 'gzip' });
        return send(200, body);
      case 'garbage':
        return send(200, kind === 'tile' ? Buffer.from([0, 0, 1, 2, 3, 0xff, 0xff, 0xff, 9, 9, 9, 9, 9, 9, 9, 9, 9]) : '<html>maintenance</html>');
      case 'truncated':
        return send(200, body.subarray(0, Math.floor(body.length / 2)));
      case '429':
        return send(429, 'slow down\n', { 'retry-after': String(opts.retryAfterS ?? 7) });
      case '500':
        return send(500, 'internal error\n');
      case '404':
        return send(404, 'not found\n');
      case 'hang':
        return;
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  if (origin === '') origin = url.replace(/^http:\/\//, '').replace(/\/$/, '');

  return {
    url,
    size: () => entries.length,
    append(more) {
      for (const e of more) add(e);
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
