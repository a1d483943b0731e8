// The sharing exports through the API: GET /pivot?format=stix|misp (a list as a STIX 2.1
// bundle or a MISP event) and the MISP feed a MISP instance subscribes to
// (GET /misp-feed/manifest.json and /misp-feed/UUID.json); another organisation's lists and
// events never in them.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tagEntity } from '../services/manual.js';
import { bundleValidator, haveStixData } from '../services/sharing/test-support/stix-check.js';
import { useTestApi } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const api = useTestApi();

beforeAll(async () => {
  await api.store.write([
    { kind: 'domain', domain: 'c2.example', observation: { source: 'test' } },
    { kind: 'domain', domain: 'beta-only.example', observation: { source: 'test' } },
  ]);
  await tagEntity(api.store, 'test', 'acme', { kind: 'domain', id: 'c2.example' }, 'C2', '2026-02-01T00:00:00Z');
  await tagEntity(api.store, 'test', 'beta', { kind: 'domain', id: 'beta-only.example' }, 'C2', '2026-02-01T00:00:00Z');
});

describe('GET /pivot?format=stix|misp', () => {
  it('a tag as a STIX 2.1 bundle, in the STIX media type, as an attachment', async () => {
    const r = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/pivot?field=tag&value=C2&format=stix' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/stix+json;version=2.1');
    expect(r.headers['content-disposition']).toBe('attachment; filename="pivot-tag-C2.stix.json"');
    expect(r.headers['warren-export-truncated']).toBe('none');
    const bundle = r.json<{ type: string; objects: { type: string; value?: string; name?: string }[] }>();
    expect(bundle.objects.filter((o) => o.type === 'domain-name').map((o) => o.value)).toEqual(['c2.example']);
    expect(bundle.objects.find((o) => o.type === 'identity')!.name).toBe('acme');
    expect(r.body).not.toContain('beta-only');
    if (haveStixData) expect(bundleValidator()(bundle)).toBe(true);
  });

  it('a tag as a MISP event; beta’s own C2 is beta’s alone', async () => {
    const a = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/pivot?field=tag&value=C2&format=misp' });
    expect(a.statusCode).toBe(200);
    expect(a.json<{ Event: { Attribute: { value: string }[] } }>().Event.Attribute.map((x) => x.value)).toEqual(['c2.example']);
    const b = await api.request(api.users['b-admin'], { method: 'GET', url: '/api/v1/pivot?field=tag&value=C2&format=misp' });
    expect(b.json<{ Event: { Attribute: { value: string }[] } }>().Event.Attribute.map((x) => x.value)).toEqual(['beta-only.example']);
    expect((await api.request(api.users['b-admin'], { method: 'GET', url: '/api/v1/pivot?field=tag&value=C2&format=stix&org=acme' })).statusCode).toBe(404);
    expect((await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/pivot?field=nope&value=x&format=stix' })).statusCode).toBe(400);
  });
});

describe('the MISP feed', () => {
  it('manifest.json lists the organisation’s events, each fetched as UUID.json', async () => {
    const m = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/misp-feed/manifest.json' });
    expect(m.statusCode, m.body).toBe(200);
    const manifest = m.json<Record<string, { info: string; timestamp: string }>>();
    expect(Object.values(manifest).map((e) => e.info)).toEqual(['Warren acme: tag C2']);
    const uuid = Object.keys(manifest)[0]!;
    const e = await api.request(api.users['a-viewer'], { method: 'GET', url: `/api/v1/misp-feed/${uuid}.json` });
    expect(e.statusCode).toBe(200);
    const event = e.json<{ Event: { uuid: string; timestamp: string; Attribute: { type: string; value: string }[] } }>().Event;
    expect(event.uuid).toBe(uuid);
    expect(event.timestamp).toBe(String(Date.parse('2026-02-01T00:00:00Z') / 1000));
    expect(event.Attribute).toMatchObject([{ type: 'domain', value: 'c2.example' }]);
    const hashes = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/misp-feed/hashes.csv' });
    expect(hashes.statusCode).toBe(200);
    expect(hashes.body).toBe(`${createHash('md5').update('c2.example').digest('hex')},${uuid}\n`);
    // Beta's feed holds beta's C2 event, a different uuid; acme's is not found there.
    const b = await api.request(api.users['b-admin'], { method: 'GET', url: '/api/v1/misp-feed/manifest.json' });
    expect(Object.keys(b.json<Record<string, unknown>>())).not.toContain(uuid);
    expect((await api.request(api.users['b-admin'], { method: 'GET', url: `/api/v1/misp-feed/${uuid}.json` })).statusCode).toBe(404);
    expect((await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/misp-feed/not-an-event' })).statusCode).toBe(404);
    expect((await api.request(undefined, { method: 'GET', url: '/api/v1/misp-feed/manifest.json' })).statusCode).toBe(401);
  });
});
