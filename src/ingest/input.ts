// Opening one ingest input (a file or standard input): transparent gunzip, the first 64 KiB of
// decompressed bytes for format detection, then the whole stream; bytes read are counted for
// the progress bar.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export const HEAD_BYTES = 64 * 1024;

export interface Input {
  /** For messages: the path, or `<stdin>`. */
  readonly name: string;
  /** The compressed size on disk when known (files), for an ETA. */
  readonly size?: number;
  /** Up to HEAD_BYTES of the decompressed content. */
  readonly head: Buffer;
  /** The whole decompressed content (head included), read once. */
  readonly chunks: AsyncIterable<Buffer>;
  /** Compressed bytes consumed so far. */
  bytesRead(): number;
}

export class InputError extends Error {}

async function* counted(source: AsyncIterable<Buffer | string>, counter: { n: number }): AsyncGenerator<Buffer> {
  for await (const c of source) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    counter.n += b.length;
    yield b;
  }
}

async function* chain(first: Buffer[], rest: AsyncIterator<Buffer, unknown>): AsyncGenerator<Buffer> {
  yield* first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

export async function openInput(path: string, stdin: Readable): Promise<Input> {
  const name = path === '-' ? '<stdin>' : path;
  let size: number | undefined;
  let source: Readable;
  if (path === '-') {
    source = stdin;
  } else {
    try {
      const s = await stat(path);
      if (s.isDirectory()) throw new InputError(`${path}: is a directory`);
      size = s.size;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    source = createReadStream(path);
  }
  const counter = { n: 0 };
  const raw = counted(source, counter)[Symbol.asyncIterator]();

  // Peek at the first raw bytes for the gzip magic number.
  const firstRaw: Buffer[] = [];
  let peeked = 0;
  while (peeked < 2) {
    const next = await raw.next();
    if (next.done) break;
    firstRaw.push(next.value);
    peeked += next.value.length;
  }
  const rawAll = chain(firstRaw, raw);
  const start = Buffer.concat(firstRaw);
  const gzipped = start.length >= 2 && start[0] === 0x1f && start[1] === 0x8b;
  const content: AsyncIterator<Buffer, unknown> = gzipped
    ? (Readable.from(rawAll).pipe(createGunzip())[Symbol.asyncIterator]() as AsyncIterator<Buffer, unknown>)
    : rawAll;

  const headChunks: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < HEAD_BYTES) {
    let next: IteratorResult<Buffer, unknown>;
    try {
      next = await content.next();
    } catch (e) {
      throw new InputError(`${name}: ${gzipped ? 'not a valid gzip stream' : 'read failed'} (${(e as Error).message})`);
    }
    if (next.done) break;
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  const head = Buffer.concat(headChunks).subarray(0, HEAD_BYTES);
  return {
    name,
    ...(size !== undefined ? { size } : {}),
    head,
    chunks: chain(headChunks, content),
    bytesRead: () => counter.n,
  };
}

/** An input already in memory (an upload's part, a benchmark's data), read as a file would be. */
export function bufferInput(name: string, data: Buffer): Input {
  return { name, head: data.subarray(0, HEAD_BYTES), chunks: Readable.from([data]) as AsyncIterable<Buffer>, bytesRead: () => data.length };
}
