// `warren demo [--db URL] [--port 8080] [--host 127.0.0.1]` (what `npm start` runs): a store
// filled with the bundled demo data set and sample signatures (src/demo), served with the web UI
// exactly as `warren serve` serves, until SIGINT/SIGTERM. Its own store by default, so trying
// the demo never touches data/warren.db; the first start prepares it, later starts reuse it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { WEB_ROOT } from '../../api/server.js';
import { prepareDemo } from '../../demo/prepare.js';
import { isoSeconds, systemClock } from '../../services/clock.js';
import { UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { openStore } from '../store-options.js';
import { checkServeConfig, runServer } from './serve.js';

export const DEMO_DB_URL = 'sqlite:./data/demo.db';

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('serve Warren with a bundled demo data set and the web UI (what npm start runs)')
    .option('--db <url>', `store for the demo: sqlite:PATH or postgres://… (default: ${DEMO_DB_URL})`)
    .option('--port <port>', 'TCP port (WARREN_PORT; default 8080)')
    .option('--host <host>', 'address to listen on (WARREN_HOST; default 127.0.0.1)')
    .action(async (opts: { db?: string; port?: string; host?: string }) => {
      const { config, problems } = checkServeConfig({ ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.host !== undefined ? { host: opts.host } : {}) });
      if (!config) throw new UsageError(problems.join('; '));
      const db = opts.db ?? DEMO_DB_URL;
      const store = await openStore({ db });
      const err = (s: string): Promise<void> => write(ctx.io.stderr, s);
      let demo;
      try {
        demo = await prepareDemo(store, { now: isoSeconds(systemClock()) });
      } catch (e) {
        await store.close();
        throw e;
      }
      const ui = existsSync(join(WEB_ROOT, 'index.html'));
      if (!ui) await err('warren demo: the web UI is not built (run `npm run build`); serving the API only\n');
      await runServer(store, config, ctx, {
        ...(ui ? { webRoot: WEB_ROOT } : {}),
        banner: (address) =>
          `warren demo: serving ${db} on ${address}\n` +
          `warren demo: sign in${ui ? ` at ${address}/` : ''} as ${demo.email} with password ${demo.password} (organisation ${demo.org}; a local demo account)\n`,
      });
    });
}
