// Issue 14's acceptance through `warren watch` as a real process (bin/warren.js → dist/; `npm
// test` builds it), against every real kind of source served on 127.0.0.1 by the test:
//   - RFC 6962 logs built from the real certificates of ../shared/data (x509 and precert
//     entries), one growing while followed, a second serving the same certificates: a brand
//     signature alerts exactly once per matching name, and only on what is new; a certificate in
//     two logs is one certificate with one alert; a pre-certificate and its final certificate
//     alert once;
//   - a static-ct-api (tiled) log, a certstream server replaying ../shared/data's messages, a
//     domain list file that grows;
//   - a log that answers garbage, truncated JSON, a shrinking tree, 429 and nothing at all: the
//     watcher reports each, retries, never exits, and stores no part of a corrupt entry;
//   - `warren serve --watch`: a new certificate for a brand domain reaches a webhook through the
//     outbox, signed;
//   - two watchers on one feed and one PostgreSQL: one follows (the feed's lease), the other
//     stands by; every entry read once, no alert twice.
// Timing comes from WARREN_FEED_POLL / _BACKOFF / _TIMEOUT (docs/MONITORING.md) so each case takes
// seconds. The kill -9 cases are in watch-ct-kill.test.ts.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extraData, merkleTreeLeaf, type CtEntrySpec } from '../feeds/ct/test-support/entries.js';
import { startCtLog, type RawCtEntry } from '../feeds/ct/test-support/ct-log-server.js';
import { CT_EPOCH, haveCtCertificates, realLeaves, realPrecerts, type NamedCertificate } from '../feeds/ct/test-support/real-certs.js';
import { startTiledLog } from '../feeds/ct/test-support/tiled-log-server.js';
import { certstreamSamples, startCertstreamServer } from '../feeds/test-support/certstream-server.js';
import { domainListFile } from '../feeds/test-support/domain-list-server.js';
import { startReceiver, waitUntil } from '../services/delivery/test-support/receiver.js';
import { verifySignature } from '../services/delivery/webhook.js';
import { listNotifications } from '../services/notifications.js';
import { importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { outboxCounts } from '../store/delivery.js';
import { readFeedPosition, type FeedPositionRow } from '../store/feed-positions.js';
import { Store } from '../store/store.js';
import { postgresFactory } from '../store/test-support/open-store.js';
import { killChildren, requireBuild, startWarren } from './test-support/child.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-watch-feeds-'));
let dbs = 0;
const newDb = (): string => `sqlite:${join(dir, `${++dbs}.db`)}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(killChildren);
beforeAll(requireBuild);

const T0 = '2026-04-01T00:00:00Z';
/** Short waits: a local log answers at once. */
const FAST = { WARREN_FEED_POLL: '100ms', WARREN_FEED_BACKOFF: '100ms' };

const escapeRe = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

// The real certificates by file; with the names Warren reads from each (CN and SAN).
const cert = (list: () => NamedCertificate[], file: string): NamedCertificate => {
  const c = list().find((x) => x.file.endsWith(file));
  if (!c) throw new Error(`no test certificate ${file}`);
  return c;
};
const L = {
  google: (): NamedCertificate => cert(realLeaves, 'google_chain.pem'), // www.google.com
  googleWide: (): NamedCertificate => cert(realLeaves, 'google_cert.pem'), // google.com, youtube.com, …
  greenEvents: (): NamedCertificate => cert(realLeaves, 'domain_in_o_component.pem'),
  ttmail: (): NamedCertificate => cert(realLeaves, 'multiple_policies.pem'),
  netkeiba: (): NamedCertificate => cert(realLeaves, 'user_notice.pem'), // www.netkeiba.com
  abc: (): NamedCertificate => cert(realLeaves, 'domain_in_issuer.pem'),
  creditSuisse: (): NamedCertificate => cert(realLeaves, 'ev_chain.pem'), // CN www.credit-suisse.com
  rdio: (): NamedCertificate => cert(realLeaves, 'multiple_cn.pem'), // rdio.com, www.rdio.com, api.rdio.com, rd.io, …
  embeddedFinal: (): NamedCertificate => cert(realLeaves, 'test-embedded-cert.pem'), // O=Certificate Transparency, serial 7
  flowers: (): NamedCertificate => cert(realPrecerts, 'hammer/testdata/precert.der'), // precert: flowers-to-the-world.com
  subleaf: (): NamedCertificate => cert(realPrecerts, 'subleaf-pre.chain'),
  embeddedPre: (): NamedCertificate => cert(realPrecerts, 'test-embedded-pre-cert.pem'), // precert of embeddedFinal
};

let tick = 0;
const x509 = (c: NamedCertificate): CtEntrySpec => ({ type: 'x509', certificate: c.der, chain: c.chain, timestamp: CT_EPOCH + ++tick * 1000 });
const precert = (c: NamedCertificate): CtEntrySpec => ({ type: 'precert', preCertificate: c.der, chain: c.chain, timestamp: CT_EPOCH + ++tick * 1000 });

/** The brand and the certificate signatures every case's organisation has. */
async function prepare(db: string, brand: readonly string[]): Promise<void> {
  const store = await Store.open(db);
  try {
    await importSignatures(
      store,
      'acme',
      [
        makeSignature({ id: 'brand', field: 'domain', patterns: [...brand], actions: [{ tag: 'brand' }, { alert: { severity: 'high' } }] }),
        makeSignature({ id: 'cn', field: 'x509.subject.common_name', patterns: ['credit-suisse'], actions: [{ alert: { severity: 'medium' } }] }),
        makeSignature({ id: 'ct-org', field: 'x509.subject.organization', patterns: ['^Certificate Transparency$'], actions: [{ alert: { severity: 'low' } }] }),
      ],
      { now: T0 },
    );
  } finally {
    await store.close();
  }
}

/** How many notifications each entity has, per signature. */
async function notified(store: Store, signature: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const n of await listNotifications(store, 'acme', { signature })) out[n.entity] = (out[n.entity] ?? 0) + 1;
  return out;
}

const once = (...names: string[]): Record<string, number> => Object.fromEntries(names.map((n) => [n, 1]));

const evaluatedIndex = (row: FeedPositionRow | undefined): number => {
  const p = row?.evaluated;
  const v = p?.index ?? p?.lines;
  return typeof v === 'number' ? v : -1;
};

async function waitEvaluated(store: Store, feed: string, index: number, what = `${feed} to reach ${index}`): Promise<void> {
  await waitUntil(async () => evaluatedIndex(await readFeedPosition(store.db, feed)) === index, 20_000, what);
}

async function status(db: string): Promise<{ feed: string; lastError: string | null; errors: number; index: number | null; lag: number | null; size: number | null }[]> {
  const r = await runCli(['watch', '--db', db, '--status', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { feed: string; lastError: string | null; errors: number; index: number | null; lag: number | null; size: number | null }[];
}

describe.skipIf(!haveCtCertificates())('warren watch ct: two RFC 6962 logs of real certificates, one growing while followed', () => {
  it('alerts once per new matching name, once per certificate across logs, once per pre-certificate and final certificate', async () => {
    // Log A: x509 and precert entries; its batches are 3 entries, so the first run takes several.
    const a = await startCtLog({ maxBatch: 3, entries: [x509(L.google()), x509(L.googleWide()), precert(L.flowers()), x509(L.greenEvents()), x509(L.ttmail()), precert(L.embeddedPre()), x509(L.netkeiba()), x509(L.abc())] });
    // Log B: certificates A has too.
    const b = await startCtLog({ entries: [x509(L.netkeiba()), precert(L.flowers()), x509(L.google())] });
    const db = newDb();
    await prepare(db, ['rdio', 'netkeiba', 'flowers-to-the-world']);
    const store = await Store.open(db);
    const w = startWarren(['watch', '--db', db, '--from', '0', `ct:${a.url}`, `ct:${b.url}`], FAST);
    try {
      await waitEvaluated(store, `ct:${a.url}`, 8);
      await waitEvaluated(store, `ct:${b.url}`, 3);
      expect(a.requests.filter((r) => r.path.endsWith('get-entries')).length).toBeGreaterThanOrEqual(3);
      expect((await store.stats()).certificates).toBe(8);
      expect(await notified(store, 'brand')).toEqual(once('flowers-to-the-world.com', 'www.netkeiba.com'));
      expect(await notified(store, 'cn')).toEqual({});
      expect(await notified(store, 'ct-org')).toEqual(once(sha256(L.embeddedPre().der)));

      // The logs grow: new certificates, one again (netkeiba), the final certificate of a
      // precert already seen, and the rdio certificate in both logs.
      a.append([x509(L.creditSuisse()), x509(L.rdio()), x509(L.abc()), precert(L.subleaf()), x509(L.netkeiba()), x509(L.embeddedFinal())]);
      b.append([x509(L.rdio()), x509(L.creditSuisse())]);
      await waitEvaluated(store, `ct:${a.url}`, 14);
      await waitEvaluated(store, `ct:${b.url}`, 5);
      expect((await store.stats()).certificates).toBe(12);
      expect(await notified(store, 'brand')).toEqual(once('flowers-to-the-world.com', 'www.netkeiba.com', 'rdio.com', 'www.rdio.com', 'api.rdio.com'));
      expect(await notified(store, 'cn')).toEqual(once(sha256(L.creditSuisse().der)));
      expect(await notified(store, 'ct-org')).toEqual(once(sha256(L.embeddedPre().der)));
      // One certificate seen in both logs: one row, its sightings spanning both entries.
      const rdio = await store.db.selectFrom('certificates').select(['first_seen', 'last_seen']).where('sha256', '=', sha256(L.rdio().der)).execute();
      expect(rdio).toHaveLength(1);
      expect(rdio[0]!.first_seen! < rdio[0]!.last_seen!).toBe(true);

      const feeds = await status(db);
      expect(feeds.map((f) => [f.feed, f.index, f.size, f.lag, f.lastError])).toEqual(
        [
          [`ct:${a.url}`, 14, 14, 0, null],
          [`ct:${b.url}`, 5, 5, 0, null],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      const exit = await w.stop();
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.stdout).toContain(`ct:${a.url}: 14 entries in `);
      expect(exit.stdout).toMatch(/ 0 rejected, 0 errors;/);
    } finally {
      await store.close();
      await a.close();
      await b.close();
    }
  });
});

describe.skipIf(!haveCtCertificates())('warren watch ct-tiles: a static-ct-api log', () => {
  it("reads the data tiles (gzipped, partial at the log's right edge) and alerts on the new matching names", async () => {
    const log = await startTiledLog({ gzip: true, entries: [x509(L.google()), precert(L.flowers()), x509(L.netkeiba()), x509(L.ttmail())] });
    const db = newDb();
    await prepare(db, ['rdio', 'netkeiba', 'flowers-to-the-world']);
    const store = await Store.open(db);
    const feed = `ct-tiles:${log.url}`;
    const w = startWarren(['watch', '--db', db, '--from', '0', feed], FAST);
    try {
      await waitEvaluated(store, feed, 4);
      expect(await notified(store, 'brand')).toEqual(once('flowers-to-the-world.com', 'www.netkeiba.com'));
      log.append([x509(L.rdio()), precert(L.embeddedPre()), x509(L.embeddedFinal())]);
      await waitEvaluated(store, feed, 7);
      expect(await notified(store, 'brand')).toEqual(once('flowers-to-the-world.com', 'www.netkeiba.com', 'rdio.com', 'www.rdio.com', 'api.rdio.com'));
      expect(await notified(store, 'ct-org')).toEqual(once(sha256(L.embeddedPre().der)));
      expect((await store.stats()).certificates).toBe(7);
      expect(log.requests.some((p) => /^\/tile\/data\/000\.p\/\d+$/.test(p))).toBe(true);
      expect(await w.stop()).toMatchObject({ code: 0 });
    } finally {
      await store.close();
      await log.close();
    }
  });
});

const samples = certstreamSamples();

describe.skipIf(samples.length === 0)('warren watch certstream: a websocket server replaying ../shared/data’s messages', () => {
  it('stores what `warren ingest --format certstream` stores of them, and alerts once per name even when they come twice', async () => {
    const server = await startCertstreamServer();
    const db = newDb();
    await prepare(db, ['smm-cheap', 'rundschleif']);
    const store = await Store.open(db);
    const feed = `certstream:${server.url}`;
    const w = startWarren(['watch', '--db', db, feed], FAST);
    try {
      await server.waitForClients(1);
      await server.send(samples);
      server.heartbeat();
      await waitUntil(async () => (await readFeedPosition(store.db, feed))?.evaluatedEntries === samples.length, 20_000, 'every message evaluated');
      await server.send(samples); // the same certificates again (another log's copy)
      await waitUntil(async () => (await readFeedPosition(store.db, feed))?.evaluatedEntries === 2 * samples.length, 20_000, 'the replay evaluated');
      expect(await notified(store, 'brand')).toEqual(once('access.smm-cheap.com', 'www.access.smm-cheap.com', 'rundschleifmaschinen-service.de', 'www.rundschleifmaschinen-service.de'));

      // The same messages through the file parser: the same entities.
      const file = join(dir, 'certstream.jsonl');
      writeFileSync(file, `${samples.join('\n')}\n`);
      const other = newDb();
      expect((await runCli(['ingest', '--db', other, '--format', 'certstream', file])).code).toBe(0);
      const viaFile = await Store.open(other);
      try {
        const expected = await viaFile.stats();
        expect(expected.domains).toBe(7);
        expect(await store.stats()).toEqual(expected);
      } finally {
        await viaFile.close();
      }
      expect(await w.stop()).toMatchObject({ code: 0 });
    } finally {
      await store.close();
      await server.close();
    }
  });
});

describe('warren watch domains: a new-domain list file that grows', () => {
  it('reads the list again every --every and alerts only on the new lines', async () => {
    const list = await domainListFile(['# today', 'shop-1.example', 'brandco-login.example', 'news.example']);
    const db = newDb();
    await prepare(db, ['brandco']);
    const store = await Store.open(db);
    const feed = `domains:${list.path}`;
    const w = startWarren(['watch', '--db', db, '--every', '200ms', feed], FAST);
    try {
      await waitEvaluated(store, feed, 4);
      expect(await notified(store, 'brand')).toEqual(once('brandco-login.example'));
      // New lines, one of them a brand name already known: only the new name alerts.
      await list.append(['brandco-pay.example', 'brandco-login.example', 'plain.example', 'not a domain']);
      await waitEvaluated(store, feed, 8);
      expect(await notified(store, 'brand')).toEqual(once('brandco-login.example', 'brandco-pay.example'));
      expect((await store.stats()).domains).toBe(5);
      await w.waitForStderr(/domains:\S+ line 8: "not a domain" is not a domain name/);
      expect(await w.stop()).toMatchObject({ code: 0 });
    } finally {
      await store.close();
      await list.remove();
    }
  });
});

describe.skipIf(!haveCtCertificates())('warren watch ct: a log that misbehaves', () => {
  it('reports and retries garbage, truncated JSON, a shrinking tree, 429 and a hang, never exits, and never stores part of a corrupt entry', async () => {
    const framed = merkleTreeLeaf(x509(L.greenEvents()));
    const corrupt: RawCtEntry[] = [
      { leaf_input: 'not base64!', extra_data: '' },
      // A MerkleTreeLeaf cut in half.
      { leaf_input: framed.subarray(0, Math.floor(framed.length / 2)).toString('base64'), extra_data: Buffer.alloc(3).toString('base64') },
      // A well-framed x509 entry whose certificate is no DER.
      { leaf_input: merkleTreeLeaf({ type: 'x509', certificate: Buffer.from('not a certificate at all'), timestamp: CT_EPOCH }).toString('base64'), extra_data: Buffer.alloc(3).toString('base64') },
      // A precert entry whose extra_data carries another pre-certificate.
      { leaf_input: merkleTreeLeaf(precert(L.flowers())).toString('base64'), extra_data: extraData(precert(L.embeddedPre())).toString('base64') },
    ];
    const good = [x509(L.google()), x509(L.netkeiba()), x509(L.rdio())];
    const log = await startCtLog({ retryAfterS: 1, entries: [good[0]!, corrupt[0]!, good[1]!, corrupt[1]!, corrupt[2]!, corrupt[3]!, good[2]!] });
    const db = newDb();
    await prepare(db, ['rdio', 'netkeiba', 'flowers-to-the-world']);
    const store = await Store.open(db);
    const feed = `ct:${log.url}`;
    log.misbehave('garbage');
    const w = startWarren(['watch', '--db', db, '--from', '0', feed], { ...FAST, WARREN_FEED_TIMEOUT: '1s' });
    try {
      await w.waitForStderr(/ct:\S+: get-sth: the answer is not JSON \(\d+ bytes starting "<!doctype html>.*; retrying in \d+s/);
      expect((await status(db))[0]!.lastError).toMatch(/get-sth: the answer is not JSON/);

      log.misbehave('truncated', 'get-entries');
      await w.waitForStderr(/get-entries 0-\d+: the answer is not JSON/);
      expect((await store.stats()).certificates).toBe(0);

      log.misbehave(undefined);
      await waitEvaluated(store, feed, 7);
      // Each corrupt entry rejected with its index; the others stored, nothing of the corrupt ones.
      await w.waitForStderr(/entry 5: /);
      expect(w.stderr()).toContain(`${feed} entry 1: leaf_input and extra_data are not both base64 text`);
      expect(w.stderr()).toMatch(new RegExp(`${escapeRe(feed)} entry 3: leaf_input: `));
      expect(w.stderr()).toMatch(/ entry 4: certificate: /);
      expect(w.stderr()).toMatch(/ entry 5: the pre-certificate is not the one the entry's TBSCertificate was made from/);
      const stored = await store.db.selectFrom('certificates').select('sha256').orderBy('sha256').execute();
      expect(stored.map((r) => r.sha256)).toEqual([L.google(), L.netkeiba(), L.rdio()].map((c) => sha256(c.der)).sort());

      log.misbehave('shrink');
      await w.waitForStderr(/the log's tree shrank: its signed size is 3, below the 7 entries already read/);
      log.misbehave('429');
      await w.waitForStderr(/the log answered 429 Too Many Requests \(retry after 1 s\); retrying in 1s/);
      log.misbehave('hang');
      await w.waitForStderr(/get-sth: no answer within 1000 ms/);
      expect((await status(db))[0]).toMatchObject({ lastError: expect.stringMatching(/no answer within 1000 ms/) as unknown, index: 7 });
      expect(w.running()).toBe(true);

      // Behaving again, and grown: it goes on from where it was.
      log.append([precert(L.flowers())]);
      log.misbehave(undefined);
      await waitEvaluated(store, feed, 8);
      expect(await notified(store, 'brand')).toEqual(once('www.netkeiba.com', 'rdio.com', 'www.rdio.com', 'api.rdio.com', 'flowers-to-the-world.com'));
      const exit = await w.stop();
      expect(exit).toMatchObject({ code: 0, signal: null });
      const errors = /: 8 entries in \d+ batches, 4 records, 4 rejected, (\d+) errors;/.exec(exit.stdout);
      expect(Number(errors?.[1])).toBeGreaterThanOrEqual(5); // garbage, truncated, shrink, 429, hang: each at least once
    } finally {
      await store.close();
      await log.close();
    }
  });
});

describe.skipIf(!haveCtCertificates())('warren serve --watch: a new certificate for a brand domain reaches a webhook', () => {
  const saved = process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS;
  beforeAll(() => {
    // The receiver is on 127.0.0.1: the operator's opt-in (the in-process `channel add` reads it).
    process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS = '1';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS;
    else process.env.WARREN_ALLOW_PRIVATE_WEBHOOKS = saved;
  });

  it('tails the log from where it stands, and each new matching name is one signed POST', async () => {
    const receiver = await startReceiver();
    // What the log held before monitoring began is not alerted on (the tail: --from latest-0).
    const log = await startCtLog({ entries: [x509(L.netkeiba()), x509(L.google())] });
    const db = newDb();
    const sigs = join(dir, 'brand.yaml');
    writeFileSync(sigs, ['id: brand-rdio', 'title: Certificates for domains containing our brand', 'field: domain', "patterns: ['rdio', 'netkeiba']", 'actions:', '  - alert: {severity: high}', ''].join('\n'));
    expect((await runCli(['sig', 'import', '--db', db, '--org', 'acme', sigs])).code).toBe(0);
    const added = await runCli(['channel', 'add', '--db', db, '--org', 'acme', '--type', 'webhook', '--url', receiver.url, 'soc']);
    expect(added.code).toBe(0);
    const secret = /^secret: (\S+)$/m.exec(added.stdout)![1]!;
    const store = await Store.open(db);
    const feed = `ct:${log.url}`;
    const server = startWarren(['serve', '--db', db, '--port', '0', '--watch', feed], { ...FAST, WARREN_ALLOW_PRIVATE_WEBHOOKS: '1' });
    try {
      await server.waitForStderr(/serving .* on http:\/\//);
      await waitUntil(async () => (await readFeedPosition(store.db, feed))?.evaluated?.index === 2, 20_000, 'the feed to start at the tail');
      log.append([x509(L.rdio()), x509(L.ttmail())]);
      await receiver.waitFor(3, 20_000);
      const bodies = receiver.requests.map((r) => {
        expect(verifySignature(r.body, secret, r.headers['x-warren-signature'] as string | undefined)).toBe(true);
        return JSON.parse(r.body.toString()) as { entity: string; signature: string; headline: string };
      });
      expect(bodies.map((b) => b.entity).sort()).toEqual(['api.rdio.com', 'rdio.com', 'www.rdio.com']);
      expect(bodies[0]!.headline).toMatch(/^Signature brand-rdio matched domain \S*rdio\.com on field domain$/);
      // Each delivered once: the outbox says sent, nothing pending.
      await waitUntil(async () => (await outboxCounts(store.db)).sent === 3, 10_000, 'the outbox to record the deliveries');
      expect(await outboxCounts(store.db)).toEqual({ pending: 0, sent: 3, dead: 0 });
      expect(receiver.requests).toHaveLength(3);
      expect(await server.stop()).toMatchObject({ code: 0 });
    } finally {
      await store.close();
      await log.close();
      await receiver.close();
    }
  });
});

describe.skipIf(!haveCtCertificates())('two warren watch processes on one feed and one PostgreSQL', () => {
  it('one follows (it holds the lease), the other stands by: each entry read once, each certificate stored once, one alert per name', async (t) => {
    const made = await postgresFactory();
    if ('skip' in made) return t.skip(made.skip);
    const log = await startCtLog({ maxBatch: 2, entries: [x509(L.google()), precert(L.flowers()), x509(L.netkeiba()), x509(L.rdio()), x509(L.ttmail()), precert(L.embeddedPre()), x509(L.embeddedFinal())] });
    const feed = `ct:${log.url}`;
    await prepare(made.url, ['rdio', 'netkeiba', 'flowers-to-the-world']);
    const store = await Store.open(made.url);
    try {
      // Each batch held 200 ms between its write and its evaluation, so the two runs overlap.
      const slow = { ...FAST, WARREN_TEST_FEEDS: '1', WARREN_TEST_FEED_WRITE_PAUSE_MS: '200' };
      const one = startWarren(['watch', '--db', made.url, '--from', '0', feed], slow);
      const two = startWarren(['watch', '--db', made.url, '--from', '0', feed], slow);
      await waitEvaluated(store, feed, 7);
      // Both must be running, the second standing by, before they are stopped: a process still
      // starting (slow on a loaded machine) has no SIGTERM handler yet and would just die.
      await waitUntil(() => one.stderr().includes('standing by to take over') || two.stderr().includes('standing by to take over'), 30_000, 'the second process to stand by');
      const [a, b] = await Promise.all([one.stop(), two.stop()]);
      expect([a.code, b.code]).toEqual([0, 0]);
      // One read the 7 entries; the other stood by the whole time and read none.
      const read = [a, b].map((x) => Number(new RegExp(`^${escapeRe(feed)}: (\\d+) entries in \\d+ batches`, 'm').exec(x.stdout)?.[1]));
      expect(read.sort((x, y) => x - y)).toEqual([0, 7]);
      expect([a, b].filter((x) => x.stderr.includes('standing by to take over'))).toHaveLength(1);
      expect((await store.stats()).certificates).toBe(7);
      expect(await notified(store, 'brand')).toEqual(once('flowers-to-the-world.com', 'www.netkeiba.com', 'rdio.com', 'www.rdio.com', 'api.rdio.com'));
      expect(await notified(store, 'ct-org')).toEqual(once(sha256(L.embeddedPre().der)));
    } finally {
      await store.close();
      await log.close();
      await made.cleanup();
    }
  });
});

describe('warren watch: the WARREN_FEED_* settings', () => {
  it('refuses a value that is no duration with exit 2, naming the variable', async () => {
    const saved = process.env.WARREN_FEED_POLL;
    process.env.WARREN_FEED_POLL = 'often';
    try {
      const r = await runCli(['watch', '--db', newDb(), 'ct:https://ct.example/log/']);
      expect(r).toMatchObject({ code: 2, stderr: 'warren: WARREN_FEED_POLL: "often" is not a duration like 250ms, 5s or 10m\n' });
    } finally {
      if (saved === undefined) delete process.env.WARREN_FEED_POLL;
      else process.env.WARREN_FEED_POLL = saved;
    }
  });
});
