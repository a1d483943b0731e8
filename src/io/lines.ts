// Splits a byte stream into lines without ever holding more than one line (up to a limit) in
// memory: a 1,000,000-line input streams through in bounded memory, and an over-long line is
// reported and skipped instead of exhausting memory.
import { StringDecoder } from 'node:string_decoder';

export interface Line {
  /** 1-based line number. */
  readonly number: number;
  /** The text without its line terminator (\n or \r\n); empty when `tooLong`. */
  readonly text: string;
  /** The line was longer than the limit and its content was dropped. */
  readonly tooLong: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** The splitting itself, chunk by chunk, so callers can take lines one by one or a chunk's worth at once. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending: string[] = [];
  private pendingBytes = 0;
  private tooLong = false;
  private number: number;

  /** `linesBefore`: the number of lines before the first one this splitter sees (pieces.ts). */
  constructor(
    private readonly maxLineBytes: number,
    linesBefore = 0,
  ) {
    this.number = linesBefore;
  }

  private finish(tail: string): Line {
    this.number++;
    let text = this.tooLong ? '' : this.pending.length === 0 ? tail : this.pending.join('') + tail;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = { number: this.number, text, tooLong: this.tooLong };
    this.pending = [];
    this.pendingBytes = 0;
    this.tooLong = false;
    return line;
  }

  /** The lines a chunk completes. */
  push(chunk: Buffer | string, out: Line[]): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      if (!this.tooLong && this.pendingBytes + piece.length > this.maxLineBytes) this.tooLong = true;
      out.push(this.finish(this.tooLong ? '' : piece));
      start = nl + 1;
    }
    if (start < text.length) {
      const rest = text.slice(start);
      this.pendingBytes += rest.length;
      if (this.pendingBytes > this.maxLineBytes) {
        this.tooLong = true;
        this.pending = [];
      } else if (!this.tooLong) {
        this.pending.push(rest);
      }
    }
  }

  /** The last line, when the input does not end with a line terminator. */
  end(out: Line[]): void {
    const last = this.decoder.end();
    if (last.length > 0 && !this.tooLong) this.pending.push(last);
    if (this.pending.length > 0 || this.tooLong) out.push(this.finish(''));
  }
}

export async function* readLines(source: AsyncIterable<Buffer | string>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(source, maxLineBytes)) yield* batch;
}

/**
 * The same lines, as the batches each chunk of input completes (never empty): one await per chunk
 * instead of one per line, for callers that process lines in batches anyway (`warren scan`).
 */
export async function* readLineBatches(source: AsyncIterable<Buffer | string>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Line[]> {
  const splitter = new LineSplitter(maxLineBytes);
  for await (const chunk of source) {
    const lines: Line[] = [];
    splitter.push(chunk, lines);
    if (lines.length > 0) yield lines;
  }
  const lines: Line[] = [];
  splitter.end(lines);
  if (lines.length > 0) yield lines;
}
