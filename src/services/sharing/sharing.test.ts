// STIX 2.1 and MISP exports of the demo's lists, on SQLite and (when a server answers)
// PostgreSQL: every bundle validates against OASIS's STIX 2.1 JSON schemas and every pattern
// parses with OASIS's STIXPattern.g4 (both from ../shared/data, skipped when absent); ids stay
// the same between exports; the organisation's tags and classification reach labels and
// confidence; resolutions and served certificates become relationships; and a MISP event
// round trip (export → signatures from MISP → import into another organisation → retro-hunt)
// tags the same entities.
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, prepareDemo } from '../../demo/prepare.js';
import { sharedRelationsMany } from '../../store/sharing.js';
import type { Relation, Store } from '../../store/store.js';
import { sqliteFactory, postgresFactory, useStore, type StoreFactory } from '../../store/test-support/open-store.js';
import { toYaml } from '../../signatures/serialise.js';
import { parseSignatureText } from '../../signatures/load.js';
import { importSignatures } from '../org-signatures.js';
import { pivotExport, type PivotItem } from '../pivot.js';
import { exportMispEvent, exportStix, mispFeedEvent, mispFeedManifest } from './export.js';
import { signaturesFromMisp, tagFromMisp } from './from-misp.js';
import { taxiiCollections, taxiiObjects, type DatedObject } from './taxii.js';
import { patternString, type StixObject } from './stix.js';
import { canonicalJson, scoId } from './stix-ids.js';
import { bundleValidator, haveStixData, objectValidators, patternParser, type PatternParser } from './test-support/stix-check.js';

const NOW = '2026-03-01T12:00:00Z';
const LISTS: [string, string][] = [
  ['tag', 'Malicious_Registrant'],
  ['tag', 'KnownBadCert'],
  ['tag', 'Brand_PassiveTotal'],
  ['tag', 'Bulletproof_Hosting'],
  ['classification', 'malicious'],
  ['classification', 'suspicious'],
  ['signature', 'known-bad-cert-lanxess-lab'],
  ['whois.registrant.email', '46313@qq.com'],
];

async function listOf(store: Store, org: string, field: string, value: string): Promise<string[]> {
  const out: string[] = [];
  const pages = pivotExport(store, org, field, value);
  for (let r = await pages.next(); !r.done; r = await pages.next()) out.push(...r.value.map((i: PivotItem) => `${i.kind}:${i.id}`));
  return out.sort();
}

describe('STIX ids', () => {
  it("are the specification's deterministic ids for observables", () => {
    // STIX 2.1's own example (and what the stix2 library and OpenCTI compute).
    expect(scoId('domain-name', { value: 'example.com' })).toBe('domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7');
  });
  it('hash canonical JSON: keys sorted, nested too', () => {
    expect(canonicalJson({ b: 1, a: { d: 'x', c: ['z', 'y'] } })).toBe('{"a":{"c":["z","y"],"d":"x"},"b":1}');
    // By code units, not JavaScript's own order (integer-like keys first).
    expect(canonicalJson({ '0': 1, '': 2, b: 3 })).toBe('{"":2,"0":1,"b":3}');
  });
  it('canonical JSON is JSON.stringify with every object’s keys sorted (property)', () => {
    // The reference rebuilds objects in sorted key order, which JavaScript keeps except for
    // integer-like keys (always first): the generated keys start with a letter.
    const sortedStringify = (v: unknown): string =>
      JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string().map((k) => `k${k}`), tie('value'), { maxKeys: 4 })),
    })).value;
    fc.assert(fc.property(json, (v) => canonicalJson(v) === sortedStringify(v)));
  });
});

describe('MISP tags as Warren tags', () => {
  it('keep what a tag name may hold and replace the rest', () => {
    expect(tagFromMisp('tlp:amber')).toBe('tlp:amber');
    expect(tagFromMisp('misp-galaxy:threat-actor="APT 28"')).toBe('misp-galaxy:threat-actor_APT_28');
    expect(tagFromMisp('"""')).toBeUndefined();
  });
});

describe('MISP events as MISP writes them', () => {
  it('one literal signature per event and type, from attributes and objects; deleted ones and unknown types left out', () => {
    const uuid = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
    const event = {
      response: [
        {
          Event: {
            uuid,
            info: 'Phishing kit infrastructure',
            Orgc: { name: 'CIRCL' },
            Tag: [{ name: 'tlp:green' }, { name: 'misp-galaxy:threat-actor="Sofacy"' }, { name: 'warren:classification="suspicious"' }, { name: 'warren:org="acme"' }],
            Attribute: [
              { type: 'domain', category: 'Network activity', value: 'Login-Example.COM', to_ids: true, deleted: false },
              { type: 'hostname', value: 'cdn.login-example.com' },
              { type: 'domain', value: 'gone.example', deleted: true },
              { type: 'ip-src', value: '2001:DB8::1' },
              { type: 'url', value: 'https://login-example.com/a' },
            ],
            Object: [{ name: 'domain-ip', Attribute: [{ type: 'domain', value: 'login-example.com' }, { type: 'ip-dst', value: '192.0.2.7' }] }],
          },
        },
      ],
    };
    const { signatures, problems } = signaturesFromMisp(JSON.stringify(event));
    expect(problems).toEqual([]);
    expect(signatures.map((s) => [s.id, s.field, s.match, s.patterns])).toEqual([
      [`misp-${uuid}-domain`, 'domain', 'literal', ['login-example.com']],
      [`misp-${uuid}-hostname`, 'domain', 'literal', ['cdn.login-example.com']],
      [`misp-${uuid}-ip-src`, 'ip', 'literal', ['2001:db8::1']],
      [`misp-${uuid}-ip-dst`, 'ip', 'literal', ['192.0.2.7']],
    ]);
    expect(signatures[0]!.actions).toEqual([{ tag: 'tlp:green' }, { tag: 'misp-galaxy:threat-actor_Sofacy' }, { classify: 'suspicious' }]);
    expect(signatures[0]!.title).toBe('Phishing kit infrastructure (MISP domain)');
    expect(signatures[0]!.description).toContain('CIRCL');
  });
});

describe('MISP input that is not an event', () => {
  it('is reported, never thrown', () => {
    expect(signaturesFromMisp('{').problems[0]!.message).toMatch(/not JSON/);
    expect(signaturesFromMisp('{"a": 1}').problems[0]!.message).toMatch(/neither a MISP event/);
    const bad = signaturesFromMisp(JSON.stringify({ Event: { uuid: '5e1b1d5c-0000-4000-8000-000000000001', info: 'x', Attribute: [{ type: 'domain', value: 'not a domain!' }, { type: 'ip-dst', value: '10.0.0.1' }, { type: 'ip-dst', value: 7 }] } }));
    expect(bad.signatures.map((s) => [s.field, s.patterns])).toEqual([['ip', ['10.0.0.1']]]);
    expect(bad.problems.map((p) => p.at)).toEqual(['event 5e1b1d5c-0000-4000-8000-000000000001 attribute 0', 'event 5e1b1d5c-0000-4000-8000-000000000001 attribute 2']);
    const manifest = signaturesFromMisp(JSON.stringify({ '5e1b1d5c-0000-4000-8000-000000000001': { info: 'x' } }));
    expect(manifest.manifest).toEqual(['5e1b1d5c-0000-4000-8000-000000000001']);
  });
});

function sharingSuite(dialect: string, factory: StoreFactory): void {
  describe(`sharing exports (${dialect})`, () => {
    let store: Store;
    const hooks = useStore(`sharing exports on ${dialect}`, factory, async (s) => {
      store = s;
      await prepareDemo(store, { now: NOW });
    });
    let validate: ValidateFunction | undefined;
    let byType: Map<string, ValidateFunction> | undefined;
    let patterns: PatternParser | undefined;
    beforeAll(async () => {
      if (!haveStixData) return;
      validate = bundleValidator();
      byType = objectValidators();
      patterns = await patternParser();
    }, 60_000);
    afterAll(() => patterns?.close());

    it.skipIf(!haveStixData)('every bundle validates against the STIX 2.1 schemas and every pattern parses', async (t) => {
      if (hooks.skip) t.skip();
      const types = new Set<string>();
      for (const [field, value] of LISTS) {
        const { body, exported, truncated } = await exportStix(store, DEMO_ORG, field, value);
        expect(truncated).toBeNull();
        expect(exported, `${field}=${value}`).toBe((await listOf(store, DEMO_ORG, field, value)).length);
        expect(exported, `${field}=${value}`).toBeGreaterThan(0);
        const ok = validate!(body);
        expect(ok, `${field}=${value}: ${JSON.stringify(validate!.errors?.slice(0, 3))}`).toBe(true);
        for (const o of body.objects) {
          types.add(o.type);
          const v = byType!.get(o.type)!;
          expect(v(o), `${o.type} ${JSON.stringify(o)}: ${JSON.stringify(v.errors?.slice(0, 3))}`).toBe(true);
          if (o.type === 'indicator') expect(patterns!.errors(o.pattern as string), o.pattern as string).toEqual([]);
        }
        // Every reference leads to an object of the same bundle.
        const ids = new Set(body.objects.map((o) => o.id));
        for (const o of body.objects) {
          for (const key of ['source_ref', 'target_ref', 'created_by_ref']) if (typeof o[key] === 'string') expect(ids.has(o[key]), `${o.id} ${key}`).toBe(true);
        }
        expect(ids.size).toBe(body.objects.length);
      }
      expect([...types].sort()).toEqual(['autonomous-system', 'domain-name', 'email-addr', 'identity', 'indicator', 'ipv4-addr', 'relationship', 'x509-certificate'].sort());
    });

    it('any value, quoted by patternString, is one string literal of the grammar (property)', (t) => {
      if (!patterns) t.skip();
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (v) => {
          expect(patterns!.errors(`[domain-name:value = ${patternString(v)}]`), JSON.stringify(v)).toEqual([]);
        }),
        { numRuns: 300 },
      );
    });

    it('the grammar check refuses a broken pattern (the check can fail)', (t) => {
      if (!patterns) t.skip();
      expect(patterns!.errors("[domain-name:value = 'unterminated]").length).toBeGreaterThan(0);
      expect(patterns!.errors('[domain-name:value = evil.example]').length).toBeGreaterThan(0);
    });

    it('says what the organisation says: tags as labels, classification as confidence, relations as relationships', async (t) => {
      if (hooks.skip) t.skip();
      const { body } = await exportStix(store, DEMO_ORG, 'tag', 'Malicious_Registrant');
      const indicators = body.objects.filter((o) => o.type === 'indicator');
      expect(indicators.length).toBeGreaterThan(0);
      for (const i of indicators) {
        expect(i.labels).toContain('Malicious_Registrant');
        expect(i.confidence).toBe(85);
        expect(i.indicator_types).toEqual(['malicious-activity']);
        expect(i.pattern).toMatch(/^\[domain-name:value = '[^']+'\]$/);
        expect(i.created_by_ref).toBe(body.objects.find((o) => o.type === 'identity')!.id);
      }
      // As the WHOIS records wrote it: the demo's registrant writes the address in two cases.
      const emails = body.objects.filter((o) => o.type === 'email-addr').map((o) => String(o.value).toLowerCase());
      expect(new Set(emails)).toEqual(new Set(['46313@qq.com']));
      const rel = (type: string): StixObject[] => body.objects.filter((o) => o.type === 'relationship' && o.relationship_type === type);
      expect(rel('based-on')).toHaveLength(indicators.length);
      expect(rel('resolves-to').length).toBeGreaterThan(0);
      for (const r of rel('resolves-to')) {
        expect(String(r.source_ref)).toMatch(/^domain-name--/);
        expect(String(r.target_ref)).toMatch(/^ipv[46]-addr--/);
      }
      const cert = await exportStix(store, DEMO_ORG, 'tag', 'KnownBadCert');
      const served = cert.body.objects.filter((o) => o.type === 'relationship' && typeof o.description === 'string' && o.description.startsWith('certificate served on'));
      expect(served.length).toBeGreaterThan(0);
      for (const r of served) expect([String(r.source_ref).split('--')[0], String(r.target_ref).split('--')[0]]).toEqual(['x509-certificate', expect.stringMatching(/^ipv[46]-addr$/)]);
      expect(cert.body.objects.find((o) => o.type === 'indicator' && String(o.pattern).startsWith("[x509-certificate:hashes.'SHA-256' = "))?.confidence).toBe(50);
      const hosting = await exportStix(store, DEMO_ORG, 'tag', 'Bulletproof_Hosting');
      expect(hosting.body.objects.filter((o) => o.type === 'relationship' && o.relationship_type === 'belongs-to').length).toBeGreaterThan(0);
    });

    it('re-exports with the same ids (a consumer updates instead of duplicating)', async (t) => {
      if (hooks.skip) t.skip();
      const a = await exportStix(store, DEMO_ORG, 'tag', 'KnownBadCert');
      const b = await exportStix(store, DEMO_ORG, 'tag', 'KnownBadCert');
      expect(a.body.id).not.toBe(b.body.id);
      expect(b.body.objects).toEqual(a.body.objects);
      const m1 = await exportMispEvent(store, DEMO_ORG, 'tag', 'KnownBadCert');
      const m2 = await exportMispEvent(store, DEMO_ORG, 'tag', 'KnownBadCert');
      expect(m2.body).toEqual(m1.body);
    });

    it("another organisation's export is empty: it has no such list", async (t) => {
      if (hooks.skip) t.skip();
      const { body, exported } = await exportStix(store, 'nobody', 'tag', 'Malicious_Registrant');
      expect(exported).toBe(0);
      expect(body.objects.map((o) => o.type)).toEqual(['identity']);
      expect((await exportMispEvent(store, 'nobody', 'tag', 'Malicious_Registrant')).body.Event.Attribute).toEqual([]);
    });

    it('a MISP event has the typed attributes, tags and the list tag', async (t) => {
      if (hooks.skip) t.skip();
      const { body } = await exportMispEvent(store, DEMO_ORG, 'tag', 'Malicious_Registrant');
      const types = new Set(body.Event.Attribute.map((a) => a.type));
      expect([...types].sort()).toEqual(['domain', 'whois-registrant-email']);
      expect(body.Event.Tag.map((x) => x.name)).toContain('Malicious_Registrant');
      for (const a of body.Event.Attribute.filter((x) => x.type === 'domain')) {
        expect(a.Tag.map((x) => x.name)).toEqual(expect.arrayContaining(['Malicious_Registrant', 'warren:classification="malicious"']));
        expect(a.to_ids).toBe(true);
      }
      const cert = await exportMispEvent(store, DEMO_ORG, 'tag', 'KnownBadCert');
      expect([...new Set(cert.body.Event.Attribute.map((a) => a.type))].sort()).toEqual(['ip-dst', 'x509-fingerprint-sha256']);
    });

    it('a MISP feed lists one event per tag and signature, each fetched by its uuid', async (t) => {
      if (hooks.skip) t.skip();
      const manifest = await mispFeedManifest(store, DEMO_ORG);
      const infos = Object.values(manifest).map((m) => m.info);
      expect(infos).toEqual(expect.arrayContaining(['Warren demo: tag Malicious_Registrant', 'Warren demo: signature malicious-registrant-46313']));
      const [uuid, header] = Object.entries(manifest).find(([, m]) => m.info === 'Warren demo: tag KnownBadCert')!;
      const event = await mispFeedEvent(store, DEMO_ORG, uuid);
      expect(event.Event.uuid).toBe(uuid);
      expect(event.Event.timestamp).toBe(header.timestamp);
      await expect(mispFeedEvent(store, 'nobody', uuid)).rejects.toThrow(/not found/);
    });

    it("relations of many entities at once are each entity's own (the store's one-entity reads), capped per kind", async (t) => {
      if (hooks.skip) t.skip();
      const refs = [...(await listOf(store, DEMO_ORG, 'tag', 'KnownBadCert')), ...(await listOf(store, DEMO_ORG, 'tag', 'Malicious_Registrant')), ...(await listOf(store, DEMO_ORG, 'tag', 'Bulletproof_Hosting'))].map((k) => ({ kind: k.slice(0, k.indexOf(':')), entity: k.slice(k.indexOf(':') + 1) }));
      const text = (r: Relation): string => JSON.stringify([r.kind, r.id, r.to, r.rrtype ?? null, r.port ?? null, r.source, r.first_seen, r.last_seen]);
      const many = await sharedRelationsMany(store.db, refs, 1000);
      let total = 0;
      for (const ref of refs) {
        const one = ref.kind === 'domain' ? await store.domainRelations(ref.entity) : ref.kind === 'ip' ? await store.ipRelations(ref.entity) : await store.certificateRelations(ref.entity);
        const expected = one.filter((r) => ['resolves-to', 'resolved-from', 'serves', 'served-on'].includes(r.kind)).map(text).sort();
        expect((many.get(`${ref.kind}\0${ref.entity}`) ?? []).map(text).sort(), `${ref.kind} ${ref.entity}`).toEqual(expected);
        total += expected.length;
      }
      expect(total).toBeGreaterThan(0);
      const capped = await sharedRelationsMany(store.db, refs, 1);
      for (const [key, list] of capped) {
        const kinds = list.map((r) => r.kind);
        expect(new Set(kinds).size, key).toBe(kinds.length);
      }
    });

    it('TAXII pages of every demo collection put together are the whole collection, dated and ordered', async (t) => {
      if (hooks.skip) t.skip();
      const collections = await taxiiCollections(store, DEMO_ORG);
      expect(collections.length).toBeGreaterThan(5);
      for (const c of collections) {
        const whole = await taxiiObjects(store, DEMO_ORG, c.id, { limit: 1000 });
        expect(whole.more, c.title).toBe(false);
        const paged: DatedObject[] = [];
        let next: string | undefined;
        for (let i = 0; i < 1000; i++) {
          const page = await taxiiObjects(store, DEMO_ORG, c.id, { limit: 7, ...(next !== undefined ? { next } : {}) });
          expect(page.objects.length).toBeLessThanOrEqual(7);
          paged.push(...page.objects);
          if (!page.more) break;
          next = page.next!;
        }
        expect(paged.map((o) => o.object.id), c.title).toEqual(whole.objects.map((o) => o.object.id));
        // date_added never goes back (the identity first, then entities as they joined).
        const dates = whole.objects.slice(1).map((o) => o.dateAdded);
        expect(dates, c.title).toEqual([...dates].sort());
        const last = dates.at(-1)!;
        const later = await taxiiObjects(store, DEMO_ORG, c.id, { addedAfter: last, limit: 1000 });
        expect(later.objects.filter((o) => o.object.type !== 'identity'), c.title).toEqual([]);
      }
      await expect(taxiiObjects(store, 'nobody', collections[0]!.id, {})).rejects.toThrow(/not found/);
    });

    it('round trip: MISP export → sig from-misp → import elsewhere → retro-hunt tags the same entities', async (t) => {
      if (hooks.skip) t.skip();
      for (const tag of ['Malicious_Registrant', 'KnownBadCert', 'Brand_PassiveTotal']) {
        const before = await listOf(store, DEMO_ORG, 'tag', tag);
        const { body } = await exportMispEvent(store, DEMO_ORG, 'tag', tag);
        const { signatures, problems } = signaturesFromMisp(JSON.stringify(body));
        expect(problems).toEqual([]);
        // One signature per attribute type of the event, each a literal list on its field.
        expect(signatures.map((s) => s.field).sort()).toEqual([...new Set(body.Event.Attribute.map((a) => ({ domain: 'domain', 'ip-dst': 'ip', 'x509-fingerprint-sha256': 'x509.sha256', 'whois-registrant-email': 'whois.registrant.email' })[a.type]!))].sort());
        // What `sig from-misp` prints loads as a signature file.
        const loaded = parseSignatureText(toYaml(signatures), 'from-misp.yaml');
        expect(loaded.errors).toEqual([]);
        const org = `roundtrip-${tag.toLowerCase()}`;
        const report = await importSignatures(store, org, loaded.signatures, { now: NOW });
        expect(report.created).toHaveLength(signatures.length);
        expect(await listOf(store, org, 'tag', tag), tag).toEqual(before);
      }
    });
  });
}

sharingSuite('SQLite', sqliteFactory('warren-sharing-'));
sharingSuite('PostgreSQL', postgresFactory);
