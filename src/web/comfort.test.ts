// The UI's comforts in a real browser against the built UI on the demo data set (issue 15, part
// 7): a viewer sees no write control (and an analyst no admin one) while an admin sees them all;
// at 390 px no page scrolls sideways and the navigation folds behind a menu button; keyboard
// shortcuts (`/` lookup, `g n`, `j` / `k` and Enter, `?`); an IDN name shown in Unicode with its
// A-label and a look-alike warning. Saves docs/screenshots/mobile-390.png. Skips (saying why)
// without Chromium or a built UI.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, prepareDemo } from '../demo/prepare.js';
import { addUser } from '../services/accounts.js';
import { resolveEntity, tagEntity } from '../services/manual.js';
import { Store } from '../store/store.js';
import { browserSkipReason, launchChromium, serveUi, SHOTS } from './test-support/browser.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`web comfort test skipped: ${skipReason}`);

/** One fixed moment for the store, the server and the browser: no test reads the wall clock. */
const NOW = '2026-03-16T09:30:00Z';
const PASSWORD = 'comfort-test-password';
const VIEWER = 'viewer@warren.local';
const ANALYST = 'analyst@warren.local';
const ENTITY = 'login-passivetotal.com';
/** The demo's look-alike: "pаypal.co" with a Cyrillic а. */
const IDN = 'xn--pypal-4ve.co';
const MANUAL_TAG = 'Comfort_Manual';

let dir: string;
let store: Store;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let admin: { email: string; password: string };

async function signedIn(email: string, password: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.clock.setFixedTime(new Date(NOW));
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/`);
  await page.getByTestId('page-signin').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('page-overview').waitFor();
  return page;
}

async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByTestId(ready).waitFor();
  await page.waitForLoadState('networkidle');
}

// Every control that writes, by page: its accessible name (buttons and links) as the user sees it.
const WRITES: Record<string, { path: string; ready: string; wait: string; controls: RegExp[] }> = {
  entity: { path: `/entity/${ENTITY}`, ready: 'page-entity', wait: 'tags', controls: [/^Add tag$/, /^Classify$/] },
  signatures: { path: '/signatures', ready: 'page-signatures', wait: 'signature-list', controls: [/^New signature$/, / enabled$/] },
  editor: { path: '/signatures/brand-passivetotal', ready: 'page-signature-editor', wait: 'signature-meta', controls: [/^Save$/, /^(Enable|Disable)$/] },
  channels: { path: '/notifications/channels', ready: 'page-channels', wait: 'channels', controls: [/^Add channel$/] },
  ingest: { path: '/ingest', ready: 'page-ingest', wait: 'ingest-jobs', controls: [/^Upload and ingest$/] },
};

/** How many of each page's write controls the signed-in user sees, by page and control. */
async function writeControls(page: Page): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (const [name, p] of Object.entries(WRITES)) {
    await open(page, p.path, p.ready);
    await page.getByTestId(p.wait).waitFor();
    for (const c of p.controls) {
      seen[`${name} ${c.source}`] = (await page.getByRole('button', { name: c }).count()) + (await page.getByRole('link', { name: c }).count());
    }
  }
  return seen;
}

function scrollsSideways(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate<{ scroll: number; client: number }>(`(() => {
    const el = document.scrollingElement;
    return { scroll: el.scrollWidth, client: el.clientWidth };
  })()`);
}

describe.skipIf(skipReason !== undefined)(`comfort in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    dir = mkdtempSync(join(tmpdir(), 'warren-comfort-'));
    store = await Store.open(`sqlite:${join(dir, 'comfort.db')}`);
    admin = await prepareDemo(store, { now: NOW });
    await addUser(store, { email: VIEWER, org: DEMO_ORG, role: 'viewer', password: PASSWORD, now: NOW });
    await addUser(store, { email: ANALYST, org: DEMO_ORG, role: 'analyst', password: PASSWORD, now: NOW });
    ({ app, base } = await serveUi(store, NOW));
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows each role only the controls its API routes allow', async () => {
    await tagEntity(store, 'cli:test', DEMO_ORG, await resolveEntity(store, ENTITY), MANUAL_TAG, NOW);
    const byRole: Record<string, Record<string, number>> = {};
    const removable: Record<string, number> = {};
    for (const [role, email, password] of [
      ['admin', admin.email, admin.password],
      ['analyst', ANALYST, PASSWORD],
      ['viewer', VIEWER, PASSWORD],
    ] as const) {
      const page = await signedIn(email, password);
      expect(await page.getByTestId('whoami').innerText()).toContain(`(${role})`);
      byRole[role] = await writeControls(page);
      // A tag added by hand offers its removal to whoever may remove it.
      await open(page, `/entity/${ENTITY}`, 'page-entity');
      await page.getByTestId(`tag-${MANUAL_TAG}`).click();
      await page.getByTestId('provenance').waitFor();
      removable[role] = await page.getByRole('button', { name: `Remove tag ${MANUAL_TAG}` }).count();
      if (role === 'viewer') {
        expect(await page.getByRole('textbox', { name: 'Add a tag by hand' }).count()).toBe(0);
        expect(await page.getByRole('combobox', { name: 'Set by hand' }).count()).toBe(0);
        // Notifications are read, not triaged: marking read is an analyst's (the read flag is the
        // whole organisation's), so no bulk bar and no row controls.
        await open(page, '/notifications', 'page-notifications');
        await page.getByTestId('notification').first().waitFor();
        expect(await page.getByTestId('mark-all-read').count()).toBe(0);
        expect(await page.getByTestId('row-status').count()).toBe(0);
        await open(page, '/notifications/channels', 'page-channels');
        expect(await page.getByRole('button', { name: /^(Test|Remove)$/ }).count()).toBe(0);
      }
      await page.context().close();
    }
    // The admin sees every control (so the check below is not vacuous) ...
    for (const [control, n] of Object.entries(byRole.admin!)) expect(n, `admin: ${control}`).toBeGreaterThan(0);
    // ... the analyst all but the admin's (channels) ...
    for (const [control, n] of Object.entries(byRole.analyst!)) expect(n, `analyst: ${control}`).toBe(control.startsWith('channels') ? 0 : byRole.admin![control]);
    // ... and the viewer none.
    for (const [control, n] of Object.entries(byRole.viewer!)) expect(n, `viewer: ${control}`).toBe(0);
    expect(removable).toEqual({ admin: 1, analyst: 1, viewer: 0 });
  }, 120_000);

  it('fits a 390 px screen: no sideways scroll on any page, the navigation behind a menu button', async () => {
    const page = await signedIn(admin.email, admin.password, { width: 390, height: 844 });
    const pages: [string, string][] = [
      ['/', 'page-overview'],
      [`/entity/${ENTITY}`, 'page-entity'],
      [`/entity/${IDN}`, 'page-entity'],
      ['/signatures', 'page-signatures'],
      ['/signatures/brand-passivetotal', 'page-signature-editor'],
      ['/packs', 'page-packs'],
      ['/notifications', 'page-notifications'],
      ['/notifications/channels', 'page-channels'],
      ['/ingest', 'page-ingest'],
      ['/settings/users', 'page-settings'],
      ['/settings/keys', 'page-settings'],
      ['/settings/audit', 'page-settings'],
      ['/search?field=whois.registrant.email&value=46313%40qq.com&mode=exact', 'page-search'],
    ];
    const wide: string[] = [];
    for (const [path, ready] of pages) {
      await open(page, path, ready);
      const { scroll, client } = await scrollsSideways(page);
      expect(client).toBeLessThanOrEqual(390);
      if (scroll > client) wide.push(`${path}: ${scroll} > ${client}`);
    }
    expect(wide).toEqual([]);

    // The signature table is wider than the phone: it scrolls inside itself.
    await open(page, '/signatures', 'page-signatures');
    await page.getByTestId('signature-list').waitFor();
    const table = await page.evaluate<{ scroll: number; client: number }>(`(() => {
      const t = document.querySelector('[data-testid="signature-list"]');
      return { scroll: t.scrollWidth, client: t.clientWidth };
    })()`);
    expect(table.scroll).toBeGreaterThan(table.client);

    // The navigation is folded: the menu button opens it, and choosing a page closes it.
    await open(page, '/', 'page-overview');
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: join(SHOTS, 'mobile-390.png'), fullPage: false });
    const nav = page.getByRole('navigation', { name: 'main' });
    expect(await nav.isVisible()).toBe(false);
    await page.getByTestId('menu-toggle').click();
    expect(await page.getByTestId('menu-toggle').getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Notifications' }).click();
    await page.getByTestId('page-notifications').waitFor();
    await expect.poll(() => nav.isVisible()).toBe(false);
    expect((await scrollsSideways(page)).scroll).toBeLessThanOrEqual(390);
    await page.context().close();
  }, 120_000);

  it('answers the keyboard: / looks up, g n goes to notifications, j / k and Enter open a row, ? lists them', async () => {
    const page = await signedIn(admin.email, admin.password);
    const path = (): string => new URL(page.url()).pathname + new URL(page.url()).search;

    // `/` focuses the lookup box; a domain opens its entity page. The shortcuts listen once the
    // shell has mounted (an effect after the first paint): `/` is pressed until one is heard, and
    // the press that focuses the box types nothing into it.
    const focused = (): Promise<unknown> => page.evaluate('document.activeElement && document.activeElement.id');
    await expect
      .poll(async () => {
        if ((await focused()) !== 'quick-lookup') await page.keyboard.press('/');
        return focused();
      })
      .toBe('quick-lookup');
    expect(await page.getByTestId('quick-lookup').inputValue()).toBe('');
    await page.keyboard.type(ENTITY);
    await page.keyboard.press('Enter');
    await page.getByTestId('page-entity').waitFor();
    expect(path()).toBe(`/entity/${ENTITY}`);
    // `field=value` opens the search page for that field.
    await page.keyboard.press('/');
    await page.keyboard.type('whois.registrant.email=46313@qq.com');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-search').waitFor();
    expect(path()).toBe('/search?field=whois.registrant.email&value=46313%40qq.com&mode=exact');
    // Text that names nothing stays in the box, saying why.
    await page.keyboard.press('/');
    await page.keyboard.type('no such thing');
    await page.keyboard.press('Enter');
    expect(path()).toMatch(/^\/search/);
    expect(await page.evaluate<string>(`document.getElementById('quick-lookup').validationMessage`)).toMatch(/domain, an IP/);
    // Keys typed in a field are the field's: `g n` typed there goes nowhere.
    await page.getByTestId('quick-lookup').fill('');
    await page.keyboard.type('gn');
    expect(path()).toMatch(/^\/search/);
    await page.keyboard.press('Escape');

    // `g n`: the notifications; `j` selects the first row, `j` the second, `k` the first again.
    await page.keyboard.press('g');
    await page.keyboard.press('n');
    await page.getByTestId('page-notifications').waitFor();
    expect(path()).toBe('/notifications');
    const rows = page.getByTestId('notification');
    await rows.nth(1).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await rows.nth(1).getAttribute('data-kbd-current')).toBe('');
    await page.keyboard.press('k');
    expect(await rows.nth(0).getAttribute('data-kbd-current')).toBe('');
    expect(await rows.nth(1).getAttribute('data-kbd-current')).toBeNull();
    // Enter opens the selected row (its first link: the entity).
    const first = (await rows.nth(0).getByRole('link').first().getAttribute('href'))!;
    await page.keyboard.press('Enter');
    await page.getByTestId('page-entity').waitFor();
    expect(path()).toBe(first);

    // The signature list too: `g s`, `j`, Enter opens the first signature.
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.getByTestId('signature-list').waitFor();
    await page.keyboard.press('j');
    const sig = (await page.getByTestId('signature-list').locator('tbody tr').first().getByRole('link').first().getAttribute('href'))!;
    await page.keyboard.press('Enter');
    await page.getByTestId('page-signature-editor').waitFor();
    expect(path()).toBe(sig);

    // `g` then anything else is no shortcut; `g o` the overview.
    await page.keyboard.press('g');
    await page.keyboard.press('x');
    await page.keyboard.press('n');
    expect(path()).toBe(sig);
    await page.keyboard.press('g');
    await page.keyboard.press('o');
    await page.getByTestId('page-overview').waitFor();

    // `?` lists the shortcuts; Escape closes the list.
    const help = page.getByTestId('shortcut-help');
    await page.keyboard.press('?');
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await help.innerText()).toMatch(/Go to Notifications[\s\S]*Next \/ previous row/);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
    await page.context().close();
  }, 60_000);

  it('shows an IDN in Unicode with its A-label on hover, and warns of a look-alike', async () => {
    const page = await signedIn(admin.email, admin.password);
    await open(page, `/entity/${IDN}`, 'page-entity');
    const title = page.getByTestId('entity-id');
    await expect.poll(() => title.innerText()).toContain('p\u0430ypal.co');
    expect(await title.locator('[title]').getAttribute('title')).toBe(`A-label: ${IDN}`);
    const warning = await page.getByTestId('lookalike').innerText();
    expect(warning).toContain('reads as paypal.co');
    expect(warning).toContain('mixes Latin and Cyrillic letters');
    expect(warning).toContain(IDN);
    // Lists show it so too: the look-alike signature's notifications, with the mixed-script mark.
    await open(page, '/notifications?signature=brand-paypal-lookalike', 'page-notifications');
    const named = page.getByTestId('notification').locator(`[data-alabel="${IDN}"]`).first();
    await named.waitFor();
    expect(await named.innerText()).toMatch(/^p\u0430ypal\.co\s*⚠$/);
    expect(await named.getAttribute('title')).toBe(`A-label: ${IDN}`);
    // A plain ASCII name gets no warning and no A-label decoration.
    await open(page, `/entity/${ENTITY}`, 'page-entity');
    await page.getByTestId('tags').waitFor();
    expect(await page.getByTestId('lookalike').count()).toBe(0);
    expect(await page.getByTestId('entity-id').innerText()).toBe(ENTITY);
    await page.context().close();
  }, 60_000);
});
