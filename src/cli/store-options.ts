// The `--db URL` option every store command shares (cli.md): flag, then WARREN_DB, then the
// embedded default.
import type { Command } from 'commander';
import { DEFAULT_DB_URL, StoreUrlError } from '../store/connect.js';
import { Store } from '../store/store.js';
import { UsageError } from './io.js';

export function withDb(cmd: Command): Command {
  return cmd.option('--db <url>', `store: sqlite:PATH or postgres://… (default: $WARREN_DB or ${DEFAULT_DB_URL})`);
}

export function withOrg(cmd: Command): Command {
  return cmd.option('--org <name>', 'organisation', 'default');
}

export function dbUrl(opts: { db?: string }): string {
  return opts.db ?? process.env.WARREN_DB ?? DEFAULT_DB_URL;
}

/** Opens the store, turning a bad URL or an unreachable server into a usage error (exit 2). */
export async function openStore(opts: { db?: string }): Promise<Store> {
  try {
    return await Store.open(dbUrl(opts));
  } catch (e) {
    if (e instanceof StoreUrlError) throw new UsageError(e.message);
    throw e;
  }
}
