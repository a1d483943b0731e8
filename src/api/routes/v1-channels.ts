// Delivery channels of the organisation: list (viewers), add, remove and test (admins), with the
// checks `warren channel` applies. Secrets never leave the server: listings say only whether a
// channel signs; admins see URLs with any password masked (the audit log, which only admins read,
// records the same view), viewers and analysts only scheme, host and port (tokens live in webhook
// paths and queries). URLs pointing at private, local or metadata addresses are refused (SSRF
// guard, src/net/guarded-http.ts), and a test answers only a failure class, never what the
// receiver said. A
// webhook is signed when the admin gives a `secret` (the receiver already knows it); without one
// it is unsigned, which is what Slack-style receivers expect. The CLI can generate a secret and
// print it once; here nothing secret is ever answered.
import type { FastifyInstance } from 'fastify';
import {
  checkChannelName,
  checkSmtpUrl,
  DIGESTS,
  storedConfig,
  WEBHOOK_FORMATS,
  channelConfigFrom,
  ChannelConfigError,
  shownConfig,
  type ChannelConfig,
  type ChannelInput,
} from '../../services/delivery/channel-config.js';
import { publicTestResult, sendTestMessage } from '../../services/delivery/channel-test.js';
import { smtpMailer, type Mailer } from '../../services/delivery/email.js';
import { isoSeconds } from '../../services/clock.js';
import { appendAudit } from '../../store/accounts.js';
import * as repo from '../../store/delivery.js';
import type { ChannelSummary } from '../../store/delivery.js';
import { ensureOrg } from '../../store/orgs.js';
import { access } from '../auth.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const ORG_ONLY = { type: 'object', properties: ORG_QUERY, additionalProperties: false } as const;
/** Printable text: control characters have no place in a URL or secret, and PostgreSQL refuses NUL. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';
const NAME_PARAM = { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['name'] } as const;

const CHANNEL_VIEW = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string', enum: ['webhook', 'email'] },
    config: {
      type: 'object',
      additionalProperties: true,
      description: 'url and format, or to and digest; admins see the URL with a password masked, others only scheme, host and port (https://hooks.example/…)',
    },
    has_secret: { type: 'boolean', description: 'webhook deliveries are signed (X-Warren-Signature); the secret itself is never shown' },
    created: { type: 'string' },
    outbox: { type: 'object', properties: { pending: { type: 'integer' }, sent: { type: 'integer' }, dead: { type: 'integer' } } },
  },
  required: ['name', 'type', 'config', 'has_secret', 'created'],
} as const;

interface AddBody extends ChannelInput {
  name: string;
}

function check(error: string | undefined): void {
  if (error !== undefined) throw badRequest(error);
}

/** The channel the body describes (keys of the other type are refused, as the CLI's flags). */
function configFromBody(b: AddBody, ctx: AppContext): ChannelConfig {
  try {
    return channelConfigFrom(b, { key: (k) => k, type: (t) => t, needs: { url: 'url', to: 'to' } }, ctx.outboundGuard);
  } catch (e) {
    if (e instanceof ChannelConfigError) throw badRequest(e.message);
    throw e;
  }
}

/** A channel as answered; `full` (admins, and the audit log only admins read) keeps the URL's path and query. */
function view(c: ChannelSummary, full = true): { name: string; type: string; config: Record<string, unknown>; has_secret: boolean; created: string } {
  return { name: c.name, type: c.type, config: shownConfig(c.config, { full }), has_secret: c.hasSecret, created: c.created };
}

/** The SMTP server the environment configures, as `warren serve` and `warren deliver` read it. */
function envMailer(): Mailer | undefined {
  const url = process.env.WARREN_SMTP_URL;
  if (url === undefined || url === '' || checkSmtpUrl(url) !== undefined) return undefined;
  const from = process.env.WARREN_SMTP_FROM;
  return smtpMailer({ url, ...(from ? { from } : {}) });
}

export function registerChannelRoutes(app: FastifyInstance, ctx: AppContext): void {
  const now = (): string => isoSeconds(ctx.clock());

  app.get(
    '/channels',
    {
      config: { auth: 'viewer' },
      schema: { tags: ['channels'], summary: "the organisation's delivery channels and their outbox counts (never secrets)", querystring: ORG_ONLY, response: { 200: { type: 'array', items: CHANNEL_VIEW } } },
    },
    async (request) => {
      const { org, role } = access(request);
      const out = [];
      for (const c of await repo.listChannels(ctx.store.db, org)) {
        out.push({ ...view(c, role === 'admin'), outbox: await repo.outboxCounts(ctx.store.db, { org, channel: c.name }) });
      }
      return out;
    },
  );

  app.post(
    '/channels',
    {
      config: { auth: 'admin' },
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['channels'],
        summary: 'add a webhook or email channel',
        querystring: ORG_ONLY,
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64, description: '1 to 64 of a-z 0-9 . _ - starting with a letter or digit' },
            type: { type: 'string', enum: ['webhook', 'email'] },
            url: { type: 'string', minLength: 1, maxLength: 2048, pattern: PRINTABLE, description: 'webhook: the http(s) URL to POST to' },
            secret: { type: 'string', minLength: 16, maxLength: 512, pattern: PRINTABLE, description: 'webhook: HMAC-SHA256 key for X-Warren-Signature (never shown again); without it deliveries are unsigned' },
            format: { type: 'string', enum: [...WEBHOOK_FORMATS], description: 'webhook: payload format (default json)' },
            to: { type: 'string', minLength: 3, maxLength: 320, pattern: PRINTABLE, description: 'email: the recipient' },
            digest: { type: 'string', enum: [...DIGESTS], description: 'email: one digest per UTC day' },
          },
          required: ['name', 'type'],
          additionalProperties: false,
        },
        response: { 201: CHANNEL_VIEW },
      },
    },
    async (request, reply) => {
      const { org, principal } = access(request);
      const body = request.body as AddBody;
      check(checkChannelName(body.name));
      const config = configFromBody(body, ctx);
      if (body.secret !== undefined && body.secret.trim() !== body.secret) throw badRequest('secret must not start or end with spaces');
      const secret = config.type === 'webhook' ? (body.secret ?? null) : null;
      const at = now();
      await ensureOrg(ctx.store.db, org, at);
      const added = await repo.addChannel(ctx.store.db, { org, name: body.name, type: config.type, config: storedConfig(config), secret }, at);
      if (!added) throw new ApiError(409, 'conflict', `channel ${body.name} already exists`);
      const created = view({ org, name: body.name, type: config.type, config: storedConfig(config), hasSecret: secret !== null, created: at });
      await appendAudit(ctx.store.db, { at, actor: principal.email, org, action: 'channel.add', target: `channel:${body.name}`, after: created });
      void reply.status(201);
      return created;
    },
  );

  app.delete(
    '/channels/:name',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['channels'],
        summary: 'remove a channel and the deliveries it still had to send',
        params: NAME_PARAM,
        querystring: ORG_ONLY,
        response: { 200: { type: 'object', properties: { removed: { type: 'string' }, dropped_pending: { type: 'integer' } }, required: ['removed', 'dropped_pending'] } },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const { name } = request.params as { name: string };
      const before = checkChannelName(name) === undefined ? await repo.channelByName(ctx.store.db, org, name) : undefined;
      if (!before) throw notFound(`channel ${name}`);
      const dropped = await repo.removeChannel(ctx.store.db, org, name);
      if (dropped === undefined) throw notFound(`channel ${name}`);
      await appendAudit(ctx.store.db, { at: now(), actor: principal.email, org, action: 'channel.remove', target: `channel:${name}`, before: view(before), after: { dropped_pending: dropped } });
      return { removed: name, dropped_pending: dropped };
    },
  );

  app.post(
    '/channels/:name/test',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['channels'],
        summary: 'send a test message through a channel now (not through the outbox); ok false gives the failure class (never what the receiver answered)',
        params: NAME_PARAM,
        querystring: ORG_ONLY,
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              error: { type: 'string', enum: ['refused', 'unreachable', 'timeout', 'tls', 'interrupted', 'http_error', 'config', 'not_configured', 'smtp_error'] },
              status: { type: 'integer', description: 'the HTTP status of an http_error' },
              message: { type: 'string', description: "Warren's words for the failure class" },
            },
            required: ['ok'],
          },
        },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const { name } = request.params as { name: string };
      // A name no channel can have is simply not found (and never reaches the database).
      const channel = checkChannelName(name) === undefined ? await repo.channelByName(ctx.store.db, org, name) : undefined;
      if (!channel) throw notFound(`channel ${name}`);
      const mailer = channel.type === 'email' ? envMailer() : undefined;
      try {
        const result = publicTestResult(await sendTestMessage(channel, { now: ctx.clock(), guard: ctx.outboundGuard, ...(mailer ? { mailer } : {}) }));
        // A test changes nothing, but it makes the server send to an outside address: worth a line.
        await appendAudit(ctx.store.db, { at: now(), actor: principal.email, org, action: 'channel.test', target: `channel:${name}`, after: result });
        return result;
      } finally {
        mailer?.close();
      }
    },
  );
}
