// The brand page in a real browser against the built UI: acme's analyst opens Brands from the
// menu, sees PayPal's look-alikes grouped by family with registration, addresses and
// certificate, classifies one malicious with one click and excludes another from its signature
// with one click (it leaves the page; the signature has a new version); at 390 px the page does
// not scroll sideways. Saves docs/screenshots/brands.png. Skips (saying why) without Chromium or
// without a built UI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestRecord } from '../ingest/records.js';
import { addOrg, addUser } from '../services/accounts.js';
import { exportSignatures, importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { entityClassifications } from '../store/actions.js';
import { Store } from '../store/store.js';
import { browserSkipReason, openSignedIn, serveUi, SHOTS } from './test-support/browser.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`brands browser test skipped: ${skipReason}`);

const NOW = '2026-03-16T09:30:00Z';
const PASSWORD = 'acme-analyst-password-long';
const CERT = 'ab'.repeat(32);
const seen = { source: 'test', firstSeen: '2026-03-01T00:00:00Z', lastSeen: '2026-03-10T00:00:00Z' };

const RECORDS: IngestRecord[] = [
  ...['pyapal-login.com', 'paypa1.com', 'paypal-login.com', 'paypal.net', 'xn--pypal-4ve.com', 'paypal.com', 'venmo-secure.com'].map((domain): IngestRecord => ({ kind: 'domain', domain, observation: seen })),
  { kind: 'whois', domain: 'pyapal-login.com', fields: { 'whois.created': ['2026-03-02T11:00:00Z'], 'whois.registrar': ['Example Registrar'] }, observed: '2026-03-03T00:00:00Z', source: 'test' },
  { kind: 'whois', domain: 'paypa1.com', fields: { 'whois.created': ['2026-02-20T08:00:00Z'] }, observed: '2026-03-03T00:00:00Z', source: 'test' },
  { kind: 'resolution', domain: 'pyapal-login.com', rrtype: 'A', value: '192.0.2.10', observation: seen },
  { kind: 'resolution', domain: 'paypa1.com', rrtype: 'A', value: '198.51.100.7', observation: seen },
  { kind: 'certificate-fields', sha256: CERT, fields: { 'x509.issuer.common_name': ['Example Issuing CA R1'], 'x509.subject.common_name': ['paypa1.com'] }, observation: seen },
  { kind: 'names', sha256: CERT, domain: 'paypa1.com', observation: seen },
];

let dir: string;
let store: Store;
let app: FastifyInstance;
let browser: Browser;
let page: Page;

describe.skipIf(skipReason !== undefined)(`the brand page in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    process.env.WARREN_SCRYPT_N ??= '1024';
    dir = mkdtempSync(join(tmpdir(), 'warren-brands-web-'));
    store = await Store.open(`sqlite:${join(dir, 'brands.db')}`);
    await addOrg(store, 'acme', NOW);
    await addUser(store, { email: 'analyst@acme.example', org: 'acme', role: 'analyst', password: PASSWORD, now: NOW });
    await store.write(RECORDS);
    await importSignatures(
      store,
      'acme',
      [
        makeSignature({
          id: 'brand-paypal',
          title: 'PayPal look-alikes',
          field: 'domain',
          match: 'lookalike',
          patterns: ['paypal', 'venmo'],
          exclude: ['paypal.com'],
          actions: [{ tag: 'LookAlike_PayPal' }, { alert: { severity: 'high' } }],
        }),
      ],
      { now: NOW },
    );
    const served = await serveUi(store, NOW);
    app = served.app;
    ({ browser, page } = await openSignedIn(served.base, 'analyst@acme.example', PASSWORD));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the brands, groups a brand’s look-alikes by family, classifies one and excludes another with one click each', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Brands' }).click();
    await page.getByTestId('page-brands').waitFor();
    const paypal = page.getByTestId('brand-paypal');
    await paypal.waitFor();
    expect(await paypal.innerText()).toMatch(/paypal\s+brand-paypal\s+5/);
    expect(await page.getByTestId('brand-venmo').innerText()).toMatch(/venmo\s+brand-paypal\s+1/);

    await paypal.getByRole('link', { name: 'paypal', exact: true }).click();
    await page.getByTestId('page-brand').waitFor();
    await page.getByTestId('family-homoglyph').waitFor();
    const families = await Promise.all((await page.locator('[data-testid^="family-"]').all()).map((l) => l.getAttribute('data-testid')));
    expect(families).toEqual(['family-homoglyph', 'family-transposition', 'family-keyword-added', 'family-tld-swap']);
    expect(await page.getByTestId('family-homoglyph').getByRole('heading').innerText()).toBe('homoglyph (2)');
    const pyapal = page.getByTestId('lookalike-pyapal-login.com');
    const pyapalText = await pyapal.innerText();
    expect(pyapalText).toContain('transposition + keyword-added of paypal in pyapal-login.com (distance 1)');
    expect(pyapalText).toContain('192.0.2.10');
    expect(pyapalText).toContain('2026');
    const homoglyph = await page.getByTestId('lookalike-paypa1.com').innerText();
    expect(homoglyph).toContain('Example Issuing CA R1');
    expect(homoglyph).toContain('198.51.100.7');

    await pyapal.getByRole('button', { name: 'classify pyapal-login.com malicious' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toBe('pyapal-login.com classified malicious');
    await expect.poll(() => pyapal.innerText()).toMatch(/malicious/i);
    expect(await entityClassifications(store.db, { org: 'acme', kind: 'domain', entity: 'pyapal-login.com' })).toMatchObject([{ value: 'malicious', source: 'manual' }]);
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: join(SHOTS, 'brands.png'), fullPage: false });

    await page.getByTestId('lookalike-paypal-login.com').getByRole('button', { name: 'exclude paypal-login.com from brand-paypal' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toBe('brand-paypal version 2 excludes paypal-login.com; 1 tags withdrawn');
    await expect.poll(() => page.getByTestId('family-keyword-added').count()).toBe(0);
    expect(await page.getByTestId('lookalike-paypal-login.com').count()).toBe(0);
    expect((await exportSignatures(store, 'acme', ['brand-paypal'])).signatures[0]?.exclude).toEqual(['paypal.com', 'paypal-login.com']);
    // On a phone the family tables scroll inside themselves; the page never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('family-homoglyph').waitFor();
    expect(await page.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  }, 60_000);
});
