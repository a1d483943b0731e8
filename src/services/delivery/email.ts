// Email delivery over SMTP (nodemailer). Immediate channels send one email per notification;
// daily-digest channels send one email per UTC day, once that day is over (outbox.ts decides
// when; this file only composes and sends).
import nodemailer from 'nodemailer';
import type { DeliveryNotification } from '../../store/delivery.js';
import { VERSION } from '../../version.js';
import type { EmailConfig } from './channel-config.js';
import { describeError, failed, OK, type SendResult } from './result.js';

export const DEFAULT_FROM = 'Warren <warren@localhost>';
export const DEFAULT_SMTP_TIMEOUT_MS = 30_000;

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Sends mail; a test can put anything behind it, the deliverer uses smtpMailer(). */
export interface Mailer {
  send(message: MailMessage): Promise<SendResult>;
  close(): void;
}

export interface SmtpOptions {
  /** smtp://[user:pass@]host[:port] or smtps://… */
  readonly url: string;
  readonly from?: string;
  readonly timeoutMs?: number;
}

export function smtpMailer(opts: SmtpOptions): Mailer {
  const timeout = opts.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  // One connection per message keeps a failed session from leaking into the next delivery.
  const transport = nodemailer.createTransport({
    url: opts.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const from = opts.from ?? DEFAULT_FROM;
  return {
    async send(m) {
      try {
        await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, headers: { ...m.headers } });
        return OK;
      } catch (e) {
        return failed(`SMTP: ${describeError(e)}`, 'smtp_error');
      }
    },
    close() {
      transport.close();
    },
  };
}

// Header values are one line; a matched value with a line break must not start a new header.
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function details(n: DeliveryNotification): string {
  return [
    `Signature: ${n.signature}`,
    `Entity:    ${n.kind} ${n.entity}`,
    `Field:     ${n.field}`,
    `Value:     ${n.value}`,
    `Severity:  ${n.severity}`,
    `Created:   ${n.created}`,
    `Id:        ${n.id}`,
  ].join('\n');
}

/** One notification: the headline is the subject, the content and the details the body. */
export function notificationEmail(config: EmailConfig, n: DeliveryNotification): MailMessage {
  return {
    to: config.to,
    subject: oneLine(n.headline),
    text: `${n.content}\n\n${details(n)}\n\n-- \nWarren ${VERSION}\n`,
    headers: { 'X-Warren-Notification': n.id },
  };
}

/** The notifications of one UTC day in one email, oldest first. */
export function digestEmail(config: EmailConfig, day: string, ns: readonly DeliveryNotification[]): MailMessage {
  const parts = ns.map((n, i) => `${i + 1}. ${n.headline}\n\n${n.content}\n\n${details(n)}`);
  return {
    to: config.to,
    subject: `Warren daily digest ${day}: ${ns.length} notification${ns.length === 1 ? '' : 's'}`,
    text: `${parts.join('\n\n----------------------------------------\n\n')}\n\n-- \nWarren ${VERSION}\n`,
    headers: { 'X-Warren-Digest': day }, // the ids are in the body: a header of hundreds would be refused
  };
}
