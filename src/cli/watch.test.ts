// `warren watch`: its usage errors and --status in-process, and as a real process (bin/warren.js →
// dist/, built by `npm test`) the kill -9 test of live.md "Resume", on SQLite and PostgreSQL: a
// child follows a test-only feed (test-feed:, WARREN_TEST_FEEDS=1) whose batches come slowly; it
// is killed once between a batch's write and its evaluation and once more later, restarted, and
// its store then holds exactly what an uninterrupted run's holds: the same entities, relations,
// tags, notifications and queued deliveries, and the same position.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../services/delivery/test-support/receiver.js';
import { listNotifications } from '../services/notifications.js';
import { importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { addChannel, outboxCounts } from '../store/delivery.js';
import { readFeedPosition, type FeedPositionRow } from '../store/feed-positions.js';
import { Store } from '../store/store.js';
import { postgresFactory, sqliteFactory, type StoreFactory } from '../store/test-support/open-store.js';
import { runCli } from './test-support/run.js';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'warren-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warren watch, in-process', () => {
  const db = `sqlite:${join(dir, 'usage.db')}`;

  it('refuses what it cannot follow with exit 2 and one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [[], /name a feed to follow/],
      [['ftp://example.org/list'], /"ftp:\/\/example.org\/list" is not a feed: expected ct:URL, ct-tiles:URL, certstream:ws\(s\):\/\/…, domains:URL-or-PATH/],
      [['ct:'], /the ct source needs a URL/],
      [['ct:ftp://ct.example/log/'], /^warren: ct:ftp:\/\/ct\.example\/log\/: /],
      [['ct-tiles:not a url'], /^warren: ct-tiles:not a url: /],
      [['certstream:https://certstream.example/'], /^warren: certstream:https:\/\/certstream\.example\/: .*ws/],
      [['test-feed:/tmp/x.jsonl'], /is not a feed/], // only with WARREN_TEST_FEEDS=1
      [['ct:https://ct.example/log/', '--from', 'yesterday'], /--from "yesterday": expected an index/],
      [['domains:/tmp/list.txt', '--every', 'often'], /--every "often" is not a duration/],
      [['--log-list', join(dir, 'no-such-list.json')], /--log-list .*no-such-list\.json: /],
      [['ct:https://ct.example/log/', '--usable'], /--usable applies to --log-list/],
      [['ct:https://ct.example/log/', '--status'], /--status takes no sources/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['watch', '--db', db, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--status says so when no feed was ever followed, as text and JSON', async () => {
    expect(await runCli(['watch', '--db', db, '--status'])).toMatchObject({ code: 0, stdout: 'no feeds followed yet (warren watch SOURCE…)\n' });
    expect(await runCli(['watch', '--db', db, '--status', '--json'])).toMatchObject({ code: 0, stdout: '[]\n' });
  });
});

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const children: ChildProcess[] = [];

function startWatch(db: string, feedFile: string, env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit> } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, WARREN_TEST_FEEDS: '1', WARREN_TEST_FEED_BATCH: '25', ...env };
  delete childEnv.WARREN_DB;
  const child = spawn(process.execPath, [join(root, 'bin/warren.js'), 'watch', '--db', db, `test-feed:${feedFile}`], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

const ENTRIES = 300;

/** The feed: domains (every 20th a brand look-alike), some with an address, one line each. */
function writeFeed(path: string): void {
  const lines: string[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const seen = `2026-04-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`;
    const domain = i % 20 === 7 ? `brandco-login-${i}.example` : `site-${i}.example`;
    lines.push(
      i % 3 === 0
        ? JSON.stringify({ kind: 'resolution', domain, rrtype: 'A', value: `192.0.2.${i % 250}`, first_seen: seen, last_seen: seen, source: 'feed-test' })
        : JSON.stringify({ kind: 'domain', domain, first_seen: seen, last_seen: seen, source: 'feed-test' }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function prepare(store: Store): Promise<void> {
  const now = '2026-04-01T00:00:00Z';
  const brand = makeSignature({ id: 'brand', field: 'domain', patterns: ['brandco'], actions: [{ tag: 'brand' }, { alert: { severity: 'high' } }] });
  await importSignatures(store, 'acme', [brand], { now });
  await importSignatures(store, 'beta', [{ ...brand, id: 'beta-brand', actions: [{ alert: { severity: 'low' } }] }], { now });
  await addChannel(store.db, { org: 'acme', name: 'hook', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook', format: 'json' }, secret: null }, now);
}

/** Everything a run leaves that a kill could lose or double (times of creation aside). */
async function outcome(store: Store): Promise<unknown> {
  const notes = async (org: string): Promise<unknown[]> =>
    (await listNotifications(store, org)).map((n) => [n.id, n.signature, n.entity, n.value, n.severity]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const feed = (await readFeedPosition(store.db, `test-feed:${join(dir, 'feed.jsonl')}`))!;
  return {
    stats: await store.stats(),
    acme: await notes('acme'),
    beta: await notes('beta'),
    outbox: await outboxCounts(store.db),
    outboxRows: (await store.db.selectFrom('outbox').select(['org', 'channel', 'notification']).orderBy('notification').execute()).map((r) => Object.values(r).join(' ')),
    tags: (await store.db.selectFrom('tags').select(['org', 'entity', 'name', 'signature']).orderBy('entity').orderBy('org').execute()).map((r) => Object.values(r).join(' ')),
    position: { position: feed.position, evaluated: feed.evaluated, entries: feed.entries, evaluatedEntries: feed.evaluatedEntries, errors: feed.errors },
  };
}

async function feedRow(store: Store): Promise<FeedPositionRow | undefined> {
  return readFeedPosition(store.db, `test-feed:${join(dir, 'feed.jsonl')}`);
}

const index = (p: FeedPositionRow['position'] | undefined): number => (typeof p?.index === 'number' ? p.index : -1);

function killSuite(label: string, factory: StoreFactory): void {
  describe(`${label}: warren watch killed with -9 and restarted`, () => {
    beforeAll(() => {
      if (!existsSync(join(root, 'dist/cli/commands/watch.js'))) throw new Error('dist/ has no watch command: run `npm run build` first (npm test does)');
      writeFeed(join(dir, 'feed.jsonl'));
    });
    afterEach(() => {
      for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });

    it('stores, evaluates and alerts exactly as a run without the kill', async (t) => {
      const made = [await factory(), await factory()];
      const [ref, killed] = made;
      if (!ref || !killed || 'skip' in ref || 'skip' in killed) {
        for (const m of made) if (m && !('skip' in m)) await m.cleanup();
        return t.skip(ref && 'skip' in ref ? ref.skip : 'no store');
      }
      const feedFile = join(dir, 'feed.jsonl');
      const refStore = await Store.open(ref.url);
      const store = await Store.open(killed.url);
      try {
        await prepare(refStore);
        await prepare(store);

        // The run without a kill: to the end of the feed, then SIGTERM (exit 0).
        const clean = startWatch(ref.url, feedFile, {});
        await waitUntil(async () => index((await feedRow(refStore))?.evaluated) === ENTRIES, 30_000, 'the uninterrupted run to reach the end');
        clean.child.kill('SIGTERM');
        const cleanExit = await clean.exited;
        expect(cleanExit).toMatchObject({ code: 0, signal: null });
        expect(cleanExit.stdout).toMatch(new RegExp(`test-feed:.*: ${ENTRIES} entries in 12 batches, ${ENTRIES} records, 0 rejected, 0 errors`));

        // Killed between a batch's write and its evaluation: the child pauses there.
        const first = startWatch(killed.url, feedFile, { WARREN_TEST_FEED_WRITE_PAUSE_MS: '400' });
        await waitUntil(
          async () => {
            const row = await feedRow(store);
            return index(row?.position) >= 75 && index(row?.position) > index(row?.evaluated);
          },
          30_000,
          'a batch written but not evaluated',
        );
        first.child.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');
        const atKill = (await feedRow(store))!;
        expect(index(atKill.position)).toBeGreaterThan(index(atKill.evaluated));
        const stored = (await store.stats()).domains;

        // Restarted: it fetches the unevaluated batch again; killed again mid-run (in a batch's fetch).
        const second = startWatch(killed.url, feedFile, { WARREN_TEST_FEED_DELAY_MS: '150' });
        await waitUntil(async () => index((await feedRow(store))?.evaluated) >= index(atKill.position) + 50, 30_000, 'the restarted run to pass the first kill');
        second.child.kill('SIGKILL');
        const secondExit = await second.exited;
        expect(secondExit.signal).toBe('SIGKILL');
        expect(secondExit.stderr).toContain(`fetching again from {"index":${index(atKill.evaluated)}} what was stored up to {"index":${index(atKill.position)}}`);
        expect((await store.stats()).domains).toBeGreaterThan(stored);

        const third = startWatch(killed.url, feedFile, {});
        await waitUntil(async () => index((await feedRow(store))?.evaluated) === ENTRIES, 30_000, 'the last run to reach the end');
        third.child.kill('SIGTERM');
        expect(await third.exited).toMatchObject({ code: 0, signal: null });

        const expected = await outcome(refStore);
        expect(expected).toMatchObject({ stats: { domains: ENTRIES, resolutions: ENTRIES / 3 }, outbox: { pending: ENTRIES / 20, sent: 0, dead: 0 } });
        expect((expected as { acme: unknown[] }).acme).toHaveLength(ENTRIES / 20);
        expect(await outcome(store)).toEqual(expected);

        // --status reads the same from the store.
        const status = await runCli(['watch', '--db', killed.url, '--status', '--json']);
        expect(status.code).toBe(0);
        expect(JSON.parse(status.stdout)).toEqual([
          expect.objectContaining({ feed: `test-feed:${feedFile}`, position: { index: ENTRIES }, evaluated: { index: ENTRIES }, index: ENTRIES, size: ENTRIES, lag: 0, entries: ENTRIES, errors: 0, lastError: null }),
        ]);
        const table = (await runCli(['watch', '--db', killed.url, '--status'])).stdout.split('\n');
        expect(table[0]).toMatch(/^FEED +POSITION +SIZE +LAG +ENTRIES\/S +ENTRIES +LAST ERROR$/);
        expect(table[1]).toMatch(new RegExp(`^test-feed:\\S+ +${ENTRIES} +${ENTRIES} +0 +[\\d.]+ +${ENTRIES}$`));
      } finally {
        await refStore.close();
        await store.close();
        await ref.cleanup();
        await killed.cleanup();
      }
    });
  });
}

killSuite('SQLite', sqliteFactory('warren-watch-kill-'));
killSuite('PostgreSQL', postgresFactory);

describe('warren serve --watch', () => {
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('follows the feeds inside the server, shows them in /metrics, and stops them (their batch committed) on SIGTERM', async () => {
    const file = join(dir, 'serve-feed.jsonl');
    writeFileSync(file, Array.from({ length: 60 }, (_, i) => `${JSON.stringify({ kind: 'domain', domain: `served-${i}.example`, source: 't' })}\n`).join(''));
    const db = `sqlite:${join(dir, 'serve.db')}`;
    const env: NodeJS.ProcessEnv = { ...process.env, WARREN_TEST_FEEDS: '1', WARREN_TEST_FEED_BATCH: '20', WARREN_TEST_FEED_DELAY_MS: '100', WARREN_DELIVER: '0' };
    delete env.WARREN_DB;
    const child = spawn(process.execPath, [join(root, 'bin/warren.js'), 'serve', '--db', db, '--port', '0', '--watch', `test-feed:${file}`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitUntil(() => /serving .* on (http:\/\/\S+)/.test(stderr), 30_000, 'the server to listen');
    const base = /serving .* on (http:\/\/\S+)/.exec(stderr)![1]!;
    const metric = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();
    const position = (text: string): number => Number(/^warren_feed_position\{feed="test-feed:[^"]+"\} (\d+)$/m.exec(text)?.[1] ?? -1);
    await waitUntil(async () => position(await metric()) >= 20, 30_000, 'the first batch in /metrics');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const store = await Store.open(db);
    try {
      const row = (await readFeedPosition(store.db, `test-feed:${file}`))!;
      // Stopped mid-run: whatever was committed was evaluated too, and its records are stored.
      expect(index(row.evaluated)).toBe(index(row.position));
      expect(index(row.position)).toBeGreaterThanOrEqual(20);
      expect((await store.stats()).domains).toBe(index(row.position));
    } finally {
      await store.close();
    }
  });
});
