// `warren channel add|list|rm|test` (cli.md, "Signatures in an organisation"): where an
// organisation's notifications are delivered. The use cases are services/delivery/channels.ts's,
// the API's too: add, rm and test are audited there with the CLI's actor (cli:<OS user>).
import { Option, type Command } from 'commander';
import {
  checkChannelName,
  describeConfig,
  DIGESTS,
  generateSecret,
  readChannelConfig,
  WEBHOOK_FORMATS,
  channelConfigFrom,
  ChannelConfigError,
  type ChannelConfig,
  type ChannelInput,
} from '../../services/delivery/channel-config.js';
import { addChannel, listChannels, removeChannel, testChannel } from '../../services/delivery/channels.js';
import { isoSeconds } from '../../services/clock.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { cliActor, openStore, withDb, withOrg } from '../store-options.js';
import { mailerFrom, timeoutMs, withMailOptions, type MailOptions } from './deliver.js';

interface StoreOpts {
  db?: string;
  org: string;
}

interface AddOpts extends StoreOpts, ChannelInput {}

function check(error: string | undefined): void {
  if (error !== undefined) throw new UsageError(error);
}

/** The channel the flags describe (flags of the other type are refused, not ignored). */
function configFromFlags(o: AddOpts): ChannelConfig {
  try {
    return channelConfigFrom(o, { key: (k) => `--${k}`, type: (t) => `--type ${t}`, needs: { url: '--url URL', to: '--to ADDRESS' } });
  } catch (e) {
    if (e instanceof ChannelConfigError) throw new UsageError(e.message);
    throw e;
  }
}

function checkSecret(secret: string): void {
  if (secret === '' || secret.trim() !== secret) throw new UsageError('--secret must be non-empty, without leading or trailing spaces');
}

function nameArgument(name: string): string {
  check(checkChannelName(name));
  return name;
}

export function registerChannel(program: Command, ctx: CommandContext): void {
  const channel = program.command('channel').description("an organisation's delivery channels: webhooks and email");

  withOrg(
    withDb(
      channel
        .command('add')
        .description('add a webhook or email channel')
        .argument('<name>', 'channel name: 1 to 64 of a-z 0-9 . _ -')
        .addOption(new Option('--type <type>', 'channel type').choices(['webhook', 'email']).makeOptionMandatory())
        .option('--url <url>', 'webhook: the http(s) URL to POST to')
        .option('--secret <secret>', 'webhook: HMAC-SHA256 key for X-Warren-Signature (default: a random one, printed once)')
        .addOption(new Option('--format <format>', 'webhook: payload format (default: json)').choices([...WEBHOOK_FORMATS]))
        .option('--to <address>', 'email: the recipient')
        .addOption(new Option('--digest <period>', 'email: one digest per UTC day instead of one email per notification').choices([...DIGESTS])),
    ),
  ).action(async (name: string, opts: AddOpts) => {
    nameArgument(name);
    const config = configFromFlags(opts);
    if (opts.secret !== undefined) checkSecret(opts.secret);
    const generated = config.type === 'webhook' && opts.secret === undefined;
    const secret = config.type === 'webhook' ? (opts.secret ?? generateSecret()) : null;
    const store = await openStore(opts);
    try {
      const added = await addChannel(store, cliActor(), opts.org, { name, config, secret }, isoSeconds(new Date()));
      if (!added) throw new UsageError(`channel ${name} already exists in organisation ${opts.org}`);
      await write(ctx.io.stdout, `added ${config.type} channel ${name}: ${describeConfig(config)}\n`);
      if (generated && secret !== null) {
        await write(ctx.io.stdout, `secret: ${secret}\n`);
        await write(ctx.io.stderr, 'keep this secret: it is shown only now, and receivers need it to verify X-Warren-Signature\n');
      } else if (secret !== null && secret.length < 16) {
        await write(ctx.io.stderr, 'warning: a secret shorter than 16 characters is easy to guess\n');
      }
    } finally {
      await store.close();
    }
  });

  withOrg(withDb(channel.command('list').description('list channels (secrets are never shown)').option('--json', 'print as a JSON array'))).action(
    async (opts: StoreOpts & { json?: boolean }) => {
      const store = await openStore(opts);
      try {
        // The operator's view: URLs in full, a password masked (as an admin sees them).
        const list = await listChannels(store, opts.org, { full: true });
        if (opts.json) {
          await write(ctx.io.stdout, `${JSON.stringify(list.map((c) => c.view))}\n`);
          return;
        }
        if (list.length === 0) await write(ctx.io.stderr, `no channels in organisation ${opts.org}\n`);
        for (const { channel: c, view: { outbox } } of list) {
          let where: string;
          try {
            where = describeConfig(readChannelConfig(c));
          } catch (e) {
            where = `unusable: ${(e as Error).message}`;
          }
          const secret = c.type === 'webhook' ? (c.hasSecret ? '  signed' : '  unsigned') : '';
          await write(ctx.io.stdout, `${c.name}\t${c.type}\t${where}${secret}\tpending ${outbox.pending}, sent ${outbox.sent}, dead ${outbox.dead}\n`);
        }
      } finally {
        await store.close();
      }
    },
  );

  withOrg(withDb(channel.command('rm').description('remove a channel and the deliveries it still had to send').argument('<name>', 'channel name'))).action(
    async (name: string, opts: StoreOpts) => {
      nameArgument(name);
      const store = await openStore(opts);
      try {
        const dropped = await removeChannel(store, cliActor(), opts.org, name, isoSeconds(new Date()));
        if (dropped === undefined) throw new UsageError(`no channel ${name} in organisation ${opts.org}`);
        await write(ctx.io.stdout, `removed channel ${name}${dropped > 0 ? ` (${dropped} pending deliveries dropped)` : ''}\n`);
      } finally {
        await store.close();
      }
    },
  );

  withMailOptions(
    withOrg(withDb(channel.command('test').description('send a test message through a channel now (not through the outbox)').argument('<name>', 'channel name'))),
  ).action(async (name: string, opts: StoreOpts & MailOptions) => {
    nameArgument(name);
    const webhookTimeoutMs = timeoutMs(opts);
    const store = await openStore(opts);
    try {
      // The mailer is asked for (and an SMTP server required) only for an email channel.
      const res = await testChannel(store, cliActor(), opts.org, name, {
        now: new Date(),
        mailer: () => mailerFrom(opts, true),
        ...(webhookTimeoutMs !== undefined ? { webhookTimeoutMs } : {}),
      });
      if (!res) throw new UsageError(`no channel ${name} in organisation ${opts.org}`);
      if (res.ok) {
        await write(ctx.io.stdout, `ok: test message delivered through ${name}\n`);
        ctx.exitCode = EXIT_OK;
      } else {
        await write(ctx.io.stderr, `${name}: test failed: ${res.error}\n`);
        ctx.exitCode = EXIT_PROBLEMS;
      }
    } finally {
      await store.close();
    }
  });
}
