// GET from a CT log, every failure a FeedError the runner reports and retries: no answer in
// time, a refused or broken connection, 429 (with its Retry-After), 5xx, any other non-2xx, an
// answer cut short or larger than the cap, a gzip body that does not decompress.
import { gunzipSync } from 'node:zlib';
import { guardedRequest, OutboundError } from '../../net/guarded-http.js';
import { FeedError } from '../types.js';
import { retryAfterMs } from '../../net/retry-after.js';

export interface CtGetOptions {
  /** For the whole exchange (guardedRequest's deadline). */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Most bytes accepted, before and after gzip; more is a FeedError, never a cut-off body. */
  readonly maxBodyBytes: number;
  /** For Retry-After given as a date. */
  readonly now: () => Date;
  /** What is being fetched, to start messages with (`get-entries 100-355`). */
  readonly what: string;
}

/** A non-2xx answer (the tiles source looks at 404s of partial tiles). */
export class CtHttpError extends FeedError {
  constructor(
    message: string,
    readonly status: number,
    retryAfterMs?: number,
  ) {
    super(message, retryAfterMs);
  }
}

export async function ctGet(url: string, opts: CtGetOptions): Promise<Buffer> {
  let answer;
  try {
    answer = await guardedRequest(url, {
      method: 'GET',
      headers: { accept: '*/*', 'accept-encoding': 'gzip, identity', 'user-agent': 'warren-ct-monitor' },
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      // The log URL is the operator's own configuration (a command-line source or a log list they
      // chose), not input from a user of the server: a log on a private network is legitimate.
      // Timeouts and the body cap still hold.
      guard: { allowPrivate: true },
      maxRedirects: 3,
      // One byte over the cap tells "too large" from "exactly the cap".
      maxBodyBytes: opts.maxBodyBytes + 1,
      readSuccessBody: true,
    });
  } catch (e) {
    if (e instanceof OutboundError) {
      throw new FeedError(e.failure === 'timeout' ? `${opts.what}: no answer within ${opts.timeoutMs} ms` : `${opts.what}: ${e.message}`);
    }
    throw new FeedError(`${opts.what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { status, statusText, headers, body } = answer;
  if (status < 200 || status > 299) {
    const after = retryAfterMs(headers['retry-after'], opts.now().getTime());
    const wait = after === undefined ? '' : ` (retry after ${Math.ceil(after / 1000)} s)`;
    throw new CtHttpError(`${opts.what}: the log answered ${status} ${statusText}${wait}`.trimEnd(), status, after);
  }
  if (body.length > opts.maxBodyBytes) throw new FeedError(`${opts.what}: answer larger than ${opts.maxBodyBytes} bytes`);
  const declared = Number(headers['content-length']);
  if (headers['content-length'] !== undefined && Number.isSafeInteger(declared) && body.length < declared) {
    throw new FeedError(`${opts.what}: answer cut short (${body.length} of ${declared} bytes)`);
  }
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') throw new FeedError(`${opts.what}: unsupported content-encoding ${encoding}`);
  try {
    return gunzipSync(body, { maxOutputLength: opts.maxBodyBytes });
  } catch (e) {
    throw new FeedError(`${opts.what}: gzip answer does not decompress (${e instanceof Error ? e.message : String(e)})`);
  }
}
