// New-domain lists (live.md "Feeds", `domains:URL-or-PATH`): one domain per line, re-read every
// `everyMs` (`--every 1h`); only new lines count.
//
// The position is `{ lines, fingerprint }`: how many lines were consumed and a hash of those
// lines. A list that grew by appending keeps its consumed prefix, so its fingerprint still
// matches and reading continues after it. A list that was rewritten (replaced by another day's
// list, reordered, shortened) no longer matches: it is then read again from its first line, and
// the idempotent store makes the names it already knew create nothing new — re-reading is always
// safe, skipping could lose names.
//
// A file's last line without a newline is read once a later read finds it unchanged (a writer may
// be in the middle of it); over HTTP the list is a whole document and read to its end.
//
// Lines: `#` comments and blank lines are skipped (so is a `  # note` after a name); every other
// line must be a domain name of two labels or more (normalised with fields/domain.ts; no wildcard,
// no IP address), else it is rejected with its line number. Each name becomes a DomainRecord observed by this feed at the time it was read
// (the injected clock), since a list says nothing of when a name appeared.
//
// The list is read whole — over HTTP(S) through the guarded client, or from a file — gunzipped
// when it starts with the gzip magic number, and is refused past `maxBytes`. Between fetches it is
// held once (scanned in place, never split into strings as a whole; a fetch briefly holds the
// received or compressed bytes too) and released once consumed; batches hold at most `batchSize`
// names. Over HTTP a list already consumed is asked for with If-None-Match / If-Modified-Since.
import { createHash, type Hash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import type { IngestRecord } from '../ingest/records.js';
import { guardedRequest, OutboundError, type GuardOptions } from '../net/guarded-http.js';
import { FeedError, type FeedBatch, type FeedPosition, type FeedProgress, type FeedSource } from './types.js';
import { retryAfterMs } from '../net/retry-after.js';

export interface DomainListOptions {
  /** An http(s) URL, a `file:` URL or a path. */
  readonly location: string;
  /** How often the list is read again once every line of it was consumed (`--every`). */
  readonly everyMs: number;
  /** The clock: when a name was seen, and when the list is due again (default: the system clock). */
  readonly now?: () => Date;
  /** Most names in one batch (default and most: 2,000). */
  readonly batchSize?: number;
  /** Largest list read, after gunzip (default 64 MiB). */
  readonly maxBytes?: number;
  /** For one HTTP fetch (default 60 s). */
  readonly timeoutMs?: number;
  /**
   * The SSRF guard for a URL (default: every address allowed — the location is the operator's
   * configuration, like a file path, not something a user submitted; only http(s) is spoken).
   */
  readonly guard?: GuardOptions;
}

const MAX_BATCH = 2000;
// Longer than any domain name (253) with room for a comment; longer lines are rejected unread.
const MAX_LINE_BYTES = 4096;

interface Cursor {
  /** Lines consumed. */
  lines: number;
  /** Byte offset in the snapshot of the first line not consumed. */
  offset: number;
  /** The hash of the consumed lines, still open for the next ones. */
  readonly hash: Hash;
}

interface Snapshot {
  readonly content: Buffer;
  /** Where reading stops: the content's end, or the start of a file's unfinished last line. */
  readonly end: number;
  cursor: Cursor;
}

interface Consumed {
  readonly lines: number;
  readonly fingerprint: string;
}

const gunzipAsync = promisify(gunzip);

function digest(hash: Hash): string {
  return hash.copy().digest('hex').slice(0, 32);
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function wanted(position: FeedPosition | undefined): Consumed | undefined {
  const lines = position?.lines;
  const fingerprint = position?.fingerprint;
  if (typeof lines !== 'number' || !Number.isSafeInteger(lines) || lines <= 0 || typeof fingerprint !== 'string') return undefined;
  return { lines, fingerprint };
}

/** The end of the line starting at `offset` (its `\n`, or the end of the content) and the next line's start. */
function lineEnd(content: Buffer, offset: number): { end: number; next: number } {
  const nl = content.indexOf(10, offset);
  return nl < 0 ? { end: content.length, next: content.length } : { end: nl, next: nl + 1 };
}

/**
 * Moves the cursor over one line and returns its text (undefined when longer than MAX_LINE_BYTES).
 * The hash takes each line's bytes without its terminator, then `\n`: a last line without a
 * newline hashes the same once the list grows after it.
 */
function advance(content: Buffer, cursor: Cursor): string | undefined {
  const { end, next } = lineEnd(content, cursor.offset);
  let stop = end;
  if (stop > cursor.offset && content[stop - 1] === 13) stop--;
  let start = cursor.offset;
  // A UTF-8 byte order mark before the first line is not part of it.
  if (cursor.lines === 0 && content[start] === 0xef && content[start + 1] === 0xbb && content[start + 2] === 0xbf) start += 3;
  cursor.hash.update(content.subarray(start, stop));
  cursor.hash.update('\n');
  cursor.lines++;
  cursor.offset = next;
  return stop - start > MAX_LINE_BYTES ? undefined : content.toString('utf8', start, stop);
}

/** Where reading goes on in `content` for a feed at `want`: after its lines, or from the start when the list was rewritten. */
function align(content: Buffer, want: Consumed | undefined): Cursor {
  const cursor: Cursor = { lines: 0, offset: 0, hash: createHash('sha256') };
  if (want === undefined) return cursor;
  while (cursor.lines < want.lines && cursor.offset < content.length) advance(content, cursor);
  if (cursor.lines === want.lines && digest(cursor.hash) === want.fingerprint) return cursor;
  return { lines: 0, offset: 0, hash: createHash('sha256') };
}

type Line = { readonly name: string } | { readonly skip: true } | { readonly error: string };

function readLine(text: string | undefined): Line {
  if (text === undefined) return { error: `line longer than ${MAX_LINE_BYTES} bytes` };
  const value = text.replace(/(^|\s)#.*$/, '').trim();
  if (value === '') return { skip: true };
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  if (canonicalIp(value) !== undefined) return { error: `"${shown}" is an IP address, not a domain name` };
  const name = normaliseDomain(value);
  // normaliseDomain is tolerant of what DNS holds; a list of registrations names whole domains.
  if (name === undefined || !name.includes('.')) return { error: `"${shown}" is not a domain name` };
  if (name.startsWith('*')) return { error: `"${shown}" is a wildcard, not a domain name` };
  return { name };
}

function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

class DomainList implements FeedSource {
  readonly id: string;
  private readonly location: string;
  private readonly everyMs: number;
  private readonly now: () => Date;
  private readonly batchSize: number;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly guard: GuardOptions;

  private snapshot: Snapshot | undefined;
  /** Where the last snapshot was consumed to, once released. */
  private done: Consumed | undefined;
  private fetchedAt: number | undefined;
  /** HTTP validators of the last fetch, for a conditional GET. */
  private etag: string | undefined;
  private lastModified: string | undefined;
  private size: number | undefined;
  /** A file's unfinished last line at the last read. */
  private tail: { readonly start: number; readonly length: number; readonly text: string } | undefined;
  private newest: string | undefined;

  constructor(options: DomainListOptions) {
    this.location = options.location;
    this.id = `domains:${options.location}`;
    this.everyMs = Math.max(0, options.everyMs);
    this.now = options.now ?? (() => new Date());
    this.batchSize = Math.min(MAX_BATCH, Math.max(1, options.batchSize ?? MAX_BATCH));
    this.maxBytes = Math.max(1, options.maxBytes ?? 64 * 1024 * 1024);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.guard = options.guard ?? { allowPrivate: true };
  }

  async next(position: FeedPosition | undefined, signal: AbortSignal): Promise<FeedBatch | 'idle'> {
    const want = wanted(position);
    if (this.snapshot !== undefined) {
      const s = this.snapshot;
      if (!this.at(s, want)) s.cursor = align(s.content, want);
      if (s.cursor.offset < s.end) return this.batch(s);
      this.release(s);
    }
    const now = this.now().getTime();
    const due = this.fetchedAt === undefined || now - this.fetchedAt >= this.everyMs;
    const done = this.done;
    const current = done !== undefined && (want === undefined ? done.lines === 0 : done.lines === want.lines && done.fingerprint === want.fingerprint);
    // A position that is not where this source left off (a restart, a batch the runner did not
    // commit) is read again now, whatever the interval.
    if (!due && current) return 'idle';

    const content = await this.fetch(signal, current);
    this.fetchedAt = now;
    if (content === undefined) return 'idle'; // 304: unchanged, and every line of it consumed
    const s: Snapshot = { content, end: this.readableEnd(content), cursor: align(content, want) };
    this.snapshot = s;
    this.done = undefined;
    if (s.cursor.offset < s.end) return this.batch(s);
    this.release(s);
    return 'idle';
  }

  progress(): FeedProgress {
    return { ...(this.size !== undefined ? { size: this.size } : {}), ...(this.newest !== undefined ? { newest: this.newest } : {}) };
  }

  close(): Promise<void> {
    this.snapshot = undefined;
    return Promise.resolve();
  }

  private at(s: Snapshot, want: Consumed | undefined): boolean {
    if (want === undefined) return s.cursor.lines === 0;
    return s.cursor.lines === want.lines && digest(s.cursor.hash) === want.fingerprint;
  }

  /**
   * A file's last line without a newline may be half-written (a writer appending as we read): it
   * is read only once a later read finds it unchanged, or finished. A list over HTTP is a whole
   * document: read to its end.
   */
  private readableEnd(content: Buffer): number {
    if (content.length === 0 || content[content.length - 1] === 10 || isUrl(this.location)) return content.length;
    const tailStart = content.lastIndexOf(10) + 1;
    // Past MAX_LINE_BYTES the line is rejected anyway: its length and start tell it apart enough.
    const tail = { start: tailStart, length: content.length - tailStart, text: content.toString('latin1', tailStart, Math.min(content.length, tailStart + MAX_LINE_BYTES + 1)) };
    const seen = this.tail;
    this.tail = tail;
    return seen !== undefined && seen.start === tail.start && seen.length === tail.length && seen.text === tail.text ? content.length : tailStart;
  }

  private release(s: Snapshot): void {
    this.done = { lines: s.cursor.lines, fingerprint: digest(s.cursor.hash) };
    this.snapshot = undefined;
  }

  private batch(s: Snapshot): FeedBatch {
    const firstSeen = isoSeconds(this.now());
    const records: IngestRecord[] = [];
    const rejected: { at: string; message: string }[] = [];
    const start = s.cursor.lines;
    // Comment and rejected lines count too, so a batch never scans without end.
    const maxLines = this.batchSize * 10;
    while (records.length < this.batchSize && s.cursor.offset < s.end && s.cursor.lines - start < maxLines) {
      const line = readLine(advance(s.content, s.cursor));
      if ('name' in line) records.push({ kind: 'domain', domain: line.name, observation: { source: this.id, firstSeen } });
      else if ('error' in line) rejected.push({ at: `line ${s.cursor.lines}`, message: line.error });
    }
    return {
      records,
      entries: s.cursor.lines - start,
      position: { lines: s.cursor.lines, fingerprint: digest(s.cursor.hash) },
      ...(rejected.length > 0 ? { rejected } : {}),
    };
  }

  /** The list's content (gunzipped), or undefined when a conditional GET says it has not changed. */
  private async fetch(signal: AbortSignal, conditional: boolean): Promise<Buffer | undefined> {
    const raw = isUrl(this.location) ? await this.fetchUrl(signal, conditional) : await this.readPath();
    if (raw === undefined) return undefined;
    const content = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? await this.gunzip(raw) : raw;
    let lines = 0;
    for (let i = content.indexOf(10); i >= 0; i = content.indexOf(10, i + 1)) lines++;
    this.size = lines + (content.length > 0 && content[content.length - 1] !== 10 ? 1 : 0);
    return content;
  }

  private async gunzip(raw: Buffer): Promise<Buffer> {
    try {
      return await gunzipAsync(raw, { maxOutputLength: this.maxBytes });
    } catch (e) {
      const tooBig = e instanceof RangeError || (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new FeedError(`${this.id}: ${tooBig ? `the list is larger than ${this.maxBytes} bytes once gunzipped` : `not a valid gzip stream (${(e as Error).message})`}`, this.everyMs);
    }
  }

  private async readPath(): Promise<Buffer> {
    const path = this.location.startsWith('file:') ? fileURLToPath(this.location) : this.location;
    try {
      const s = await stat(path);
      if (!s.isFile()) throw new FeedError(`${this.id}: not a file`);
      if (s.size > this.maxBytes) throw new FeedError(`${this.id}: the list is ${s.size} bytes, more than ${this.maxBytes}`, this.everyMs);
      this.newest = isoSeconds(s.mtime);
      return await readFile(path);
    } catch (e) {
      if (e instanceof FeedError) throw e;
      throw new FeedError(`${this.id}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  private async fetchUrl(signal: AbortSignal, conditional: boolean): Promise<Buffer | undefined> {
    const headers: Record<string, string> = { accept: 'text/plain, */*' };
    if (conditional && this.etag !== undefined) headers['if-none-match'] = this.etag;
    if (conditional && this.lastModified !== undefined) headers['if-modified-since'] = this.lastModified;
    let answer;
    try {
      answer = await guardedRequest(this.location, {
        method: 'GET',
        headers,
        timeoutMs: this.timeoutMs,
        signal,
        guard: this.guard,
        maxRedirects: 5,
        // One byte more than allowed tells a list that is too long from one that fits exactly.
        maxBodyBytes: this.maxBytes + 1,
        readSuccessBody: true,
      });
    } catch (e) {
      throw new FeedError(`${this.id}: ${e instanceof OutboundError ? `${e.failure}: ${e.message}` : (e as Error).message}`);
    }
    if (answer.status === 304 && conditional) return undefined;
    if (answer.status < 200 || answer.status >= 300) {
      throw new FeedError(`${this.id}: HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`, retryAfterMs(answer.headers['retry-after'], Date.now()));
    }
    if (answer.body.length > this.maxBytes) throw new FeedError(`${this.id}: the list is larger than ${this.maxBytes} bytes`, this.everyMs);
    const etag = answer.headers.etag;
    const lastModified = answer.headers['last-modified'];
    this.etag = typeof etag === 'string' ? etag : undefined;
    this.lastModified = typeof lastModified === 'string' ? lastModified : undefined;
    if (this.lastModified !== undefined) {
      const t = new Date(this.lastModified);
      if (!Number.isNaN(t.getTime())) this.newest = isoSeconds(t);
    }
    return answer.body;
  }
}

/** A new-domain list feed (`domains:<location>`). */
export function domainListSource(options: DomainListOptions): FeedSource {
  return new DomainList(options);
}
