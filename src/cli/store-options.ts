// The `--db URL` option every store command shares (cli.md): flag, then WARREN_DB, then the
// embedded default.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Actor } from '../services/audit.js';
import { ServiceError } from '../services/errors.js';
import { BullWorkQueue, QueueUrlError } from '../services/jobs/queue.js';
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

/**
 * Who the audit log names for a change made from the CLI: `cli:<OS user>` (the operator signed in
 * to the machine that holds the store), or `cli` when the OS cannot say (docs/SERVER.md).
 */
export function cliActor(): Actor {
  try {
    const name = userInfo().username;
    return name ? `cli:${name}` : 'cli';
  } catch {
    return 'cli';
  }
}

/**
 * Runs `f` with the store open and closes it after. A service's refusal (ServiceError: bad input,
 * not found, conflict) and errors of the given classes are the user's and become usage errors:
 * one line, exit 2.
 */
export async function withStore(
  opts: { db?: string },
  f: (store: Store) => Promise<void>,
  userErrors: readonly (new (...args: never[]) => Error)[] = [ServiceError],
): Promise<void> {
  const store = await openStore(opts);
  try {
    await f(store);
  } catch (e) {
    if (userErrors.some((c) => e instanceof c)) throw new UsageError((e as Error).message);
    throw e;
  } finally {
    await store.close();
  }
}

/** The `--queue URL` option of serve and worker (docs/DEPLOY.md): flag, then WARREN_QUEUE. */
export function withQueue(cmd: Command): Command {
  return cmd.option('--queue <url>', 'work queue: redis://host:port[/db] (BullMQ); default $WARREN_QUEUE, else everything runs in this process');
}

export function queueUrl(opts: { queue?: string }): string | undefined {
  const url = opts.queue ?? process.env.WARREN_QUEUE;
  return url === undefined || url === '' ? undefined : url;
}

/** The queue the flag or environment names, checked (a bad URL is a usage error); undefined without one. */
export function openQueue(opts: { queue?: string }): BullWorkQueue | undefined {
  const url = queueUrl(opts);
  if (url === undefined) return undefined;
  try {
    return new BullWorkQueue(url);
  } catch (e) {
    if (e instanceof QueueUrlError) throw new UsageError(e.message);
    throw e;
  }
}
