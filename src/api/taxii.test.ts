// TAXII 2.1 over HTTP on 127.0.0.1, spoken as the specification's examples speak it (neither
// registry has a TAXII client): discovery, API root, collections, objects with added_after and
// limit / next pagination, one object and its versions, the manifest, media types and Accept
// negotiation, authentication, and another organisation's root and collections refused (404)
// and never listed. The objects of every page, put together, validate as a STIX 2.1 bundle
// against the official schemas (../shared/data, skipped when absent).
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importSignatures } from '../services/org-signatures.js';
import { tagEntity } from '../services/manual.js';
import { parseSignatureText } from '../signatures/load.js';
import { bundleValidator, haveStixData } from '../services/sharing/test-support/stix-check.js';
import { testApi, type TestApi, type TestUser } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const TAXII = 'application/taxii+json;version=2.1';
const DOMAINS = [1, 2, 3, 4, 5, 6].map((i) => `taxii-${i}.example`);
/** Domain i is tagged C2 on day i of January. */
const day = (i: number): string => `2026-01-0${i}T00:00:00Z`;

let api: TestApi;
let base: string;

interface Envelope {
  more?: boolean;
  next?: string;
  objects?: { id: string; type: string; [k: string]: unknown }[];
}
interface Answer<T> {
  status: number;
  type: string | null;
  headers: Headers;
  body: T;
}

async function get<T>(user: TestUser | undefined, path: string, accept = TAXII): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept };
  if (user) headers.authorization = `Basic ${Buffer.from(`${user.email}:${user.key}`).toString('base64')}`;
  const r = await fetch(`${base}${path}`, { headers });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), headers: r.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

beforeAll(async () => {
  api = await testApi();
  await api.store.write([...DOMAINS, 'beta-secret.example'].map((domain) => ({ kind: 'domain' as const, domain, observation: { source: 'test' } })));
  for (const [i, d] of DOMAINS.entries()) await tagEntity(api.store, 'test', 'acme', { kind: 'domain', id: d }, 'C2', day(i + 1));
  await tagEntity(api.store, 'test', 'beta', { kind: 'domain', id: 'beta-secret.example' }, 'BetaOnly', day(1));
  const sig = parseSignatureText("id: taxii-sig\ntitle: first two\nfield: domain\npatterns: ['^taxii-[12]\\.']\nactions: [{tag: SigTag}, {classify: malicious}]\n", 'sig.yaml');
  expect(sig.errors).toEqual([]);
  await importSignatures(api.store, 'acme', sig.signatures, { now: '2026-02-01T00:00:00Z' });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});
afterAll(() => api.close());

async function collections(user: TestUser, root: string): Promise<{ id: string; title: string; can_read: boolean; can_write: boolean; media_types: string[] }[]> {
  const r = await get<{ collections: { id: string; title: string; can_read: boolean; can_write: boolean; media_types: string[] }[] }>(user, `/taxii2/${root}/collections/`);
  expect(r.status).toBe(200);
  return r.body.collections;
}

async function collectionId(title: string): Promise<string> {
  return (await collections(api.users['a-analyst']!, 'acme')).find((c) => c.title.startsWith(title))!.id;
}

/** Every page of a collection's objects (or manifest) at a limit, following `next`. */
async function walk(path: string, limit: number, query = ''): Promise<Envelope[]> {
  const pages: Envelope[] = [];
  let next: string | undefined;
  for (let i = 0; i < 100; i++) {
    const r = await get<Envelope>(api.users['a-viewer'], `${path}?limit=${limit}${query}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.type).toBe(TAXII);
    pages.push(r.body);
    if (!r.body.more) return pages;
    next = r.body.next;
    expect(next).toBeTypeOf('string');
  }
  throw new Error('pagination did not end');
}

describe('TAXII 2.1 server', () => {
  it('discovery lists the API roots of the caller’s organisations, in the TAXII media type', async () => {
    const a = await get<{ title: string; default: string; api_roots: string[] }>(api.users['a-analyst'], '/taxii2/');
    expect(a.status).toBe(200);
    expect(a.type).toBe(TAXII);
    expect(a.body).toMatchObject({ default: '/taxii2/acme/', api_roots: ['/taxii2/acme/'] });
    const b = await get<{ api_roots: string[] }>(api.users['b-admin'], '/taxii2/');
    expect(b.body.api_roots).toEqual(['/taxii2/beta/']);
  });

  it('refuses without credentials (401) and a client that cannot read TAXII 2.1 (406), in TAXII error messages', async () => {
    for (const path of ['/taxii2/', '/taxii2/acme/', '/taxii2/acme/collections/']) {
      const r = await get<{ title: string; http_status: string }>(undefined, path);
      expect(r.status, path).toBe(401);
      expect(r.type).toBe(TAXII);
      expect(r.body.http_status).toBe('401');
    }
    expect((await get(api.users['a-viewer'], '/taxii2/acme/', 'application/xml')).status).toBe(406);
    expect((await get(api.users['a-viewer'], '/taxii2/acme/', 'application/taxii+json;version=2.0')).status).toBe(406);
    expect((await get(api.users['a-viewer'], '/taxii2/acme/', 'application/taxii+json')).status).toBe(200);
  });

  it('an API root says which TAXII version it speaks', async () => {
    const r = await get<{ title: string; versions: string[]; max_content_length: number }>(api.users['a-viewer'], '/taxii2/acme/');
    expect(r.status).toBe(200);
    expect(r.body.versions).toEqual([TAXII]);
    expect(r.body.max_content_length).toBeTypeOf('number');
  });

  it("collections are the organisation's tags and signatures, readable, not writable", async () => {
    const list = await collections(api.users['a-viewer']!, 'acme');
    expect(list.map((c) => c.title)).toEqual(['tag C2', 'tag SigTag', 'signature taxii-sig: first two']);
    for (const c of list) {
      expect(c).toMatchObject({ can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] });
      const one = await get<{ id: string }>(api.users['a-viewer'], `/taxii2/acme/collections/${c.id}/`);
      expect(one.body.id).toBe(c.id);
    }
  });

  it("another organisation's root and collections are refused (404) and never listed", async () => {
    const acme = await collections(api.users['a-viewer']!, 'acme');
    const beta = await collections(api.users['b-admin']!, 'beta');
    expect(beta.map((c) => c.title)).toEqual(['tag BetaOnly']);
    expect(beta.map((c) => c.id)).not.toEqual(expect.arrayContaining(acme.map((c) => c.id).slice(0, 1)));
    const c2 = acme[0]!.id;
    for (const path of ['/taxii2/acme/', '/taxii2/acme/collections/', `/taxii2/acme/collections/${c2}/`, `/taxii2/acme/collections/${c2}/objects/`, `/taxii2/acme/collections/${c2}/manifest/`]) {
      const r = await get<unknown>(api.users['b-admin'], path);
      expect(r.status, path).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain('taxii-');
    }
    // acme's collection id under beta's own root: not one of beta's.
    expect((await get(api.users['b-admin'], `/taxii2/beta/collections/${c2}/objects/`)).status).toBe(404);
    const mine = await get<Envelope>(api.users['b-admin'], `/taxii2/beta/collections/${beta[0]!.id}/objects/`);
    expect(JSON.stringify(mine.body)).not.toContain('taxii-');
    expect(JSON.stringify(mine.body)).toContain('beta-secret.example');
  });

  it('objects: every page within limit, following next gives exactly the whole collection, in order', async () => {
    const c2 = await collectionId('tag C2');
    const whole = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/`);
    expect(whole.body.more).toBe(false);
    const all = whole.body.objects!;
    // The identity, then per domain: observable, indicator, based-on.
    expect(all).toHaveLength(1 + 3 * DOMAINS.length);
    expect(all.filter((o) => o.type === 'domain-name').map((o) => o.value)).toEqual(DOMAINS);
    for (const limit of [1, 2, 4, 5, 7]) {
      const pages = await walk(`/taxii2/acme/collections/${c2}/objects/`, limit);
      for (const p of pages) expect(p.objects!.length).toBeLessThanOrEqual(limit);
      expect(pages.flatMap((p) => p.objects!.map((o) => o.id)), `limit ${limit}`).toEqual(all.map((o) => o.id));
      expect(pages.at(-1)!.more).toBe(false);
    }
    if (haveStixData) {
      const validate = bundleValidator();
      expect(validate({ type: 'bundle', id: 'bundle--6b4e3f0a-3c2d-4e1f-9a8b-7c6d5e4f3a2b', objects: all }), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    }
  });

  it('any limit and added_after: the pages put together are the one-page answer (property)', async () => {
    const c2 = await collectionId('tag C2');
    const path = `/taxii2/acme/collections/${c2}/objects/`;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 8 }), fc.constantFrom('', '&match[type]=indicator,relationship'), async (limit, d, match) => {
        // d = 0: no added_after; else noon of day d of January (domain d was tagged that midnight).
        const query = `${d === 0 ? '' : `&added_after=2026-01-0${d}T12:00:00Z`}${match}`;
        const one = await get<Envelope>(api.users['a-viewer'], `${path}?limit=1000${query}`);
        const pages = await walk(path, limit, query);
        expect(pages.flatMap((p) => (p.objects ?? []).map((o) => o.id))).toEqual((one.body.objects ?? []).map((o) => o.id));
      }),
      { numRuns: 15 },
    );
  });

  it('added_after: only objects added later, with the X-TAXII-Date-Added headers', async () => {
    const c2 = await collectionId('tag C2');
    const r = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/?added_after=${encodeURIComponent('2026-01-03T00:00:00.000Z')}`);
    expect(r.status).toBe(200);
    const domains = r.body.objects!.filter((o) => o.type === 'domain-name').map((o) => o.value);
    expect(domains).toEqual(DOMAINS.slice(3));
    expect(r.headers.get('x-taxii-date-added-last')).toBe('2026-03-01T12:00:00.000Z');
    // A time inside the second of domain 3's tag excludes it too; a time before includes it.
    const inside = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/?added_after=2026-01-03T00:00:00.5Z&match[type]=domain-name`);
    expect(inside.body.objects!.map((o) => o.value)).toEqual(DOMAINS.slice(3));
    const before = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/?added_after=2026-01-02T23:59:59.999Z&match[type]=domain-name`);
    expect(before.body.objects!.map((o) => o.value)).toEqual(DOMAINS.slice(2));
    expect(before.headers.get('x-taxii-date-added-first')).toBe('2026-01-03T00:00:00.000Z');
    const later = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/?added_after=2027-01-01T00:00:00Z`);
    expect(later.body).toEqual({ more: false });
    expect((await get(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/?added_after=yesterday`)).status).toBe(400);
    expect((await get(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/?next=garbage`)).status).toBe(400);
  });

  it('match[type] and match[id] filter, paging still exact', async () => {
    const sig = await collectionId('signature taxii-sig');
    const r = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${sig}/objects/?match[type]=indicator`);
    const indicators = r.body.objects!;
    expect(indicators.map((o) => o.name)).toEqual(['taxii-1.example', 'taxii-2.example']);
    for (const i of indicators) expect(i).toMatchObject({ confidence: 85, labels: ['C2', 'SigTag'], pattern_type: 'stix' });
    const pages = await walk(`/taxii2/acme/collections/${sig}/objects/`, 1, '&match[type]=indicator,domain-name');
    expect(pages.flatMap((p) => p.objects!.map((o) => o.type))).toEqual(['domain-name', 'indicator', 'domain-name', 'indicator']);
    const one = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${sig}/objects/?match[id]=${indicators[1]!.id}`);
    expect(one.body.objects!.map((o) => o.id)).toEqual([indicators[1]!.id]);
  });

  it('one object, its versions, and the manifest paged as the objects are', async () => {
    const c2 = await collectionId('tag C2');
    const all = (await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/`)).body.objects!;
    const indicator = all.find((o) => o.type === 'indicator')!;
    const one = await get<Envelope>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/${indicator.id}/`);
    expect(one.status).toBe(200);
    expect(one.body.objects).toEqual([indicator]);
    const versions = await get<{ versions: string[] }>(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/${indicator.id}/versions/`);
    expect(versions.body.versions).toEqual([indicator.modified]);
    expect((await get(api.users['a-viewer'], `/taxii2/acme/collections/${c2}/objects/indicator--00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
    const pages = await walk(`/taxii2/acme/collections/${c2}/manifest/`, 4);
    const manifest = pages.flatMap((p) => (p as { objects?: { id: string; date_added: string; version: string; media_type: string }[] }).objects!);
    expect(manifest.map((m) => m.id)).toEqual(all.map((o) => o.id));
    for (const m of manifest) {
      expect(m.media_type).toBe('application/stix+json;version=2.1');
      expect(m.date_added).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(m.version).toMatch(/Z$/);
    }
    expect(manifest.find((m) => m.id === indicator.id)!.version).toBe(indicator.modified);
  });
});
