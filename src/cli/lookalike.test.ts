// Look-alike signatures end to end (issue 19): `warren scan` and `warren ingest` find the same
// hits with the same explanations, which reach tag provenance and notifications — on SQLite and
// (when reachable) PostgreSQL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { domainListFile } from '../feeds/test-support/domain-list-server.js';
import { waitUntil } from '../services/delivery/test-support/receiver.js';
import { readFeedPosition } from '../store/feed-positions.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { Store } from '../store/store.js';
import { killChildren, requireBuild, startWarren } from './test-support/child.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-lookalike-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(name: string, content: string): string {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, content);
  return p;
}

const SIGNATURE = `
id: brand-paypal
title: PayPal look-alikes
field: domain
match: lookalike
lookalike: {distance: 1}
patterns: [paypal, microsoft]
exclude: [paypal.com, microsoft.com]
actions:
  - tag: LookAlike
  - alert: {severity: high}
`;

const DOMAINS = [
  'paypa1-secure.com',
  'micros0ft-login.net',
  'xn--pypal-4ve.com',
  'pyapal-login.com',
  'paypal.net',
  'pay-pal.co.uk',
  'www.paypal.com',
  'microsoft.com',
  'example.com',
  'papal-visit.org',
];

afterEach(killChildren);

/** What `warren scan` says of DOMAINS: value → the hit's explanation in words. */
async function scanned(sigs: string): Promise<Map<string, string>> {
  const scan = await runCli(['scan', '--signatures', sigs, file('in.jsonl', DOMAINS.map((d) => JSON.stringify({ domain: d })).join('\n'))]);
  expect(scan.code, scan.stderr).toBe(0);
  const lines = scan.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ScanLine);
  return new Map(lines.map((h) => [h.value, h.why.text]));
}

interface ScanLine {
  value: string;
  signature: string;
  why: { text: string; families: string[]; distance: number };
}

function suite(label: string, getDb: () => string): void {
  describe(label, () => {
    it('scan and ingest give the same hits, explained in tags and notifications', async () => {
      const sigs = file('brand.yaml', SIGNATURE);
      const expected = await scanned(sigs);
      expect([...expected.keys()].sort()).toEqual(['micros0ft-login.net', 'papal-visit.org', 'pay-pal.co.uk', 'paypa1-secure.com', 'paypal.net', 'pyapal-login.com', 'xn--pypal-4ve.com']);
      expect(expected.get('pyapal-login.com')).toBe('transposition + keyword-added of paypal in pyapal-login.com (distance 1)');

      const db = getDb();
      expect((await runCli(['sig', 'import', '--db', db, sigs])).code).toBe(0);
      const cof = DOMAINS.map((d, i) => JSON.stringify({ rrname: d, rrtype: 'A', rdata: `192.0.2.${i + 1}`, time_first: 1704067200, time_last: 1704067200, count: 1 })).join('\n');
      const ingest = await runCli(['ingest', '--db', db, file('pdns.json', `${cof}\n`)]);
      expect(ingest.code, ingest.stderr).toBe(0);

      const tagged = new Map<string, string>();
      for (const d of DOMAINS) {
        const r = await runCli(['lookup', d, '--json', '--db', db]);
        expect(r.code, r.stderr).toBe(0);
        const view = JSON.parse(r.stdout) as { tags: { name: string; why?: string }[] };
        for (const t of view.tags) if (t.name === 'LookAlike') tagged.set(d, t.why ?? '');
      }
      expect(tagged).toEqual(expected);

      const notes = JSON.parse((await runCli(['notifications', '--json', '--db', db])).stdout) as { entity: string; content: string }[];
      expect(notes.map((x) => x.entity).sort()).toEqual([...expected.keys()].sort());
      for (const note of notes) expect(note.content).toContain(`Why: ${expected.get(note.entity)}`);
    });
  });
}

suite('SQLite', () => `sqlite:${join(dir, 'lookalike.db')}`);

describe('a followed new-domain list (warren watch domains:FILE)', () => {
  it('raises the notifications scan finds, with the same explanations', async () => {
    requireBuild();
    const sigs = file('brand.yaml', SIGNATURE);
    const expected = await scanned(sigs);
    const db = `sqlite:${join(dir, 'feed.db')}`;
    expect((await runCli(['sig', 'import', '--db', db, sigs])).code).toBe(0);
    const list = await domainListFile(DOMAINS);
    const feed = `domains:${list.path}`;
    const w = startWarren(['watch', '--db', db, '--every', '200ms', feed], { WARREN_FEED_POLL: '100ms', WARREN_FEED_BACKOFF: '100ms' });
    const store = await Store.open(db);
    try {
      await waitUntil(async () => (await readFeedPosition(store.db, feed))?.evaluated?.lines === DOMAINS.length, 20_000, 'the list evaluated');
      const notes = JSON.parse((await runCli(['notifications', '--json', '--db', db])).stdout) as { entity: string; content: string }[];
      expect(notes.map((x) => x.entity).sort()).toEqual([...expected.keys()].sort());
      for (const note of notes) expect(note.content).toContain(`Why: ${expected.get(note.entity)}`);
      expect(await w.stop()).toMatchObject({ code: 0 });
    } finally {
      await store.close();
      await list.remove();
    }
  });
});

const pg = await createTestDatabase();
if ('skip' in pg) describe.skip(`PostgreSQL (${pg.skip})`, () => undefined);
else {
  afterAll(() => pg.drop());
  suite('PostgreSQL', () => pg.url);
}
