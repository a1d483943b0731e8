// GET /api/v1/graph/{entity}: the neighbourhood of a seeded domain (resolutions, a CNAME, a TXT
// value that is no entity, certificates that name it and IPs that served them, the registrant
// email), expanded by depth, capped by limit, with the asking organisation's tags and never
// another's; a viewer may read it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { warrenFormat } from '../ingest/parsers/warren-jsonl.js';
import { testApi, type TestApi, type TestUser } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

// The certificate of docs/INGEST-JSONL.md: CN jsonl.example, SANs jsonl.example and www.jsonl.example.
const DER_B64 =
  'MIIBzTCCAXOgAwIBAgICEjQwCgYIKoZIzj0EAwIwLjEWMBQGA1UEAwwNanNvbmwuZXhhbXBsZTEUMBIGA1UECgwLV2FycmVuIFRlc3QwHhcNMjYxMTI5MTMxNTA1WhcNMzYxMTI2MTMxNTA1WjAuMRYwFAYDVQQDDA1qc29ubC5leGFtcGxlMRQwEgYDVQQKDAtXYXJyZW4gVGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEoiQMgvEfl4IzksPfEoca7E8i4JJkalEpKbVmwk/eCWQy5YK5iOxczgT/hpxqTA9qEHPCwcjawRt+1eTbTFhEOjgYAwfjAdBgNVHQ4EFgQU5u17z06XqOSZe2n/fwSa/cldgU4wHwYDVR0jBBgwFoAU5u17z06XqOSZe2n/fwSa/cldgU4wDwYDVR0TAQH/BAUwAwEB/zArBgNVHREEJDAigg1qc29ubC5leGFtcGxlghF3d3cuanNvbmwuZXhhbXBsZTAKBggqhkjOPQQDAgNIADBFAiEApaPlenf8f2zAEIVtTVUpioksjAwRjBZ85iqt719XT08CIBwuOlkwcPG3mgjoPy31JoMKeUPhid96lWpnYvhYMpUr';
const DER = Buffer.from(DER_B64, 'base64');
const JSONL_SHA256 = createHash('sha256').update(DER).digest('hex');
const JSONL_SHA1 = createHash('sha1').update(DER).digest('hex');
/** Certificates known by their fields only: one with a subject CN, one with only a SAN. */
const C1 = 'c1'.repeat(32);
const C2 = 'c2'.repeat(32);
const MANY = 250;

const LINES = [
  { kind: 'whois', domain: 'evil.example', observed: '2024-01-01T00:00:00Z', fields: { 'whois.registrant.email': 'Evil@Mail.example', 'whois.created': '2023-12-30T00:00:00Z' } },
  { kind: 'whois', domain: 'other-evil.example', observed: '2024-01-01T00:00:00Z', fields: { 'whois.registrant.email': 'evil@mail.example' } },
  { kind: 'whois', domain: 'clean.example', observed: '2024-01-01T00:00:00Z', fields: { 'whois.registrant.email': 'someone@else.example' } },
  { kind: 'resolution', domain: 'evil.example', rrtype: 'A', value: '192.0.2.1', first_seen: '2024-01-01', last_seen: '2024-03-01', count: 5, source: 'pdns' },
  // The same pair from a second source is one edge.
  { kind: 'resolution', domain: 'evil.example', rrtype: 'A', value: '192.0.2.1', first_seen: '2024-02-01', last_seen: '2024-02-02', count: 1, source: 'zeek' },
  { kind: 'resolution', domain: 'evil.example', rrtype: 'A', value: '192.0.2.2', source: 'pdns' },
  { kind: 'resolution', domain: 'evil.example', rrtype: 'TXT', value: 'v=spf1 -all', source: 'pdns' },
  { kind: 'resolution', domain: 'www.evil.example', rrtype: 'CNAME', value: 'evil.example', source: 'pdns' },
  { kind: 'resolution', domain: 'other-evil.example', rrtype: 'A', value: '192.0.2.2', source: 'pdns' },
  { kind: 'certificate', sha256: C1, fields: { 'x509.subject.common_name': 'evil-cert.example', 'x509.not_after': '2025-01-01T00:00:00Z' }, source: 'export' },
  { kind: 'certificate', sha256: C2, fields: { 'x509.alternative_names': ['alt.example'] }, source: 'export' },
  { kind: 'served', sha256: C1, ip: '192.0.2.1', port: 443, source: 'scan' },
  { kind: 'served', sha256: C2, ip: '192.0.2.2', port: 8443, source: 'scan' },
  { kind: 'names', sha256: C1, domain: 'evil.example', source: 'zeek-sni' },
  { kind: 'certificate', der: DER_B64, first_seen: '2024-01-31T12:00:00Z', source: 'scan' },
  ...Array.from({ length: MANY }, (_, i) => ({ kind: 'resolution', domain: 'many.example', rrtype: 'A', value: `198.51.100.${i}`, source: 'pdns' })),
];

interface GraphBody {
  nodes: { id: string; kind: string; label: string; tags: string[] }[];
  edges: { from: string; to: string; kind: string }[];
  capped: boolean;
}

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  const { records, errors } = warrenFormat.parse(Buffer.from(LINES.map((l) => JSON.stringify(l)).join('\n')), {});
  expect(errors).toEqual([]);
  await api.store.write(records);
  const tag = async (user: TestUser, entity: string, name: string): Promise<void> => {
    const res = await api.request(user, { method: 'POST', url: `/api/v1/entities/${encodeURIComponent(entity)}/tags`, payload: { tag: name } });
    expect(res.statusCode, res.body).toBe(201);
  };
  await tag(api.users['a-analyst']!, '192.0.2.1', 'AcmeBad');
  await tag(api.users['a-analyst']!, C1, 'AcmeCert');
  await tag(api.users['a-analyst']!, 'evil.example', 'AcmeRoot');
  await tag(api.users['b-analyst']!, '192.0.2.1', 'BetaSecret');
  await tag(api.users['b-analyst']!, 'evil.example', 'BetaSecret');
});
afterAll(() => api.close());

async function graph(url: string, user: TestUser | undefined = api.users['a-viewer']): Promise<GraphBody> {
  const res = await api.request(user, { method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<GraphBody>();
}

const edgeText = (g: GraphBody): string[] => g.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`).sort();
const nodeText = (g: GraphBody): string[] => g.nodes.map((n) => `${n.kind} ${n.id}`).sort();

/** Every edge joins two nodes of the graph, and no node or edge appears twice. */
function wellFormed(g: GraphBody): void {
  const ids = new Set(g.nodes.map((n) => n.id));
  expect(ids.size).toBe(g.nodes.length);
  for (const e of g.edges) {
    expect(ids.has(e.from), `${e.from} of an edge is a node`).toBe(true);
    expect(ids.has(e.to), `${e.to} of an edge is a node`).toBe(true);
  }
  expect(new Set(edgeText(g)).size).toBe(g.edges.length);
}

describe('GET /graph/:entity', () => {
  it("draws a domain's neighbourhood for a viewer: IPs, the CNAME, certificates, the registrant (no TXT value)", async () => {
    const g = await graph('/api/v1/graph/Evil.Example.');
    wellFormed(g);
    expect(g.capped).toBe(false);
    expect(g.nodes[0]).toEqual({ id: 'evil.example', kind: 'domain', label: 'evil.example', tags: ['AcmeRoot'] });
    expect(nodeText(g)).toEqual(['certificate ' + C1, 'domain evil.example', 'domain www.evil.example', 'email evil@mail.example', 'ip 192.0.2.1', 'ip 192.0.2.2'].sort());
    expect(edgeText(g)).toEqual(
      [
        'evil.example -registrant-> evil@mail.example',
        'evil.example -resolves-to-> 192.0.2.1',
        'evil.example -resolves-to-> 192.0.2.2',
        'www.evil.example -resolves-to-> evil.example',
        `${C1} -names-> evil.example`,
      ].sort(),
    );
    expect(g.nodes.find((n) => n.id === C1)).toEqual({ id: C1, kind: 'certificate', label: 'evil-cert.example', tags: ['AcmeCert'] });
    expect(g.nodes.find((n) => n.id === '192.0.2.1')?.tags).toEqual(['AcmeBad']);
    expect(g.nodes.find((n) => n.id === 'evil@mail.example')).toEqual({ id: 'evil@mail.example', kind: 'email', label: 'evil@mail.example', tags: [] });
  });

  it('reaches the neighbours of neighbours at depth 2, with the edges between nodes already there', async () => {
    const g = await graph('/api/v1/graph/evil.example?depth=2');
    wellFormed(g);
    expect(g.capped).toBe(false);
    expect(nodeText(g)).toEqual(
      // evil-cert.example: the name in C1's subject, a names relation of its own.
      ['certificate ' + C1, 'certificate ' + C2, 'domain evil-cert.example', 'domain evil.example', 'domain other-evil.example', 'domain www.evil.example', 'email evil@mail.example', 'ip 192.0.2.1', 'ip 192.0.2.2'].sort(),
    );
    expect(edgeText(g)).toEqual(
      expect.arrayContaining([
        `${C1} -served-on-> 192.0.2.1`,
        `${C1} -names-> evil-cert.example`,
        `${C2} -served-on-> 192.0.2.2`,
        'other-evil.example -resolves-to-> 192.0.2.2',
        'other-evil.example -registrant-> evil@mail.example',
      ]),
    );
    // A certificate with no subject CN is called by its first SAN.
    expect(g.nodes.find((n) => n.id === C2)?.label).toBe('alt.example');
  });

  it('expands an email address to the domains it registered (any case), and an IP to its domains and certificates', async () => {
    const email = await graph('/api/v1/graph/EVIL%40mail.example');
    wellFormed(email);
    expect(email.nodes[0]).toEqual({ id: 'evil@mail.example', kind: 'email', label: 'evil@mail.example', tags: [] });
    expect(edgeText(email)).toEqual(['evil.example -registrant-> evil@mail.example', 'other-evil.example -registrant-> evil@mail.example']);
    const ip = await graph('/api/v1/graph/192.0.2.2');
    wellFormed(ip);
    expect(edgeText(ip)).toEqual(['evil.example -resolves-to-> 192.0.2.2', 'other-evil.example -resolves-to-> 192.0.2.2', `${C2} -served-on-> 192.0.2.2`].sort());
  });

  it('names a certificate by SHA-1 or SHA-256, keyed by SHA-256 and labelled by its CN', async () => {
    const g = await graph(`/api/v1/graph/${JSONL_SHA1}`);
    wellFormed(g);
    expect(g.nodes[0]).toEqual({ id: JSONL_SHA256, kind: 'certificate', label: 'jsonl.example', tags: [] });
    expect(edgeText(g)).toEqual([`${JSONL_SHA256} -names-> jsonl.example`, `${JSONL_SHA256} -names-> www.jsonl.example`]);
    expect(await graph(`/api/v1/graph/${JSONL_SHA256}`)).toEqual(g);
  });

  it('stops at limit nodes and says so; a neighbourhood that fits exactly is not capped', async () => {
    const capped = await graph('/api/v1/graph/many.example?limit=200');
    wellFormed(capped);
    expect(capped.nodes).toHaveLength(200);
    expect(capped.edges).toHaveLength(199);
    expect(capped.capped).toBe(true);
    expect((await graph('/api/v1/graph/many.example')).nodes).toHaveLength(200);
    const whole = await graph(`/api/v1/graph/many.example?limit=${MANY + 1}`);
    expect(whole.nodes).toHaveLength(MANY + 1);
    expect(whole.capped).toBe(false);
    const small = await graph('/api/v1/graph/evil.example?limit=3&depth=3');
    wellFormed(small);
    expect(small.nodes).toHaveLength(3);
    expect(small.capped).toBe(true);
  });

  it("shows the asking organisation's tags and never another's", async () => {
    const acme = JSON.stringify(await graph('/api/v1/graph/evil.example?depth=2', api.users['a-viewer']));
    expect(acme).toContain('AcmeBad');
    expect(acme).not.toContain('BetaSecret');
    const beta = await graph('/api/v1/graph/evil.example?depth=2', api.users['b-analyst']);
    expect(JSON.stringify(beta)).not.toMatch(/Acme/);
    expect(beta.nodes.find((n) => n.id === '192.0.2.1')?.tags).toEqual(['BetaSecret']);
    expect(beta.nodes[0]?.tags).toEqual(['BetaSecret']);
    // Naming the other organisation is refused, as everywhere.
    const res = await api.request(api.users['b-analyst'], { method: 'GET', url: '/api/v1/graph/evil.example?org=acme' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('Acme');
  });

  it('is a single node for a name with nothing stored, and refuses what names nothing', async () => {
    expect(await graph('/api/v1/graph/nothing-here.example')).toEqual({ nodes: [{ id: 'nothing-here.example', kind: 'domain', label: 'nothing-here.example', tags: [] }], edges: [], capped: false });
    expect((await api.request(undefined, { method: 'GET', url: '/api/v1/graph/evil.example' })).statusCode).toBe(401);
    for (const [url, status] of [
      ['/api/v1/graph/not%20an%20entity!', 400],
      ['/api/v1/graph/a%40b', 400],
      ['/api/v1/graph/evil.example?depth=4', 400],
      ['/api/v1/graph/evil.example?depth=0', 400],
      ['/api/v1/graph/evil.example?limit=501', 400],
      ['/api/v1/graph/evil.example?limit=0', 400],
      ['/api/v1/graph/evil.example?verbose=1', 400],
      [`/api/v1/graph/${'a'.repeat(64)}`, 404],
    ] as const) {
      const res = await api.request(api.users['a-viewer'], { method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    }
  });
});
