// `warren notifications [--unread] [--signature ID] [--severity S] [--since TIME] [--json]`,
// `warren notifications read ID…|--all`, `unread ID…`, and `summary` (cli.md).
import type { Command } from 'commander';
import { normaliseTimestamp } from '../../fields/normalise.js';
import { SEVERITIES } from '../../signatures/types.js';
import { listNotifications, markNotifications, notificationSummary } from '../../services/notifications.js';
import { UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { openStore, withDb, withOrg } from '../store-options.js';

interface ListOpts {
  db?: string;
  org: string;
  unread?: boolean;
  signature?: string;
  severity?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

function since(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const iso = normaliseTimestamp(text);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(iso)) throw new UsageError(`--since ${text} is not a date or time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`);
  return iso;
}

export function registerNotifications(program: Command, ctx: CommandContext): void {
  const n = withOrg(
    withDb(
      program
        .command('notifications')
        .description("the organisation's notifications, newest first")
        .option('--unread', 'only unread ones')
        .option('--signature <id>', 'only those of this signature')
        .option('--severity <level>', `only this severity (${SEVERITIES.join(', ')})`)
        .option('--since <time>', 'only those created at or after this date or time')
        .option('--limit <n>', 'at most this many', '1000')
        .option('--json', 'print as JSON'),
    ),
  ).action(async (opts: ListOpts) => {
    if (opts.severity !== undefined && !(SEVERITIES as readonly string[]).includes(opts.severity)) {
      throw new UsageError(`--severity ${opts.severity} is not one of ${SEVERITIES.join(', ')}`);
    }
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${opts.limit} is not a positive whole number`);
    const from = since(opts.since);
    const store = await openStore(opts);
    try {
      const list = await listNotifications(store, opts.org, {
        ...(opts.unread ? { unread: true } : {}),
        ...(opts.signature !== undefined ? { signature: opts.signature } : {}),
        ...(opts.severity !== undefined ? { severity: opts.severity } : {}),
        ...(from !== undefined ? { since: from } : {}),
        limit,
      });
      if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(list)}\n`);
      else for (const x of list) await write(ctx.io.stdout, `${x.read ? ' ' : '*'} ${x.id}  ${x.created}  ${x.severity.padEnd(6)}  ${x.headline}\n`);
    } finally {
      await store.close();
    }
  });

  // Subcommands take --db and --org from `notifications` (given before or after them).
  const mark = (read: boolean): void => {
    n.command(read ? 'read' : 'unread')
      .description(`mark notifications ${read ? 'read' : 'unread'}`)
      .argument('[ids...]', 'notification ids')
      .option('--all', 'every notification of the organisation')
      .action(async (ids: string[], _local: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ db?: string; org: string; all?: boolean }>();
      if (!opts.all && ids.length === 0) throw new UsageError('name notification ids, or --all');
      const store = await openStore(opts);
      try {
        const count = await markNotifications(store, opts.org, opts.all ? { matching: {} } : { ids }, read);
        await write(ctx.io.stdout, `${count} marked ${read ? 'read' : 'unread'}\n`);
      } finally {
        await store.close();
      }
    });
  };
  mark(true);
  mark(false);

  n.command('summary')
    .description('unread by signature and severity, and counts per day')
    .option('--json', 'print as JSON')
    .action(async (_local: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ db?: string; org: string; json?: boolean }>();
      const store = await openStore(opts);
      try {
        const s = await notificationSummary(store, opts.org);
        if (opts.json) {
          await write(ctx.io.stdout, `${JSON.stringify(s)}\n`);
          return;
        }
        await write(ctx.io.stdout, `${s.unread} unread of ${s.total}\n`);
        for (const [k, v] of Object.entries(s.unreadBySeverity)) await write(ctx.io.stdout, `  ${k.padEnd(8)} ${v}\n`);
        for (const [k, v] of Object.entries(s.unreadBySignature)) await write(ctx.io.stdout, `  ${k}: ${v}\n`);
      } finally {
        await store.close();
      }
    });
}
