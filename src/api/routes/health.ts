// Liveness and metrics, without credentials (bind the server to a private address, or put
// /metrics behind the proxy's own access rules).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { config: { auth: 'none' }, schema: { hide: true } }, async () => {
    await ctx.store.ping();
    return { status: 'ok' };
  });
  app.get('/metrics', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) => {
    void reply.type('text/plain; version=0.0.4');
    return await ctx.metrics.render();
  });
}
