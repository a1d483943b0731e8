// Queued work in a real browser against the built UI, on a server with a queue (here one that
// only records what it is handed; the test runs the parts as a worker would): an upload shows
// its parts and their progress until every part has run; a signature saved in the editor names
// its queued retro-hunt; the Ingest page lists the hunt with its parts and cancels it. Saves
// docs/screenshots/jobs.png. Skips (saying why) without Chromium or without a built UI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, WEB_ROOT } from '../api/server.js';
import { addOrg, addUser } from '../services/accounts.js';
import type { QueueDepth, WorkQueue } from '../services/jobs/queue.js';
import { runPart } from '../services/jobs/work.js';
import type { JobKind } from '../store/jobs.js';
import { Store } from '../store/store.js';
import { browserSkipReason, listenUi, openSignedIn, SHOTS } from './test-support/browser.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`jobs browser test skipped: ${skipReason}`);

const NOW = '2026-03-16T09:30:00Z';
const PASSWORD = 'acme-analyst-password-long';

class RecordingQueue implements WorkQueue {
  handed: { kind: JobKind; job: string; part: number }[] = [];
  enqueue(kind: JobKind, job: string, parts: readonly number[]): Promise<void> {
    for (const part of parts) this.handed.push({ kind, job, part });
    return Promise.resolve();
  }
  depth(): Promise<QueueDepth> {
    return Promise.resolve({ waiting: this.handed.length, active: 0, delayed: 0, failed: 0, oldestSeconds: 0 });
  }
  deadLetter(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

let dir: string;
let store: Store;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
const queue = new RecordingQueue();

async function runHanded(kind: JobKind): Promise<void> {
  for (const h of queue.handed.filter((x) => x.kind === kind)) await runPart(store, h.kind, h.job, h.part, { nowMs: () => Date.parse(NOW) });
  queue.handed = queue.handed.filter((x) => x.kind !== kind);
}

describe.skipIf(skipReason !== undefined)(`queued jobs in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    dir = mkdtempSync(join(tmpdir(), 'warren-jobs-web-'));
    store = await Store.open(`sqlite:${join(dir, 'jobs.db')}`);
    await addOrg(store, 'acme', NOW);
    await addUser(store, { email: 'ana@acme.example', org: 'acme', role: 'analyst', password: PASSWORD, now: NOW });
    app = await buildServer({ store, webRoot: WEB_ROOT, clock: () => new Date(NOW), queue, partBytes: 8 * 1024, huntPart: 100 });
    ({ browser, page } = await openSignedIn(await listenUi(app), 'ana@acme.example', PASSWORD));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('follows an upload’s parts, names a saved signature’s queued hunt, lists the hunt and cancels it', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const file = join(dir, 'names.jsonl');
    writeFileSync(file, `${Array.from({ length: 800 }, (_, i) => JSON.stringify({ kind: 'domain', domain: `${i % 4 === 0 ? 'lure' : 'quiet'}-${i}.example` })).join('\n')}\n`);

    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Ingest' }).click();
    await page.getByTestId('ingest-file').setInputFiles(file);
    await page.getByTestId('ingest-upload').click();
    const job = page.getByTestId('ingest-job');
    await expect.poll(() => job.innerText()).toMatch(/0 of \d+ parts \(workers\)/);
    const parts = Number(/0 of (\d+) parts/.exec(await job.innerText())![1]);
    expect(parts).toBeGreaterThan(3);
    expect(await job.getAttribute('data-status')).toBe('running');
    // A worker runs the parts; the page, polling, shows the job done with every record read.
    await runHanded('ingest');
    await expect.poll(() => job.getAttribute('data-status')).toBe('done');
    expect(await job.innerText()).toContain(`${parts} of ${parts} parts`);
    expect(await page.getByTestId('ingest-summary').innerText()).toMatch(/Read\s+800/);

    await page.goto(page.url().replace(/\/ingest.*/, '/signatures/new'));
    await page.getByTestId('signature-text').fill(['id: lure', 'title: Lures', 'field: domain', "patterns: ['^lure-']", 'actions:', '  - tag: Lure', ''].join('\n'));
    await page.getByTestId('save-signature').click();
    await expect.poll(() => page.getByTestId('save-result').innerText()).toMatch(/Retro-hunt queued in \d+ parts/);
    await page.getByTestId('save-result').getByRole('link', { name: 'follow it' }).click();
    const hunt = page.getByTestId('hunt-job');
    await expect.poll(() => hunt.innerText()).toMatch(/lure · 0 of \d+ parts · 0 scanned/);
    expect(await hunt.getAttribute('data-status')).toBe('running');
    // A worker runs half the hunt's parts; the list, polling, shows them.
    const huntParts = queue.handed.filter((h) => h.kind === 'hunt');
    const half = Math.floor(huntParts.length / 2);
    for (const h of huntParts.slice(0, half)) await runPart(store, h.kind, h.job, h.part, { nowMs: () => Date.parse(NOW) });
    queue.handed = queue.handed.filter((h) => !huntParts.slice(0, half).includes(h));
    await expect.poll(() => hunt.innerText()).toMatch(new RegExp(`lure · ${half} of ${huntParts.length} parts · \\d+ scanned · [1-9]\\d* tags`));
    const tagged = (await store.db.selectFrom('tags').select('entity').where('name', '=', 'Lure').execute()).length;
    expect(tagged).toBeGreaterThan(0);
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: join(SHOTS, 'jobs.png'), fullPage: false });
    await hunt.getByTestId('hunt-cancel').click();
    await expect.poll(() => hunt.getAttribute('data-status')).toBe('cancelled');
    // The parts a worker takes after the cancel do nothing.
    await runHanded('hunt');
    expect((await store.db.selectFrom('tags').select('entity').where('name', '=', 'Lure').execute()).length).toBe(tagged);
    expect(await hunt.innerText()).toContain(`${half} of ${huntParts.length} parts`);
    expect(errors).toEqual([]);
  }, 60_000);
});
