// A worker's HTTP side (`warren worker --port`): no API, only what an orchestrator and Prometheus
// ask of it. /healthz: the process answers and reaches its store. /readyz: it takes parts (its
// BullMQ workers run, the store and Redis answer). /metrics: the queue's depth and dead letters,
// jobs by status, the parts this worker ran, deliveries.
import Fastify, { type FastifyInstance } from 'fastify';
import { Metrics } from './metrics.js';

export interface WorkerHealthOptions {
  readonly checks: () => Promise<Record<string, string>>;
  readonly metrics: Metrics;
}

export function buildWorkerHealth(opts: WorkerHealthOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async (_request, reply) => {
    const checks = await opts.checks();
    const ok = checks.store === 'ok';
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'failing', role: 'worker', checks: { store: checks.store } };
  });
  app.get('/readyz', async (_request, reply) => {
    const checks = await opts.checks();
    const ready = Object.values(checks).every((v) => v === 'ok');
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', role: 'worker', checks };
  });
  app.get('/metrics', async (_request, reply) => {
    void reply.type('text/plain; version=0.0.4');
    return await opts.metrics.render();
  });
  return app;
}

export { Metrics };
