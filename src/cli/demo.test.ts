// `warren demo` (npm start): prepares its store, serves the API (and the UI when built) with the
// demo sign-in printed, and stops on SIGTERM. Loopback only; port 0 picks a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../demo/prepare.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-demo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(read: () => string, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(read());
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; got: ${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('warren demo', () => {
  it('prepares the demo store, serves it with the sign-in printed, and stops on SIGTERM', async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    process.env.WARREN_LOG_LEVEL = 'silent';
    const stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (b: Buffer) => err.push(b));
    const text = (): string => Buffer.concat(err).toString();
    const running = main(['node', 'warren', 'demo', '--db', `sqlite:${join(dir, 'demo.db')}`, '--port', '0'], { stdin: Readable.from(['']), stdout: new PassThrough(), stderr });
    const [, address] = await until(text, /serving \S+ on (http:\/\/\S+)\n/, 30_000);
    expect(text()).toContain(`sign in`);
    expect(text()).toContain(`${DEMO_EMAIL} with password ${DEMO_PASSWORD}`);

    expect(await (await fetch(`${address}/healthz`)).json()).toEqual({ status: 'ok' });
    const login = await fetch(`${address}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const notes = await fetch(`${address}/api/v1/notifications?org=demo`, { headers: { cookie } });
    expect(notes.status).toBe(200);
    expect(JSON.stringify(await notes.json())).toContain('brand-passivetotal');

    process.emit('SIGTERM');
    expect(await running).toBe(0);
  }, 60_000);
});
