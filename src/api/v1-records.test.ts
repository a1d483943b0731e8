// Stored records over the API: WHOIS with its versions, certificates with their encodings,
// relations page by page; and the reference page at /api/v1/docs.
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { warrenFormat } from '../ingest/parsers/warren-jsonl.js';
import { testApi, type TestApi } from './test-support/api.js';

// Hoisted above the imports by vitest: services/accounts.ts reads the scrypt cost when it loads,
// and testApi sets it too late for that (full-cost hashing would spend seconds on its users).
vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

// The certificate of docs/INGEST-JSONL.md: CN jsonl.example, SANs jsonl.example and www.jsonl.example.
const DER_B64 =
  'MIIBzTCCAXOgAwIBAgICEjQwCgYIKoZIzj0EAwIwLjEWMBQGA1UEAwwNanNvbmwuZXhhbXBsZTEUMBIGA1UECgwLV2FycmVuIFRlc3QwHhcNMjYxMTI5MTMxNTA1WhcNMzYxMTI2MTMxNTA1WjAuMRYwFAYDVQQDDA1qc29ubC5leGFtcGxlMRQwEgYDVQQKDAtXYXJyZW4gVGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEoiQMgvEfl4IzksPfEoca7E8i4JJkalEpKbVmwk/eCWQy5YK5iOxczgT/hpxqTA9qEHPCwcjawRt+1eTbTFhEOjgYAwfjAdBgNVHQ4EFgQU5u17z06XqOSZe2n/fwSa/cldgU4wHwYDVR0jBBgwFoAU5u17z06XqOSZe2n/fwSa/cldgU4wDwYDVR0TAQH/BAUwAwEB/zArBgNVHREEJDAigg1qc29ubC5leGFtcGxlghF3d3cuanNvbmwuZXhhbXBsZTAKBggqhkjOPQQDAgNIADBFAiEApaPlenf8f2zAEIVtTVUpioksjAwRjBZ85iqt719XT08CIBwuOlkwcPG3mgjoPy31JoMKeUPhid96lWpnYvhYMpUr';
const DER = Buffer.from(DER_B64, 'base64');
const SHA256 = createHash('sha256').update(DER).digest('hex');
const SHA1 = createHash('sha1').update(DER).digest('hex');

const LINES = [
  { kind: 'whois', domain: 'example.com', observed: '2024-01-01T00:00:00Z', fields: { 'whois.registrar': 'Old Registrar' }, raw: 'old reply' },
  { kind: 'whois', domain: 'example.com', observed: '2025-06-01T00:00:00Z', fields: { 'whois.registrar': 'New Registrar', 'whois.name_servers': ['ns1.example.net'] }, raw: 'Domain Name: EXAMPLE.COM\n' },
  { kind: 'certificate', der: DER_B64, first_seen: '2024-01-31T12:00:00Z', source: 'scan' },
  { kind: 'served', sha256: SHA256, ip: '192.0.2.10', port: 443, first_seen: '2024-02-01', source: 'scan' },
  ...[1, 2, 3, 4, 5].map((i) => ({ kind: 'resolution', domain: 'jsonl.example', rrtype: 'A', value: `192.0.2.${i}`, first_seen: '2024-01-01', last_seen: '2024-03-01', count: i, source: 'pdns' })),
  { kind: 'resolution', domain: 'alias.example', rrtype: 'CNAME', value: 'jsonl.example', source: 'pdns' },
];

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  const { records, errors } = warrenFormat.parse(Buffer.from(LINES.map((l) => JSON.stringify(l)).join('\n')), {});
  expect(errors).toEqual([]);
  await api.store.write(records);
});
afterAll(() => api.close());

const get = (url: string, user = api.users['a-viewer']): ReturnType<TestApi['request']> => api.request(user, { method: 'GET', url });

describe('GET /whois/:domain', () => {
  it('answers the newest version with raw text, and every version newest first', async () => {
    const res = await get('/api/v1/whois/Example.COM.');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      domain: 'example.com',
      observed: '2025-06-01T00:00:00Z',
      source: 'warren',
      fields: { 'whois.registrar': ['New Registrar'], 'whois.name_servers': ['ns1.example.net'] },
      raw: 'Domain Name: EXAMPLE.COM\n',
      versions: [
        { observed: '2025-06-01T00:00:00Z', source: 'warren' },
        { observed: '2024-01-01T00:00:00Z', source: 'warren' },
      ],
    });
  });

  it('answers 404 without a record and 400 for what is not a domain', async () => {
    const none = await get('/api/v1/whois/nothing.example');
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({ error: { code: 'not_found', message: 'WHOIS record of nothing.example not found' } });
    const bad = await get('/api/v1/whois/not%20a%20domain');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('invalid_request');
  });

  it('is 404 to a member of another organisation naming this one', async () => {
    expect((await get('/api/v1/whois/example.com?org=acme', api.users['b-analyst'])).statusCode).toBe(404);
  });
});

describe('GET /certificates/:hash', () => {
  it('answers fields, fingerprints and PEM by SHA-256 or SHA-1 (colons allowed)', async () => {
    const res = await get(`/api/v1/certificates/${SHA256}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ sha256: string; sha1: string; fields: Record<string, string[]>; pem: string; der?: string }>();
    expect(body.sha256).toBe(SHA256);
    expect(body.sha1).toBe(SHA1);
    expect(body.der).toBeUndefined();
    expect(body.fields['x509.subject.common_name']).toEqual(['jsonl.example']);
    expect(new X509Certificate(body.pem).raw.equals(DER)).toBe(true);
    const colons = SHA1.toUpperCase().match(/../g)!.join(':');
    expect((await get(`/api/v1/certificates/${colons}`)).json<{ sha256: string }>().sha256).toBe(SHA256);
  });

  it('answers base64 DER with encoding=der', async () => {
    const body = (await get(`/api/v1/certificates/${SHA1}?encoding=der`)).json<{ der: string; pem?: string }>();
    expect(body.der).toBe(DER_B64);
    expect(body.pem).toBeUndefined();
  });

  it('answers 404 for an unknown certificate and 400 for what is not a fingerprint', async () => {
    expect((await get(`/api/v1/certificates/${'0'.repeat(64)}`)).statusCode).toBe(404);
    const bad = await get(`/api/v1/certificates/${'z'.repeat(40)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/not a SHA-1 or SHA-256/);
    expect((await get(`/api/v1/certificates/${SHA256}?encoding=xml`)).statusCode).toBe(400);
  });
});

interface Page {
  items: { kind: string; id: string; to: string | null; rrtype?: string; port?: number; source: string; first_seen: string | null; last_seen: string | null; count?: number }[];
  next: string | null;
}

async function allPages(url: string, limit: number): Promise<{ pages: number; items: Page['items'] }> {
  const items: Page['items'] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const res = await get(`${url}?limit=${limit}${next ? `&cursor=${next}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    next = page.next;
    pages++;
  } while (next !== null && pages < 50);
  return { pages, items };
}

describe('GET /entities/:entity/relations', () => {
  it("pages through a domain's relations of every kind, each once, with times, source and count", async () => {
    const whole = await allPages('/api/v1/entities/jsonl.example/relations', 1000);
    expect(whole.pages).toBe(1);
    expect(whole.items.map((r) => `${r.kind} ${r.id}`).sort()).toEqual(
      ['named-by ' + SHA256, 'resolved-from alias.example', ...[1, 2, 3, 4, 5].map((i) => `resolves-to 192.0.2.${i}`)].sort(),
    );
    expect(whole.items.find((r) => r.id === '192.0.2.3')).toEqual({
      kind: 'resolves-to',
      id: '192.0.2.3',
      to: 'ip',
      rrtype: 'A',
      source: 'pdns',
      first_seen: '2024-01-01T00:00:00Z',
      last_seen: '2024-03-01T00:00:00Z',
      count: 3,
    });
    for (const limit of [1, 2, 3]) {
      const paged = await allPages('/api/v1/entities/jsonl.example/relations', limit);
      expect(paged.items).toEqual(whole.items);
      expect(paged.pages).toBe(Math.ceil(whole.items.length / limit));
    }
  });

  it("lists a certificate's relations by SHA-1, and an IP's", async () => {
    const cert = (await allPages(`/api/v1/entities/${SHA1}/relations`, 1)).items;
    expect(cert.map((r) => `${r.kind} ${r.id}`)).toEqual(['served-on 192.0.2.10', 'names jsonl.example', 'names www.jsonl.example']);
    expect(cert[0]!.port).toBe(443);
    const ip = (await allPages('/api/v1/entities/192.0.2.10/relations', 10)).items;
    expect(ip).toEqual([{ kind: 'serves', id: SHA256, to: 'certificate', port: 443, source: 'scan', first_seen: '2024-02-01T00:00:00Z', last_seen: '2024-02-01T00:00:00Z' }]);
  });

  it('answers 400 for a bad entity or cursor and 404 for an unknown certificate', async () => {
    expect((await get('/api/v1/entities/not%20an%20entity!/relations')).statusCode).toBe(400);
    const cursor = await get('/api/v1/entities/jsonl.example/relations?cursor=garbage');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json<{ error: { message: string } }>().error.message).toMatch(/cursor/);
    // A well-formed cursor whose key does not fit the stream it names.
    const forged = Buffer.from(JSON.stringify({ s: 1, k: ['192.0.2.1', 'port', 'x'] })).toString('base64url');
    expect((await get(`/api/v1/entities/192.0.2.10/relations?cursor=${forged}`)).statusCode).toBe(400);
    expect((await get('/api/v1/entities/jsonl.example/relations?limit=0')).statusCode).toBe(400);
    expect((await get(`/api/v1/entities/${'a'.repeat(64)}/relations`)).statusCode).toBe(404);
  });
});

describe('GET /api/v1/docs', () => {
  it('serves a self-contained page, without credentials, that reads the OpenAPI document', async () => {
    const res = await api.request(undefined, { method: 'GET', url: '/api/v1/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'.*script-src 'sha256-/);
    expect(res.body).toContain("new URL('openapi.json', location.href)");
    expect(res.body).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//);
    const doc = (await api.request(undefined, { method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/whois/{domain}', '/api/v1/search', '/api/v1/channels', '/api/v1/apikeys', '/api/v1/ingest', '/api/v1/ingest/{job}', '/api/v1/audit']),
    );
    expect(Object.keys(doc.paths)).not.toContain('/api/v1/docs');
  });
});
