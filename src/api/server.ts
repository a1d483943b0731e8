// The HTTP server: fastify with one error body, authentication on every route unless it says
// otherwise, OpenAPI generated from the route schemas, metrics, and the route groups.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvCompiler from '@fastify/ajv-compiler';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { createLiveLookups } from '../services/live/create.js';
import type { LiveRefresher } from '../services/live/live.js';
import { liveSettingsFromEnv } from '../services/live/settings.js';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { guardFromEnv, type GuardOptions } from '../net/guarded-http.js';
import { systemClock, type Clock } from '../services/clock.js';
import { feedStatus } from '../services/feeds/status.js';
import { compiledSignatureCount } from '../services/org-matcher.js';
import type { Store } from '../store/store.js';
import { VERSION } from '../version.js';
import { requireAuth } from './auth.js';
import type { AppContext } from './context.js';
import { feedMetricFamilies } from './feed-metrics.js';
import { badRequest, errorHandler, notFoundHandler } from './errors.js';
import { guardJsonBodies } from './json-body.js';
import { Metrics } from './metrics.js';
import { registerHealth } from './routes/health.js';
import { registerV1 } from './routes/v1.js';
import { registerV2 } from './routes/v2.js';
import { registerTaxii } from './routes/taxii.js';
import { DEFAULT_HUNT_PART, queuedHunts } from '../services/jobs/hunt-jobs.js';
import { queueFamilies } from '../services/jobs/metrics.js';
import type { WorkQueue } from '../services/jobs/queue.js';
import { DEFAULT_PART_BYTES } from '../services/jobs/split.js';

export interface ServerOptions {
  readonly store: Store;
  readonly clock?: Clock;
  readonly logger?: FastifyServerOptions['logger'];
  /** Largest request body, in bytes (ingest uploads have their own, larger limit). */
  readonly bodyLimit?: number;
  /** Cookies get `Secure` (set when Warren is served over TLS or behind a TLS proxy). */
  readonly secureCookies?: boolean;
  /** A built web UI (index.html and assets) to serve at `/`; ignored when the folder is missing. */
  readonly webRoot?: string;
  /** Which targets webhooks may reach (default: WARREN_ALLOW_PRIVATE_WEBHOOKS, else public only). */
  readonly outboundGuard?: GuardOptions;
  /** Live look-ups (default: in this process, with the WARREN_LIVE… settings of the environment). */
  readonly live?: LiveRefresher;
  /** The work queue (`--queue`): ingest and retro-hunts as jobs for workers (docs/DEPLOY.md). */
  readonly queue?: WorkQueue;
  /** Decompressed bytes per part of a queued upload (default 4 MiB). */
  readonly partBytes?: number;
  /** Entities per part of a queued retro-hunt (default 250,000). */
  readonly huntPart?: number;
}

/** Where `npm run build` puts the web UI: dist/web, from both dist/api/server.js and src/api/server.ts. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Paths that belong to the API: a miss there is a JSON 404, never the UI's index.html. */
const API_PREFIXES = ['/api/', '/v2/', '/taxii2/', '/healthz', '/readyz', '/metrics'];

/** A route as registered: what the isolation and fuzz suites walk. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly auth: string | undefined;
  readonly bodyLimit: number | undefined;
}

const ROUTES = new WeakMap<FastifyInstance, RouteInfo[]>();
const METRICS = new WeakMap<FastifyInstance, Metrics>();

/** The server's metrics, for what runs beside it (the delivery loop) to count into. */
export function metricsOf(app: FastifyInstance): Metrics | undefined {
  return METRICS.get(app);
}

/** Every route of a server built by buildServer, in registration order. */
export function routeTable(app: FastifyInstance): readonly RouteInfo[] {
  return ROUTES.get(app) ?? [];
}

export type { AppContext } from './context.js';

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/**
 * Fastify's own validator compiler (@fastify/ajv-compiler, pinned to the version fastify uses:
 * same Ajv 8, same formats), twice: querystring, params
 * and headers are text, so their values are coerced ('10' → 10, 'a' → ['a']); a JSON body is
 * already typed, so it is validated as sent: {"tag": 1}, {"tag": ["a"]} and {"tag": true} are
 * refused where a string is expected, never turned into "1".
 */
function strictBodyValidator(): ValidatorFactory {
  const factory: ValidatorFactory = ajvCompiler();
  type AjvOptions = Parameters<ValidatorFactory>[1];
  return (externalSchemas, ajvOptions) => {
    const custom = ajvOptions?.customOptions ?? {};
    // The options type is a union with JTD's (which has no coerceTypes); these are Ajv options.
    const coercing = factory(externalSchemas, { ...ajvOptions, customOptions: { ...custom, coerceTypes: 'array' } } as AjvOptions);
    const strict = factory(externalSchemas, { ...ajvOptions, customOptions: { ...custom, coerceTypes: false } } as AjvOptions);
    return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
  };
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator: strictBodyValidator() } },
    routerOptions: { maxParamLength: 500 },
  });
  const clock = opts.clock ?? systemClock;
  const ctx: AppContext = {
    store: opts.store,
    clock,
    metrics: new Metrics(),
    secureCookies: opts.secureCookies ?? false,
    outboundGuard: opts.outboundGuard ?? guardFromEnv(),
    live: opts.live ?? createLiveLookups(liveSettingsFromEnv()),
    ...(opts.queue ? { jobs: { queue: opts.queue, hunts: queuedHunts(opts.queue, { partSize: opts.huntPart ?? DEFAULT_HUNT_PART, clockMs: () => clock().getTime() }), partBytes: opts.partBytes ?? DEFAULT_PART_BYTES } } : {}),
  };
  const routes: RouteInfo[] = [];
  ROUTES.set(app, routes);
  METRICS.set(app, ctx.metrics);
  ctx.metrics.gauge('warren_compiled_signatures', 'signatures in the matchers this process holds compiled', compiledSignatureCount);
  ctx.metrics.collect(async () => feedMetricFamilies(await feedStatus(opts.store, ctx.clock)));
  const queue = opts.queue;
  if (queue) ctx.metrics.collect(() => queueFamilies(opts.store, queue, ctx.clock().getTime()));
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, auth: r.config?.auth, bodyLimit: r.bodyLimit });
    }
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  guardJsonBodies(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Warren API', version: VERSION, description: 'Threat-infrastructure signatures: lookups, signatures, tags, notifications.' },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic', description: 'email and API key (as PassiveTotal clients send)' },
          bearer: { type: 'http', scheme: 'bearer', description: 'API key' },
        },
      },
      security: [{ basic: [] }, { bearer: [] }],
    },
  });
  app.addHook('onRequest', requireAuth(opts.store, ctx.clock));
  // Ajv coerces a query value like "1e309" to Infinity and then lets it past `integer` and
  // `maximum`; no parameter of this API is infinite, so such a value is refused up front.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      for (const v of [value].flat()) {
        if (typeof v === 'string' && /^\s*[+-]?(\d|\.\d)/.test(v) && Math.abs(Number(v)) === Infinity) {
          done(badRequest(`query parameter ${key} is out of range`));
          return;
        }
      }
    }
    done();
  });
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  registerHealth(app, ctx);
  await app.register((v1, _o, done) => {
    registerV1(v1, ctx);
    done();
  }, { prefix: '/api/v1' });
  await app.register((v2, _o, done) => {
    registerV2(v2, ctx);
    done();
  }, { prefix: '/v2' });
  await app.register((taxii, _o, done) => {
    registerTaxii(taxii, ctx);
    done();
  }, { prefix: '/taxii2' });
  app.get('/api/v1/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, () => Promise.resolve(app.swagger()));
  if (opts.webRoot !== undefined && existsSync(opts.webRoot)) await registerWebRoot(app, resolve(opts.webRoot));
  return app;
}

/** A regular file inside root for a request path, or undefined (missing, a folder, or outside root). */
async function fileUnder(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = relative(root, resolve(root, `.${decoded}`));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const st = await stat(resolve(root, rel)).catch(() => undefined);
  return st?.isFile() ? rel.split('\\').join('/') : undefined;
}

/**
 * The web UI: files from root, and index.html for any other GET outside the API (the UI routes
 * in the browser, so every UI URL can be shared). @fastify/static cannot put `config` on the
 * routes it registers, so it only provides reply.sendFile here and one public route serves all.
 */
async function registerWebRoot(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false });
  app.get('/*', { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    // An unknown API path gets the API's JSON 404 (this route is public, so no 401 first: the
    // paths that exist are public in the OpenAPI document anyway).
    if (API_PREFIXES.some((p) => path.startsWith(p) || path === p.replace(/\/$/, ''))) return reply.callNotFound();
    const file = await fileUnder(root, path);
    if (file !== undefined) return reply.sendFile(file);
    // The UI shell must not be cached: a new build changes the asset names it loads.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
