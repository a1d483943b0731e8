// The demo behind `npm start`: the data set ingests cleanly, the seed scenarios fire in org
// demo, and preparing twice changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookup } from '../services/lookup.js';
import { listNotifications } from '../store/notifications.js';
import { Store } from '../store/store.js';
import { SCENARIO } from './dataset.js';
import { DEMO_ORG, prepareDemo, prepareDemoReport } from './prepare.js';

const NOW = '2025-09-01T12:00:00Z';
let dir: string;
let store: Store;
let first: Awaited<ReturnType<typeof prepareDemoReport>>;
let seconds = 0;

beforeAll(async () => {
  process.env.WARREN_SCRYPT_N ??= '1024';
  dir = mkdtempSync(join(tmpdir(), 'warren-demo-'));
  store = await Store.open(`sqlite:${join(dir, 'demo.db')}`);
  const started = performance.now();
  first = await prepareDemoReport(store, { now: NOW });
  seconds = (performance.now() - started) / 1000;
  console.log(`prepareDemo on a fresh SQLite store: ${seconds.toFixed(2)} s (${first.summary.read} records, ${first.notifications} notifications)`);
}, 60_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const tags = async (entity: string): Promise<string[]> => {
  const v = await lookup(store, entity, { org: DEMO_ORG, now: NOW });
  expect(v, entity).toBeDefined();
  return v!.tags.map((t) => t.name);
};

describe('the demo data set', () => {
  it('ingests several hundred records with no rejects, quickly', () => {
    expect(first.prepared).toBe(true);
    expect(first.rejects).toEqual([]);
    expect(first.summary.rejected).toBe(0);
    expect(first.summary.read).toBeGreaterThan(500);
    expect(seconds).toBeLessThan(20);
  });

  it('fires the three seed scenarios in org demo', async () => {
    for (const d of SCENARIO.registrantDomains) expect(await tags(d), d).toContain('Malicious_Registrant');
    for (const ip of SCENARIO.badCertIps) expect(await tags(ip), ip).toContain('KnownBadCert');
    const notes = await listNotifications(store.db, DEMO_ORG, { signature: 'brand-passivetotal' });
    const entities = notes.map((n) => n.entity);
    // Also the www. names their certificates carry: every name containing the brand is one.
    expect(entities).toEqual(expect.arrayContaining([...SCENARIO.brandDomains]));
    for (const e of entities) expect(e).toMatch(/passive-?total/);
    for (const d of SCENARIO.brandExcluded) expect(entities).not.toContain(d);
    for (const d of SCENARIO.brandExcluded) expect(await tags(d), d).not.toContain('Brand_PassiveTotal');
  });

  it('gives the overview several severities, read and unread', async () => {
    const notes = await listNotifications(store.db, DEMO_ORG);
    expect(new Set(notes.map((n) => n.severity))).toEqual(new Set(['low', 'medium', 'high']));
    expect(notes.some((n) => n.read)).toBe(true);
    expect(notes.filter((n) => !n.read).length).toBeGreaterThan(5);
  });

  it('does nothing the second time but return the credentials', async () => {
    const before = { stats: await store.stats(), notes: await listNotifications(store.db, DEMO_ORG) };
    expect(await prepareDemo(store, { now: '2025-09-02T12:00:00Z' })).toEqual({ email: 'demo@warren.local', password: first.password, org: 'demo' });
    expect(await store.stats()).toEqual(before.stats);
    expect(await listNotifications(store.db, DEMO_ORG)).toEqual(before.notes);
  });
});
