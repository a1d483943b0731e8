// A new-domain list for tests, served over HTTP on 127.0.0.1 or written to a local file, that
// grows (`append`) or is rewritten (`replace`) while a feed follows it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface DomainListServerOptions {
  /** The list's first lines. */
  readonly lines?: readonly string[];
  /** Serve the list gzipped (as a `.gz` file, not as Content-Encoding). */
  readonly gzip?: boolean;
  /** Answer conditional GETs (ETag / If-None-Match) with 304 when unchanged (default true). */
  readonly etag?: boolean;
}

export interface DomainListServer {
  /** http://127.0.0.1:<port>/list.txt (or list.txt.gz) */
  readonly url: string;
  append(lines: readonly string[]): void;
  replace(lines: readonly string[]): void;
  /** Answer every request with this status (and Retry-After) until called with undefined. */
  fail(failure: { readonly status: number; readonly retryAfter?: string } | undefined): void;
  /** Requests served, and how many were answered 304. */
  requests(): number;
  notModified(): number;
  close(): Promise<void>;
}

function text(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

export async function startDomainListServer(options: DomainListServerOptions = {}): Promise<DomainListServer> {
  let content = text(options.lines ?? []);
  let version = 1;
  let failure: { readonly status: number; readonly retryAfter?: string } | undefined;
  let requests = 0;
  let notModified = 0;
  const path = options.gzip === true ? '/list.txt.gz' : '/list.txt';
  const server = http.createServer((req, res) => {
    requests++;
    if (failure !== undefined) {
      res.writeHead(failure.status, failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {});
      res.end('failing on purpose');
      return;
    }
    if (req.url !== path) {
      res.writeHead(404).end('not found');
      return;
    }
    const etag = `"v${version}"`;
    if (options.etag !== false && req.headers['if-none-match'] === etag) {
      notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    const body = options.gzip === true ? gzipSync(content) : Buffer.from(content);
    res.writeHead(200, { 'content-type': 'text/plain', ...(options.etag !== false ? { etag } : {}) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    append(lines) {
      content += text(lines);
      version++;
    },
    replace(lines) {
      content = text(lines);
      version++;
    },
    fail(f) {
      failure = f;
    },
    requests: () => requests,
    notModified: () => notModified,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface DomainListFile {
  readonly path: string;
  /** Adds lines at the end (`raw`: exactly this text, e.g. a line without its newline). */
  append(lines: readonly string[]): Promise<void>;
  appendRaw(raw: string): Promise<void>;
  replace(lines: readonly string[]): Promise<void>;
  /** Writes these bytes as the whole file (a gzipped list). */
  write(bytes: Buffer): Promise<void>;
  remove(): Promise<void>;
}

/** A domain list in a fresh temporary folder. */
export async function domainListFile(lines: readonly string[] = [], name = 'domains.txt'): Promise<DomainListFile> {
  const dir = await mkdtemp(join(tmpdir(), 'warren-domains-'));
  const path = join(dir, name);
  let content = text(lines);
  await writeFile(path, content);
  return {
    path,
    async append(more) {
      content += text(more);
      await writeFile(path, content);
    },
    async appendRaw(raw) {
      content += raw;
      await writeFile(path, content);
    },
    async replace(next) {
      content = text(next);
      await writeFile(path, content);
    },
    async write(bytes) {
      content = '';
      await writeFile(path, bytes);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
