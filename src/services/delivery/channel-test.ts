// `warren channel test`: one made-up notification sent straight through a channel (not through
// the outbox), so a receiver can be checked before real notifications depend on it.
import { randomBytes } from 'node:crypto';
import type { Channel, DeliveryNotification } from '../../store/delivery.js';
import type { GuardOptions } from '../../net/guarded-http.js';
import { readChannelConfig } from './channel-config.js';
import { isoSeconds } from '../clock.js';
import { notificationEmail, type Mailer } from './email.js';
import { describeError, failed, type SendFailure, type SendResult } from './result.js';
import { postWebhook } from './webhook.js';

export function testNotification(channel: string, now: Date): DeliveryNotification {
  return {
    // Unique per test, so a receiver that drops duplicates never drops a test.
    id: `test-${randomBytes(12).toString('hex')}`,
    signature: 'warren-channel-test',
    entity: 'example.com',
    kind: 'domain',
    field: 'domain',
    value: 'example.com',
    severity: 'low',
    headline: `Warren test message for channel ${channel}`,
    content: `This is a test sent by "warren channel test ${channel}". If it arrived, the channel works.`,
    created: isoSeconds(now),
  };
}

export interface ChannelTestOptions {
  readonly now: Date;
  readonly mailer?: Mailer;
  readonly webhookTimeoutMs?: number;
  /** Which targets webhooks may reach (default: WARREN_ALLOW_PRIVATE_WEBHOOKS). */
  readonly guard?: GuardOptions;
}

export async function sendTestMessage(channel: Channel, opts: ChannelTestOptions): Promise<SendResult> {
  let config;
  try {
    config = readChannelConfig(channel);
  } catch (e) {
    return failed(describeError(e), 'config');
  }
  const n = testNotification(channel.name, opts.now);
  switch (config.type) {
    case 'webhook':
      // Delivery number 0: no outbox row stands behind a test.
      return postWebhook(config, channel.secret, n, '0', {
        ...(opts.webhookTimeoutMs !== undefined ? { timeoutMs: opts.webhookTimeoutMs } : {}),
        ...(opts.guard ? { guard: opts.guard } : {}),
      });
    case 'email':
      // A digest channel's test goes out at once: waiting a day would test nothing.
      if (!opts.mailer) return failed('no SMTP server configured (--smtp URL or WARREN_SMTP_URL)', 'not_configured');
      return opts.mailer.send(notificationEmail(config, n));
  }
}

/** What an API caller is told about a test: success, or the failure class, never the details. */
export type PublicTestResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: SendFailure; readonly status?: number; readonly message: string };

const FAILURE_WORDS: Record<SendFailure, string> = {
  refused: 'the URL points to an address webhooks may not reach (private, local or metadata)',
  unreachable: 'no connection could be made to the receiver',
  timeout: 'the receiver did not answer in time',
  tls: 'the TLS connection to the receiver failed',
  interrupted: 'the test was interrupted',
  http_error: 'the receiver answered with an error status',
  config: 'the channel\'s stored configuration cannot be used',
  not_configured: 'no SMTP server is configured for this server',
  smtp_error: 'the SMTP server did not accept the message',
};

/**
 * The test's result as the API answers it. Neither the receiver's answer nor the error text is
 * passed on: the server would otherwise be a probe that reads internal services for whoever may
 * add channels. The message is Warren's own words for the class (and the status code).
 */
export function publicTestResult(r: SendResult): PublicTestResult {
  if (r.ok) return { ok: true };
  const message = r.status !== undefined ? `${FAILURE_WORDS[r.failure]} (HTTP ${r.status})` : FAILURE_WORDS[r.failure];
  return r.status !== undefined ? { ok: false, error: r.failure, status: r.status, message } : { ok: false, error: r.failure, message };
}
