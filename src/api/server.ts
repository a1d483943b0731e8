// The HTTP server: fastify with one error body, authentication on every route unless it says
// otherwise, OpenAPI generated from the route schemas, metrics, and the route groups.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from '../services/clock.js';
import { compiledSignatureCount } from '../services/org-matcher.js';
import type { Store } from '../store/store.js';
import { VERSION } from '../version.js';
import { requireAuth } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { Metrics } from './metrics.js';
import { registerHealth } from './routes/health.js';
import { registerV1 } from './routes/v1.js';
import { registerV2 } from './routes/v2.js';

export interface ServerOptions {
  readonly store: Store;
  readonly clock?: Clock;
  readonly logger?: FastifyServerOptions['logger'];
  /** Largest request body, in bytes (ingest uploads have their own, larger limit). */
  readonly bodyLimit?: number;
  /** Cookies get `Secure` (set when Warren is served over TLS or behind a TLS proxy). */
  readonly secureCookies?: boolean;
}

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

export interface AppContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly secureCookies: boolean;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    routerOptions: { maxParamLength: 500 },
  });
  const ctx: AppContext = { store: opts.store, clock: opts.clock ?? systemClock, metrics: new Metrics(), secureCookies: opts.secureCookies ?? false };
  const routes: RouteInfo[] = [];
  ROUTES.set(app, routes);
  METRICS.set(app, ctx.metrics);
  ctx.metrics.gauge('warren_compiled_signatures', 'signatures in the matchers this process holds compiled', compiledSignatureCount);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, auth: r.config?.auth, bodyLimit: r.bodyLimit });
    }
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
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
  app.get('/api/v1/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, () => Promise.resolve(app.swagger()));
  return app;
}
