// An upload cut into parts that workers ingest side by side. A format says whether an input may
// be cut (Format.cut: JSON Lines, Zeek logs) and what header every part needs; the cuts fall on
// line boundaries about every `partBytes` of decompressed text. Anything else (a PEM bundle, a
// pretty-printed JSON document, a WHOIS reply) is one part: correct first, parallel where safe.
import type { Input } from '../../ingest/input.js';
import type { Format } from '../../ingest/records.js';

/** About this much decompressed text per part (WARREN_INGEST_PART_BYTES). */
export const DEFAULT_PART_BYTES = 4 * 1024 * 1024;

export interface UploadPart {
  /** The part's own text (the header is kept once, in `Cutting.preamble`). */
  readonly data: Buffer;
  /** The input's line number of the part's first line. */
  readonly firstLine: number;
}

export interface Cutting {
  /** The lines every part after the first is read after (with their newlines). */
  readonly preamble: Buffer;
  readonly preambleLines: number;
}

const NL = 0x0a;

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/** How this input may be cut, from its head; undefined: it is one part. */
export function cutting(format: Format, head: Buffer): Cutting | undefined {
  if (!format.cut || !format.lines) return undefined;
  const lastNl = head.lastIndexOf(NL);
  if (lastNl < 0) return undefined;
  // Only the head's complete lines: its last one may be cut off by the head's size.
  const lines = head.toString('utf8', 0, lastNl).split('\n');
  const cut = format.cut(lines);
  if (!cut) return undefined;
  let end = 0;
  for (let i = 0; i < cut.preamble; i++) end = head.indexOf(NL, end) + 1;
  return { preamble: Buffer.from(head.subarray(0, end)), preambleLines: cut.preamble };
}

/**
 * The input's parts in order. With no cutting, one part holding everything (the caller bounds
 * the size: uploads are limited).
 */
export async function* splitInput(input: Input, how: Cutting | undefined, partBytes: number): AsyncGenerator<UploadPart> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  for await (const chunk of input.chunks) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (!how || pendingBytes < partBytes) continue;
    let all = Buffer.concat(pending);
    // As many parts as the text holds: a cut at the last newline within partBytes, else (a line
    // longer than a part) at the first one after.
    while (all.length >= partBytes) {
      let cut = all.lastIndexOf(NL, partBytes - 1);
      if (cut < 0) cut = all.indexOf(NL, partBytes);
      if (cut < 0) break;
      const data = Buffer.from(all.subarray(0, cut + 1));
      yield { data, firstLine: line };
      line += countLines(data);
      all = all.subarray(cut + 1);
    }
    pending = all.length > 0 ? [Buffer.from(all)] : [];
    pendingBytes = all.length;
  }
  if (pendingBytes > 0 || line === 1) yield { data: Buffer.concat(pending), firstLine: line };
}

/**
 * A part's text as its parser reads it (the header first, for every part but the first) and the
 * way back from the parser's line numbers to the input's.
 */
export function partText(part: number, data: Buffer, firstLine: number, how: Cutting | undefined): { text: Buffer; inputLine: (line: number) => number } {
  if (part === 0 || !how || how.preambleLines === 0) return { text: data, inputLine: (l) => (l <= 0 ? l : l + firstLine - 1) };
  const pre = how.preambleLines;
  return {
    text: Buffer.concat([how.preamble, data]),
    inputLine: (l) => (l <= pre ? l : l - pre + firstLine - 1),
  };
}
