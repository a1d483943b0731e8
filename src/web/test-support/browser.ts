// What the browser tests share: Debian's Chromium (or one on PATH), whether the UI is built, and
// a headless launch that reaches nothing beyond the servers the test starts.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { WEB_ROOT } from '../../api/server.js';

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
