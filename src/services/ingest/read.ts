// `warren ingest`: inputs → format → parser → batches of records → store, one transaction per
// batch. Line-oriented formats stream (bounded memory for any file size); whole-document formats
// (PEM, DER, WHOIS, RDAP, MMDB) are read whole up to a size limit. Bad records are reported with
// input and line and the rest is stored.
import { detectFormat, formatByName } from '../../ingest/detect.js';
import type { Input } from '../../ingest/input.js';
import type { Format, IngestRecord, ParseError, ParseOptions, ParseResult, RecordKind } from '../../ingest/records.js';
import { readLines } from '../../io/lines.js';
import type { Store } from '../../store/store.js';
import type { Applied } from '../evaluate.js';

export const DEFAULT_BATCH = 2_000;
/** Whole-document inputs are held in memory to parse: refuse anything larger. */
export const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

export interface Reject {
  readonly input: string;
  readonly line: number;
  readonly message: string;
}

export interface Progress {
  readonly input: string;
  readonly records: number;
  readonly bytesRead: number;
  readonly size?: number;
}

export interface IngestOptions {
  readonly domain?: string;
  readonly batchSize?: number;
  readonly onReject: (r: Reject) => void | Promise<void>;
  readonly onProgress?: (p: Progress) => void;
  /** Called with each batch once it is stored (signature evaluation on ingest). */
  readonly afterBatch?: (records: readonly IngestRecord[]) => Promise<void>;
}

/** What an ingest did: records read, stored by kind, rejected, and the actions signatures took. */
export interface IngestSummary {
  read: number;
  stored: Partial<Record<RecordKind, number>>;
  rejected: number;
  actions: Applied;
}

export function emptySummary(): IngestSummary {
  return { read: 0, stored: {}, rejected: 0, actions: { tags: 0, classifications: 0, notifications: 0 } };
}

export class Batcher {
  private batch: IngestRecord[] = [];
  constructor(
    private readonly store: Store,
    private readonly size: number,
    private readonly summary: IngestSummary,
    private readonly afterBatch?: (records: readonly IngestRecord[]) => Promise<void>,
  ) {}

  async add(records: readonly IngestRecord[]): Promise<void> {
    for (const r of records) {
      this.batch.push(r);
      this.summary.read++;
      this.summary.stored[r.kind] = (this.summary.stored[r.kind] ?? 0) + 1;
      if (this.batch.length >= this.size) await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    // Relations the store tied from pending certificate keys are new too: evaluated with the batch.
    const resolved = await this.store.write(b);
    await this.afterBatch?.(resolved.length === 0 ? b : [...b, ...resolved]);
  }
}

function safeLine(parser: NonNullable<ReturnType<NonNullable<Format['lines']>>>, text: string, n: number): ParseResult {
  try {
    return parser.line(text, n);
  } catch (e) {
    // Parsers must not throw; if one does, only this line is lost.
    return { records: [], errors: [{ line: n, message: `parser failed: ${(e as Error).message}` }] };
  }
}

/** The format of an input: the one named, else the one detected from its head; or why neither. */
export function chooseFormat(formats: readonly Format[], input: Input, named: string | undefined, howToName: string): { format: Format } | { error: string } {
  const format = named !== undefined ? formatByName(formats, named) : detectFormat(formats, input.head, input.name);
  if (format) return { format };
  const list = formats.map((f) => f.name).join(', ');
  return { error: named !== undefined ? `unknown format "${named}" (one of ${list})` : `cannot tell the format of this input; name it with ${howToName} (one of ${list})` };
}

/** Reads one opened input in its (already chosen) format into the store, adding to `summary`. */
export async function ingestInput(store: Store, input: Input, format: Format, opts: IngestOptions, summary: IngestSummary): Promise<void> {
  const reject = async (e: ParseError): Promise<void> => {
    summary.read++;
    summary.rejected++;
    await opts.onReject({ input: input.name, line: e.line, message: e.message });
  };
  const parseOptions: ParseOptions = {
    fileName: input.name,
    ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
  };
  const batcher = new Batcher(store, opts.batchSize ?? DEFAULT_BATCH, summary, opts.afterBatch);
  const take = async (r: ParseResult): Promise<void> => {
    for (const e of r.errors) await reject(e);
    await batcher.add(r.records);
  };
  const progress = (): void =>
    opts.onProgress?.({
      input: input.name,
      records: summary.read,
      bytesRead: input.bytesRead(),
      ...(input.size !== undefined ? { size: input.size } : {}),
    });

  if (format.lines) {
    const parser = format.lines(parseOptions);
    let n = 0;
    for await (const line of readLines(input.chunks)) {
      if (line.tooLong) await reject({ line: line.number, message: 'line too long' });
      else await take(safeLine(parser, line.text, line.number));
      if (++n % 1000 === 0) progress();
    }
    await take(parser.end());
  } else {
    const parts: Buffer[] = [];
    let bytes = 0;
    for await (const c of input.chunks) {
      bytes += c.length;
      if (bytes > MAX_DOCUMENT_BYTES) {
        await reject({ line: 0, message: `a ${format.name} input is parsed whole and may be at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB` });
        return;
      }
      parts.push(c);
    }
    let result: ParseResult;
    try {
      result = format.parse(Buffer.concat(parts), parseOptions);
    } catch (e) {
      // Parsers must not throw; if one does, the input is rejected, not the whole command.
      result = { records: [], errors: [{ line: 0, message: `${format.name} parser failed: ${(e as Error).message}` }] };
    }
    await take(result);
  }
  await batcher.flush();
  progress();
}
