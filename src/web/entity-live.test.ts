// Live look-ups on the entity page, in a real browser against the built UI (issue 13): the
// server's live look-ups point at a small internet on 127.0.0.1 (RDAP with real ICANN replies,
// DNS, TLS). Opening a never-ingested domain fetches it and shows the tag its registrant earned
// and each source's status and time; a misbehaving registry shows "failed" with its reason and
// no error page; a name nothing is known of says so; "Refresh from the internet" fetches again.
// Saves docs/screenshots/entity-live.png. Skips without Chromium, a built UI or the shared data.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, WEB_ROOT } from '../api/server.js';
import { haveRealReplies, liveSignatures, startTestInternet, type TestInternet } from '../live/test-support/internet.js';
import { addOrg, addUser, createApiKey } from '../services/accounts.js';
import { createLiveLookups } from '../services/live/create.js';
import { liveSettingsFromEnv } from '../services/live/settings.js';
import { Store } from '../store/store.js';
import { browserSkipReason, launchChromium, listenUi, SHOTS } from './test-support/browser.js';

const skipReason = browserSkipReason() ?? (haveRealReplies() ? undefined : 'the real RDAP replies of ../shared/data are absent');
if (skipReason) console.warn(`entity live look-up browser test skipped: ${skipReason}`);

/** The first moment of the store, the servers and the browser: no test reads the wall clock. */
const NOW = '2026-03-16T09:30:00Z';
const EMAIL = 'analyst@lab.example';
const PASSWORD = 'analyst-lab-password';
const MISBEHAVING = 'gone.click';
const UNKNOWN = 'never-seen.click';
const TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;

const SIGNATURES = liveSignatures;

let dir: string;
let store: Store;
let internet: TestInternet;
/** Live look-ups on (the internet's settings), and the same store served with them off. */
let live: FastifyInstance;
let offline: FastifyInstance;
let browser: Browser;

async function signedIn(base: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 1000 } })).newPage();
  await page.clock.setFixedTime(new Date(NOW));
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/`);
  await page.getByTestId('page-signin').waitFor();
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('page-overview').waitFor();
  return page;
}

/** A row of the Live sources table: its status and time cells. */
function row(page: Page, source: string): { status: Locator; at: Locator; detail: Locator } {
  const r = page.getByTestId(`live-${source}`);
  return { status: r.locator('td').nth(1), at: r.locator('td').nth(2), detail: r.locator('td').nth(3) };
}

describe.skipIf(skipReason !== undefined)(`live look-ups on the entity page in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let liveBase: string;
  let offlineBase: string;

  beforeAll(async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    internet = (await startTestInternet())!;
    dir = mkdtempSync(join(tmpdir(), 'warren-entity-live-'));
    store = await Store.open(`sqlite:${join(dir, 'live.db')}`);
    await addOrg(store, 'lab', NOW);
    await addUser(store, { email: EMAIL, org: 'lab', role: 'analyst', password: PASSWORD, now: NOW });
    const { key } = await createApiKey(store, EMAIL, 'signatures', NOW, 'lab');
    // Both servers' clocks start at NOW and move one second per reading: a later fetch has a
    // later time, without the wall clock.
    let tick = Date.parse(NOW);
    const clock = (): Date => new Date((tick += 1000));
    const settings = liveSettingsFromEnv({ ...internet.env });
    live = await buildServer({ store, webRoot: WEB_ROOT, clock, live: createLiveLookups(settings) });
    offline = await buildServer({ store, webRoot: WEB_ROOT, clock, live: createLiveLookups({ ...settings, mode: 'off' }) });
    liveBase = await listenUi(live);
    offlineBase = await listenUi(offline);
    const imported = await live.inject({
      method: 'POST',
      url: '/api/v1/signatures',
      headers: { authorization: `Basic ${Buffer.from(`${EMAIL}:${key}`).toString('base64')}` },
      payload: { text: SIGNATURES(internet) },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await offline?.close();
    await store?.close();
    await internet?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the tag a first view fetched, each source with its time, a failed registry, "nothing known", and a refresh', async () => {
    const page = await signedIn(liveBase);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const registryQueries = (): number => internet.rdap.requests.filter((r) => r.kind === 'domain' && r.path.endsWith(`/domain/${internet.domain}`)).length;

    // A domain Warren has never seen: viewing it fetches RDAP, DNS and TLS, and the registrant
    // signature tags it.
    await page.goto(`${liveBase}/entity/${internet.domain}`);
    await page.getByTestId('tag-Malicious_Registrant').waitFor();
    const first: Record<string, string> = {};
    for (const source of ['rdap', 'dns', 'tls']) {
      const r = row(page, source);
      expect(await r.status.innerText(), source).toMatch(/^ok$/i);
      first[source] = await r.at.innerText();
      expect(first[source], source).toMatch(TIME);
    }
    expect(await page.getByTestId('live').locator('tbody tr').count()).toBe(3);
    expect(registryQueries()).toBe(1);
    expect(await page.getByTestId('nothing-known').count()).toBe(0);
    // The fetched registration is on the page with the tag's provenance.
    expect(await page.getByTestId('page-entity').innerText()).toContain(internet.registrantEmail);
    await page.getByTestId('tag-Malicious_Registrant').click();
    await expect.poll(() => page.getByTestId('provenance').innerText()).toContain('bad-registrant');
    await page.getByTestId('tag-Malicious_Registrant').click();
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: join(SHOTS, 'entity-live.png'), fullPage: false });

    // A registry that answers 404: rdap failed with its reason, DNS and TLS fine, no error page.
    await page.goto(`${liveBase}/entity/${MISBEHAVING}`);
    await page.getByTestId('live-rdap').waitFor();
    expect(await row(page, 'rdap').status.innerText()).toMatch(/^failed$/i);
    expect(await row(page, 'rdap').detail.innerText()).toMatch(/no such domain/);
    expect(await row(page, 'dns').status.innerText()).toMatch(/^ok$/i);
    expect(await page.locator('.error').count()).toBe(0);
    expect(await page.getByTestId('entity-id').innerText()).toBe(MISBEHAVING);

    // A name no source knows, with live look-ups on: nothing known, every source says why.
    await page.goto(`${liveBase}/entity/${UNKNOWN}`);
    await page.getByTestId('nothing-known').waitFor();
    expect(await page.getByTestId('nothing-known').innerText()).toMatch(/the live sources found nothing/);
    expect(await row(page, 'rdap').status.innerText()).toMatch(/^failed$/i);

    // The first page again, later: within the TTL, every source is cached at the first fetch's time.
    await page.goto(`${liveBase}/entity/${internet.domain}`);
    await page.getByTestId('tag-Malicious_Registrant').waitFor();
    for (const source of ['rdap', 'dns', 'tls']) {
      expect(await row(page, source).status.innerText(), source).toMatch(/^cached$/i);
      expect(await row(page, source).at.innerText(), source).toBe(first[source]);
    }
    expect(registryQueries()).toBe(1);
    // Refresh from the internet: fetched again now, ok, at a later time.
    await page.getByRole('button', { name: 'Refresh from the internet' }).click();
    await expect.poll(() => row(page, 'rdap').status.innerText()).toMatch(/^ok$/i);
    for (const source of ['rdap', 'dns', 'tls']) {
      expect(await row(page, source).status.innerText(), source).toMatch(/^ok$/i);
      const at = await row(page, source).at.innerText();
      expect(at, source).toMatch(TIME);
      expect(at > first[source]!, `${source}: ${at} after ${first[source]}`).toBe(true);
    }
    expect(registryQueries()).toBe(2);
    expect(await page.getByTestId('tag-Malicious_Registrant').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('with live look-ups off, a name nothing is known of says "nothing known" and asks nobody', async () => {
    const page = await signedIn(offlineBase);
    const requests = internet.rdap.requests.length;
    await page.goto(`${offlineBase}/entity/never-ingested.click`);
    await page.getByTestId('nothing-known').waitFor();
    const notice = await page.getByTestId('nothing-known').innerText();
    expect(notice).toMatch(/Nothing known about never-ingested\.click/);
    expect(notice).not.toMatch(/the live sources found nothing/);
    expect(await page.getByTestId('live').innerText()).toMatch(/Live look-ups are off/);
    expect(await page.getByTestId('live-refresh').count()).toBe(0);
    expect(await page.getByTestId('tags').innerText()).toMatch(/No tags/);
    expect(internet.rdap.requests.length).toBe(requests);
    // What the live server fetched in the test above is shown from the store, with no live status.
    await page.goto(`${offlineBase}/entity/${internet.domain}`);
    await page.getByTestId('tag-Malicious_Registrant').waitFor();
    expect(await page.getByTestId('live').locator('tbody tr').count()).toBe(0);
  }, 60_000);
});
