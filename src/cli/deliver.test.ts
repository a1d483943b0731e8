// `warren channel …` and `warren deliver` end to end: in-process for the commands, and as a
// real process for the crash test (kill -9 while deliveries are pending, then deliver again).
// The process tests run the built CLI (bin/warren.js → dist/); `npm test` builds first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, waitUntil, type Receiver } from '../services/delivery/test-support/receiver.js';
import { startSmtp, type SmtpSink } from '../services/delivery/test-support/smtp.js';
import { notify } from '../services/delivery/test-support/stores.js';
import { verifySignature } from '../services/delivery/webhook.js';
import { outboxCounts } from '../store/delivery.js';
import { ensureOrg } from '../store/orgs.js';
import { Store } from '../store/store.js';
import { runCli } from './test-support/run.js';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'warren-deliver-'));
let files = 0;
const savedSmtp = process.env.WARREN_SMTP_URL;
const savedAllow = process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS;

beforeAll(() => {
  delete process.env.WARREN_SMTP_URL; // the tests say which SMTP server, if any
  // The receivers listen on 127.0.0.1: the operator's opt-in for private webhook targets (the
  // in-process commands and the spawned `warren deliver` read it from the environment).
  process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS = '1';
});
afterAll(() => {
  if (savedSmtp !== undefined) process.env.WARREN_SMTP_URL = savedSmtp;
  if (savedAllow === undefined) delete process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS;
  else process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS = savedAllow;
  rmSync(dir, { recursive: true, force: true });
});

function newDb(): string {
  return `sqlite:${join(dir, `${++files}.db`)}`;
}

/** Creates notifications 1..n in the default organisation (queued to its channels). */
async function createNotifications(db: string, n: number, org = 'default'): Promise<string[]> {
  const store = await Store.open(db);
  try {
    await ensureOrg(store.db, org, '2026-05-01T00:00:00Z');
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) ids.push(await notify(store, org, i, '2026-05-01T00:00:00Z'));
    return ids;
  } finally {
    await store.close();
  }
}

async function withStore<T>(db: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('warren channel', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('adds a webhook with a generated secret printed once, lists without it, tests and removes it', async () => {
    const db = newDb();
    const add = await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', receiver.url, 'soc-hook']);
    expect(add.code).toBe(0);
    const secret = /^secret: (\S+)$/m.exec(add.stdout)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(add.stderr).toContain('shown only now');

    const list = await runCli(['channel', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('soc-hook');
    expect(list.stdout).not.toContain(secret);
    const json = await runCli(['channel', 'list', '--db', db, '--json']);
    expect(json.stdout).not.toContain(secret);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: 'soc-hook',
        type: 'webhook',
        config: { url: receiver.url, format: 'json' },
        has_secret: true,
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
        outbox: { pending: 0, sent: 0, dead: 0 },
      },
    ]);

    // The test message is signed with the secret that was printed.
    const test = await runCli(['channel', 'test', '--db', db, 'soc-hook']);
    expect(test).toMatchObject({ code: 0, stdout: 'ok: test message delivered through soc-hook\n' });
    const r = receiver.requests[0]!;
    expect(verifySignature(r.body, secret!, r.headers['x-warren-signature'] as string)).toBe(true);
    expect(JSON.parse(r.body.toString())).toMatchObject({ signature: 'warren-channel-test', headline: 'Warren test message for channel soc-hook' });
    expect(r.notification).toMatch(/^test-/);

    receiver.answer = () => 500;
    const failing = await runCli(['channel', 'test', '--db', db, 'soc-hook']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^soc-hook: test failed: HTTP 500/);

    expect(await runCli(['channel', 'rm', '--db', db, 'soc-hook'])).toMatchObject({ code: 0, stdout: 'removed channel soc-hook\n' });
    expect(await runCli(['channel', 'list', '--db', db, '--json'])).toMatchObject({ code: 0, stdout: '[]\n' });
    const again = await runCli(['channel', 'rm', '--db', db, 'soc-hook']);
    expect(again).toMatchObject({ code: 2, stderr: 'warren: no channel soc-hook in organisation default\n' });
  });

  it('adds Slack webhooks and email channels per organisation', async () => {
    const db = newDb();
    expect(await runCli(['channel', 'add', '--db', db, '--org', 'acme', '--type', 'webhook', '--url', receiver.url, '--secret', 'a-long-enough-secret', '--format', 'slack', 'chat'])).toMatchObject({
      code: 0,
      stdout: `added webhook channel chat: ${receiver.url} (slack)\n`,
    });
    expect((await runCli(['channel', 'add', '--db', db, '--org', 'acme', '--type', 'email', '--to', 'soc@example.com', '--digest', 'daily', 'mail'])).code).toBe(0);
    const list = JSON.parse((await runCli(['channel', 'list', '--db', db, '--org', 'acme', '--json'])).stdout) as { name: string; config: unknown; has_secret: boolean }[];
    expect(list.map((c) => [c.name, c.config, c.has_secret])).toEqual([
      ['chat', { url: receiver.url, format: 'slack' }, true],
      ['mail', { to: 'soc@example.com', digest: 'daily' }, false],
    ]);
    expect(await runCli(['channel', 'list', '--db', db, '--json'])).toMatchObject({ stdout: '[]\n' }); // the default organisation has none
    const short = await runCli(['channel', 'add', '--db', db, '--org', 'acme', '--type', 'webhook', '--url', receiver.url, '--secret', 'short', 'weak']);
    expect(short.code).toBe(0);
    expect(short.stderr).toContain('warning: a secret shorter than 16 characters');
  });

  it('tests an email channel through the SMTP server given, and needs one', async () => {
    const db = newDb();
    const smtp: SmtpSink = await startSmtp();
    try {
      await runCli(['channel', 'add', '--db', db, '--type', 'email', '--to', 'soc@example.com', '--digest', 'daily', 'mail']);
      expect(await runCli(['channel', 'test', '--db', db, 'mail'])).toMatchObject({
        code: 2,
        stderr: 'warren: email channels need an SMTP server: --smtp URL or WARREN_SMTP_URL\n',
      });
      const ok = await runCli(['channel', 'test', '--db', db, '--smtp', smtp.url, '--from', 'alerts@example.org', 'mail']);
      expect(ok).toMatchObject({ code: 0, stdout: 'ok: test message delivered through mail\n' });
      expect(smtp.messages.map((m) => [m.to, m.subject])).toEqual([[['soc@example.com'], 'Warren test message for channel mail']]);
    } finally {
      await smtp.close();
    }
  });

  it.each([
    [['--type', 'webhook', '--url', 'http://127.0.0.1/x', 'Bad Name'], 'invalid channel name "Bad Name"'],
    [['--type', 'webhook', '--url', 'http://127.0.0.1/x', '-x'], "unknown option '-x'"],
    [['--type', 'webhook', '--url', 'ftp://example.com/x', 'a'], 'invalid URL "ftp://example.com/x": only http and https are supported'],
    [['--type', 'webhook', '--url', 'not a url', 'a'], 'invalid URL "not a url"'],
    [['--type', 'webhook', 'a'], 'a webhook channel needs --url URL'],
    [['--type', 'webhook', '--url', 'http://127.0.0.1/x', '--to', 'a@example.com', 'a'], '--to is only for --type email channels'],
    [['--type', 'webhook', '--url', 'http://127.0.0.1/x', '--secret', '', 'a'], '--secret must be non-empty'],
    [['--type', 'webhook', '--url', 'http://127.0.0.1/x', '--format', 'xml', 'a'], "argument 'xml' is invalid"],
    [['--type', 'email', '--to', 'not-an-address', 'a'], 'invalid email address "not-an-address"'],
    [['--type', 'email', '--to', 'a@example.com', '--digest', 'weekly', 'a'], "argument 'weekly' is invalid"],
    [['--type', 'email', '--to', 'a@example.com', '--url', 'http://x', 'a'], '--url is only for --type webhook channels'],
    [['--type', 'email', 'a'], 'an email channel needs --to ADDRESS'],
    [['--type', 'sms', 'a'], "argument 'sms' is invalid"],
    [['--url', 'http://127.0.0.1/x', 'a'], "required option '--type <type>' not specified"],
  ])('refuses bad input with one line and exit 2: %j', async (args, message) => {
    const db = newDb();
    const r = await runCli(['channel', 'add', '--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(JSON.parse((await runCli(['channel', 'list', '--db', db, '--json'])).stdout)).toEqual([]);
  });

  it('refuses a second channel of the same name', async () => {
    const db = newDb();
    const args = ['channel', 'add', '--db', db, '--type', 'email', '--to', 'a@example.com', 'mail'];
    expect((await runCli(args)).code).toBe(0);
    expect(await runCli(args)).toMatchObject({ code: 2, stderr: 'warren: channel mail already exists in organisation default\n' });
  });

  it('refuses webhook URLs to private, local and metadata addresses unless WARREN_ALLOW_PRIVATE_WEBHOOKS=1', async () => {
    const db = newDb();
    delete process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS;
    try {
      for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://0xA9FEA9FE/', 'http://metadata.google.internal/', 'http://127.0.0.1:6379/']) {
        const r = await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', url, 'inner']);
        expect(r.code, url).toBe(2);
        expect(r.stderr, url).toMatch(/^warren: refused URL .*WARREN_ALLOW_PRIVATE_WEBHOOKS=1 allows private ones\)\n$/);
      }
    } finally {
      process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS = '1';
    }
    expect((await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', 'http://127.0.0.1:6379/', 'lab'])).code).toBe(0);
  });
});

describe('warren deliver', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('sends what is pending in every organisation and prints a summary', async () => {
    const db = newDb();
    await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', receiver.url, 'hook']);
    await runCli(['channel', 'add', '--db', db, '--org', 'acme', '--type', 'webhook', '--url', receiver.url, 'hook']);
    const ids = [...(await createNotifications(db, 3)), ...(await createNotifications(db, 2, 'acme'))];

    const r = await runCli(['deliver', '--db', db]);
    expect(r).toMatchObject({ code: 0, stdout: 'sent 5, failed 0 (to retry), dead 0, waiting for digest 0; pending 0\n', stderr: '' });
    expect(new Set(receiver.requests.map((q) => q.notification))).toEqual(new Set(ids));
    expect(await runCli(['deliver', '--db', db, '--json'])).toMatchObject({ code: 0, stdout: '{"sent":0,"failed":0,"dead":0,"waiting":0,"pending":0}\n' });
  });

  it('delivers only the organisation asked for', async () => {
    const db = newDb();
    await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', receiver.url, 'hook']);
    await runCli(['channel', 'add', '--db', db, '--org', 'acme', '--type', 'webhook', '--url', receiver.url, 'hook']);
    await createNotifications(db, 2);
    const acme = await createNotifications(db, 1, 'acme');
    expect(await runCli(['deliver', '--db', db, '--org', 'acme', '--json'])).toMatchObject({ code: 0, stdout: '{"sent":1,"failed":0,"dead":0,"waiting":0,"pending":0}\n' });
    expect(receiver.requests.map((q) => q.notification)).toEqual(acme);
    expect((await runCli(['deliver', '--db', db, '--json'])).stdout).toBe('{"sent":2,"failed":0,"dead":0,"waiting":0,"pending":0}\n');
  });

  it('reports failed tries, and exits 1 when a delivery went to the dead letters', async () => {
    const db = newDb();
    await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', receiver.url, 'hook']);
    await runCli(['channel', 'add', '--db', db, '--type', 'email', '--to', 'soc@example.com', 'mail']);
    const [id] = await createNotifications(db, 1);
    receiver.answer = () => 500;

    const first = await runCli(['deliver', '--db', db, '--max-attempts', '2']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('sent 0, failed 1 (to retry), dead 0, waiting for digest 0; pending 2\n');
    expect(first.stderr).toContain('1 email deliveries wait for an SMTP server');
    expect(first.stderr).toContain(`default/hook notification ${id}: try 1 of 2 failed (HTTP 500`);
    // The retry is 30 s away on the real clock: nothing is due yet.
    expect((await runCli(['deliver', '--db', db, '--json'])).stdout).toBe('{"sent":0,"failed":0,"dead":0,"waiting":0,"pending":2}\n');
    await withStore(db, (s) => s.db.updateTable('outbox').set({ next_attempt: '2000-01-01T00:00:00Z' }).execute());
    const second = await runCli(['deliver', '--db', db, '--max-attempts', '2']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('try 2 of 2 failed (HTTP 500');
    expect(second.stderr).toContain('now a dead letter');
    expect((await runCli(['channel', 'list', '--db', db])).stdout).toMatch(/^hook\t.*pending 0, sent 0, dead 1$/m);
  });

  it.each([
    [['--timeout', '0'], 'invalid --timeout "0"'],
    [['--interval', 'soon'], 'invalid --interval "soon"'],
    [['--max-attempts', '1.5'], 'invalid --max-attempts "1.5"'],
    [['--smtp', 'http://mail.example.com'], 'invalid SMTP URL "http://mail.example.com": use smtp:// or smtps://'],
    [['--smtp', 'smtp://127.0.0.1:2525', '--from', 'nobody'], '--from: invalid email address "nobody"'],
    [['--db', 'mysql://x'], 'unsupported --db URL "mysql://x"'],
  ])('refuses bad flags with exit 2: %j', async (args, message) => {
    const r = await runCli(['deliver', '--db', newDb(), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

// ---- the real process ------------------------------------------------------------------------

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startWarren(args: readonly string[]): { child: ChildProcess; exited: Promise<Exit> } {
  const env = { ...process.env };
  delete env.WARREN_SMTP_URL;
  delete env.WARREN_DB;
  const child = spawn(process.execPath, [join(root, 'bin/warren.js'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

describe('warren deliver as a process', () => {
  let receiver: Receiver;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    if (!existsSync(join(root, 'dist/cli/commands/deliver.js'))) throw new Error('dist/ has no deliver command: run `npm run build` first (npm test does)');
  });
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await receiver.close();
  });

  it('loses nothing when killed with -9 mid-delivery, and resends only what was not acknowledged, once its lease has ended', async () => {
    const N = 8;
    const K = 3; // the receiver answers the first K requests, then stops answering
    const db = newDb();
    expect((await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', receiver.url, '--secret', 'crash-test-secret-1234', 'hook'])).code).toBe(0);
    const all = await createNotifications(db, N);
    receiver.answer = (n) => (n < K ? 200 : 'hang');

    // A long request timeout: the hanging request must still be in flight when the kill comes.
    const first = startWarren(['deliver', '--watch', '--db', db, '--timeout', '300', '--interval', '0.2']);
    children.push(first.child);
    await receiver.waitFor(K + 1, 30_000);
    // Request K+1 is only sent after row K was marked sent, so exactly K rows are sent now.
    expect(await withStore(db, (s) => outboxCounts(s.db))).toEqual({ pending: N - K, sent: K, dead: 0 });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const firstRun = receiver.requests.map((r) => r.notification);
    const acknowledged = firstRun.slice(0, K);
    const unacknowledged = await withStore(db, async (s) =>
      (await s.db.selectFrom('outbox').select('notification').where('status', '=', 'pending').execute()).map((r) => r.notification),
    );
    expect(unacknowledged).toHaveLength(N - K);
    expect(unacknowledged).toContain(firstRun[K]); // the one in flight when the process died

    receiver.answer = () => 200;
    // The killed deliverer still holds its rows until its claim's lease ends: another deliverer
    // started at once sends none of them (two deliverers never send a row both)…
    const early = startWarren(['deliver', '--db', db]);
    children.push(early.child);
    expect(await early.exited).toMatchObject({ code: 0, stdout: `sent 0, failed 0 (to retry), dead 0, waiting for digest 0; pending ${N - K}\n` });
    expect(receiver.requests).toHaveLength(firstRun.length);
    // …and takes them over once the lease has ended (the child's clock cannot be moved, so the
    // lease's end is moved into the past instead of waiting five minutes).
    await withStore(db, (s) => s.db.updateTable('outbox').set({ claimed_until: '2000-01-01T00:00:00Z' }).where('claimed_by', 'is not', null).execute());
    const second = startWarren(['deliver', '--db', db]);
    children.push(second.child);
    const done = await second.exited;
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(`sent ${N - K}, failed 0 (to retry), dead 0, waiting for digest 0; pending 0\n`);

    const secondRun = receiver.requests.slice(firstRun.length).map((r) => r.notification);
    // Exactly the missing ones, each once; none of those acknowledged before the kill again.
    expect(new Set(secondRun)).toEqual(new Set(unacknowledged));
    expect(secondRun).toHaveLength(N - K);
    for (const id of acknowledged) expect(secondRun).not.toContain(id);
    // Every notification arrived at least once; the in-flight one twice, with the same id.
    expect(new Set([...firstRun, ...secondRun])).toEqual(new Set(all));
    expect(firstRun.length + secondRun.length).toBe(N + 1);
    for (const r of receiver.requests) expect(verifySignature(r.body, 'crash-test-secret-1234', r.headers['x-warren-signature'] as string)).toBe(true);
    expect(await withStore(db, (s) => outboxCounts(s.db))).toEqual({ pending: 0, sent: N, dead: 0 });
  });

  it('keeps delivering with --watch and stops cleanly on SIGTERM', async () => {
    const db = newDb();
    await runCli(['channel', 'add', '--db', db, '--type', 'webhook', '--url', receiver.url, 'hook']);
    const ids = await createNotifications(db, 2);
    const run = startWarren(['deliver', '--watch', '--db', db, '--interval', '0.1']);
    children.push(run.child);
    await receiver.waitFor(2, 30_000);
    const more = await withStore(db, (s) => notify(s, 'default', 3, '2026-05-02T00:00:00Z'));
    await receiver.waitFor(3, 30_000);
    await waitUntil(async () => (await withStore(db, (s) => outboxCounts(s.db))).sent === 3, 30_000, 'three deliveries marked sent');
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.stdout).toBe('sent 3, failed 0 (to retry), dead 0, waiting for digest 0; pending 0\n');
    expect(receiver.requests.map((r) => r.notification)).toEqual([...ids, more]);
  });
});
