// Live look-ups taken by workers (issue 17, docs/DEPLOY.md), as real processes on the machine's
// PostgreSQL and Redis: `warren serve --queue` and `warren worker --queue`, and the small internet
// of src/live/test-support on 127.0.0.1. The API replica is refused every connection to it
// (WARREN_LIVE_ALLOW_PRIVATE=0) and only the worker may connect (=1), so a view that shows what
// the fake registry, DNS and TLS servers said was fetched by the worker. With the worker gone, a
// view waits WARREN_LIVE_WAIT and reports its sources failed, and nothing is fetched.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { haveRealReplies, liveSignatures, startTestInternet, type TestInternet } from '../live/test-support/internet.js';
import { dropQueues, redisAnswers } from '../services/jobs/test-support/redis.js';
import { postgresFactory } from '../store/test-support/open-store.js';
import { killChildren, requireBuild, startWarren, type WarrenChild } from './test-support/child.js';
import { runCli } from './test-support/run.js';

const EMAIL = 'ana@acme.example';
const REDIS = 'redis://127.0.0.1:6379';

interface View {
  known: boolean;
  fields: Record<string, string[]>;
  tags: { name: string }[];
  related: { ips: string[] };
  live: { source: string; status: string; at: string; detail?: string }[];
}

let dir = '';
let internet: TestInternet | undefined;
beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'warren-live-queue-'));
  internet = await startTestInternet();
});
afterAll(async () => {
  await internet?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(killChildren);

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`warren ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function address(child: WarrenChild, pattern: RegExp): string {
  return pattern.exec(child.stderr())![1]!;
}

describe.skipIf(!haveRealReplies())('live look-ups on workers', () => {
  it('a view through an API replica is fetched by the worker, and without a worker it waits its bound and says so', async (t) => {
    if (!(await redisAnswers(6379))) return t.skip('Redis is not answering on 127.0.0.1:6379 (.ci/run starts it where it can)');
    const made = await postgresFactory();
    if ('skip' in made) return t.skip(made.skip);
    const net = internet!;
    const prefix = `warren-live-e2e-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
    try {
      const db = made.url;
      await cli(['org', 'add', '--db', db, 'acme']);
      await cli(['user', 'add', '--db', db, EMAIL, '--org', 'acme', '--role', 'analyst']);
      const key = (await cli(['apikey', 'create', '--db', db, '--user', EMAIL, '--org', 'acme'])).trim();
      writeFileSync(join(dir, 'sigs.yaml'), liveSignatures(net));
      await cli(['sig', 'import', '--db', db, '--org', 'acme', join(dir, 'sigs.yaml')]);

      const common = { ...net.env, WARREN_QUEUE_PREFIX: prefix, WARREN_LOG_LEVEL: 'warn' };
      const queue = ['--db', db, '--queue', REDIS];
      const server = startWarren(['serve', ...queue, '--port', '0', '--no-deliver'], { ...common, WARREN_LIVE_ALLOW_PRIVATE: '0', WARREN_LIVE_WAIT: '8s' });
      const worker = startWarren(['worker', ...queue, '--no-deliver', '--port', '0'], { ...common, WARREN_LIVE_ALLOW_PRIVATE: '1' });
      await Promise.all([server.waitForStderr(/serving .* on http:\/\//), worker.waitForStderr(/health on http/)]);
      const base = address(server, /on (http:\/\/[^\s;]+)/);
      const health = address(worker, /health on (http:\/\/\S+)/);
      const view = async (entity: string): Promise<View> => {
        const r = await fetch(`${base}/api/v1/lookup/${entity}`, { headers: { authorization: `Basic ${Buffer.from(`${EMAIL}:${key}`).toString('base64')}` } });
        expect(r.status).toBe(200);
        return (await r.json()) as View;
      };
      const status = (v: View): Record<string, string> => Object.fromEntries(v.live.map((l) => [l.source, l.status]));
      // The bootstrap is the operator's configuration, read unguarded; the registry and registrar are targets.
      const rdapQueries = (): number => net.rdap.requests.filter((r) => r.kind !== 'bootstrap').length;

      const tlsBefore = net.tlsConnections();
      const v = await view(net.domain);
      // The API replica would have been refused 127.0.0.1: these came through the worker.
      expect(status(v), JSON.stringify(v.live)).toEqual({ rdap: 'ok', dns: 'ok', tls: 'ok' });
      expect(v.known).toBe(true);
      expect(v.fields['whois.registrant.email']).toEqual([net.registrantEmail]);
      expect(v.related.ips).toEqual([net.ip]);
      expect(v.tags.map((x) => x.name)).toEqual(['Malicious_Registrant']);
      expect(rdapQueries()).toBeGreaterThan(0);
      expect(net.tlsConnections()).toBeGreaterThan(tlsBefore);

      // A second view within the TTL is answered from the store by the replica itself.
      const warm = await view(net.domain);
      expect(status(warm)).toEqual({ rdap: 'cached', dns: 'cached', tls: 'cached' });

      // Both roles count the live queue; the worker ran one look-up; both are ready.
      const workerMetrics = await (await fetch(`${health}/metrics`)).text();
      expect(workerMetrics).toMatch(/^warren_queue_parts_total\{queue="live",outcome="done"\} 1$/m);
      expect(workerMetrics).toMatch(/^warren_queue_dead_letters\{queue="live"\} 0$/m);
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^warren_queue_waiting\{queue="live"\} 0$/m);
      expect((await fetch(`${health}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      // No worker: the view waits WARREN_LIVE_WAIT, reports each source failed, and nothing is fetched.
      expect((await worker.stop()).code).toBe(0);
      const queries = rdapQueries();
      const alone = await view(net.other);
      expect(status(alone)).toEqual({ rdap: 'failed', dns: 'failed', tls: 'failed' });
      expect(alone.live[0]?.detail).toMatch(/^no answer from a worker within 8 s \(WARREN_LIVE_WAIT\)/);
      expect(alone.known).toBe(false);
      expect(rdapQueries()).toBe(queries);
      expect((await server.stop()).code).toBe(0);
    } finally {
      await made.cleanup();
      await dropQueues(REDIS, prefix);
    }
  }, 180_000);
});
