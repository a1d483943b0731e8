// A byte stream cut into pieces that end at line ends, for `warren scan` on several threads: the
// reading thread only finds line ends and counts them, and hands each piece's bytes over without
// copying; whoever scans the piece decodes and splits it (linesOf) exactly as readLineBatches
// would have, with the same line numbers. A line can only be cut where it ends, so a piece is
// whole UTF-8 and the pieces' lines are the stream's lines.
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type Line } from './lines.js';

export interface Piece {
  /** Whole lines (the last may lack its terminator at the end of input); owns its buffer. */
  readonly bytes: Uint8Array;
  /** Lines before this piece. */
  readonly linesBefore: number;
  /** A line too long to keep comes first (its bytes were dropped as they were read). */
  readonly tooLongFirst: boolean;
}

const NL = 10;

/** The piece's lines, numbered in the stream. */
export function linesOf(piece: Piece, maxLineBytes = DEFAULT_MAX_LINE_BYTES): Line[] {
  const out: Line[] = [];
  let before = piece.linesBefore;
  if (piece.tooLongFirst) out.push({ number: ++before, text: '', tooLong: true });
  const splitter = new LineSplitter(maxLineBytes, before);
  splitter.push(Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength), out);
  splitter.end(out);
  return out;
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(NL); i >= 0; i = bytes.indexOf(NL, i + 1)) n++;
  return n;
}

/** Copies the parts into one buffer of its own (never Node's shared pool: the buffer is transferred). */
function join(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(length));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The stream as pieces, one per chunk that ends a line. A line is held until it ends; one longer
 * than 3 × maxLineBytes bytes (more than maxLineBytes characters whatever its UTF-8) is dropped
 * as it is read and reported as the next piece's `tooLongFirst`, so memory stays bounded.
 * Shorter lines over the limit are left to linesOf, which measures them as readLineBatches does.
 */
export async function* readPieces(source: AsyncIterable<Buffer | string>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Piece> {
  const dropAt = 3 * maxLineBytes;
  let carry: Uint8Array[] = [];
  let carryBytes = 0;
  let skipping = false;
  let tooLongFirst = false;
  let lines = 0;
  for await (const raw of source) {
    let chunk: Uint8Array = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    if (skipping) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) continue;
      skipping = false;
      tooLongFirst = true;
      chunk = chunk.subarray(nl + 1);
    }
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      carry.push(chunk);
      carryBytes += chunk.length;
      if (carryBytes > dropAt) {
        carry = [];
        carryBytes = 0;
        skipping = true;
        if (tooLongFirst) {
          // The long line before this one ended in this chunk: it goes out on its own.
          yield { bytes: new Uint8Array(0), linesBefore: lines, tooLongFirst };
          lines++;
          tooLongFirst = false;
        }
      }
      continue;
    }
    const bytes = join([...carry, chunk.subarray(0, last + 1)], carryBytes + last + 1);
    const piece: Piece = { bytes, linesBefore: lines, tooLongFirst };
    lines += countLines(bytes) + (tooLongFirst ? 1 : 0);
    tooLongFirst = false;
    // The rest is copied: the chunk's buffer may be Node's shared pool, and the carry outlives it.
    const rest = chunk.subarray(last + 1);
    carry = rest.length > 0 ? [rest.slice()] : [];
    carryBytes = rest.length;
    yield piece;
  }
  if (skipping) tooLongFirst = true;
  if (carryBytes > 0 || tooLongFirst) yield { bytes: join(carry, carryBytes), linesBefore: lines, tooLongFirst };
}
