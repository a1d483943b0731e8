// What the browser tests share: Debian's Chromium (or one on PATH), whether the UI is built, and
// a headless launch that reaches nothing beyond the servers the test starts.
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer, WEB_ROOT } from '../../api/server.js';
import type { Store } from '../../store/store.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const SHOTS = join(REPO, 'docs', 'screenshots');

export function findChromium(): string | undefined {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'chromium'))) return join(dir, 'chromium');
  }
  return undefined;
}

/** Why a browser test cannot run here, or undefined when it can. */
export function browserSkipReason(): string | undefined {
  if (!findChromium()) return 'no Chromium (neither /usr/bin/chromium nor `chromium` on PATH)';
  if (!existsSync(join(WEB_ROOT, 'index.html'))) return `the web UI is not built (${join(WEB_ROOT, 'index.html')} is missing: run npm run build)`;
  return undefined;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium()!,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The API and the built UI on 127.0.0.1 (any free port), on a clock that starts at `startIso` and
 * moves one second per reading, so every action a test takes gets its own time.
 */
export async function serveUi(store: Store, startIso: string): Promise<{ app: FastifyInstance; base: string }> {
  let tick = Date.parse(startIso);
  const app = await buildServer({ store, webRoot: WEB_ROOT, clock: () => new Date((tick += 1000)) });
  return { app, base: await listenUi(app) };
}

/**
 * WARREN_TEST_UI_JITTER_MS=N holds every API request back 0–N ms at random. A browser test that
 * reads the page before a request it did not wait for has answered then fails in a few runs here,
 * not once in many on a slow CI machine. Off unless set.
 */
function addJitter(app: FastifyInstance): void {
  const most = Number(process.env.WARREN_TEST_UI_JITTER_MS ?? 0);
  if (!(most > 0)) return;
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/api/')) await new Promise((resolve) => setTimeout(resolve, Math.random() * most));
  });
}

/** Listens on 127.0.0.1 (any free port); answers the base URL. */
export async function listenUi(app: FastifyInstance): Promise<string> {
  addJitter(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${addr.port}`;
}

/**
 * Chromium with one page (1366×900, 15 s timeouts) signed in at `base` as `email`, on the
 * overview; docs/screenshots/ made ready for the test's screenshots.
 */
export async function openSignedIn(base: string, email: string, password: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(15_000);
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(`${base}/`);
  await page.getByTestId('page-signin').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('page-overview').waitFor();
  return { browser, page };
}
