// A static-ct-api (tiled) CT log as a feed (live.md "Feeds", `ct-tiles:URL`, c2sp.org/static-ct-api):
// `checkpoint` (a signed note: origin, tree size, root hash) for the size, `tile/data/<N>` for
// entries 256·N to 256·N+255, and `tile/data/<N>.p/<W>` for the W entries of the right edge
// while that tile is not full. Each data tile is a run of TileLeaf structures (leaf.ts); the
// certificate chain is given by fingerprints only, which are not needed: only the logged
// certificate or pre-certificate is kept (entry-records.ts).
//
// A tile is immutable and only readable as a whole run: an entry whose framing does not decode
// leaves every later entry of the tile unplaceable, so a tile that does not decode (or holds
// fewer entries than its width, or says a leaf index other than its place) is a FeedError,
// retried, never a partial read. A certificate that does not decode inside a well-framed entry
// is that entry's rejection only.
//
// Tailing reads the partial tile of the current checkpoint, so new entries are seen within a
// poll rather than once 256 have gathered (the spec lets a monitor skip partial tiles; latency
// matters more here). When a partial tile is gone because the full tile replaced it, the full
// tile is read instead. The checkpoint's signature is not verified (nor is an RFC 6962 STH's):
// the source trusts the URL it was given.
import { FeedError, type FeedSource } from '../types.js';
import { logBaseUrl, positiveInteger } from './config.js';
import { ctEntryRecords, ctObservationSource } from './entry-records.js';
import { followLog, type CtFrom, type LogHead, type LogProtocol, type LogRead } from './follow.js';
import { CtHttpError, ctGet } from './http.js';
import { leafIndexExtension, readTileLeaf, type TileLeaf } from './leaf.js';
import { TlsReader } from './tls-reader.js';

export const TILE_WIDTH = 256;

export interface CtTilesOptions {
  /** The log's monitoring prefix (where `checkpoint` and `tile/` are). */
  readonly url: string;
  /** Start on first contact: an index, or `latest-N` (default `latest-0`: the tail). */
  readonly from?: CtFrom;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
  /** Most bytes of one tile, after gzip (default 32 MiB). */
  readonly maxBodyBytes?: number;
  /** How old the checkpoint may get while reading behind it before it is read again (default 60 s). */
  readonly checkpointMaxAgeMs?: number;
  readonly now?: () => Date;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  /** Base64 of the 32-byte root hash, as written. */
  readonly rootHash: string;
  /** The RFC6962NoteSignature timestamp (ms) of the origin's signature, when there is one. */
  readonly timestamp?: number;
}

/**
 * The timestamp of an RFC6962NoteSignature (key ID[4], uint64 timestamp, then a digitally-signed
 * TreeHeadSignature: hash algorithm, signature algorithm, signature<0..2^16-1>), or undefined
 * when the signature is not one (a log may sign its checkpoint with other key types too).
 */
function noteSignatureTimestamp(sig: Buffer): number | undefined {
  if (sig.length < 16 || sig.length !== 16 + sig.readUInt16BE(14)) return undefined;
  try {
    return new TlsReader(sig.subarray(4, 12)).uint64('timestamp');
  } catch {
    return undefined;
  }
}

/**
 * Reads a checkpoint (c2sp.org/tlog-checkpoint): origin, tree size and root hash lines, optional
 * extension lines, a blank line, then signature lines `— <key name> <base64>`. The timestamp
 * is that of the origin's own signature (static-ct-api: key ID then `uint64 timestamp`).
 */
export function parseCheckpoint(text: string): Checkpoint {
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw new Error('a checkpoint has a note text, a blank line and signatures; no blank line here');
  const lines = text.slice(0, blank).split('\n');
  const [origin, sizeLine, rootHash] = lines;
  if (origin === undefined || origin === '' || sizeLine === undefined || rootHash === undefined) throw new Error('a checkpoint starts with origin, tree size and root hash lines');
  if (!/^(0|[1-9]\d*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) throw new Error(`checkpoint tree size ${JSON.stringify(sizeLine.slice(0, 30))} is not a decimal number`);
  if (!/^[A-Za-z0-9+/]{43}=$/.test(rootHash)) throw new Error('checkpoint root hash is not the base64 of 32 bytes');
  let timestamp: number | undefined;
  for (const line of text.slice(blank + 2).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (m?.[1] === origin && timestamp === undefined) timestamp = noteSignatureTimestamp(Buffer.from(m[2]!, 'base64'));
  }
  return timestamp === undefined ? { origin, size: Number(sizeLine), rootHash } : { origin, size: Number(sizeLine), rootHash, timestamp };
}

/** `<N>` of a tile path: 3-digit elements, all but the last prefixed with `x` (1234067 → x001/x234/067). */
export function tileIndexPath(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`tile index ${n}`);
  const groups: string[] = [];
  let v = n;
  do {
    groups.unshift(String(v % 1000).padStart(3, '0'));
    v = Math.floor(v / 1000);
  } while (v > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** The path of data tile N: full, or partial of width W (1 to 255). */
export function dataTilePath(n: number, width?: number): string {
  return width === undefined || width === TILE_WIDTH ? `tile/data/${tileIndexPath(n)}` : `tile/data/${tileIndexPath(n)}.p/${width}`;
}

/**
 * The first `count` TileLeaf entries of data tile `n`: a FeedError when it holds fewer, and when
 * `exact`, more (a full tile read in place of a vanished partial one holds more than asked).
 */
export function decodeDataTile(body: Uint8Array, n: number, count: number, exact: boolean, what: string): TileLeaf[] {
  const r = new TlsReader(body);
  const out: TileLeaf[] = [];
  while (out.length < count) {
    if (r.remaining === 0) throw new FeedError(`${what}: holds ${out.length} entries, ${count} expected`);
    const index = n * TILE_WIDTH + out.length;
    const at = r.position;
    let leaf: TileLeaf;
    try {
      leaf = readTileLeaf(r);
    } catch (e) {
      throw new FeedError(`${what}: entry ${index} (byte ${at}) does not decode: ${e instanceof Error ? e.message : String(e)}`);
    }
    const said = leafIndexExtension(leaf.entry.extensions);
    if (said !== undefined && said !== index) throw new FeedError(`${what}: entry ${index} says it is leaf ${said}`);
    out.push(leaf);
  }
  if (exact && r.remaining > 0) throw new FeedError(`${what}: ${r.remaining} bytes after its ${count} entries`);
  return out;
}



export function ctTilesSource(opts: CtTilesOptions): FeedSource {
  const base = logBaseUrl('ct-tiles', opts.url);
  const source = ctObservationSource(base);
  const timeoutMs = positiveInteger(opts.timeoutMs, 30_000, 'timeout');
  const maxBodyBytes = positiveInteger(opts.maxBodyBytes, 32 * 1024 * 1024, 'answer size cap');
  const now = opts.now ?? (() => new Date());
  const get = (path: string, what: string, signal: AbortSignal, cap = maxBodyBytes): Promise<Buffer> =>
    ctGet(new URL(path, base).href, { timeoutMs, signal, maxBodyBytes: cap, now, what });

  /** Data tile `n` of `width` entries; the full tile when that partial one is gone. */
  const fetchTile = async (n: number, width: number, signal: AbortSignal): Promise<{ body: Buffer; path: string; exact: boolean }> => {
    const path = dataTilePath(n, width);
    try {
      return { body: await get(path, path, signal), path, exact: true };
    } catch (e) {
      // The partial tile may have been replaced by the full one since the checkpoint was read.
      if (width === TILE_WIDTH || !(e instanceof CtHttpError) || e.status !== 404) throw e;
      const full = dataTilePath(n);
      return { body: await get(full, `${path} (gone) then ${full}`, signal), path: full, exact: false };
    }
  };

  const protocol: LogProtocol = {
    async head(signal): Promise<LogHead> {
      const body = await get('checkpoint', 'checkpoint', signal, 64 * 1024);
      let cp: Checkpoint;
      try {
        cp = parseCheckpoint(body.toString('utf8'));
      } catch (e) {
        throw new FeedError(`checkpoint: ${e instanceof Error ? e.message : String(e)}`);
      }
      return cp.timestamp === undefined ? { size: cp.size } : { size: cp.size, timestamp: cp.timestamp };
    },

    async read(start, size, signal): Promise<LogRead> {
      const n = Math.floor(start / TILE_WIDTH);
      const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
      const tile = await fetchTile(n, width, signal);
      const leaves = decodeDataTile(tile.body, n, width, tile.exact, tile.path);
      const out: LogRead = { records: [], entries: width - (start - n * TILE_WIDTH), rejected: [] };
      for (let i = start - n * TILE_WIDTH; i < width; i++) {
        const leaf = leaves[i]!;
        const outcome = ctEntryRecords(leaf.entry, leaf.preCertificate, source);
        if ('error' in outcome) out.rejected.push({ at: `entry ${n * TILE_WIDTH + i}`, message: outcome.error });
        else for (const r of outcome.records) out.records.push(r);
      }
      return out;
    },
  };

  return followLog(`ct-tiles:${opts.url}`, protocol, { from: opts.from, now, headMaxAgeMs: opts.checkpointMaxAgeMs ?? 60_000 });
}
