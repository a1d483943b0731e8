// GET /pivot, /pivot/counts and /tags on the demo data set (issue 15), on SQLite and (when a
// server answers) PostgreSQL: a WHOIS email → its domains, an AS number → its IPs, a certificate
// CN → its certificates; the organisation's tag, classification and signature lists, and another
// organisation's never in them; pages with a cursor and a total; CSV and JSON exports; the
// counts beside an entity's values; and 400s for bad input.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareDemo } from '../demo/prepare.js';
import { SCENARIO } from '../demo/dataset.js';
import type { IngestRecord } from '../ingest/records.js';
import { pivotExport } from '../services/pivot.js';
import { COUNT_CAP_SCALE, ROUTING_SCAN_CAP } from '../services/search.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { testApi, type TestApi } from './test-support/api.js';

// Hoisted above the imports: services/accounts.ts reads the scrypt cost when it loads.
vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const NOW = '2026-03-01T12:00:00Z';
const SEED = readFileSync(new URL('../../samples/signatures/seed-scenarios.yaml', import.meta.url), 'utf8');
const SEED_TAGS = ['Brand_PassiveTotal', 'Brand_PayPal_Lookalike', 'Bulletproof_Hosting', 'KnownBadCert', 'Malicious_Registrant'];
/** Beta's own signature: the bulk registrar's domains, which include acme's four. */
const BETA_SIG = `id: beta-bulk
title: beta only
field: whois.registrar
match: literal
patterns: ['Bulkreg Domains Ltd']
actions: [{tag: BetaBulk}, {classify: malicious}]
`;
/** A registrant organisation a spreadsheet would run as a formula. */
const FORMULA_ORG = '=HYPERLINK("http://evil.example","x")';

interface Item {
  kind: string;
  id: string;
  value?: string;
}
interface Page {
  field: string;
  value: string;
  kind: string | null;
  items: Item[];
  next: string | null;
  total: number;
  total_complete: boolean;
  scanned: number;
  error?: { code: string; message: string };
}
interface Count {
  field: string;
  kind: string;
  value: string;
  count: number;
  complete: boolean;
}

function pivotSuite(dialect: string, open: () => Promise<{ api: TestApi; drop?: () => Promise<void> } | { skip: string }>): void {
  describe(`GET /pivot (${dialect})`, () => {
    let api: TestApi | undefined;
    let drop: (() => Promise<void>) | undefined;
    let skip: string | undefined;

    beforeAll(async () => {
      const opened = await open();
      if ('skip' in opened) {
        skip = opened.skip;
        return;
      }
      ({ api, drop } = opened);
      // The demo's data (and its own organisation "demo", whose tags must not show either).
      await prepareDemo(api.store, { now: NOW });
      await api.store.write([
        { kind: 'whois', domain: 'formula.example', observed: '2026-01-01T00:00:00Z', source: 'test', fields: { 'whois.registrant.organization': [FORMULA_ORG], 'whois.registrant.email': ['a,b@formula.example'] } },
      ]);
      const ok = async (user: string, method: 'POST' | 'PUT', url: string, payload: unknown): Promise<void> => {
        const r = await api!.request(api!.users[user], { method, url, payload: payload as Record<string, unknown> });
        expect(r.statusCode, r.body).toBeLessThan(300);
      };
      await ok('a-analyst', 'POST', '/api/v1/signatures', { text: SEED });
      await ok('b-analyst', 'POST', '/api/v1/signatures', { text: BETA_SIG });
      // Beta's hand: a classification acme's lists must not see, on a domain acme lists too.
      await ok('b-analyst', 'PUT', `/api/v1/entities/${SCENARIO.registrantDomains[0]}/classification`, { classification: 'non-malicious' });
      await ok('b-analyst', 'POST', `/api/v1/entities/paypal.com/tags`, { tag: 'BetaHand' });
      await ok('b-analyst', 'PUT', `/api/v1/entities/paypal.com/classification`, { classification: 'suspicious' });
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      await drop?.();
    });

    const get = async <T = Page>(query: string, user = 'a-viewer', path = '/api/v1/pivot'): Promise<{ status: number; body: T; headers: Record<string, unknown>; text: string }> => {
      const res = await api!.request(api!.users[user], { method: 'GET', url: `${path}?${query}` });
      let body: unknown;
      try {
        body = res.json();
      } catch {
        body = undefined;
      }
      return { status: res.statusCode, body: body as T, headers: res.headers, text: res.body };
    };
    const page = async (query: string, user?: string): Promise<Page> => {
      const r = await get(query, user);
      expect(r.status, r.text).toBe(200);
      return r.body;
    };
    const ids = (p: Page): string[] => p.items.map((i) => i.id);
    const q = (field: string, value: string, more = ''): string => `field=${encodeURIComponent(field)}&value=${encodeURIComponent(value)}${more}`;
    const live = (name: string, fn: () => Promise<void>): void => {
      it(name, async (ctx) => {
        if (skip !== undefined) ctx.skip(skip);
        await fn();
      }, 60_000);
    };
    /** Every page of a pivot, following `next`. */
    const all = async (query: string, user?: string): Promise<{ ids: string[]; pages: number; totals: number[] }> => {
      const out: string[] = [];
      const totals: number[] = [];
      let next: string | null = null;
      let pages = 0;
      do {
        const p = await page(`${query}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`, user);
        out.push(...ids(p));
        totals.push(p.total);
        next = p.next;
        pages++;
      } while (next !== null);
      return { ids: out, pages, totals };
    };

    live('a viewer pivots from a WHOIS email to every domain registered with it, whatever its case', async () => {
      const p = await page(q('whois.registrant.email', SCENARIO.registrantEmail));
      expect(p).toMatchObject({ field: 'whois.registrant.email', kind: 'domain', total: 4, total_complete: true, next: null });
      expect(ids(p)).toEqual([...SCENARIO.registrantDomains].sort());
      // The demo gives two of them the address in upper case: each item shows it as held.
      expect(new Set(p.items.map((i) => i.value))).toEqual(new Set(['46313@qq.com', '46313@QQ.com']));
      expect(ids(await page(q('whois.registrant.email', '46313@QQ.COM')))).toEqual(ids(p));
      expect((await page(q('whois.email', SCENARIO.registrantEmail))).total).toBe(4);
    });

    live('pages with a cursor: every entity once, the same total on every page', async () => {
      const paged = await all(q('whois.registrant.email', SCENARIO.registrantEmail, '&limit=3'));
      expect(paged).toEqual({ ids: [...SCENARIO.registrantDomains].sort(), pages: 2, totals: [4, 4] });
      const listed = await all(q('tag', 'Malicious_Registrant', '&limit=1'));
      expect(listed).toEqual({ ids: [...SCENARIO.registrantDomains].sort(), pages: 4, totals: [4, 4, 4, 4] });
    });

    live('pivots from an AS number to exactly the stored IPs it routes', async () => {
      // Independently of the search machinery: the demo routes these three networks through AS 64666.
      const stored = (await api!.store.db.selectFrom('ips').select('address').execute()).map((r) => r.address);
      const expected = stored.filter((ip) => /^(203\.0\.113\.|185\.225\.|91\.215\.)/.test(ip)).sort();
      expect(expected.length).toBeGreaterThan(5);
      const p = await all(q('as.number', String(SCENARIO.bulletproofAsn), '&limit=500'));
      expect(p.ids).toEqual(expected);
      expect(p.totals).toEqual([expected.length]);
      const first = await page(q('as.number', String(SCENARIO.bulletproofAsn), '&limit=2'));
      expect(first).toMatchObject({ kind: 'ip', total: expected.length, total_complete: true });
      expect(first.items.every((i) => i.kind === 'ip' && i.value === String(SCENARIO.bulletproofAsn))).toBe(true);
      expect(ids(await page(q('as.name', 'darkhost-bph', '&limit=500')))).toEqual(expected);
    });

    live('pivots from a certificate subject CN to its certificates, and from an issuer to many', async () => {
      const p = await page(q('x509.subject.common_name', SCENARIO.badCertName.toUpperCase()));
      expect(p).toMatchObject({ kind: 'certificate', total: 1, total_complete: true });
      const view = (await get<{ fields: Record<string, string[]> }>('', 'a-viewer', `/api/v1/entities/${p.items[0]!.id}`)).body;
      expect(view.fields['x509.subject.common_name']).toEqual([SCENARIO.badCertName]);
      const issuer = await page(q('x509.issuer.organization', "Let's Encrypt", '&limit=2'));
      expect(issuer.total).toBeGreaterThan(2);
      expect(issuer.items).toHaveLength(2);
      expect(issuer.next).not.toBeNull();
    });

    live("lists the organisation's tag, and never another organisation's", async () => {
      expect(ids(await page(q('tag', 'Malicious_Registrant')))).toEqual([...SCENARIO.registrantDomains].sort());
      // Beta's tags (by signature and by hand) and the demo organisation's are not acme's.
      for (const tag of ['BetaBulk', 'BetaHand', 'Bulletproof_AS']) expect(await page(q('tag', tag)), tag).toMatchObject({ items: [], total: 0, next: null });
      const beta = await page(q('tag', 'BetaBulk'), 'b-analyst');
      expect(beta.total).toBeGreaterThanOrEqual(4);
      expect(ids(beta)).toEqual(expect.arrayContaining([...SCENARIO.registrantDomains]));
      expect(ids(await page(q('tag', 'BetaHand'), 'b-analyst'))).toEqual(['paypal.com']);
      // The Tags page: acme's tags with their counts, nothing of beta's or the demo's.
      const tags = await get<{ tags: { name: string; entities: number }[]; classifications: { value: string; entities: number }[] }>('', 'a-viewer', '/api/v1/tags');
      expect(tags.status).toBe(200);
      expect(tags.body.tags.map((t) => t.name)).toEqual(SEED_TAGS);
      expect(tags.body.tags.find((t) => t.name === 'Malicious_Registrant')?.entities).toBe(4);
      const betaTags = (await get<{ tags: { name: string }[] }>('', 'b-analyst', '/api/v1/tags')).body.tags.map((t) => t.name);
      expect(betaTags).toEqual(['BetaBulk', 'BetaHand']);
    });

    live('lists entities by their effective classification, in the organisation only', async () => {
      const malicious = await page(q('classification', 'malicious'));
      expect(ids(malicious)).toEqual([...SCENARIO.registrantDomains].sort());
      // Beta's hand-set suspicious on paypal.com is not acme's; the certificate's IPs and the certificate are.
      const suspicious = await page(q('classification', 'suspicious', '&limit=500'));
      expect(ids(suspicious)).not.toContain('paypal.com');
      expect(suspicious.items.map((i) => i.kind)).toContain('certificate');
      expect(ids(suspicious)).toEqual(expect.arrayContaining(SCENARIO.badCertIps.filter((ip) => ip.startsWith('203.'))));
      // A person's classification wins over a signature's: the entity moves from one list to the other.
      const [first, ...rest] = [...SCENARIO.registrantDomains].sort();
      const r = await api!.request(api!.users['a-analyst'], { method: 'PUT', url: `/api/v1/entities/${first}/classification`, payload: { classification: 'non-malicious' } });
      expect(r.statusCode, r.body).toBe(200);
      expect(ids(await page(q('classification', 'malicious')))).toEqual(rest);
      expect(ids(await page(q('classification', 'non-malicious')))).toEqual([first]);
      const counts = (await get<{ classifications: { value: string; entities: number }[] }>('', 'a-viewer', '/api/v1/tags')).body.classifications;
      expect(counts.find((c) => c.value === 'malicious')?.entities).toBe(3);
      expect(counts.map((c) => c.value)).toEqual(['malicious', 'suspicious', 'non-malicious', 'unknown']);
      // Beta's own view: its signature's malicious and its hand-set non-malicious on the first scenario domain.
      const betaMalicious = ids(await page(q('classification', 'malicious', '&limit=500'), 'b-analyst'));
      expect(betaMalicious).not.toContain(SCENARIO.registrantDomains[0]);
      expect(betaMalicious).toEqual(expect.arrayContaining(SCENARIO.registrantDomains.slice(1)));
      // Undo, so the other tests see the signature's classification.
      await api!.request(api!.users['a-analyst'], { method: 'PUT', url: `/api/v1/entities/${first}/classification`, payload: { classification: 'malicious' } });
    });

    live("lists what a signature tags, classifies or alerts on: its hits", async () => {
      const registrant = await page(q('signature', 'malicious-registrant-46313'));
      expect(ids(registrant)).toEqual([...SCENARIO.registrantDomains].sort());
      // brand-passivetotal tags and alerts on the same domains: each once.
      const brand = await all(q('signature', 'brand-passivetotal', '&limit=2'));
      expect(new Set(brand.ids).size).toBe(brand.ids.length);
      expect(brand.ids).toEqual(expect.arrayContaining(['login-passivetotal.com', 'passive-total.support']));
      const sigs = (await get<{ items: { id: string; hits: number }[] }>('limit=100', 'a-viewer', '/api/v1/signatures')).body.items;
      for (const s of sigs) expect((await page(q('signature', s.id))).total, s.id).toBe(s.hits);
      expect(await page(q('signature', 'beta-bulk'))).toMatchObject({ items: [], total: 0 });
    });

    live('exports a pivot as CSV (with a header, formulas defused) and as JSON', async () => {
      const csv = await get(q('whois.registrant.email', SCENARIO.registrantEmail, '&format=csv'));
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="pivot-whois.registrant.email-46313@qq.com.csv"');
      expect(csv.headers['warren-export-limit']).toBe('10000');
      const lines = csv.text.split('\r\n');
      expect(lines[0]).toBe('kind,id,value');
      expect(lines.slice(1, -1).map((l) => l.split(',')[1])).toEqual([...SCENARIO.registrantDomains].sort());
      expect(lines.at(-1)).toBe('');
      const json = await get<{ field: string; value: string; items: Item[]; exported: number; truncated: string | null; limit: number }>(q('tag', 'Malicious_Registrant', '&format=json'));
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(json.body).toMatchObject({ field: 'tag', value: 'Malicious_Registrant', exported: 4, truncated: null, limit: 10000 });
      expect(json.body.items.map((i) => i.id)).toEqual([...SCENARIO.registrantDomains].sort());
      // A value a spreadsheet would run, and a comma inside a value.
      const formula = await get(q('whois.registrant.organization', FORMULA_ORG, '&format=csv'));
      expect(formula.text).toBe(`kind,id,value\r\ndomain,formula.example,"'=HYPERLINK(""http://evil.example"",""x"")"\r\n`);
      const comma = await get(q('whois.registrant.email', 'a,b@formula.example', '&format=csv'));
      expect(comma.text).toBe('kind,id,value\r\ndomain,formula.example,"a,b@formula.example"\r\n');
      // An export stops at its cap and says so (the route's cap is 10,000; the demo has fewer).
      const pages = pivotExport(api!.store, 'acme', 'whois.registrant.email', SCENARIO.registrantEmail, 3);
      const got: string[] = [];
      let r = await pages.next();
      while (!r.done) {
        got.push(...r.value.map((i) => i.id));
        r = await pages.next();
      }
      expect(got).toEqual([...SCENARIO.registrantDomains].sort().slice(0, 3));
      expect(r.value).toEqual({ exported: 3, truncated: 'limit' });
      const empty = await get<{ items: Item[]; exported: number }>(q('tag', 'Nothing_Has_This', '&format=json'));
      expect(empty.body).toMatchObject({ items: [], exported: 0 });
      expect((await get(q('tag', 'x', '&format=csv&cursor=abc'))).status).toBe(400);
    });

    live('counts the entities beside each value of an entity, and of values asked for', async () => {
      const domain = SCENARIO.registrantDomains[0];
      const r = await get<{ kind: string; id: string; counts: Count[] }>(`entity=${domain}`, 'a-viewer', '/api/v1/pivot/counts');
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ kind: 'domain', id: domain });
      const of = (field: string): Count | undefined => r.body.counts.find((c) => c.field === field);
      expect(of('whois.registrant.email')).toMatchObject({ kind: 'domain', count: 4, complete: true });
      const registrar = of('whois.registrar')!;
      expect(registrar.value).toBe('Bulkreg Domains Ltd');
      // The count is the pivot's total.
      expect(registrar.count).toBe((await page(q('whois.registrar', registrar.value))).total);
      expect(r.body.counts.some((c) => c.field === 'whois.raw' || c.field === 'domain')).toBe(false);
      // An IP: its AS number and name and its network.
      const ip = SCENARIO.badCertIps[0];
      const forIp = (await get<{ counts: Count[] }>(`entity=${ip}`, 'a-viewer', '/api/v1/pivot/counts')).body.counts;
      expect(forIp.map((c) => c.field).sort()).toEqual(['as.name', 'as.number', 'network']);
      expect(forIp.find((c) => c.field === 'as.number')!.count).toBe((await page(q('as.number', String(SCENARIO.bulletproofAsn)))).total);
      // A certificate by its SHA-256: subject, issuer, serial, SANs.
      const cert = (await page(q('x509.subject.common_name', SCENARIO.badCertName))).items[0]!.id;
      const forCert = (await get<{ counts: Count[] }>(`entity=${cert}`, 'a-viewer', '/api/v1/pivot/counts')).body.counts;
      expect(forCert.find((c) => c.field === 'x509.alternative_names' && c.value === 'lanxess-lab.com')).toMatchObject({ kind: 'certificate', count: 1 });
      expect(forCert.some((c) => c.field === 'x509.serial_number')).toBe(true);
      // Values asked for, commas and all; one the field has nowhere counts 0.
      const asked = await get<{ counts: Count[] }>(`field=whois.registrar&value=${encodeURIComponent('Bulkreg Domains Ltd')}&value=${encodeURIComponent('Nobody, Inc.')}`, 'a-viewer', '/api/v1/pivot/counts');
      expect(asked.body.counts.map((c) => [c.value, c.count])).toEqual([
        ['Bulkreg Domains Ltd', registrar.count],
        ['Nobody, Inc.', 0],
      ]);
      // A name with nothing stored: no values, nothing counted.
      expect((await get<{ counts: Count[] }>('entity=never-seen.example', 'a-viewer', '/api/v1/pivot/counts')).body.counts).toEqual([]);
    });

    live('answers 400 with the reason for bad input', async () => {
      const cases: [string, RegExp, string?][] = [
        [q('whois.registrant.mail', 'x'), /unknown field "whois.registrant.mail".*tag, classification, signature; did you mean "whois.registrant.email"\?/],
        [q('classification', 'evil'), /classification must be one of malicious, suspicious, non-malicious, unknown/],
        [q('ip', 'nope'), /not a value ip can have/],
        [q('tag', 'x', '&cursor=nope'), /cursor/],
        ['field=tag', /value/],
        [q('tag', 'x', '&format=xml'), /format/],
        ['entity=x&field=whois.registrar&value=y', /not both/, '/api/v1/pivot/counts'],
        ['field=whois.registrar', /at least one value/, '/api/v1/pivot/counts'],
        ['field=whois.raw&value=x', /field/, '/api/v1/pivot/counts'],
        ['entity=' + encodeURIComponent('not a name!'), /not a domain/, '/api/v1/pivot/counts'],
      ];
      for (const [query, message, path] of cases) {
        const r = await get(query, 'a-viewer', path);
        expect(r.status, query).toBe(400);
        expect(r.body.error?.message, query).toMatch(message);
      }
      // A cursor of one list is not one of another.
      const first = await page(q('tag', 'Malicious_Registrant', '&limit=1'));
      expect((await get(q('tag', 'KnownBadCert', `&cursor=${first.next}`))).status).toBe(400);
    });

    live('is 404 to a member of another organisation naming this one', async () => {
      expect((await get(q('tag', 'Malicious_Registrant', '&org=acme'), 'b-analyst')).status).toBe(404);
      expect((await get('org=acme', 'b-analyst', '/api/v1/tags')).status).toBe(404);
    });
  });
}

describe('GET /pivot totals over more rows than a count reads', () => {
  let api: TestApi;
  const CAP = ROUTING_SCAN_CAP * COUNT_CAP_SCALE;
  beforeAll(async () => {
    api = await testApi();
    const records: IngestRecord[] = [{ kind: 'as-range', start: '2001:db8::', end: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', asn: 64500, name: 'EXAMPLE-NET', source: 'test' }];
    for (let i = 0; i <= CAP; i++) records.push({ kind: 'resolution', domain: 'many.example', rrtype: 'AAAA', value: `2001:db8::${i.toString(16)}`, observation: { source: 'test' } });
    await api.store.write(records);
  }, 120_000);
  afterAll(() => api.close());

  it('says the total is a lower bound when counting stopped at its cap', async () => {
    const res = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/pivot?field=as.number&value=64500&limit=10' });
    const p = res.json<Page>();
    expect(p).toMatchObject({ total: CAP, total_complete: false });
    expect(p.items).toHaveLength(10);
    expect(p.next).not.toBeNull();
    const counts = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/pivot/counts?entity=2001:db8::1' });
    expect(counts.json<{ counts: Count[] }>().counts.find((c) => c.field === 'as.number')).toMatchObject({ count: CAP, complete: false });
  }, 60_000);
});

pivotSuite('SQLite', async () => ({ api: await testApi() }));
pivotSuite('PostgreSQL', async () => {
  const db = await createTestDatabase();
  if ('skip' in db) return db;
  return { api: await testApi(db.url), drop: () => db.drop() };
});
