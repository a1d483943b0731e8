// The analyst's story in a real browser, against the built UI (dist/web) served by buildServer on
// the demo data set: sign in → overview → entity with an auto tag and its provenance → write a
// signature, test, preview, save, enable → ingest a file it matches → the tag on that entity →
// the notification on the overview and in the list → mark it read. Saves a screenshot of every
// page to docs/screenshots/. Skips (saying why) without Chromium or without a built UI.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemo } from '../demo/prepare.js';
import { addOrg, invite } from '../services/accounts.js';
import { WEB_ROOT } from '../api/server.js';
import { serveUi } from './test-support/browser.js';
import { Store } from '../store/store.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(REPO, 'docs', 'screenshots');

function findChromium(): string | undefined {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'chromium'))) return join(dir, 'chromium');
  }
  return undefined;
}

const executablePath = findChromium();
const built = existsSync(join(WEB_ROOT, 'index.html'));
const skipReason = !executablePath
  ? 'no Chromium (neither /usr/bin/chromium nor `chromium` on PATH)'
  : !built
    ? `the web UI is not built (${join(WEB_ROOT, 'index.html')} is missing: run npm run build)`
    : undefined;
if (skipReason) console.warn(`web story test skipped: ${skipReason}`);

/** One fixed moment for the store, the server and the browser: no test reads the wall clock,
 * and the screenshots come out the same on every run. */
const NOW = '2026-03-16T09:30:00Z';

const SIGNATURE_ID = 'story-login-lure';
const NEW_DOMAIN = 'warren-story-login.example.com';
const SIGNATURE = `id: ${SIGNATURE_ID}
title: Login lures of the story
status: experimental
field: domain
patterns: ['warren-story-login']
actions:
  - tag: Story_Login_Lure
  - alert: {severity: high}
tests:
  match: ['${NEW_DOMAIN}', 'warren-story-login.net']
  no_match: ['example.com']
`;

let dir: string;
let store: Store;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let credentials: { email: string; password: string };

async function shot(name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

describe.skipIf(skipReason !== undefined)(`the analyst story in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    dir = mkdtempSync(join(tmpdir(), 'warren-story-'));
    store = await Store.open(`sqlite:${join(dir, 'story.db')}`);
    credentials = await prepareDemo(store, { now: NOW });
    // The server's clock starts at NOW and moves one second per reading: later events sort
    // later (the new notification tops the overview) without the wall clock.
    ({ app, base } = await serveUi(store, NOW));
    browser = await chromium.launch({
      executablePath: executablePath!,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    // Date in the page is NOW too (timers keep running), so the 30-day chart covers the demo.
    await page.clock.setFixedTime(new Date(NOW));
    page.setDefaultTimeout(10_000);
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, follows a tag to its signature, writes a signature, ingests, and reads the notification', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // Sign in.
    await page.goto(`${base}/`);
    await page.getByTestId('page-signin').waitFor();
    await shot('sign-in');
    await page.getByLabel('Email').fill(credentials.email);
    await page.getByLabel('Password').fill(credentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The overview: the notification summary.
    await page.getByTestId('page-overview').waitFor();
    await expect.poll(() => page.getByTestId('unread-count').innerText()).toMatch(/^\d+\s+unread$/);
    expect(await page.getByTestId('unread-by-signature').innerText()).toContain('brand-passivetotal');
    await page.getByTestId('day-chart').waitFor();
    await shot('overview');

    // Search a domain → its entity page; the auto tag shows its provenance on click.
    await page.getByTestId('search-input').fill('login-passivetotal.com');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('page-entity').waitFor();
    expect(page.url()).toBe(`${base}/entity/login-passivetotal.com`);
    await page.getByTestId('tag-Brand_PassiveTotal').click();
    const provenance = page.getByTestId('provenance');
    await expect.poll(() => provenance.innerText()).toContain('brand-passivetotal');
    expect(await provenance.innerText()).toContain('login-passivetotal.com');
    await shot('entity');

    // Signatures: the list, then a new one in the editor.
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Signatures' }).click();
    await page.getByTestId('signature-list').waitFor();
    // Status, hits, last hit and author per signature; the demo's brand signature has hits.
    expect(await page.getByTestId('signature-list').locator('thead').innerText()).toMatch(/Status[\s\S]*Hits[\s\S]*Last hit[\s\S]*Author/);
    expect(Number(await page.getByTestId('sig-hits-brand-passivetotal').innerText())).toBeGreaterThan(0);
    await shot('signatures');
    await page.getByTestId('new-signature').click();
    await page.getByTestId('page-signature-editor').waitFor();
    const editor = page.getByTestId('signature-text');
    // A mistake is shown at its line, as you type.
    await editor.fill(SIGNATURE.replace("field: domain", 'field: domian'));
    await expect.poll(() => page.getByTestId('lint-errors').innerText().catch(() => '')).toMatch(/line 4/);
    await editor.fill(SIGNATURE);
    await expect.poll(() => page.getByTestId('lint-status').innerText()).toContain('Valid: 1 signature');
    await page.getByTestId('run-tests').click();
    await expect.poll(() => page.getByTestId('test-result').innerText()).toContain('3 cases passed');
    await page.getByTestId('run-preview').click();
    await expect.poll(() => page.getByTestId('preview-result').innerText()).toMatch(/\d+ matched/);
    await page.getByTestId('save-signature').click();
    await page.waitForURL(`${base}/signatures/${SIGNATURE_ID}`);
    await expect.poll(() => page.getByTestId('signature-meta').innerText()).toContain('enabled');
    // Disable and enable again: both are versions in the history.
    await page.getByTestId('toggle-enabled').click();
    await expect.poll(() => page.getByTestId('signature-meta').innerText()).toContain('disabled');
    await page.getByTestId('toggle-enabled').click();
    await expect.poll(() => page.getByTestId('signature-meta').innerText()).toMatch(/version 3 · enabled/);
    await expect.poll(() => page.getByTestId('history').innerText()).toContain('v3');
    // A version shows its diff against the one before: v3 enabled what v2 disabled.
    await page.getByTestId('history').getByRole('button', { name: /^v3 ·/ }).click();
    await expect.poll(() => page.getByTestId('version-diff').innerText()).toMatch(/- enabled: false[\s\S]*\+ enabled: true/);
    await shot('signature-editor');

    // The form view edits the same signature: a change there rewrites the YAML, still validated.
    await page.getByTestId('tab-form').click();
    await page.getByTestId('signature-form').waitFor();
    expect(await page.getByTestId('form-field').inputValue()).toBe('domain');
    expect(await page.getByTestId('form-alert').inputValue()).toBe('high');
    await page.getByLabel('Title', { exact: true }).fill('Login lures of the story, via the form');
    await page.getByTestId('form-classify').selectOption('suspicious');
    await expect.poll(() => page.getByTestId('lint-status').innerText()).toContain('Valid: 1 signature');
    await shot('signature-form');
    await page.getByTestId('tab-form').press('ArrowLeft');
    const yaml = await page.getByTestId('signature-text').inputValue();
    expect(yaml).toContain('title: Login lures of the story, via the form');
    expect(yaml).toContain('classify: suspicious');

    // Ingest a passive-DNS file (COF) with a domain the new signature matches, and one bad line.
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Ingest' }).click();
    await page.getByTestId('page-ingest').waitFor();
    const t = Math.floor(Date.parse(NOW) / 1000);
    const cof = [
      JSON.stringify({ rrname: `${NEW_DOMAIN}.`, rrtype: 'A', rdata: ['198.51.100.77'], time_first: t - 3600, time_last: t, count: 3, sensor_id: 'story' }),
      JSON.stringify({ rrname: 'benign-story.example.org.', rrtype: 'A', rdata: ['198.51.100.78'], time_first: t - 3600, time_last: t, sensor_id: 'story' }),
      JSON.stringify({ rrname: 'broken.example.org.', rrtype: 'A', rdata: ['198.51.100.79'], time_first: 'yesterday', sensor_id: 'story' }),
    ].join('\n');
    await page.getByTestId('ingest-file').setInputFiles({ name: 'story.cof.json', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${cof}\n`) });
    await page.getByTestId('ingest-upload').click();
    await page.getByTestId('ingest-job').waitFor();
    await expect.poll(() => page.getByTestId('ingest-status').innerText()).toMatch(/done/i);
    expect(Number(await page.getByTestId('ingest-tags').innerText())).toBeGreaterThanOrEqual(1);
    await page.getByTestId('ingest-rejects').waitFor();
    const rejectsUrl = await page.getByTestId('ingest-rejects-download').getAttribute('href');
    expect(rejectsUrl).toMatch(/^blob:/);
    expect(await page.evaluate(async (u) => (await fetch(u)).text(), rejectsUrl!)).toMatch(/^.+:3: .+\n$/);
    await shot('ingest');

    // The new tag on that entity, from the new signature.
    await page.goto(`${base}/entity/${NEW_DOMAIN}`);
    await page.getByTestId('tag-Story_Login_Lure').click();
    await expect.poll(() => page.getByTestId('provenance').innerText()).toContain(SIGNATURE_ID);

    // The notification on the overview and in the list; mark it read.
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('unread-by-signature').innerText()).toContain(SIGNATURE_ID);
    // Recent notifications load on their own request, apart from the summary polled above.
    await expect.poll(() => page.getByTestId('recent').innerText()).toContain(NEW_DOMAIN);
    await expect.poll(() => page.getByTestId('ingest-activity').innerText()).toMatch(/cof[\s\S]*done/i);
    await page.getByTestId('unread-by-signature').getByRole('link', { name: SIGNATURE_ID }).click();
    await page.getByTestId('page-notifications').waitFor();
    expect(new URL(page.url()).searchParams.get('signature')).toBe(SIGNATURE_ID);
    const item = page.getByTestId('notification').filter({ hasText: NEW_DOMAIN });
    await item.waitFor();
    await item.getByRole('button', { name: /mark read/i }).click();
    await expect.poll(() => page.getByTestId('notification-list').innerText()).toContain('No notifications match.');
    await page.getByTestId('filter-unread').uncheck();
    await expect.poll(() => item.innerText()).toMatch(/Mark unread/);
    await page.getByRole('link', { name: 'Clear' }).click();
    await expect.poll(() => page.getByTestId('notification').count()).toBeGreaterThan(10);
    await shot('notifications');

    // Settings: invitations (one to the demo user from another organisation, accepted; one of
    // the demo organisation, withdrawn), a new analyst, an API key (shown once), the audit log.
    await addOrg(store, 'partner', NOW);
    await invite(store, { org: 'partner', email: credentials.email, role: 'viewer', invitedBy: 'lead@partner.example', now: NOW });
    await invite(store, { org: 'demo', email: 'colleague@warren.local', role: 'viewer', invitedBy: credentials.email, now: NOW });
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Settings' }).click();
    const users = page.getByTestId('users');
    await users.getByRole('table').waitFor();
    const mine = page.getByTestId('my-invitations');
    await mine.getByRole('button', { name: 'accept the invitation to partner' }).click();
    await expect.poll(() => mine.innerText()).toContain('No invitations for you.');
    // Accepting does not move where the UI acts: still the demo organisation, by default.
    expect(await page.getByLabel('Default organisation').inputValue()).toBe('demo');
    const pending = page.getByTestId('pending-invitations');
    await expect.poll(() => pending.innerText()).toContain('colleague@warren.local');
    await pending.getByRole('button', { name: 'withdraw the invitation of colleague@warren.local' }).click();
    await expect.poll(() => pending.innerText()).toContain('No pending invitations.');
    await page.getByLabel('Email').fill('analyst@warren.local');
    await page.getByRole('combobox', { name: /^Role/ }).selectOption('analyst');
    await page.getByLabel(/^Password/).fill('analyst-story-password');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => users.innerText()).toContain('analyst@warren.local');
    await shot('settings');
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('story key');
    await page.getByRole('button', { name: 'Create key' }).click();
    expect(await page.getByLabel('new API key').inputValue()).toMatch(/\S{16,}/);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => page.getByTestId('audit').innerText()).toContain('apikey.create');

    expect(errors).toEqual([]);
  }, 60_000);

  it('labels every control on every page, and shows where the keyboard focus is', async () => {
    // Signed in by the story above. Each page's controls need an accessible name (a label,
    // aria-label or -labelledby, a title, or a button's or link's own text).
    const pages = ['/', '/entity/login-passivetotal.com', '/signatures', '/signatures/new', '/packs', '/notifications', '/notifications/channels', '/ingest', '/settings/users', '/settings/keys', '/settings/audit'];
    const unnamed: string[] = [];
    let controls = 0;
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle');
      // Browser-side code as text: this project's Node tsconfig has no DOM types.
      const missing = await page.evaluate<string[]>(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
        .filter((e) => !((e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.getAttribute('title')
          || ((e.tagName === 'BUTTON' || e.tagName === 'A') && (e.textContent || '').trim() !== '')))
        .map((e) => e.outerHTML.slice(0, 120))`);
      unnamed.push(...missing.map((m) => `${path}: ${m}`));
      controls += await page.locator('input:not([type=hidden]), select, textarea, button, a[href]').count();
    }
    expect(unnamed).toEqual([]);
    // The pages really rendered (signed in): a few hundred controls were looked at.
    expect(controls).toBeGreaterThan(100);

    // Tab from the top lands on the skip link first, drawn with a visible outline.
    await page.goto(`${base}/`);
    await page.waitForLoadState('networkidle');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{ text: string; outline: string } | undefined>(`(() => {
      const el = document.activeElement;
      return el ? { text: (el.textContent || '').trim(), outline: getComputedStyle(el).outlineStyle } : undefined;
    })()`);
    expect(focused?.text).toMatch(/skip/i);
    expect(focused?.outline).not.toBe('none');
  }, 60_000);
});
