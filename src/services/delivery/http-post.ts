// One HTTP(S) POST with a deadline for the whole exchange. node:http rather than fetch: a fresh
// connection each time (a pooled keep-alive socket the receiver closed would fail a POST that
// cannot be retried safely, and count as a try), and no port block list (fetch refuses some
// ports a receiver may well listen on).
import http from 'node:http';
import https from 'node:https';

export interface PostAnswer {
  readonly status: number;
  readonly statusText: string;
  /** The first KiB or so of the body, for non-2xx answers only. */
  readonly body: string;
}

export class PostTimeoutError extends Error {}
export class PostInterruptedError extends Error {}

const SNIPPET_BYTES = 1024;

export function httpPost(url: string, headers: Readonly<Record<string, string>>, body: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    let settled = false;
    const settle = (error: Error | undefined, answer?: PostAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(answer!);
      req.destroy(); // whatever the receiver still sends is not needed
    };
    const req = transport.request(target, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => settle(undefined, { status, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') });
      if (status >= 200 && status < 300) {
        res.on('error', () => undefined); // cutting the body short below is not a failure
        done();
        return;
      }
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= SNIPPET_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done); // the body broke off: the status is still the answer
    });
    req.on('error', (e) => settle(e));
    const timer = setTimeout(() => settle(new PostTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = (): void => settle(new PostInterruptedError('interrupted'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
