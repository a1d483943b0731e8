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
  WEBHOOK_FORMATS,
  channelConfigFrom,
  ChannelConfigError,
  type ChannelConfig,
  type ChannelInput,
} from '../../services/delivery/channel-config.js';
import { publicTestResult } from '../../services/delivery/channel-test.js';
import { addChannel, listChannels, removeChannel, testChannel } from '../../services/delivery/channels.js';
import { smtpMailer, type Mailer } from '../../services/delivery/email.js';
import { isoSeconds } from '../../services/clock.js';
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
      // Admins see the URL with a password masked, the others only scheme, host and port.
      return (await listChannels(ctx.store, org, { full: role === 'admin' })).map((c) => c.view);
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
      const created = await addChannel(ctx.store, principal.email, org, { name: body.name, config, secret: body.secret ?? null }, now());
      if (!created) throw new ApiError(409, 'conflict', `channel ${body.name} already exists`);
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
      const dropped = await removeChannel(ctx.store, principal.email, org, name, now());
      if (dropped === undefined) throw notFound(`channel ${name}`);
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
      // The service audits the test (its failure class only) and closes the mailer.
      const result = await testChannel(ctx.store, principal.email, org, name, { now: ctx.clock(), guard: ctx.outboundGuard, mailer: envMailer });
      if (!result) throw notFound(`channel ${name}`);
      return publicTestResult(result);
    },
  );
}
