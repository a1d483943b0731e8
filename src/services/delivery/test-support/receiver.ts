// A webhook receiver for tests: node:http on 127.0.0.1, a port the system picks. It records
// every request and answers as the test says: a status code, a promise of one (the answer waits
// for it), or 'hang' (never answer).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GuardOptions } from '../../../net/guarded-http.js';

/** The SSRF guard as delivery tests set it: their receivers on 127.0.0.1 allowed, nothing else private. */
export const LOCAL_RECEIVERS: GuardOptions = { allow: ['127.0.0.1/32'] };

export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** X-Warren-Notification */
  readonly notification: string;
}

export type Answer = number | 'hang' | Promise<number>;

export interface Receiver {
  readonly url: string;
  readonly requests: Received[];
  /** Decides the answer to the n-th request (from 0); can be replaced at any time. */
  answer: (n: number, r: Received) => Answer;
  /** The body of a non-2xx answer (default: "refused with STATUS"). */
  body?: (status: number) => string;
  /** Resolves once `count` requests have arrived (polling, no fixed sleeps). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (n: number, r: Received) => Answer = () => 200): Promise<Receiver> {
  const requests: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    answer,
    waitFor: (count, timeoutMs = 30_000) => waitUntil(() => requests.length >= count, timeoutMs, `${count} webhook requests`),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const header = req.headers['x-warren-notification'];
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks), notification: typeof header === 'string' ? header : '' };
      const a = receiver.answer(requests.length, r);
      requests.push(r);
      if (a === 'hang') {
        hanging.push(res);
        return;
      }
      void Promise.resolve(a).then((status) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status >= 200 && status < 300 ? 'ok' : (receiver.body?.(status) ?? `refused with ${status}`));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, { url: `http://127.0.0.1:${port}/hook` });
}

/** Polls a condition every 10 ms; rejects with what it waited for after the timeout. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
