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

export async function* readLines(source: AsyncIterable<Buffer | string>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let pending: string[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let number = 0;

  const finish = (tail: string): Line => {
    number++;
    let text = tooLong ? '' : pending.join('') + tail;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = { number, text, tooLong };
    pending = [];
    pendingBytes = 0;
    tooLong = false;
    return line;
  };

  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      if (!tooLong && pendingBytes + piece.length > maxLineBytes) tooLong = true;
      yield finish(tooLong ? '' : piece);
      start = nl + 1;
    }
    if (start < text.length) {
      const rest = text.slice(start);
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) {
        tooLong = true;
        pending = [];
      } else if (!tooLong) {
        pending.push(rest);
      }
    }
  }
  const last = decoder.end();
  if (last.length > 0 && !tooLong) pending.push(last);
  if (pending.length > 0 || tooLong) yield finish('');
}
