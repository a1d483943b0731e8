// `warren channel test`: one made-up notification sent straight through a channel (not through
// the outbox), so a receiver can be checked before real notifications depend on it.
import { randomBytes } from 'node:crypto';
import type { Channel, DeliveryNotification } from '../../store/delivery.js';
import { readChannelConfig } from './channel-config.js';
import { isoSeconds } from '../clock.js';
import { notificationEmail, type Mailer } from './email.js';
import { describeError, failed, type SendResult } from './result.js';
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
}

export async function sendTestMessage(channel: Channel, opts: ChannelTestOptions): Promise<SendResult> {
  let config;
  try {
    config = readChannelConfig(channel);
  } catch (e) {
    return failed(describeError(e));
  }
  const n = testNotification(channel.name, opts.now);
  switch (config.type) {
    case 'webhook':
      // Delivery number 0: no outbox row stands behind a test.
      return postWebhook(config, channel.secret, n, '0', opts.webhookTimeoutMs !== undefined ? { timeoutMs: opts.webhookTimeoutMs } : {});
    case 'email':
      // A digest channel's test goes out at once: waiting a day would test nothing.
      if (!opts.mailer) return failed('no SMTP server configured (--smtp URL or WARREN_SMTP_URL)');
      return opts.mailer.send(notificationEmail(config, n));
  }
}
