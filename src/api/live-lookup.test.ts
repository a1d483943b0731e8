// Live look-ups end to end through the API (issue 13), against real servers this test starts on
// 127.0.0.1 (RDAP with IANA-format bootstrap and real ICANN replies, DNS, TLS with a generated
// certificate): a view through GET /api/v1/lookup and through the PassiveTotal /v2 routes fetches
// what Warren has never seen, stores it and tags it with the viewer's signatures; a misbehaving
// registry fails its source, never the view; what a view fetches meets only the viewer's
// organisation's signatures. On SQLite and (when reachable) PostgreSQL. The server gets its live
// look-ups through ServerOptions.live, so process.env is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISBEHAVING, haveRealReplies, liveSignatures, startTestInternet, type TestInternet } from '../live/test-support/internet.js';
import { createLiveLookups } from '../services/live/create.js';
import { liveSettingsFromEnv } from '../services/live/settings.js';
import { entityTags } from '../store/actions.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { NOW, testApi, type TestApi, type TestUser } from './test-support/api.js';

/** New names beside the internet's `domain` and `other`: each test's first view is a first one. */
const WHOIS_NAME = 'whois-phish.click';
const ISOLATED_NAME = 'beta-phish.click';
const AT = NOW.toISOString().replace(/\.\d{3}Z$/, 'Z');

let internet: TestInternet | undefined;
beforeAll(async () => {
  internet = await startTestInternet({ moreDomains: [WHOIS_NAME, ISOLATED_NAME] });
});
afterAll(async () => {
  await internet?.close();
});

// The CLI test's three signatures; the registrant one also alerts, so that a notification (or
// its absence) shows whose signatures met a fetch.
const SIGNATURES = (net: TestInternet): string => liveSignatures(net, { alertOnRegistrant: true });

/** Organisation beta's own signature on the same field: proves beta's view was evaluated. */
const BETA_SIGNATURE = (net: TestInternet): string => `
id: beta-registrant
title: Beta's watch on the same registrant
field: whois.registrant.email
match: literal
patterns: ['${net.registrantEmail}']
actions: [{tag: Beta_Registrant}, {alert: {}}]
`;

interface Live {
  source: string;
  status: string;
  at: string;
  detail?: string;
}
interface View {
  known: boolean;
  fields: Record<string, string[]>;
  tags: { name: string }[];
  related: { ips: string[]; certificates: string[] };
  live: Live[];
}
interface Notification {
  entity: string;
  signature: string;
}

/** Signs of a stack trace or an internal path in an answer. */
const STACK = /\n\s+at |\(\/[^)]*:\d+:\d+\)|Error:|node:internal|\.[jt]s:\d+/;

function suite(label: string, getUrl: () => string | undefined): void {
  describe.skipIf(!haveRealReplies())(`live look-ups through the API on ${label}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      if (!internet) return;
      api = await testApi(getUrl(), { live: createLiveLookups(liveSettingsFromEnv({ ...internet.env })) });
      const sigs = await api.request(api.users['a-analyst'], { method: 'POST', url: '/api/v1/signatures', payload: { text: SIGNATURES(internet) } });
      expect(sigs.statusCode, sigs.body).toBe(200);
      const beta = await api.request(api.users['b-analyst'], { method: 'POST', url: '/api/v1/signatures', payload: { text: BETA_SIGNATURE(internet) } });
      expect(beta.statusCode, beta.body).toBe(200);
    });
    afterAll(async () => {
      await api?.close();
    });

    const view = async (user: TestUser, entity: string, live?: string): Promise<View> => {
      const r = await api.request(user, { method: 'GET', url: `/api/v1/lookup/${entity}${live ? `?live=${live}` : ''}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<View>();
    };
    /** As PassiveTotal's clients call /v2: HTTP Basic, JSON accept and content type, query parameters. */
    const v2 = async (user: TestUser, path: string, query: string): Promise<Record<string, unknown>> => {
      const r = await api.request(user, { method: 'GET', url: `/v2/${path}?${new URLSearchParams({ query }).toString()}`, headers: { accept: 'application/json', 'content-type': 'application/json' } });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<Record<string, unknown>>();
    };
    const notifications = async (user: TestUser, entity: string): Promise<Notification[]> => {
      const r = await api.request(user, { method: 'GET', url: '/api/v1/notifications?limit=1000' });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ items: Notification[] }>().items.filter((n) => n.entity === entity);
    };
    const status = (v: View): Record<string, string> => Object.fromEntries(v.live.map((l) => [l.source, l.status]));
    const tags = (v: View): string[] => v.tags.map((t) => t.name).sort();
    const registryQueries = (name: string): number => internet!.rdap.requests.filter((r) => r.kind === 'domain' && r.path.endsWith(`/domain/${name}`)).length;
    const users = (): Record<string, TestUser> => api.users;

    it('GET /api/v1/lookup tags a never-ingested domain and its IP from what the view fetches', async () => {
      const net = internet!;
      const acme = users()['a-analyst']!;
      // Before: nothing known, and a view with live look-ups off asks nobody.
      const asked = registryQueries(net.domain);
      const cold = await view(acme, net.domain, 'off');
      expect(cold).toMatchObject({ known: false, live: [], tags: [] });
      expect(registryQueries(net.domain)).toBe(asked);

      const v = await view(acme, net.domain, 'always');
      expect(status(v)).toEqual({ rdap: 'ok', dns: 'ok', tls: 'ok' });
      expect(v.live.every((l) => l.at === AT)).toBe(true);
      expect(v.known).toBe(true);
      expect(v.fields['whois.registrant.email']).toEqual([net.registrantEmail]);
      expect(tags(v)).toEqual(['Malicious_Registrant']);
      expect(v.related.ips).toEqual([net.ip]);

      // The certificate the IP served was stored, and its CN signature tagged the IP.
      const ip = await view(acme, net.ip, 'off');
      expect(ip.live).toEqual([]);
      expect(ip.related.certificates).toContain(net.leafSha256);
      expect(tags(ip)).toEqual(['KnownBadCert']);
      // Viewing the IP fetches its network registration: the network-name signature tags it.
      const ipLive = await view(acme, net.ip, 'always');
      expect(status(ipLive)).toEqual({ 'rdap-ip': 'ok', tls: 'ok' });
      expect(ipLive.fields['network.name']).toEqual([net.networkName]);
      expect(tags(ipLive)).toEqual(['Bulletproof', 'KnownBadCert']);

      // Within the TTL a view (the server's mode: missing) answers from the store, through either path.
      const before = registryQueries(net.domain);
      for (const path of ['lookup', 'entities']) {
        const r = await api.request(acme, { method: 'GET', url: `/api/v1/${path}/${net.domain}` });
        expect(r.statusCode, r.body).toBe(200);
        const warm = r.json<View>();
        expect(status(warm)).toEqual({ rdap: 'cached', dns: 'cached', tls: 'cached' });
        expect(tags(warm)).toEqual(['Malicious_Registrant']);
      }
      expect(registryQueries(net.domain)).toBe(before);
    });

    it('a viewer can view, and the view fetches (the fetch is part of a view, not a write)', async () => {
      const net = internet!;
      const before = registryQueries(net.domain);
      const v = await view(users()['a-viewer']!, net.domain, 'always');
      expect(status(v)).toEqual({ rdap: 'ok', dns: 'ok', tls: 'ok' });
      expect(tags(v)).toEqual(['Malicious_Registrant']);
      expect(registryQueries(net.domain)).toBe(before + 1);
    });

    it('/v2/enrichment of a name never viewed answers with what the view fetched', async () => {
      const net = internet!;
      const asked = registryQueries(net.other);
      const e = await v2(users()['a-analyst']!, 'enrichment', net.other);
      expect(e).toMatchObject({ queryValue: net.other, queryType: 'domain', tags: ['Malicious_Registrant'] });
      expect(registryQueries(net.other)).toBe(asked + 1);
    });

    it('/v2/whois of a name never viewed gives the WHOIS the view fetched', async () => {
      const net = internet!;
      const asked = registryQueries(WHOIS_NAME);
      const w = await v2(users()['a-viewer']!, 'whois', WHOIS_NAME);
      expect(w.domain).toBe(WHOIS_NAME);
      expect(w.registrant).toMatchObject({ email: net.registrantEmail });
      expect(w.contactEmail).toBe(net.registrantEmail);
      // The raw RDAP JSON is kept as the raw text.
      expect(String(w.rawText)).toContain(`"ldhName":"${WHOIS_NAME}"`);
      expect(registryQueries(WHOIS_NAME)).toBe(asked + 1);
    });

    it('a registry that hangs, resets, answers garbage, 404 or 429 fails its source with a reason, never the view', async () => {
      for (const [name, what] of Object.entries(MISBEHAVING)) {
        const r = await api.request(users()['a-analyst'], { method: 'GET', url: `/api/v1/lookup/${name}?live=always` });
        expect(r.statusCode, `${name} (${what}): ${r.body}`).toBe(200);
        expect(r.body, name).not.toMatch(STACK);
        const v = r.json<View>();
        const rdap = v.live.find((l) => l.source === 'rdap');
        expect(rdap?.status, `${name} (${what})`).toBe('failed');
        expect(rdap?.detail ?? '', name).not.toBe('');
        // DNS still answered for it, so the name is known and the view shows that.
        expect(status(v).dns, name).toBe('ok');
        expect(v.known, name).toBe(true);
      }
    });

    it('refuses ?live=sometimes with 400 and the error body', async () => {
      const r = await api.request(users()['a-analyst'], { method: 'GET', url: `/api/v1/lookup/${internet!.domain}?live=sometimes` });
      expect(r.statusCode).toBe(400);
      const body = r.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toMatch(/live/);
      expect(body.error.message).toMatch(/off, missing, always|allowed values/);
    });

    it("what one organisation's view fetches meets only its own signatures", async () => {
      const net = internet!;
      const acme = users()['a-analyst']!;
      const beta = users()['b-analyst']!;
      // Beta views a name whose registrant acme's signature names: beta's own signature tags it,
      // acme's does not, and acme is not notified.
      const b = await view(beta, ISOLATED_NAME);
      expect(status(b)).toEqual({ rdap: 'ok', dns: 'ok', tls: 'ok' });
      expect(b.fields['whois.registrant.email']).toEqual([net.registrantEmail]);
      expect(tags(b)).toEqual(['Beta_Registrant']);
      expect((await notifications(beta, ISOLATED_NAME)).map((n) => n.signature)).toEqual(['beta-registrant']);
      expect(await notifications(acme, ISOLATED_NAME)).toEqual([]);
      // In the store (any read through the API would be a view, and evaluate): no tag of acme's.
      expect(await entityTags(api.store.db, { org: 'acme', kind: 'domain', entity: ISOLATED_NAME })).toEqual([]);

      // Acme's own view (from the store, within the TTL) meets acme's signature.
      const a = await view(acme, ISOLATED_NAME);
      expect(status(a)).toEqual({ rdap: 'cached', dns: 'cached', tls: 'cached' });
      expect(tags(a)).toEqual(['Malicious_Registrant']);
      expect((await notifications(acme, ISOLATED_NAME)).map((n) => n.signature)).toEqual(['bad-registrant']);
      // …and beta still sees only its own.
      expect(tags(await view(beta, ISOLATED_NAME))).toEqual(['Beta_Registrant']);
      expect((await notifications(beta, ISOLATED_NAME)).map((n) => n.signature)).toEqual(['beta-registrant']);
    });
  });
}

suite('SQLite', () => undefined);

const pg = await createTestDatabase();
if ('skip' in pg) {
  describe.skip(`live look-ups through the API on PostgreSQL (${pg.skip})`, () => undefined);
} else {
  afterAll(() => pg.drop());
  suite('PostgreSQL', () => pg.url);
}
