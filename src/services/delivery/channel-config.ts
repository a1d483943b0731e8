// What a channel is configured with, checked once when it is added and read back (defensively)
// when it is used. Each check returns a one-line reason, or undefined when the input is fine.
import { randomBytes } from 'node:crypto';
import { ALLOW_PRIVATE_ENV, guardFromEnv, refusedUrl, type GuardOptions } from '../../net/guarded-http.js';

export type WebhookFormat = 'json' | 'slack';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'slack'];

export type Digest = 'daily';
export const DIGESTS: readonly Digest[] = ['daily'];

export interface WebhookConfig {
  readonly type: 'webhook';
  readonly url: string;
  readonly format: WebhookFormat;
}

export interface EmailConfig {
  readonly type: 'email';
  readonly to: string;
  /** null: one email per notification. */
  readonly digest: Digest | null;
}

export type ChannelConfig = WebhookConfig | EmailConfig;

/** A stored channel whose configuration cannot be used (edited by hand, or from a newer version). */
export class ChannelConfigError extends Error {}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkChannelName(name: string): string | undefined {
  return NAME.test(name)
    ? undefined
    : `invalid channel name "${name}": use 1 to 64 of a-z 0-9 . _ - starting with a letter or digit`;
}

/** A URL for messages and listings: a password in it (basic authentication) is masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.href;
  } catch {
    return url;
  }
}

export function checkWebhookUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `invalid URL "${url}": expected http://… or https://…`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `invalid URL "${redactUrl(url)}": only http and https are supported`;
  if (u.hostname === '') return `invalid URL "${redactUrl(url)}": no host`;
  return undefined;
}

// The usual shape of an address: dot-atom local part, and a host name (one label allowed, for
// local mail systems). Quoted local parts and address literals are deliberately refused.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function checkEmailAddress(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const host = address.slice(at + 1);
  const ok = at > 0 && local.length <= 64 && LOCAL.test(local) && host.length <= 253 && host.split('.').every((l) => LABEL.test(l));
  return ok ? undefined : `invalid email address "${address}": expected name@example.com`;
}

export function checkSmtpUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not echoed: the text may hold a password.
    return 'invalid SMTP URL: expected smtp://[user:pass@]host[:port] or smtps://…';
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return `invalid SMTP URL "${redactUrl(url)}": use smtp:// or smtps://`;
  if (u.hostname === '') return `invalid SMTP URL "${redactUrl(url)}": no host`;
  return undefined;
}

/** A random webhook secret: 256 bits, URL-safe text. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The JSON stored in `channels.config` (the type is its own column). */
export function storedConfig(c: ChannelConfig): Record<string, unknown> {
  switch (c.type) {
    case 'webhook':
      return { url: c.url, format: c.format };
    case 'email':
      return c.digest === null ? { to: c.to } : { to: c.to, digest: c.digest };
  }
}

/** Reads a stored channel's configuration back, refusing anything sending cannot use. */
export function readChannelConfig(channel: { readonly name: string; readonly type: string; readonly config: Record<string, unknown> }): ChannelConfig {
  const bad = (why: string): ChannelConfigError => new ChannelConfigError(`channel ${channel.name}: ${why}`);
  const c = channel.config;
  if (channel.type === 'webhook') {
    const url = typeof c.url === 'string' ? c.url : '';
    const urlError = checkWebhookUrl(url);
    if (urlError) throw bad(urlError);
    const format = c.format ?? 'json';
    if (format !== 'json' && format !== 'slack') throw bad(`unknown webhook format ${JSON.stringify(format)}`);
    return { type: 'webhook', url, format };
  }
  if (channel.type === 'email') {
    const to = typeof c.to === 'string' ? c.to : '';
    const toError = checkEmailAddress(to);
    if (toError) throw bad(toError);
    const digest = c.digest ?? null;
    if (digest !== null && digest !== 'daily') throw bad(`unknown digest ${JSON.stringify(digest)}`);
    return { type: 'email', to, digest };
  }
  throw bad(`unknown channel type "${channel.type}"`);
}

/** One line describing where a channel sends, for listings (never the secret). */
export function describeConfig(c: ChannelConfig): string {
  switch (c.type) {
    case 'webhook':
      return `${redactUrl(c.url)} (${c.format})`;
    case 'email':
      return c.digest === null ? c.to : `${c.to} (${c.digest} digest)`;
  }
}

/** What a person gives to add a channel (CLI flags or an API body). */
export interface ChannelInput {
  readonly type: 'webhook' | 'email';
  readonly url?: string;
  readonly secret?: string;
  readonly format?: WebhookFormat;
  readonly to?: string;
  readonly digest?: Digest;
}

/** How an interface names what the person gave, for messages ("--url" and "--type email", or "url" and "email"). */
export interface InputNaming {
  readonly key: (key: 'url' | 'secret' | 'format' | 'to' | 'digest') => string;
  readonly type: (type: 'webhook' | 'email') => string;
  readonly needs: { readonly url: string; readonly to: string };
}

/**
 * Why a webhook URL is refused up front by the SSRF guard: its host is a literal address that is
 * not public (in any encoding URL parsing accepts) or a metadata / local name. Names are checked
 * again, resolved, at every send.
 */
export function checkWebhookTarget(url: string, guard: GuardOptions = guardFromEnv()): string | undefined {
  const why = refusedUrl(url, guard);
  return why === undefined
    ? undefined
    : `refused URL "${redactUrl(url)}": ${why}; webhooks go to public addresses only (${ALLOW_PRIVATE_ENV}=1 allows private ones)`;
}

/**
 * The channel the input describes. Keys of the other type are refused rather than ignored;
 * refusals are ChannelConfigErrors for the caller to answer as its bad input. A webhook URL must
 * also pass the SSRF guard (default: as the environment configures it).
 */
export function channelConfigFrom(i: ChannelInput, naming: InputNaming, guard: GuardOptions = guardFromEnv()): ChannelConfig {
  const misplaced = (key: 'url' | 'secret' | 'format' | 'to' | 'digest', type: 'webhook' | 'email'): ChannelConfigError =>
    new ChannelConfigError(`${naming.key(key)} is only for ${naming.type(type)} channels`);
  const check = (error: string | undefined): void => {
    if (error !== undefined) throw new ChannelConfigError(error);
  };
  if (i.type === 'webhook') {
    if (i.to !== undefined) throw misplaced('to', 'email');
    if (i.digest !== undefined) throw misplaced('digest', 'email');
    if (i.url === undefined) throw new ChannelConfigError(`a webhook channel needs ${naming.needs.url}`);
    check(checkWebhookUrl(i.url));
    check(checkWebhookTarget(i.url, guard));
    return { type: 'webhook', url: i.url, format: i.format ?? 'json' };
  }
  if (i.url !== undefined) throw misplaced('url', 'webhook');
  if (i.secret !== undefined) throw misplaced('secret', 'webhook');
  if (i.format !== undefined) throw misplaced('format', 'webhook');
  if (i.to === undefined) throw new ChannelConfigError(`an email channel needs ${naming.needs.to}`);
  check(checkEmailAddress(i.to));
  return { type: 'email', to: i.to, digest: i.digest ?? null };
}

/**
 * A webhook URL for people who may not hold its secrets: webhook services put their token in the
 * path (Slack's /services/T…/B…/…, Discord's /api/webhooks/…/…) or the query (?token=…), so
 * only scheme, host and port are shown, followed by `/…` when there was anything after them.
 * No attempt is made to tell a token from a harmless path segment: any guess would leak some.
 */
export function maskedUrl(url: string): string {
  try {
    const u = new URL(url);
    const rest = u.pathname !== '/' || u.search !== '' || u.hash !== '';
    return `${u.protocol}//${u.host}/${rest ? '…' : ''}`;
  } catch {
    return '…';
  }
}

/**
 * A stored configuration as listed and audited. Admins (`full`) see the URL with only a password
 * masked; everyone else sees the masked URL of maskedUrl().
 */
export function shownConfig(config: Record<string, unknown>, view: { readonly full: boolean } = { full: true }): Record<string, unknown> {
  if (typeof config.url !== 'string') return config;
  return { ...config, url: view.full ? redactUrl(config.url) : maskedUrl(config.url) };
}
