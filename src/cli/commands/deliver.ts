// `warren deliver [--watch]` (cli.md, "Signatures in an organisation"): sends what the outbox
// holds for every organisation (or one), and with --watch keeps doing so until SIGINT/SIGTERM.
// Also the SMTP and timeout flags that `warren channel test` shares.
import type { Command } from 'commander';
import { checkEmailAddress, checkSmtpUrl } from '../../services/delivery/channel-config.js';
import { smtpMailer, type Mailer } from '../../services/delivery/email.js';
import { deliverPending, pendingByType, pendingDeliveries, watch, type DeliverOptions, type DeliveryCounts, type DeliveryEvent } from '../../services/delivery/outbox.js';
import { isoSeconds } from '../../services/clock.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { openStore, withDb } from '../store-options.js';

export interface MailOptions {
  smtp?: string;
  from?: string;
  timeout?: string;
}

export function withMailOptions(cmd: Command): Command {
  return cmd
    .option('--smtp <url>', 'SMTP server for email channels: smtp://[user:pass@]host[:port] or smtps://… (default: $WARREN_SMTP_URL)')
    .option('--from <address>', 'sender of emails (default: $WARREN_SMTP_FROM or warren@localhost)')
    .option('--timeout <seconds>', 'per request, webhook or SMTP (default: 10 for webhooks, 30 for SMTP)');
}

function positive(text: string, flag: string, max: number, integer = false): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`invalid ${flag} "${text}": expected a${integer ? 'n integer' : ' number'} from ${integer ? 1 : 'above 0'} to ${max}`);
  }
  return n;
}

/** --timeout in ms, or undefined for each sender's own default. */
export function timeoutMs(opts: MailOptions): number | undefined {
  return opts.timeout === undefined ? undefined : Math.round(positive(opts.timeout, '--timeout', 3600) * 1000);
}

function checkFrom(from: string): void {
  // `Name <address>` or a bare address.
  const m = /<([^<>]*)>\s*$/.exec(from);
  const error = checkEmailAddress(m ? m[1]!.trim() : from.trim());
  if (error) throw new UsageError(`--from: ${error}`);
}

/** The SMTP mailer the flags or the environment configure; undefined (or an error) without one. */
export function mailerFrom(opts: MailOptions, required: boolean): Mailer | undefined {
  const url = opts.smtp ?? process.env.WARREN_SMTP_URL;
  if (url === undefined || url === '') {
    if (required) throw new UsageError('email channels need an SMTP server: --smtp URL or WARREN_SMTP_URL');
    return undefined;
  }
  const urlError = checkSmtpUrl(url);
  if (urlError) throw new UsageError(urlError);
  const from = opts.from ?? process.env.WARREN_SMTP_FROM;
  if (from !== undefined) checkFrom(from);
  const timeout = timeoutMs(opts);
  return smtpMailer({ url, ...(from !== undefined ? { from } : {}), ...(timeout !== undefined ? { timeoutMs: timeout } : {}) });
}

function summary(c: DeliveryCounts, pending: number): string {
  return `sent ${c.sent}, failed ${c.failed} (to retry), dead ${c.dead}, waiting for digest ${c.waiting}; pending ${pending}`;
}

function describeEvent(e: DeliveryEvent, maxAttempts: number): string | undefined {
  const what = e.notifications.length === 1 ? `notification ${e.notifications[0]}` : `digest of ${e.notifications.length} notifications`;
  const where = `${e.org}/${e.channel} ${what}`;
  switch (e.outcome) {
    case 'retry':
      return `${where}: try ${e.attempts} of ${maxAttempts} failed (${e.error}); next try at ${e.next}`;
    case 'dead':
      return `${where}: try ${e.attempts} of ${maxAttempts} failed (${e.error}); now a dead letter`;
    case 'sent':
    case 'waiting':
      return undefined;
  }
}

interface DeliverFlags extends MailOptions {
  db?: string;
  org?: string;
  watch?: boolean;
  interval: string;
  maxAttempts: string;
  json?: boolean;
}

export function registerDeliver(program: Command, ctx: CommandContext): void {
  withMailOptions(
    withDb(
      program
        .command('deliver')
        .description('send pending deliveries (webhooks, email) and exit; --watch keeps running')
        .option('--org <name>', 'only this organisation (default: every organisation)')
        .option('--watch', 'keep running, sending deliveries as they come due, until SIGINT or SIGTERM')
        .option('--interval <seconds>', 'with --watch: pause between passes over the outbox', '5')
        .option('--max-attempts <n>', 'tries before a delivery becomes a dead letter', '8')
        .option('--json', 'print the summary as one JSON object'),
    ),
  ).action(async (opts: DeliverFlags) => {
    const intervalMs = Math.round(positive(opts.interval, '--interval', 86_400) * 1000);
    const maxAttempts = positive(opts.maxAttempts, '--max-attempts', 100, true);
    const webhookTimeoutMs = timeoutMs(opts);
    const mailer = mailerFrom(opts, false);
    try {
      const store = await openStore(opts);
      try {
        if (!mailer) {
          const waiting = (await pendingByType(store, opts.org)).email ?? 0;
          if (waiting > 0) await write(ctx.io.stderr, `${waiting} email deliveries wait for an SMTP server: --smtp URL or WARREN_SMTP_URL\n`);
        }
        const base: DeliverOptions = {
          maxAttempts,
          ...(webhookTimeoutMs !== undefined ? { webhookTimeoutMs } : {}),
          ...(mailer ? { mailer } : {}),
          ...(opts.org !== undefined ? { org: opts.org } : {}),
          onEvent: (e) => {
            const line = describeEvent(e, maxAttempts);
            if (line !== undefined) ctx.io.stderr.write(`${line}\n`);
          },
        };
        let counts: DeliveryCounts;
        if (opts.watch) {
          const stop = new AbortController();
          const onSignal = (): void => stop.abort();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          try {
            counts = await watch(store, {
              ...base,
              signal: stop.signal,
              intervalMs,
              onPass: (c) => {
                if (c.sent + c.failed + c.dead > 0) ctx.io.stderr.write(`${isoSeconds(new Date())} sent ${c.sent}, failed ${c.failed}, dead ${c.dead}\n`);
              },
              onError: (e) => ctx.io.stderr.write(`warren deliver: pass failed: ${(e as Error).message}; trying again\n`),
            });
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
        } else {
          counts = await deliverPending(store, base);
        }
        const pending = await pendingDeliveries(store, opts.org);
        await write(ctx.io.stdout, opts.json ? `${JSON.stringify({ ...counts, pending })}\n` : `${summary(counts, pending)}\n`);
        ctx.exitCode = counts.dead > 0 ? EXIT_PROBLEMS : EXIT_OK;
      } finally {
        await store.close();
      }
    } finally {
      mailer?.close();
    }
  });
}
