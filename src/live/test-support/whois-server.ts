// A real port-43 WHOIS server on 127.0.0.1 for tests: one query line in, the mapped reply out,
// then the connection closes (as WHOIS servers do). Referral chains are several of these, their
// replies naming hosts that the test's `resolveServer` maps onto their ports.
import net from 'node:net';
import type { WhoisServer } from '../whois43.js';

/** 'hang': never answers; 'reset': TCP reset on the query; 'garbage': bytes that are no reply; or a delay. */
export type WhoisMisbehaviour = 'hang' | 'reset' | 'garbage' | { readonly slowMs: number };

export interface WhoisServerOptions {
  /** Query (lower case, without CRLF) → reply text. */
  readonly replies?: Readonly<Record<string, string>>;
  /** The reply to any other query (default: a "No match" reply). */
  readonly fallback?: string;
  /** Misbehaviours by query; `*` for every query. */
  readonly misbehave?: Readonly<Record<string, WhoisMisbehaviour>>;
}

export interface WhoisTestServer {
  /** 127.0.0.1 and the port it listens on. */
  readonly server: WhoisServer;
  /** Every query received, in order. */
  readonly queries: readonly string[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** The most queries ever being answered at once. */
  inFlightPeak(): number;
  close(): Promise<void>;
}

const NO_MATCH = (q: string): string => `No match for "${q.toUpperCase()}".\r\n>>> Last update of whois database: 2021-06-01T15:55:21Z <<<\r\n`;
// Not UTF-8, not text: what a broken middlebox might send.
const GARBAGE = Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x80, 0x81, 0x0d, 0x0a, 0xc3, 0x28, 0x00]);

export async function startWhoisServer(opts: WhoisServerOptions = {}): Promise<WhoisTestServer> {
  const replies = new Map(Object.entries(opts.replies ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const misbehave = opts.misbehave ?? {};
  const queries: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let inFlight = 0;
  let peak = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    let buffered = '';
    let answered = false;
    let counted = false;
    const done = (): void => {
      if (counted) {
        counted = false;
        inFlight--;
      }
    };
    socket.on('close', () => {
      sockets.delete(socket);
      done();
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      answered = true;
      const query = buffered.slice(0, end).replace(/\r$/, '').trim().toLowerCase();
      queries.push(query);
      counted = true;
      inFlight++;
      peak = Math.max(peak, inFlight);
      const reply = replies.get(query) ?? opts.fallback ?? NO_MATCH(query);
      const bad = misbehave[query] ?? misbehave['*'];
      // Done once the reply is handed to the socket, before the client can read it and connect
      // again; 'close' covers the rest.
      if (bad === undefined) socket.end(reply, done);
      else if (bad === 'hang') return;
      else if (bad === 'reset') socket.resetAndDestroy();
      else if (bad === 'garbage') socket.end(GARBAGE, done);
      else setTimeout(() => socket.end(reply, done), bad.slowMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    server: { host: '127.0.0.1', port },
    queries,
    connections: () => connections,
    inFlightPeak: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
