import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardRefusedError, OutboundError } from './guarded-http.js';
import { guardedConnect } from './guarded-socket.js';

describe('guardedConnect', () => {
  let server: net.Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = net.createServer((s) => {
      connections++;
      s.end('hello\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('connects where the guard allows it', async () => {
    const s = await guardedConnect({ host: '127.0.0.1', port, guard: { allowPrivate: true }, timeoutMs: 2000 });
    const text = await new Promise<string>((r) => {
      let t = '';
      s.on('data', (c: Buffer) => (t += c.toString()));
      s.on('end', () => r(t));
    });
    expect(text).toBe('hello\n');
  });

  it('never connects to a refused literal address or to a name resolving to one', async () => {
    const before = connections;
    await expect(guardedConnect({ host: '127.0.0.1', port, guard: {}, timeoutMs: 2000 })).rejects.toBeInstanceOf(GuardRefusedError);
    await expect(guardedConnect({ host: 'localhost', port, guard: {}, timeoutMs: 2000 })).rejects.toThrow(/metadata or local name/);
    const resolve = (): Promise<{ address: string; family: number }[]> => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    await expect(guardedConnect({ host: 'rebind.example', port, guard: { resolve }, timeoutMs: 2000 })).rejects.toThrow(/resolves to 127\.0\.0\.1 is a loopback address/);
    expect(connections).toBe(before);
  });

  it('reports a closed port as unreachable', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const p = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e: unknown = await guardedConnect({ host: '127.0.0.1', port: p, guard: { allowPrivate: true }, timeoutMs: 2000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OutboundError);
    expect((e as OutboundError).failure).toBe('unreachable');
  });
});
