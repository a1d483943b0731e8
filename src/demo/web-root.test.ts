// The web UI served beside the API: files, the index.html fallback for UI URLs, and the API's
// own JSON 404s and 401s unchanged.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, routeTable } from '../api/server.js';
import { Store } from '../store/store.js';

let dir: string;
let store: Store;
let app: FastifyInstance;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warren-web-'));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Warren</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log("warren")');
  store = await Store.open(`sqlite:${join(dir, 'web.db')}`);
  app = await buildServer({ store, webRoot: web });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('buildServer with a webRoot', () => {
  it('serves index.html at / and for any UI path, and the files themselves', async () => {
    for (const url of ['/', '/some/ui/path', '/entities/www.example.com?tab=tags', '/assets/missing.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.body, url).toContain('<title>Warren</title>');
    }
    const js = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).toContain('warren');
  });

  it('does not serve files outside the web root', async () => {
    const res = await app.inject({ method: 'GET', url: '/..%2fweb.db' });
    expect(res.body).toContain('<title>Warren</title>');
    expect((await app.inject({ method: 'GET', url: '/../web.db' })).body).not.toContain('SQLite');
  });

  it('keeps the API answers: JSON 404 for unknown API paths, 401 without credentials', async () => {
    for (const url of ['/api/v1/nope', '/v2/nope', '/api', '/metricsx/../api/v1/nope']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['content-type'], url).toMatch(/application\/json/);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('<title>');
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/nope' })).json<{ error: { code: string } }>().error.code).toBe('not_found');
    const me = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(401);
    expect(me.json<{ error: { code: string } }>().error.code).toBe('unauthorized');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('marks the UI route public, so the isolation and fuzz suites skip it', () => {
    expect(routeTable(app).filter((r) => r.url === '/*')).toEqual([expect.objectContaining({ auth: 'none' })]);
  });
});
