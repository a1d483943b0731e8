// Signature packs in a real browser against the built UI: beta's admin finds the pack acme offers
// on the Packs page (from the Signatures page), subscribes (the retro-hunt tags beta's data),
// opens the pack read-only and switches one signature off, then unsubscribes. Saves
// docs/screenshots/packs.png. Skips (saying why) without Chromium or without a built UI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, WEB_ROOT } from '../api/server.js';
import { addOrg, addUser } from '../services/accounts.js';
import { importSignatures } from '../services/org-signatures.js';
import { grantPack, publishPack } from '../services/packs.js';
import { makeSignature } from '../signatures/make.js';
import { entityTags } from '../store/actions.js';
import { Store } from '../store/store.js';
import { browserSkipReason, listenUi, openSignedIn, SHOTS } from './test-support/browser.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`packs browser test skipped: ${skipReason}`);

const NOW = '2026-03-16T09:30:00Z';
const PASSWORD = 'beta-admin-password-long';

let dir: string;
let store: Store;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;

async function betaTags(entity: string): Promise<string[]> {
  return (await entityTags(store.db, { org: 'beta', kind: 'domain', entity })).map((t) => `${t.name}:${t.signature}`);
}

describe.skipIf(skipReason !== undefined)(`signature packs in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    dir = mkdtempSync(join(tmpdir(), 'warren-packs-web-'));
    store = await Store.open(`sqlite:${join(dir, 'packs.db')}`);
    for (const org of ['acme', 'beta']) await addOrg(store, org, NOW);
    await addUser(store, { email: 'admin@beta.example', org: 'beta', role: 'admin', password: PASSWORD, now: NOW });
    await store.write(['login-lure.example', 'kit-panel.example'].map((domain) => ({ kind: 'domain' as const, domain, observation: { source: 'test' } })));
    await importSignatures(
      store,
      'acme',
      [
        makeSignature({ id: 'lure', title: 'Login lures', field: 'domain', patterns: ['lure'], actions: [{ tag: 'Lure' }] }),
        makeSignature({ id: 'kit', title: 'Phishing kit panels', field: 'domain', patterns: ['kit-panel'], actions: [{ tag: 'Kit' }] }),
      ],
      { now: NOW },
    );
    await publishPack(store, 'acme', 'phish', { signatures: ['lure', 'kit'], description: 'Phishing lures and kit panels.', now: NOW, actor: 'admin@acme.example' });
    await grantPack(store, 'acme', 'phish', 'beta', { now: NOW, actor: 'admin@acme.example' });
    app = await buildServer({ store, webRoot: WEB_ROOT, clock: () => new Date(NOW) });
    base = await listenUi(app);
    ({ browser, page } = await openSignedIn(base, 'admin@beta.example', PASSWORD));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes to an offered pack, shows it read-only, switches one signature off, and unsubscribes', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Signatures' }).click();
    await page.getByTestId('packs-link').click();
    await page.getByTestId('page-packs').waitFor();
    const row = page.getByTestId('offered-acme/phish');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/acme\/phish\s+1\s+2\s+Phishing lures and kit panels\.\s+not subscribed/);
    await row.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toBe('Subscribed to acme/phish version 1; the retro-hunt tagged 2');
    await expect.poll(() => row.innerText()).toMatch(/version 1/);
    expect(await betaTags('login-lure.example')).toEqual(['Lure:acme/phish/lure']);

    await row.getByRole('link', { name: 'acme/phish' }).click();
    await page.getByTestId('page-pack').waitFor();
    const kit = page.getByTestId('pack-signature-kit');
    await kit.waitFor();
    expect(await kit.innerText()).toMatch(/kit\s+acme\/phish\/kit\s+domain\s+Phishing kit panels\s+1\s+Enabled/);
    await kit.getByRole('button', { name: 'kit enabled here' }).click();
    await expect.poll(() => kit.innerText()).toMatch(/\s0\s+Disabled$/);
    expect(await betaTags('kit-panel.example')).toEqual([]);
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: join(SHOTS, 'packs.png'), fullPage: false });

    await page.getByRole('link', { name: 'All packs' }).click();
    await page.getByTestId('offered-acme/phish').getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toBe('Unsubscribed from acme/phish; 1 tags withdrawn');
    expect(await betaTags('login-lure.example')).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
