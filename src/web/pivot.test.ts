// Pivots and lists in a real browser against the built UI on the demo data set (issue 15): on a
// domain's page the registrant email is a link with its count beside it; clicking it lists its
// four domains on the pivot page; the Tags page lists the organisation's tags with counts and a
// tag opens its entities; a signature's hits open its list. Saves docs/screenshots/pivot.png and
// tags.png, and prints how long the pages took to load (navigation start → list shown).
// Skips (saying why) without Chromium or without a built UI.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, WEB_ROOT } from '../api/server.js';
import { SCENARIO } from '../demo/dataset.js';
import { prepareDemo } from '../demo/prepare.js';
import { Store } from '../store/store.js';
import { browserSkipReason, launchChromium, listenUi, SHOTS } from './test-support/browser.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`pivot browser test skipped: ${skipReason}`);

/** One fixed moment for the store, the server and the browser: no test reads the wall clock. */
const NOW = '2026-03-16T09:30:00Z';
const DOMAINS = [...SCENARIO.registrantDomains].sort();

let dir: string;
let store: Store;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
/** Load times measured in the page (ms), printed at the end. */
const timings: Record<string, number> = {};

async function shot(name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** Milliseconds from the page's navigation start to now (the moment what was waited for showed). */
function sinceNavigation(): Promise<number> {
  return page.evaluate(() => Math.round(performance.now()));
}

/** How long the API call whose URL contains `part` took, from the page's resource timing (ms). */
function apiTime(part: string): Promise<number | undefined> {
  return page.evaluate((p) => {
    const entries = performance.getEntriesByType('resource').filter((e) => e.name.includes(p));
    const last = entries.at(-1);
    return last ? Math.round(last.duration) : undefined;
  }, part);
}

describe.skipIf(skipReason !== undefined)(`pivots and lists in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    dir = mkdtempSync(join(tmpdir(), 'warren-pivot-'));
    store = await Store.open(`sqlite:${join(dir, 'pivot.db')}`);
    const credentials = await prepareDemo(store, { now: NOW });
    app = await buildServer({ store, webRoot: WEB_ROOT, clock: () => new Date(NOW) });
    base = await listenUi(app);
    browser = await launchChromium();
    // No fake clock in the page: nothing shown here depends on the time, and the page's own
    // performance timing (what the load figures read) stays real.
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(15_000);
    mkdirSync(SHOTS, { recursive: true });
    await page.goto(`${base}/`);
    await page.getByTestId('page-signin').waitFor();
    await page.getByLabel('Email').fill(credentials.email);
    await page.getByLabel('Password').fill(credentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('page-overview').waitFor();
  }, 120_000);

  afterAll(async () => {
    console.info(`pivot page load times (ms, navigation start → shown): ${JSON.stringify(timings)}`);
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pivots from a domain’s registrant email to every domain it registered', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/entity/${DOMAINS[0]}`);
    const registrant = page.getByRole('region', { name: 'WHOIS registrant contact' });
    await registrant.waitFor();
    timings.entity = await sinceNavigation();
    const email = registrant.getByRole('link', { name: /^46313@qq\.com$/i });
    // The count arrives after the page (it costs a scan) and sits beside the value.
    await expect.poll(() => registrant.innerText()).toMatch(/46313@qq\.com · 4 domains/i);
    timings.entityCounts = await sinceNavigation();
    timings.countsApi = (await apiTime('/api/v1/pivot/counts')) ?? -1;
    // The registrar links the same way; so do the certificate's and the IP's values elsewhere.
    expect(await page.getByRole('region', { name: 'WHOIS', exact: true }).getByRole('link', { name: 'Bulkreg Domains Ltd' }).count()).toBe(1);
    await email.click();

    await page.getByTestId('page-pivot').waitFor();
    expect(new URL(page.url()).pathname).toBe('/pivot');
    expect(new URL(page.url()).searchParams.get('field')).toBe('whois.registrant.email');
    const list = page.getByTestId('pivot-list');
    await list.waitFor();
    expect(await page.getByTestId('pivot-total').innerText()).toBe('4 domains');
    expect(await list.locator('tbody tr td:first-child').allInnerTexts()).toEqual(DOMAINS);
    expect(await page.getByTestId('export-csv').getAttribute('href')).toMatch(/^\/api\/v1\/pivot\?field=whois\.registrant\.email&value=46313%40qq\.com&format=csv$/i);
    expect(await page.getByTestId('export-stix').getAttribute('href')).toMatch(/^\/api\/v1\/pivot\?field=whois\.registrant\.email&value=46313%40qq\.com&format=stix$/i);
    expect(await page.getByTestId('export-misp').getAttribute('href')).toMatch(/&format=misp$/);
    await shot('pivot');

    // A fresh load of the pivot page itself, timed in the page.
    await page.goto(`${base}/pivot?field=whois.registrant.email&value=${encodeURIComponent(SCENARIO.registrantEmail)}`);
    await page.getByTestId('pivot-list').waitFor();
    timings.pivot = await sinceNavigation();
    timings.pivotApi = (await apiTime('/api/v1/pivot?')) ?? -1;

    // An entity of the list opens its page.
    await page.getByTestId('pivot-list').getByRole('link', { name: DOMAINS[1] }).click();
    await page.getByTestId('page-entity').waitFor();
    expect(await page.getByTestId('entity-id').innerText()).toBe(DOMAINS[1]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('lists the organisation’s tags with counts, and a tag’s entities', async () => {
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Tags' }).click();
    await page.getByTestId('page-tags').waitFor();
    const row = page.getByTestId('tag-row-Malicious_Registrant');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Malicious_Registrant\s+4 entities/);
    expect(await page.getByTestId('classification-list').innerText()).toMatch(/malicious\s+\d+ entit/i);
    await shot('tags');
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-list').waitFor();
    timings.tags = await sinceNavigation();

    await page.getByTestId('tag-row-Malicious_Registrant').getByRole('link', { name: 'Malicious_Registrant' }).click();
    await page.getByTestId('page-pivot').waitFor();
    await page.getByTestId('pivot-list').waitFor();
    expect(await page.getByTestId('pivot-total').innerText()).toBe('4 entities');
    expect(await page.getByTestId('pivot-list').locator('tbody tr td:first-child').allInnerTexts()).toEqual(DOMAINS);
  }, 60_000);

  it('opens a signature’s hits as its list', async () => {
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Signatures' }).click();
    const hits = page.getByTestId('sig-hits-malicious-registrant-46313');
    await hits.waitFor();
    expect(await hits.innerText()).toBe('4');
    await hits.getByRole('link').click();
    await page.getByTestId('pivot-list').waitFor();
    expect(await page.getByTestId('pivot-total').innerText()).toBe('4 entities');
    expect(await page.getByTestId('pivot-list').locator('tbody tr td:first-child').allInnerTexts()).toEqual(DOMAINS);
  }, 60_000);
});
