// The SSRF guard: every address form of the security review refused before any connection (a
// local TCP server counts what reaches it), public addresses classified as allowed (never
// contacted), names checked at connect time, redirects re-checked, and the opt-in.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_PRIVATE_ENV, GuardRefusedError, guardFromEnv, guardedRequest, OutboundError, refusedAddress, refusedUrl, type GuardOptions } from './guarded-http.js';

let tcp: net.Server;
let port: number;
let connections = 0;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  tcp = net.createServer((s) => {
    connections++;
    sockets.push(s);
    s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  port = (tcp.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => tcp.close(() => r()));
});

const post = (url: string, guard: GuardOptions = {}): Promise<unknown> =>
  guardedRequest(url, { method: 'POST', body: Buffer.from('{}'), timeoutMs: 2000, guard });

/** The class and message a refused request rejects with. */
async function refusal(url: string, guard: GuardOptions = {}): Promise<{ failure: string; message: string }> {
  try {
    await post(url, guard);
  } catch (e) {
    if (e instanceof OutboundError) return { failure: e.failure, message: e.message };
    throw e;
  }
  throw new Error(`${url} was not refused`);
}

describe('address classification', () => {
  it('refuses every private, local and special form', () => {
    for (const a of [
      '169.254.169.254',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '::1',
      '100.64.0.1',
      '0.0.0.0',
      '::',
      '255.255.255.255',
      '224.0.0.1',
      'ff02::1',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '192.0.2.1',
      '198.18.0.1',
      '240.0.0.1',
      '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
      '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
      '2002:7f00:1::1', // 6to4 of 127.0.0.1
      '2002:a00:1::1', // 6to4 of 10.0.0.1
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
      '::7f00:1', // IPv4-compatible 127.0.0.1
      '2001:db8::1',
    ]) {
      expect(refusedAddress(a), a).toBeDefined();
    }
  });

  it('allows ordinary public addresses, also inside NAT64, 6to4 and IPv4-mapped IPv6', () => {
    for (const a of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) {
      expect(refusedAddress(a), a).toBeUndefined();
    }
  });

  it('reads URLs as WHATWG URL does: decimal, hex and octal IPv4 are the same address', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://0xA9FEA9FE/',
      'http://2852039166/',
      'http://0251.0376.0251.0376/',
      'http://127.0.0.1:6379/',
      'http://10.0.0.1/',
      'http://[::1]/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./',
      'http://metadata/',
      'http://instance-data/',
      'http://localhost:8080/',
      'http://foo.localhost/',
      'gopher://example.com/',
      'file:///etc/passwd',
    ]) {
      expect(refusedUrl(url), url).toBeDefined();
    }
    expect(refusedUrl('https://hooks.example.com/services/T0/B0/x')).toBeUndefined();
    expect(refusedUrl('http://93.184.216.34:8080/')).toBeUndefined();
  });

  it('lets exceptions and the opt-in through', () => {
    expect(refusedAddress('127.0.0.1', { allow: ['127.0.0.1/32'] })).toBeUndefined();
    expect(refusedAddress('127.0.0.2', { allow: ['127.0.0.1/32'] })).toBeDefined();
    expect(refusedAddress('10.1.2.3', { allowPrivate: true })).toBeUndefined();
    expect(guardFromEnv({ [ALLOW_PRIVATE_ENV]: '1' })).toEqual({ allowPrivate: true });
    expect(guardFromEnv({})).toEqual({ allowPrivate: false });
  });
});

describe('requests through the guard', () => {
  it('refuses every form of the review without connecting', async () => {
    const before = connections;
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://2130706433:${port}/`, // 127.0.0.1 in decimal
      `http://0x7f000001:${port}/`,
      `http://0177.0.0.1:${port}/`,
      'http://169.254.169.254/',
      'http://[::ffff:169.254.169.254]/',
      'http://0xA9FEA9FE/',
      'http://2852039166/',
      'http://127.0.0.1:6379/',
      'http://10.0.0.1/',
      `http://[::1]:${port}/`,
      'http://100.64.0.1/',
      `http://0.0.0.0:${port}/`,
      'http://metadata.google.internal/',
      `http://localhost:${port}/`,
    ];
    for (const url of urls) {
      const r = await refusal(url);
      expect(r.failure, url).toBe('refused');
    }
    expect(connections).toBe(before);
  });

  it('checks the address a name resolves to at connect time (a name for 127.0.0.1 is refused)', async () => {
    const before = connections;
    let asked = 0;
    const resolve = (): Promise<{ address: string; family: number }[]> => {
      asked++;
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    const r = await refusal(`http://innocent.example:${port}/`, { resolve });
    expect(r).toMatchObject({ failure: 'refused', message: expect.stringMatching(/innocent\.example resolves to 127\.0\.0\.1/) as unknown });
    expect(asked).toBeGreaterThan(0);
    // One private address among public ones is enough to refuse the name.
    const mixed = (): Promise<{ address: string; family: number }[]> =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]);
    expect((await refusal(`http://mixed.example:${port}/`, { resolve: mixed })).failure).toBe('refused');
    expect(connections).toBe(before);
  });

  it('connects when the opt-in or an exception allows loopback, and through a name that resolves there', async () => {
    const before = connections;
    const a = await guardedRequest(`http://127.0.0.1:${port}/`, { method: 'GET', timeoutMs: 2000, guard: { allowPrivate: true } });
    expect(a.status).toBe(200);
    const resolve = (): Promise<{ address: string; family: number }[]> => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const b = await guardedRequest(`http://receiver.test:${port}/`, { method: 'GET', timeoutMs: 2000, guard: { allow: ['127.0.0.1/32'], resolve } });
    expect(b.status).toBe(200);
    expect(connections).toBe(before + 2);
  });

  it('re-checks every redirect, and never follows one for a POST', async () => {
    let hits = 0;
    let location = '';
    const server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(302, { location }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const here = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const guard: GuardOptions = { allow: ['127.0.0.1/32'], resolve: () => Promise.resolve([{ address: '10.0.0.7', family: 4 }]) };
    try {
      const before = connections;
      for (const to of ['http://169.254.169.254/latest/meta-data/', `http://[::1]:${port}/`, `http://127.0.0.2:${port}/`, 'http://rebind.example/', 'ftp://example.com/']) {
        location = to;
        await expect(guardedRequest(here, { method: 'GET', timeoutMs: 2000, guard, maxRedirects: 3 }), to).rejects.toBeInstanceOf(GuardRefusedError);
      }
      expect(connections).toBe(before);
      // A POST gets the 3xx as its answer (webhooks do not follow redirects).
      location = 'http://169.254.169.254/';
      const answer = await guardedRequest(here, { method: 'POST', body: Buffer.from('{}'), timeoutMs: 2000, guard, maxRedirects: 3 });
      expect(answer.status).toBe(302);
      expect(hits).toBe(6);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('classifies what is not a refusal: unreachable, timeout', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect((await refusal(`http://127.0.0.1:${closedPort}/`, { allowPrivate: true })).failure).toBe('unreachable');

    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      await expect(guardedRequest(url, { method: 'GET', timeoutMs: 50, guard: { allowPrivate: true } })).rejects.toMatchObject({ failure: 'timeout' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
