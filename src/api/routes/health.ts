// Liveness, readiness and metrics, without credentials (bind the server to a private address, or
// put /metrics behind the proxy's own access rules). /healthz: the process answers and reaches
// its store. /readyz: it can take work: the store answers and, with a queue, so does Redis (a
// load balancer stops sending uploads to a replica that cannot queue them).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { config: { auth: 'none' }, schema: { hide: true } }, async () => {
    await ctx.store.ping();
    return { status: 'ok' };
  });
  app.get('/readyz', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await ctx.store.ping();
      checks.store = 'ok';
    } catch (e) {
      checks.store = (e as Error).message;
    }
    if (ctx.jobs) {
      try {
        await ctx.jobs.queue.ping();
        checks.queue = 'ok';
      } catch (e) {
        checks.queue = (e as Error).message;
      }
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', role: 'api', checks };
  });
  app.get('/metrics', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) => {
    void reply.type('text/plain; version=0.0.4');
    return await ctx.metrics.render();
  });
}
