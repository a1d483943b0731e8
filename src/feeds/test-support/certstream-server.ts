// A certstream server on 127.0.0.1 for tests: a real websocket server (ws) that sends the
// messages a test gives it to every connected client, heartbeats like calidog's server, and
// drops connections on demand. certstreamSamples() reads the real messages in
// ../shared/data/certstream (an empty list when that folder is absent: tests skip).
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

export const CERTSTREAM_DATA = join(import.meta.dirname, '../../../../shared/data/certstream');

/** Every message of the sample files (a file holds one message or an array of them), as compact JSON text. */
export function certstreamSamples(dir: string = CERTSTREAM_DATA): string[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const f of files) {
    const value: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    for (const m of Array.isArray(value) ? (value as unknown[]) : [value]) out.push(JSON.stringify(m));
  }
  return out;
}

/**
 * A certstream-shaped `certificate_update` (calidog's layout, no DER) naming `n<index>.example.com`,
 * padded to about `size` bytes like a real message with its chain: for tests that need many
 * distinct messages whatever the shared data holds.
 */
export function syntheticCertstreamMessage(index: number, size = 3000): string {
  const message = {
    message_type: 'certificate_update',
    data: {
      update_type: 'X509LogEntry',
      cert_index: index,
      cert_link: `https://ct.example/log/ct/v1/get-entries?start=${index}&end=${index}`,
      seen: 1700000000 + index,
      source: { name: 'Example log', url: 'ct.example/log/' },
      leaf_cert: {
        all_domains: [`n${index}.example.com`],
        fingerprint: index.toString(16).padStart(40, '0').replace(/(..)(?!$)/g, '$1:').toUpperCase(),
        not_before: 1700000000,
        not_after: 1731536000,
        serial_number: index.toString(16).toUpperCase(),
        subject: { CN: `n${index}.example.com`, aggregated: `/CN=n${index}.example.com` },
        extensions: { subjectAltName: `DNS:n${index}.example.com` },
      },
      chain: [] as unknown[],
    },
  };
  const text = JSON.stringify(message);
  if (text.length >= size) return text;
  message.data.chain.push({ padding: 'x'.repeat(size - text.length - 16) });
  return JSON.stringify(message);
}

export interface CertstreamTestServer {
  /** ws://127.0.0.1:<port>/ */
  readonly url: string;
  /** Sends each message to every connected client; resolves once they were handed to the sockets. */
  send(messages: readonly string[]): Promise<void>;
  /** A calidog heartbeat to every client. */
  heartbeat(): void;
  /** Cuts every connection without a close frame (what a crashed server or a network cut looks like). */
  dropConnections(): void;
  /** Resolves when `n` clients are connected (open) now. */
  waitForClients(n: number): Promise<void>;
  /** Clients connected (open) now, and connections accepted in all. */
  clients(): number;
  connections(): number;
  /** Bytes the server still holds for its clients (what a paused client leaves unread). */
  buffered(): number;
  close(): Promise<void>;
}

export interface CertstreamServerOptions {
  /** Answer pings (default true); false makes a server that looks dead to a pinging client. */
  readonly autoPong?: boolean;
}

export async function startCertstreamServer(options: CertstreamServerOptions = {}): Promise<CertstreamTestServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: options.autoPong ?? true });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  let accepted = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  const open = (): WebSocket[] => [...wss.clients].filter((c) => c.readyState === c.OPEN);
  const check = (): void => {
    for (const w of [...waiting]) {
      if (open().length >= w.n) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  wss.on('connection', (ws: WebSocket) => {
    accepted++;
    ws.on('error', () => undefined); // a client that goes away mid-send is not the test's failure
    check();
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/`,
    async send(messages) {
      await Promise.all(
        open().flatMap((c) => messages.map((m) => new Promise<void>((resolve) => c.send(m, () => resolve())))),
      );
    },
    heartbeat() {
      for (const c of open()) c.send(JSON.stringify({ message_type: 'heartbeat', timestamp: 1700000000 }));
    },
    dropConnections() {
      for (const c of wss.clients) c.terminate();
    },
    waitForClients(n) {
      return new Promise((resolve) => {
        waiting.push({ n, resolve });
        check();
      });
    },
    clients: () => open().length,
    connections: () => accepted,
    buffered: () => open().reduce((sum, c) => sum + c.bufferedAmount, 0),
    close() {
      for (const c of wss.clients) c.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
