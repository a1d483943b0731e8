// Webhook delivery: one POST per notification, signed so the receiver can tell it came from
// this Warren and was not altered. The signature is an HMAC-SHA256 of the exact body bytes,
// which is why the body is serialised once and those bytes are both signed and sent.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryNotification } from '../../store/delivery.js';
import { VERSION } from '../../version.js';
import type { WebhookConfig, WebhookFormat } from './channel-config.js';
import { guardedRequest, OutboundError, type GuardOptions } from '../../net/guarded-http.js';
import { describeError, failed, OK, type SendResult } from './result.js';

export const SIGNATURE_HEADER = 'X-Warren-Signature';
export const NOTIFICATION_HEADER = 'X-Warren-Notification';
export const DELIVERY_HEADER = 'X-Warren-Delivery';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** The generic payload: the notification as `warren notifications --json` shows it, minus `read`. */
export function jsonPayload(n: DeliveryNotification): Record<string, string> {
  return {
    id: n.id,
    signature: n.signature,
    entity: n.entity,
    kind: n.kind,
    field: n.field,
    value: n.value,
    severity: n.severity,
    headline: n.headline,
    content: n.content,
    created: n.created,
  };
}

// Slack's mrkdwn gives &, < and > a meaning; a matched value must never turn into a link.
function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export interface SlackPayload {
  readonly text: string;
  readonly blocks?: readonly Record<string, unknown>[];
}

/** Slack-compatible (incoming webhooks, and Mattermost/Rocket.Chat that accept the same). */
export function slackPayload(n: DeliveryNotification): SlackPayload {
  const headline = slackEscape(n.headline);
  return {
    text: clip(headline, 3000), // the fallback for notifications and clients without blocks
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(`*${headline}*\n${slackEscape(n.content)}`, 3000) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: clip(`severity *${slackEscape(n.severity)}* · signature \`${slackEscape(n.signature)}\` · ${slackEscape(n.kind)} · ${n.created} · id ${n.id}`, 3000),
          },
        ],
      },
    ],
  };
}

export function webhookBody(n: DeliveryNotification, format: WebhookFormat): Buffer {
  switch (format) {
    case 'json':
      return Buffer.from(JSON.stringify(jsonPayload(n)));
    case 'slack':
      return Buffer.from(JSON.stringify(slackPayload(n)));
  }
}

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the body with the secret. */
export function signBody(body: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifySignature(body: Uint8Array | string, secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookSendOptions {
  readonly timeoutMs?: number;
  /** Stops the request (the deliverer is shutting down); the try then counts as not made. */
  readonly signal?: AbortSignal;
  /** Which targets may be reached (default: WARREN_ALLOW_PRIVATE_WEBHOOKS, else public addresses only). */
  readonly guard?: GuardOptions;
}

/**
 * POSTs one notification. Success is a 2xx answer within the timeout; anything else (another
 * status, a redirect, a timeout, a refused connection) is a failure with its reason.
 */
export async function postWebhook(
  config: WebhookConfig,
  secret: string | null,
  n: DeliveryNotification,
  delivery: string,
  opts: WebhookSendOptions = {},
): Promise<SendResult> {
  const body = webhookBody(n, config.format);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `warren/${VERSION}`,
    [NOTIFICATION_HEADER]: n.id,
    [DELIVERY_HEADER]: delivery,
  };
  if (secret !== null) headers[SIGNATURE_HEADER] = signBody(body, secret);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  try {
    // A redirect is not followed: the receiver is the configured URL, and a 3xx is its mistake.
    // Every request goes through the SSRF guard (src/net/guarded-http.ts).
    const answer = await guardedRequest(config.url, {
      method: 'POST',
      headers,
      body,
      timeoutMs,
      maxBodyBytes: 1024,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.guard ? { guard: opts.guard } : {}),
    });
    if (answer.status >= 200 && answer.status < 300) return OK;
    // The start of the body is kept for the operator (stored last_error, `warren deliver`'s
    // stderr); the API only ever answers the failure class and the status.
    const text = answer.body.toString('utf8').replace(/\s+/g, ' ').trim();
    return failed(`HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}${text ? `: ${clip(text, 200)}` : ''}`, 'http_error', answer.status);
  } catch (e) {
    return failed(describeError(e), e instanceof OutboundError ? e.failure : 'unreachable');
  }
}
