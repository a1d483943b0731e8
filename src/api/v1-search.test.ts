// GET /search over every field family, on SQLite and (when a server answers) PostgreSQL:
// exact / prefix / regex, case folding, newest WHOIS only, pagination, the scan cap, and 400s.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { warrenFormat } from '../ingest/parsers/warren-jsonl.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { ROUTING_SCAN_CAP } from './routes/v1-search.js';
import { testApi, type TestApi } from './test-support/api.js';

// Hoisted above the imports by vitest: services/accounts.ts reads the scrypt cost when it loads,
// and testApi sets it too late for that (full-cost hashing would spend seconds on its users).
vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const DER_B64 =
  'MIIBzTCCAXOgAwIBAgICEjQwCgYIKoZIzj0EAwIwLjEWMBQGA1UEAwwNanNvbmwuZXhhbXBsZTEUMBIGA1UECgwLV2FycmVuIFRlc3QwHhcNMjYxMTI5MTMxNTA1WhcNMzYxMTI2MTMxNTA1WjAuMRYwFAYDVQQDDA1qc29ubC5leGFtcGxlMRQwEgYDVQQKDAtXYXJyZW4gVGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEoiQMgvEfl4IzksPfEoca7E8i4JJkalEpKbVmwk/eCWQy5YK5iOxczgT/hpxqTA9qEHPCwcjawRt+1eTbTFhEOjgYAwfjAdBgNVHQ4EFgQU5u17z06XqOSZe2n/fwSa/cldgU4wHwYDVR0jBBgwFoAU5u17z06XqOSZe2n/fwSa/cldgU4wDwYDVR0TAQH/BAUwAwEB/zArBgNVHREEJDAigg1qc29ubC5leGFtcGxlghF3d3cuanNvbmwuZXhhbXBsZTAKBggqhkjOPQQDAgNIADBFAiEApaPlenf8f2zAEIVtTVUpioksjAwRjBZ85iqt719XT08CIBwuOlkwcPG3mgjoPy31JoMKeUPhid96lWpnYvhYMpUr';

/** IPs outside 192.0.2.0/24 without routing data: enough to stop a routing-field scan at its cap. */
const FILLER_IPS = ROUTING_SCAN_CAP + 1;

function lines(): string {
  const out: unknown[] = [
    ...['paypal.com', 'www.paypal.com', 'login.paypal.com', 'paypal-secure.example.com', 'paypal.co.uk', 'other.net', 'bücher.example'].map((domain) => ({ kind: 'domain', domain })),
    { kind: 'whois', domain: 'paypal-secure.example.com', observed: '2023-01-01', fields: { 'whois.registrant.email': 'old@evil.example', 'whois.registrar': 'Cheap Names' } },
    { kind: 'whois', domain: 'paypal-secure.example.com', observed: '2024-01-01', fields: { 'whois.registrant.email': 'Bad@Evil.example', 'whois.registrar': 'Cheap Names' }, raw: 'Registrar: Cheap Names\nRegistrant Email: Bad@Evil.example\n' },
    { kind: 'whois', domain: 'other.net', fields: { 'whois.registrant.email': 'noc@other.net', 'whois.registrar': 'Fine Names' } },
    ...['192.0.2.1', '192.0.2.2', '192.0.2.3', '198.51.100.7', '2001:db8::1'].map((ip) => ({ kind: 'resolution', domain: 'paypal-secure.example.com', rrtype: ip.includes(':') ? 'AAAA' : 'A', value: ip })),
    { kind: 'as-range', network: '192.0.2.0/24', asn: 64500, name: 'EXAMPLE-NET' },
    { kind: 'certificate', der: DER_B64 },
  ];
  // They sort after the others: a search that fills its page among those never reaches them.
  for (let i = 0; i < FILLER_IPS; i++) out.push({ kind: 'resolution', domain: 'filler.example', rrtype: 'AAAA', value: `2001:db8:1::${i.toString(16)}` });
  return out.map((l) => JSON.stringify(l)).join('\n');
}

interface Item {
  kind: string;
  id: string;
  field: string;
  value: string;
}
interface Page {
  items: Item[];
  next: string | null;
  scanned: number;
}

function searchSuite(dialect: string, open: () => Promise<{ api: TestApi; drop?: () => Promise<void> } | { skip: string }>): void {
  describe(`GET /search (${dialect})`, () => {
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
      const { records, errors } = warrenFormat.parse(Buffer.from(lines()), {});
      expect(errors).toEqual([]);
      await api.store.write(records);
    });
    afterAll(async () => {
      await api?.close();
      await drop?.();
    });

    const get = async (query: string, user?: string): Promise<{ status: number; body: Page & { error?: { code: string; message: string } } }> => {
      const res = await api!.request(api!.users[user ?? 'a-viewer'], { method: 'GET', url: `/api/v1/search?${query}` });
      return { status: res.statusCode, body: res.json() };
    };
    const ids = async (query: string): Promise<string[]> => {
      const r = await get(query);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((i) => i.id);
    };
    const live = (name: string, fn: () => Promise<void>): void => {
      it(name, async (ctx) => {
        if (skip !== undefined) ctx.skip(skip);
        await fn();
      });
    };

    live('finds domains exactly (normalised), by prefix and by regex, ignoring case unless asked', async () => {
      expect(await get('field=domain&value=PayPal.com.')).toMatchObject({ status: 200, body: { items: [{ kind: 'domain', id: 'paypal.com', field: 'domain', value: 'paypal.com' }], next: null } });
      expect(await ids('field=domain&mode=prefix&value=PAYPAL')).toEqual(['paypal-secure.example.com', 'paypal.co.uk', 'paypal.com']);
      expect(await ids('field=domain&mode=prefix&value=PAYPAL&case_sensitive=true')).toEqual([]);
      expect(await ids('field=domain&mode=regex&value=' + encodeURIComponent('^(WWW|login)\\.paypal\\.com$'))).toEqual(['login.paypal.com', 'www.paypal.com']);
      expect(await ids('kind=domain&value=other.net')).toEqual(['other.net']);
    });

    live('derives domain.* fields as matching does', async () => {
      expect(await ids('field=domain.registered&value=paypal.com')).toEqual(['login.paypal.com', 'paypal.com', 'www.paypal.com']);
      expect(await ids('field=domain.tld&value=co.uk')).toEqual(['paypal.co.uk']);
      const unicode = await get('field=domain.unicode&mode=regex&value=' + encodeURIComponent('ü'));
      expect(unicode.body.items).toEqual([{ kind: 'domain', id: 'xn--bcher-kva.example', field: 'domain.unicode', value: 'bücher.example' }]);
    });

    live("searches each domain's newest WHOIS only", async () => {
      expect(await ids('field=whois.registrant.email&value=bad@evil.example')).toEqual(['paypal-secure.example.com']);
      expect(await ids('field=whois.registrant.email&value=old@evil.example')).toEqual([]);
      expect(await ids('field=whois.registrar&mode=prefix&value=fine')).toEqual(['other.net']);
      expect(await ids('field=whois.registrar&value=fine%20names&case_sensitive=true')).toEqual([]);
      const raw = await get('field=whois.raw&mode=regex&value=' + encodeURIComponent('registrant email: .*@evil'));
      expect(raw.body.items.map((i) => [i.id, i.value.startsWith('Registrar: Cheap Names')])).toEqual([['paypal-secure.example.com', true]]);
    });

    live('searches IPs, their networks and AS from the routing data', async () => {
      expect(await ids('field=ip&mode=prefix&value=192.0.2.')).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
      expect(await ids('field=ip&value=2001:DB8:0::1')).toEqual(['2001:db8::1']);
      expect(await ids('field=as.number&value=64500&limit=3')).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
      expect(await ids('field=network&value=192.0.2.0/24&limit=3')).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
      expect(await ids('field=as.name&mode=prefix&value=example-&limit=3')).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    });

    live('searches certificate fields', async () => {
      const cn = await get('field=x509.subject.common_name&mode=regex&value=JSONL');
      expect(cn.body.items).toHaveLength(1);
      const sha256 = cn.body.items[0]!.id;
      expect(await ids(`kind=certificate&value=${sha256.toUpperCase()}`)).toEqual([sha256]);
      expect(await ids(`field=x509.sha256&mode=prefix&value=${sha256.slice(0, 6)}`)).toEqual([sha256]);
      expect(await ids('field=x509.alternative_names&value=www.jsonl.example')).toEqual([sha256]);
      expect(await ids('field=x509.issuer.organization&mode=prefix&value=nobody')).toEqual([]);
    });

    live('pages with a cursor: every item once, next null at the end', async () => {
      const seen: string[] = [];
      let next: string | null = null;
      let pages = 0;
      do {
        const r = await get(`field=domain&mode=regex&value=paypal&limit=2${next ? `&cursor=${next}` : ''}`);
        expect(r.status).toBe(200);
        seen.push(...r.body.items.map((i) => i.id));
        next = r.body.next;
        pages++;
      } while (next !== null);
      expect(seen).toEqual(['login.paypal.com', 'paypal-secure.example.com', 'paypal.co.uk', 'paypal.com', 'www.paypal.com']);
      expect(pages).toBe(3);
    });

    live('stops a scan at the cap and continues from where it stopped', async () => {
      const first = await get('field=as.name&mode=regex&value=nothing-has-this');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ items: [], scanned: ROUTING_SCAN_CAP });
      expect(first.body.next).not.toBeNull();
      const second = await get(`field=as.name&mode=regex&value=nothing-has-this&cursor=${first.body.next}`);
      expect(second.body).toEqual({ items: [], next: null, scanned: 5 + FILLER_IPS - ROUTING_SCAN_CAP });
    });

    live('answers 400 with the error body for bad input', async () => {
      const cases: [string, RegExp][] = [
        ['field=whois.registrant.mail&value=x', /unknown field "whois.registrant.mail"; did you mean "whois.registrant.email"\?/],
        ['field=domain&mode=regex&value=' + encodeURIComponent('(a)\\1'), /invalid regex: backreferences are not supported/],
        ['field=domain&mode=regex&value=' + encodeURIComponent('(?=x)'), /lookahead/],
        ['field=domain&mode=regex&value=' + encodeURIComponent('a{1001}'), /invalid regex/],
        ['field=domain&mode=regex&value=' + 'a'.repeat(501), /at most 500 characters/],
        ['field=domain', /value/],
        ['value=x', /give field/],
        ['field=ip&kind=domain&value=1.2.3.4', /belongs to ip entities, not domain/],
        ['field=ip&value=nope', /not a value ip can have/],
        ['field=domain&value=x&mode=glob', /mode/],
        ['field=domain&value=x&cursor=nope', /cursor/],
        ['field=domain&value=x&limit=501', /limit/],
      ];
      for (const [query, message] of cases) {
        const r = await get(query);
        expect(r.status, query).toBe(400);
        expect(r.body.error?.code, query).toBe('invalid_request');
        expect(r.body.error?.message, query).toMatch(message);
      }
      // A cursor from another field's search.
      const page = await get('field=domain&mode=prefix&value=p&limit=1');
      expect((await get(`field=ip&mode=prefix&value=1&cursor=${page.body.next}`)).status).toBe(400);
    });

    live('is 404 to a member of another organisation naming this one', async () => {
      expect((await get('field=domain&value=paypal.com&org=acme', 'b-analyst')).status).toBe(404);
    });
  });
}

searchSuite('SQLite', async () => ({ api: await testApi() }));
searchSuite('PostgreSQL', async () => {
  const db = await createTestDatabase();
  if ('skip' in db) return db;
  return { api: await testApi(db.url), drop: () => db.drop() };
});
