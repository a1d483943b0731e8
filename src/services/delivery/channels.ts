// An organisation's delivery channels, one function per use case, for the API (v1-channels.ts)
// and the CLI (`warren channel`) alike: list (with outbox counts), add, remove and test. Every
// change, and every test (it makes the server send to an outside address), is audited here with
// its actor (channel.add, channel.remove, channel.test), so the CLI's changes show in /audit as
// the API's do. Secrets never leave: a channel is shown with `has_secret` only, and its URL with
// any password masked (`full`: admins, the audit log and the CLI) or as scheme, host and port
// only (viewers and analysts: tokens live in webhook paths and queries).
//
// The checks of the input (name, URL, address, secret) are the caller's, in its own words (flags
// or body keys, channel-config.ts); a missing channel or a taken name is answered as undefined,
// for each caller to say in its own words too.
import type { GuardOptions } from '../../net/guarded-http.js';
import * as repo from '../../store/delivery.js';
import type { ChannelSummary, OutboxCounts } from '../../store/delivery.js';
import { ensureOrg } from '../../store/orgs.js';
import type { Store } from '../../store/store.js';
import { audit, type Actor } from '../audit.js';
import { isoSeconds } from '../clock.js';
import { checkChannelName, shownConfig, storedConfig, type ChannelConfig } from './channel-config.js';
import { publicTestResult, sendTestMessage } from './channel-test.js';
import type { Mailer } from './email.js';
import type { SendResult } from './result.js';

export type { ChannelSummary, OutboxCounts };

/** A channel as shown: never its secret. */
export interface ChannelView {
  readonly name: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly has_secret: boolean;
  readonly created: string;
}

/** A channel as shown; `full` (admins, the audit log, the CLI) keeps the URL's path and query, a password masked. */
export function channelView(c: ChannelSummary, full = true): ChannelView {
  return { name: c.name, type: c.type, config: shownConfig(c.config, { full }), has_secret: c.hasSecret, created: c.created };
}

export interface ChannelListing {
  /** What the API answers and `warren channel list --json` prints. */
  readonly view: ChannelView & { readonly outbox: OutboxCounts };
  /** The stored channel (never its secret), for a caller that describes its configuration. */
  readonly channel: ChannelSummary;
}

/** The organisation's channels by name, each with its outbox counts. */
export async function listChannels(store: Store, org: string, opts: { readonly full: boolean }): Promise<ChannelListing[]> {
  const out: ChannelListing[] = [];
  for (const c of await repo.listChannels(store.db, org)) {
    out.push({ view: { ...channelView(c, opts.full), outbox: await repo.outboxCounts(store.db, { org, channel: c.name }) }, channel: c });
  }
  return out;
}

export interface NewChannelInput {
  readonly name: string;
  /** A configuration the caller has checked (channelConfigFrom). */
  readonly config: ChannelConfig;
  /** The webhook's HMAC key, or null (unsigned; always null for email). */
  readonly secret: string | null;
}

/** Adds a channel (creating the organisation if needed), audited; undefined when the name is taken. */
export async function addChannel(store: Store, actor: Actor, org: string, input: NewChannelInput, now: string): Promise<ChannelView | undefined> {
  const { name, config } = input;
  const secret = config.type === 'webhook' ? input.secret : null;
  await ensureOrg(store.db, org, now);
  const stored = storedConfig(config);
  if (!(await repo.addChannel(store.db, { org, name, type: config.type, config: stored, secret }, now))) return undefined;
  const created = channelView({ org, name, type: config.type, config: stored, hasSecret: secret !== null, created: now });
  await audit(store, actor, { at: now, org, action: 'channel.add', target: `channel:${name}`, after: created });
  return created;
}

/** Removes a channel and the deliveries it still had to send, audited; the count dropped, or undefined when there is no such channel. */
export async function removeChannel(store: Store, actor: Actor, org: string, name: string, now: string): Promise<number | undefined> {
  // A name no channel can have is simply absent (and never reaches the database).
  const before = checkChannelName(name) === undefined ? await repo.channelByName(store.db, org, name) : undefined;
  if (!before) return undefined;
  const dropped = await repo.removeChannel(store.db, org, name);
  if (dropped === undefined) return undefined;
  await audit(store, actor, { at: now, org, action: 'channel.remove', target: `channel:${name}`, before: channelView(before), after: { dropped_pending: dropped } });
  return dropped;
}

export interface ChannelTestRun {
  readonly now: Date;
  /** Which targets webhooks may reach (default: WARREN_ALLOW_PRIVATE_WEBHOOKS). */
  readonly guard?: GuardOptions;
  readonly webhookTimeoutMs?: number;
  /** The SMTP mailer, asked for only when the channel is an email channel; closed after the test. */
  readonly mailer?: () => Mailer | undefined;
}

/**
 * Sends a test message through a channel now (not through the outbox), audited with the failure
 * class only (publicTestResult: never what the receiver said); the full result for the caller to
 * show as it may, or undefined when there is no such channel.
 */
export async function testChannel(store: Store, actor: Actor, org: string, name: string, run: ChannelTestRun): Promise<SendResult | undefined> {
  const channel = checkChannelName(name) === undefined ? await repo.channelByName(store.db, org, name) : undefined;
  if (!channel) return undefined;
  const mailer = channel.type === 'email' ? run.mailer?.() : undefined;
  try {
    const result = await sendTestMessage(channel, {
      now: run.now,
      ...(run.guard ? { guard: run.guard } : {}),
      ...(run.webhookTimeoutMs !== undefined ? { webhookTimeoutMs: run.webhookTimeoutMs } : {}),
      ...(mailer ? { mailer } : {}),
    });
    // A test changes nothing, but it makes the server send to an outside address: worth a line.
    await audit(store, actor, { at: isoSeconds(run.now), org, action: 'channel.test', target: `channel:${name}`, after: publicTestResult(result) });
    return result;
  } finally {
    mailer?.close();
  }
}
