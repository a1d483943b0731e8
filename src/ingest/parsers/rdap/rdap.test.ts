import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestRecord, ParseResult, WhoisRecord } from '../../records.js';
import { applyRedactions, isPlaceholder, rdapFormat, readVcard } from './rdap.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CORPUS = join(import.meta.dirname, '../../../../../shared/data/rdap/icann');

function parseText(text: string, options = {}): ParseResult {
  return rdapFormat.parse(Buffer.from(text), options);
}

function only(result: ParseResult): IngestRecord {
  expect(result.errors).toEqual([]);
  expect(result.records).toHaveLength(1);
  return result.records[0]!;
}

function whois(result: ParseResult): WhoisRecord {
  const r = only(result);
  if (r.kind !== 'whois') throw new Error(`expected a whois record, got ${r.kind}`);
  return r;
}

function allValues(record: WhoisRecord): string[] {
  return Object.values(record.fields).flat();
}

describe('redaction paths (RFC 9537 / JSONPath)', () => {
  const doc = (): Record<string, unknown> =>
    JSON.parse(
      JSON.stringify({
        a: [
          { roles: ['x'], v: [1, 2, 3, 4] },
          { roles: ['y'], v: [5, 6, 7, 8], t: { type: 'voice' } },
        ],
        'odd key': 'k',
      }),
    ) as Record<string, unknown>;

  const redact = (path: string, method = 'emptyValue'): unknown => {
    const d = doc();
    d.redacted = [{ postPath: path, method }];
    applyRedactions(d);
    delete d.redacted;
    return d;
  };

  it('nulls what filters, indexes and slices select, keeping array positions', () => {
    expect(redact("$.a[?(@.roles[0]=='y')].v[:2]")).toMatchObject({ a: [{ v: [1, 2, 3, 4] }, { v: [null, null, 7, 8] }] });
    expect(redact("$.a[?@.roles[0]=='x'].v[-1]")).toMatchObject({ a: [{ v: [1, 2, 3, null] }, { v: [5, 6, 7, 8] }] });
    expect(redact('$.a[*].v[1::2]')).toMatchObject({ a: [{ v: [1, null, 3, null] }, { v: [5, null, 7, null] }] });
    expect(redact("$['odd key']")).toMatchObject({ 'odd key': null });
    expect(redact("$.a[?(@.t.type=='voice' && @.roles[0]!='x')].v")).toMatchObject({ a: [{ v: [1, 2, 3, 4] }, { v: null }] });
    expect(redact('$..v[0]')).toMatchObject({ a: [{ v: [null, 2, 3, 4] }, { v: [null, 6, 7, 8] }] });
    expect(redact('$.a[?(@.t)].roles')).toMatchObject({ a: [{ roles: ['x'] }, { roles: null }] });
  });

  it('ignores removal prePaths, other path languages and broken paths', () => {
    const d = doc();
    d.redacted = [
      { prePath: '$.a[0].v', method: 'removal' },
      { prePath: '$.a[0].v' },
      { postPath: '/a/0', pathLang: 'xpath', method: 'emptyValue' },
      { postPath: "$.a[?(@.roles[0]=='", method: 'emptyValue' },
      { postPath: '$.a[', method: 'emptyValue' },
      'not a member',
    ];
    applyRedactions(d);
    delete d.redacted;
    expect(d).toEqual(doc());
  });

  it('uses prePath when a non-removal member gives no postPath', () => {
    expect(
      (() => {
        const d = doc();
        d.redacted = [{ prePath: '$.a[1].v[0]', method: 'partialValue' }];
        applyRedactions(d);
        return d;
      })(),
    ).toMatchObject({ a: [{ v: [1, 2, 3, 4] }, { v: [null, 6, 7, 8] }] });
  });
});

describe('placeholders', () => {
  it('recognises whole-value placeholder texts only', () => {
    for (const t of ['REDACTED FOR PRIVACY', '[[REDACTED]]', 'EMAIL REDACTED FOR PRIVACY', 'Redacted', 'Not Disclosed', 'Data Protected', 'redacted for GDPR purposes']) {
      expect(isPlaceholder(t), t).toBe(true);
    }
    for (const t of ['Withheld for Privacy ehf', 'Privacy Protect, LLC (PrivacyProtect.org)', 'Redacted Industries Ltd', 'Joe User', 'Private Bank AG']) {
      expect(isPlaceholder(t), t).toBe(false);
    }
  });
});

describe('jCard', () => {
  it('reads structured addresses (street lines from arrays), cc, tel URIs, and skips fax', () => {
    const c = readVcard([
      'vcard',
      [
        ['fn', {}, 'text', 'Markmonitor'],
        ['adr', { cc: 'US' }, 'text', ['', 'Suite 9', ['2150 S Bonito Way', ''], 'Meridian', 'ID', '83642', '']],
        ['tel', { type: ['work', 'fax'] }, 'uri', 'tel:+1.2083895771'],
        ['tel', { type: ['work', 'voice'] }, 'uri', 'tel:+1.2083895740'],
        ['email', {}, 'text', 'abusecomplaints@markmonitor.com'],
        'junk',
        [42],
      ],
    ]);
    expect(c).toEqual({
      name: 'Markmonitor',
      emails: ['abusecomplaints@markmonitor.com'],
      phones: ['+1.2083895740'],
      street: ['Suite 9', '2150 S Bonito Way'],
      city: 'Meridian',
      state: 'ID',
      postalCode: '83642',
      country: 'US',
    });
  });

  it('survives anything', () => {
    for (const v of [null, 3, 'vcard', ['vcard'], ['vcard', null], ['vcard', [[null, null, null, null]]]]) {
      expect(readVcard(v)).toEqual({ emails: [], phones: [], street: [] });
    }
  });
});

describe('fixture: partial redaction and placeholders', () => {
  const record = whois(rdapFormat.parse(readFileSync(join(FIXTURES, 'partial-redaction.json')), {}));

  it('keeps what is there and drops what is redacted', () => {
    expect(record).toEqual({
      kind: 'whois',
      domain: 'example-partial.net',
      observed: '2024-06-18T19:01:39Z',
      source: 'rdap',
      fields: {
        'whois.registrar': ['Registrar Example LLC'],
        'whois.whois_server': ['whois.registrar.example'],
        'whois.name_servers': ['ns1.example.net', 'ns.xn--bcher-kva.example'],
        'whois.status': ['active'],
        'whois.created': ['2020-02-29T10:00:00Z'],
        'whois.registrant.organization': ['Example Org, Research Unit'],
        'whois.registrant.city': ['Reykjavik'],
        'whois.registrant.postal_code': ['101'],
        'whois.registrant.country': ['IS'],
        'whois.tech.organization': ['Withheld for Privacy ehf'],
        'whois.billing.organization': ['Withheld for Privacy ehf'],
        'whois.admin.name': ['Operations'],
        'whois.admin.street': ['PO Box 1', 'Centreville', 'VA', '20120', 'United States'],
        'whois.email': ['sales@reseller.example', 'tech2@reseller.example', 'abuse@registrar.example'],
        'whois.name': ['Operations', 'Second Tech'],
        'whois.organization': ['Example Org, Research Unit', 'Withheld for Privacy ehf'],
        'whois.address': ['Reykjavik', '101', 'IS', 'PO Box 1', 'Centreville', 'VA', '20120', 'United States'],
      },
    });
  });

  it('lets no redacted or placeholder text through', () => {
    const values = allValues(record).join('\n');
    for (const secret of ['J***', '1** Main St', 'ab12cd', '5551234', 'REDACTED', 'RDDS']) expect(values).not.toContain(secret);
  });
});

describe('responses', () => {
  it('an error response is one error with its title and description', () => {
    const r = parseText('{"errorCode": 404, "title": "Not Found", "description": ["No such domain", "Try again"]}');
    expect(r).toEqual({ records: [], errors: [{ line: 1, message: 'RDAP error response: Not Found: No such domain Try again (404)' }] });
  });

  it('a domain without a name takes --domain, or is an error', () => {
    const body = '{"objectClassName": "domain", "status": ["active"]}';
    expect(whois(parseText(body, { domain: 'Given.Example' })).domain).toBe('given.example');
    expect(parseText(body).errors).toEqual([{ line: 1, message: 'RDAP domain object has no ldhName' }]);
  });

  it('a domain with nothing but a name is a domain record', () => {
    expect(only(parseText('{"objectClassName": "domain", "ldhName": "bare.example"}', { source: 'bulk' }))).toEqual({
      kind: 'domain',
      domain: 'bare.example',
      observation: { source: 'bulk' },
    });
  });

  it('an ip network gives its registration, and one AS range per origin AS', () => {
    const net = {
      objectClassName: 'ip network',
      handle: 'NET-1',
      startAddress: '2001:DB8::',
      endAddress: '2001:db8:0:ffff:ffff:ffff:ffff:ffff',
      arin_originas0_originautnums: [64500, 'AS64501', 'x'],
    };
    const registration = {
      kind: 'network',
      start: '2001:db8::',
      end: '2001:db8:0:ffff:ffff:ffff:ffff:ffff',
      fields: { 'network.handle': ['NET-1'], 'network.range': ['2001:db8::/48'] },
      source: 'rdap',
    };
    expect(parseText(JSON.stringify(net)).records).toEqual([
      registration,
      { kind: 'as-range', start: '2001:db8::', end: '2001:db8:0:ffff:ffff:ffff:ffff:ffff', asn: 64500, source: 'rdap' },
      { kind: 'as-range', start: '2001:db8::', end: '2001:db8:0:ffff:ffff:ffff:ffff:ffff', asn: 64501, source: 'rdap' },
    ]);
    // Without an origin AS: the registration alone.
    const { arin_originas0_originautnums: _, ...plain } = net;
    expect(parseText(JSON.stringify(plain))).toEqual({ records: [registration], errors: [] });
    expect(parseText(JSON.stringify({ ...net, endAddress: '10.0.0.1' })).errors[0]?.message).toMatch(/is not a range/);
    expect(parseText(JSON.stringify({ ...plain, startAddress: 'nope' }))).toEqual({ records: [], errors: [{ line: 1, message: 'RDAP NET-1: no valid startAddress/endAddress' }] });
  });

  it('reads NDJSON and arrays of responses, and reports bad lines', () => {
    const a = '{"objectClassName": "domain", "ldhName": "a.example", "status": ["active"]}';
    const b = '{"objectClassName": "domain", "ldhName": "b.example", "status": ["active"]}';
    const lines = parseText(`${a}\n\n{"objectClassName": \n${b}\n`);
    expect(lines.records.map((r) => (r.kind === 'whois' ? r.domain : r.kind))).toEqual(['a.example', 'b.example']);
    expect(lines.errors.map((e) => e.line)).toEqual([3]);
    expect(parseText(`[${a}, ${b}]`).records).toHaveLength(2);
  });

  it('reads pretty-printed responses one after another (jq . output)', () => {
    const a = JSON.stringify({ objectClassName: 'domain', ldhName: 'a.example', status: ['active'] }, null, 2);
    const b = JSON.stringify({ errorCode: 404, title: 'Not Found' }, null, 2);
    const r = parseText(`${a}\n${b}\n${a.replace('a.example', 'c.example')}`);
    expect(r.records.map((x) => (x.kind === 'whois' ? x.domain : x.kind))).toEqual(['a.example', 'c.example']);
    expect(r.errors).toEqual([{ line: 8, message: 'RDAP error response: Not Found (404)' }]);
  });

  it('reports what is not RDAP', () => {
    expect(parseText('').errors).toEqual([{ line: 0, message: 'empty input: no RDAP response' }]);
    expect(parseText('{"hello": 1}').errors[0]?.message).toMatch(/^not an RDAP response/);
    expect(parseText('[1]').errors[0]?.message).toMatch(/^not an RDAP response/);
    expect(parseText('{\n  "objectClassName": "domain",\n  oops\n}').errors[0]?.message).toMatch(/^invalid JSON/);
  });

  it('sniffs RDAP JSON and nothing else', () => {
    expect(rdapFormat.sniff(Buffer.from('{"rdapConformance": ["rdap_level_0"]}'))).toBe(0.95);
    expect(rdapFormat.sniff(Buffer.from('\uFEFF{\n  "objectClassName" : "domain"'))).toBe(0.95);
    expect(rdapFormat.sniff(Buffer.from('{"rrname": "a.example"}'))).toBe(0);
    expect(rdapFormat.sniff(Buffer.from('Domain Name: EXAMPLE.COM'))).toBe(0);
  });
});

describe('ip network registrations (fixtures modelled on RIPE, APNIC, LACNIC and AFRINIC replies)', () => {
  const fixture = (name: string): IngestRecord => only(rdapFormat.parse(readFileSync(join(FIXTURES, name)), {}));

  it('RIPE: cidr0 block, the first registrant with a name (maintainers have none), the abuse mailbox as given', () => {
    expect(fixture('network-ripe.json')).toEqual({
      kind: 'network',
      start: '193.0.0.0',
      end: '193.0.7.255',
      fields: {
        'network.name': ['RIPE-NCC'],
        'network.handle': ['193.0.0.0 - 193.0.7.255'],
        'network.range': ['193.0.0.0/21'],
        'network.country': ['NL'],
        'network.organization': ['Reseaux IP Europeens Network Coordination Centre (RIPE NCC)'],
        // Emails keep their case (fields/normalise.ts): matching ignores case unless told not to.
        'network.abuse_email': ['Abuse@RIPE.net'],
        'network.registry': ['ripe'],
        'network.created': ['2012-03-09T15:03:31Z'],
      },
      source: 'rdap',
    });
  });

  it('APNIC: an IPv6 network written in full form, every abuse address', () => {
    expect(fixture('network-apnic-v6.json')).toEqual({
      kind: 'network',
      start: '2001:dc0::',
      end: '2001:dc0:ffff:ffff:ffff:ffff:ffff:ffff',
      fields: {
        'network.name': ['APNIC-AP-20010DC0'],
        'network.handle': ['2001:0DC0::/32'],
        'network.range': ['2001:dc0::/32'],
        'network.country': ['AU'],
        'network.organization': ['Asia Pacific Network Information Centre'],
        'network.abuse_email': ['helpdesk@apnic.net', 'abuse@apnic.net'],
        'network.registry': ['apnic'],
        'network.created': ['2001-08-02T06:00:00Z'],
      },
      source: 'rdap',
    });
  });

  it('LACNIC: the abuse contact nested in the registrant, a registration date with an offset', () => {
    expect(fixture('network-lacnic.json')).toEqual({
      kind: 'network',
      start: '200.57.128.0',
      end: '200.57.143.255',
      fields: {
        'network.name': ['Triara.com, S.A. de C.V.'],
        'network.handle': ['200.57.128.0/20'],
        'network.range': ['200.57.128.0/20'],
        'network.country': ['MX'],
        'network.organization': ['Triara.com, S.A. de C.V.'],
        'network.abuse_email': ['operacion.redes@TRIARA.COM'],
        'network.registry': ['lacnic'],
        'network.created': ['2003-06-24T03:00:00Z'],
      },
      source: 'rdap',
    });
  });

  it('AFRINIC: no port43 (the registry from the reply\'s own link), no cidr0 (the range split), observed from the RDAP database event', () => {
    expect(fixture('network-afrinic.json')).toEqual({
      kind: 'network',
      start: '196.216.2.0',
      end: '196.216.3.255',
      fields: {
        'network.name': ['AFRINIC-Ops-NET'],
        'network.handle': ['196.216.2.0 - 196.216.3.255'],
        'network.range': ['196.216.2.0/23'],
        'network.country': ['MU'],
        'network.organization': ['African Network Information Center'],
        'network.abuse_email': ['abuse@afrinic.net'],
        'network.registry': ['afrinic'],
        'network.created': ['2005-06-10T00:00:00Z'],
      },
      observed: '2024-06-18T17:01:39Z',
      source: 'rdap',
    });
  });

  const base = { objectClassName: 'ip network', startAddress: '192.0.2.0', endAddress: '192.0.2.255' };
  const fieldsOf = (object: Record<string, unknown>): Record<string, string[]> => {
    const r = only(parseText(JSON.stringify(object)));
    if (r.kind !== 'network') throw new Error(`expected a network record, got ${r.kind}`);
    return r.fields;
  };

  it('reads older RIPE addresses with a full-length prefix, and refuses any other prefix', () => {
    const old = { ...base, startAddress: '62.239.237.0/32', endAddress: '62.239.237.255/32' };
    expect(fieldsOf(old)['network.range']).toEqual(['62.239.237.0/24']);
    expect(fieldsOf({ ...base, startAddress: '2a00:2381:ffff::/128', endAddress: '2a00:2381:ffff:0:ffff:ffff:ffff:ffff/128' })['network.range']).toEqual(['2a00:2381:ffff::/64']);
    expect(parseText(JSON.stringify({ ...base, startAddress: '192.0.2.0/24' })).errors[0]?.message).toMatch(/no valid startAddress/);
  });

  it('splits a range that is not one block, and ignores cidr0 blocks outside the range', () => {
    expect(fieldsOf({ ...base, startAddress: '192.0.2.1', endAddress: '192.0.2.8' })['network.range']).toEqual(['192.0.2.1/32', '192.0.2.2/31', '192.0.2.4/30', '192.0.2.8/32']);
    const slip = { ...base, cidr0_cidrs: [{ v4prefix: '198.51.100.0', length: 24 }, { v4prefix: '192.0.2.0', length: '25' }, { v4prefix: '192.0.2.128', length: 33 }, 'x'] };
    expect(fieldsOf(slip)['network.range']).toEqual(['192.0.2.0/25']);
    expect(fieldsOf({ ...base, cidr0_cidrs: [{ v4prefix: '10.0.0.0', length: 8 }] })['network.range']).toEqual(['192.0.2.0/24']);
  });

  it('names the registry by port43, links, rdapConformance or the Source notice, and leaves it absent otherwise', () => {
    const registry = (extra: Record<string, unknown>): string[] | undefined => fieldsOf({ ...base, ...extra })['network.registry'];
    expect(registry({ port43: 'WHOIS.LACNIC.NET' })).toEqual(['lacnic']);
    expect(registry({ links: [{ rel: 'self', href: 'https://rdap.db.ripe.net/ip/192.0.2.0/24' }] })).toEqual(['ripe']);
    expect(registry({ rdapConformance: ['rdap_level_0', 'arin_originas0'] })).toEqual(['arin']);
    expect(registry({ notices: [{ title: 'Source', description: ['Objects returned came from source', 'APNIC'] }] })).toEqual(['apnic']);
    expect(registry({ notices: [{ title: 'Terms', links: [{ href: 'http://www.afrinic.net/terms' }] }] })).toEqual(['afrinic']);
    // A look-alike host is not the registry.
    expect(registry({ port43: 'whois.notarin.net', links: [{ rel: 'self', href: 'https://example.net/ip/1' }, { href: 'not a url' }] })).toBeUndefined();
  });

  it('drops redacted and placeholder values, and keeps a country that is not a code as given', () => {
    const object = {
      ...base,
      name: 'REDACTED FOR PRIVACY',
      country: 'Netherlands',
      entities: [{ roles: ['abuse'], vcardArray: ['vcard', [['email', {}, 'text', 'abuse@example.net']]] }],
      redacted: [{ name: { type: 'Abuse Email' }, postPath: "$.entities[?(@.roles[0]=='abuse')].vcardArray[1][?(@[0]=='email')][3]", method: 'emptyValue' }],
    };
    expect(fieldsOf(object)).toEqual({ 'network.range': ['192.0.2.0/24'], 'network.country': ['Netherlands'] });
  });
});

describe('never throws', () => {
  const rdapish = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.constantFrom('domain', 'ip network', 'registrant', 'technical', 'fn', 'adr', 'tel', 'email', 'vcard', 'REDACTED FOR PRIVACY'),
      fc.constantFrom("$.entities[?(@.roles[0]=='registrant')].vcardArray[1][?(@[0]=='fn')][3]", '$..*', '$[', "$.a[?(@.b=='"),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(
        fc.constantFrom('objectClassName', 'ldhName', 'entities', 'roles', 'vcardArray', 'redacted', 'postPath', 'method', 'events', 'eventAction', 'eventDate', 'nameservers', 'startAddress', 'endAddress', 'arin_originas0_originautnums', 'errorCode', 'domainSearchResults', 'x'),
        tie('value'),
        { maxKeys: 6 },
      ),
    ),
  })).value;

  it('parse and sniff, on random strings and random RDAP-shaped JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), rdapish.map((v) => JSON.stringify(v) ?? '')), (text) => {
        const r = parseText(text);
        expect(r.errors.every((e) => !e.message.startsWith('internal error'))).toBe(true);
        const s = rdapFormat.sniff(Buffer.from(text));
        expect(s >= 0 && s <= 1).toBe(true);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});

describe('never throws on any redaction path', () => {
  const fixture = readFileSync(join(FIXTURES, 'partial-redaction.json'), 'utf8');
  const token = fc.constantFrom('$', '.', '..', '[', ']', '?', '(', ')', '@', '*', ':', '-1', '0', '2', "'fn'", '"x', '==', '!=', '<', '&&', '||', '!', 'roles', 'entities', 'vcardArray', ' ', ',', '1e3', 'true', 'null');
  const path = fc.array(token, { maxLength: 30 }).map((t) => `$${t.join('')}`);

  it('applies or skips each path without throwing', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 4 }), fc.constantFrom('emptyValue', 'partialValue', 'removal'), (paths, method) => {
        const doc = JSON.parse(fixture) as Record<string, unknown>;
        doc.redacted = paths.map((p) => ({ postPath: p, method }));
        const r = parseText(JSON.stringify(doc));
        // `$..*` redacts even objectClassName, leaving nothing to read: no record, no error.
        expect(r.errors).toEqual([]);
        expect(r.records.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});

describe.skipIf(!existsSync(CORPUS))('corpus: shared/data/rdap/icann', () => {
  const read = (name: string): Buffer => readFileSync(join(CORPUS, name));
  const parseFile = (name: string): ParseResult => rdapFormat.parse(read(name), {});

  it('every file is recognised and parses without surprises', () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(28);
    const kinds: Record<string, string[]> = {};
    for (const f of files) {
      expect(rdapFormat.sniff(read(f).subarray(0, 65536), f), f).toBe(0.95);
      const r = parseFile(f);
      kinds[f] = [...r.records.map((x) => x.kind), ...r.errors.map(() => 'error')];
    }
    const none: string[] = [];
    expect(kinds).toEqual({
      '0_2_192_in-addr_arpa.json': ['whois'],
      '2001_db8__.json': ['network'], // an ip network without origin AS: its registration only
      'as65541.json': none,
      'autnum_16509.json': none,
      'domain_afnic_fr.json': ['whois'],
      'domain_search_with_redaction.json': ['domain', 'domain'],
      'domains_ldhname_ns1_arin_net.json': Array<string>(30).fill('whois'),
      'entities_fn_arin.json': none,
      'entity-rfc9083-fig15.json': none,
      'entity-rfc9083-fig17.json': none,
      'entity_arin_hostmaster.json': none,
      'error_ripe_net.json': ['error'],
      'example-1_empty_value-expected.json': ['whois'],
      'example-1_empty_value.json': ['whois'],
      'example-2_partial_value-expected.json': ['whois'],
      'example-2_partial_value.json': ['whois'],
      'example-3-dont_replace_redaction_of_a_number.json': ['whois'],
      'help_nic_fr.json': none,
      'home.moscow.json': ['whois'],
      'lemonde.fr.json': ['whois'],
      'lookup_with_redaction.json': ['whois'],
      'microsoft.click.json': ['whois'],
      'nameserver_ns1_nic_fr.json': none,
      'network_192_198_0_0.json': ['network', 'as-range'],
      'ns1_example_com.json': none,
      'ns1_xn--fo-5ja_example.json': none,
      'ns2_example_com.json': none,
      'xn--fo-5ja_example.json': ['whois'],
    });
  });

  it('lemonde.fr: registrar, contacts by role, nameservers; nameservers\' entities are not contacts', () => {
    const r = whois(parseFile('lemonde.fr.json'));
    expect(r.domain).toBe('lemonde.fr');
    expect(r.observed).toBeUndefined();
    expect(r.fields).toEqual({
      'whois.registrar': ['NAMESHIELD'],
      'whois.whois_server': ['whois.nameshield.net'],
      'whois.name_servers': ['ns-cloud-b4.googledomains.com', 'ns-cloud-b2.googledomains.com', 'ns-cloud-b3.googledomains.com', 'ns-cloud-b1.googledomains.com'],
      'whois.status': ['server update prohibited', 'server transfer prohibited', 'server delete prohibited', 'server recover prohibited'],
      'whois.created': ['2005-08-02T14:16:36Z'],
      'whois.updated': ['2024-06-12T22:09:39Z'],
      'whois.expires': ['2025-06-09T22:08:09Z'],
      'whois.email': ['registrar@nameshield.net', 'technical@nameshield.net', 'domain_names@lemonde.fr'],
      'whois.tech.name': ['NAMESHIELD'],
      'whois.tech.organization': ['TECHNICAL department'],
      'whois.tech.email': ['technical@nameshield.net'],
      'whois.tech.phone': ['+33.241182828'],
      'whois.tech.street': ['79 rue Desjardins'],
      'whois.tech.city': ['ANGERS'],
      'whois.tech.postal_code': ['49100'],
      'whois.tech.country': ['FR'],
      'whois.registrant.name': ['SOCIETE EDITRICE du monde'],
      'whois.registrant.organization': ['SOCIETE EDITRICE DU MONDE'],
      'whois.registrant.email': ['domain_names@lemonde.fr'],
      'whois.registrant.phone': ['+33.157282224'],
      'whois.registrant.street': ['67-69 avenue Pierre Mendes-France'],
      'whois.registrant.city': ['PARIS'],
      'whois.registrant.postal_code': ['75013'],
      'whois.registrant.country': ['FR'],
      'whois.admin.name': ['SOCIETE EDITRICE du monde'],
      'whois.admin.organization': ['SOCIETE EDITRICE DU MONDE'],
      'whois.admin.email': ['domain_names@lemonde.fr'],
      'whois.admin.phone': ['+33.157282224'],
      'whois.admin.street': ['67-69 avenue Pierre Mendes-France'],
      'whois.admin.city': ['PARIS'],
      'whois.admin.postal_code': ['75013'],
      'whois.admin.country': ['FR'],
      'whois.name': ['NAMESHIELD', 'SOCIETE EDITRICE du monde'],
      'whois.organization': ['TECHNICAL department', 'SOCIETE EDITRICE DU MONDE'],
      'whois.phone': ['+33.241182828', '+33.157282224'],
      'whois.address': ['79 rue Desjardins', 'ANGERS', '49100', 'FR', '67-69 avenue Pierre Mendes-France', 'PARIS', '75013'],
    });
    expect(r.fields['whois.email']).not.toContain('support@afnic.fr');
  });

  it('microsoft.click: ICANN-profile placeholders stay absent, the registrant organisation stays', () => {
    const r = whois(parseFile('microsoft.click.json'));
    expect(r.observed).toBe('2024-06-18T14:25:27Z');
    expect(r.fields).toEqual({
      'whois.registrar': ['MarkMonitor Inc.'],
      'whois.name_servers': ['ns4-08.azure-dns.info', 'ns2-08.azure-dns.net', 'ns3-08.azure-dns.org', 'ns1-08.azure-dns.com'],
      'whois.status': ['client update prohibited', 'client transfer prohibited', 'client delete prohibited'],
      'whois.created': ['2014-11-12T19:15:55Z'],
      'whois.updated': ['2023-10-17T10:47:21Z'],
      'whois.expires': ['2024-11-12T19:15:55Z'],
      'whois.registrant.organization': ['Microsoft Corporation'],
      'whois.registrant.state': ['WA'],
      'whois.registrant.country': ['US'],
      'whois.organization': ['Microsoft Corporation'],
      'whois.address': ['WA', 'US'],
      'whois.email': ['ccops@markmonitor.com', 'abusecomplaints@markmonitor.com'],
    });
  });

  it('home.moscow: contacts without vCards, the nested abuse email, observed with its offset', () => {
    const r = whois(parseFile('home.moscow.json'));
    expect(r.observed).toBe('2024-06-18T19:01:39Z');
    expect(r.fields['whois.registrar']).toEqual(['Limited Liability Company "Registrar of domain names REG.RU"']);
    expect(r.fields['whois.email']).toEqual(['info@reg.ru', 'abuse@reg.ru']);
    expect(Object.keys(r.fields).filter((k) => /^whois\.(registrant|admin|tech)\./.test(k))).toEqual([]);
  });

  it('afnic.fr: the first technical contact fills whois.tech.*, every contact feeds the unions', () => {
    const r = whois(parseFile('domain_afnic_fr.json'));
    expect(r.fields['whois.tech.name']).toEqual(['Jean-Philippe Pick']);
    expect(r.fields['whois.name']).toContain('Vincent Levigneron');
    expect(r.fields['whois.tech.street']).toEqual(['immeuble le Stephenson', '1, rue Stephenson', 'Hall A2 - 3eme etage']);
    // An empty ORG is no organisation.
    expect(r.fields['whois.registrant.organization']).toBeUndefined();
  });

  it('xn--fo-5ja.example (RFC 9083 IDN figure): the A-label domain', () => {
    const r = whois(parseFile('xn--fo-5ja_example.json'));
    expect(r.domain).toBe('xn--fo-5ja.example');
    expect(r.fields['whois.registrant.phone']).toEqual(['+1-555-555-1234;ext=102']);
  });

  for (const [original, expected] of [
    ['example-1_empty_value.json', 'example-1_empty_value-expected.json'],
    ['example-2_partial_value.json', 'example-2_partial_value-expected.json'],
  ] as const) {
    it(`${original}: what the expected output marks [[REDACTED]] is absent`, () => {
      const fromOriginal = whois(parseFile(original));
      // The expected file has "[[REDACTED]]" where the original has the redacted values: both
      // must read the same, and no marked value may survive.
      expect(whois(parseFile(expected))).toEqual(fromOriginal);
      expect(allValues(fromOriginal).join('\n')).not.toMatch(/REDACTED/);
      expect(fromOriginal.fields['whois.registrant.name']).toBeUndefined();
      expect(fromOriginal.fields['whois.registrant.street']).toBeUndefined();
      expect(fromOriginal.fields['whois.registrant.city']).toBeUndefined();
      expect(fromOriginal.fields['whois.registrant.postal_code']).toBeUndefined();
      expect(fromOriginal.fields['whois.registrant.state']).toEqual(['QC']);
      expect(fromOriginal.fields['whois.tech.name']).toBeUndefined();
      expect(fromOriginal.fields['whois.tech.organization']).toEqual(['Example Inc.']);
    });
  }

  it('lookup_with_redaction.json: removed contacts are absent, kept parts are there', () => {
    const r = whois(parseFile('lookup_with_redaction.json'));
    expect(r.domain).toBe('example.com');
    for (const k of Object.keys(r.fields)) expect(k).not.toMatch(/^whois\.(admin|billing)\./);
    expect(r.fields['whois.registrant.email']).toBeUndefined();
    expect(r.fields['whois.tech.email']).toBeUndefined();
    expect(r.fields['whois.email']).toEqual(['contact@organization.example', 'abuse@organization.example']);
    expect(r.fields['whois.registrar']).toEqual(['Example Registrar Inc.']);
  });

  it('example-3 (a redacted number) and the search with redaction parse', () => {
    expect(whois(parseFile('example-3-dont_replace_redaction_of_a_number.json')).domain).toBe('0.2.192.in-addr.arpa');
    expect(parseFile('domain_search_with_redaction.json').records.map((r) => (r.kind === 'domain' ? r.domain : ''))).toEqual([
      'example1.com',
      'example2.com',
    ]);
  });

  it('domains_ldhname_ns1_arin_net.json: search results with upper-case, dotted names', () => {
    const records = parseFile('domains_ldhname_ns1_arin_net.json').records as WhoisRecord[];
    expect(records[0]?.domain).toBe('252.149.192.in-addr.arpa');
    expect(records[0]?.fields['whois.name_servers']).toContain('ns4.apnic.net');
    expect(records[0]?.fields['whois.updated']).toEqual(['2022-08-01T20:22:27Z']);
    // The network's registrant (ARIN Operations) belongs to the network, not to the domain.
    expect(records.flatMap((r) => r.fields['whois.name'] ?? [])).toEqual([]);
  });

  it('network_192_198_0_0.json (ARIN): the registration, and the origin AS gives a range', () => {
    expect(parseFile('network_192_198_0_0.json')).toEqual({
      records: [
        {
          kind: 'network',
          start: '192.198.0.0',
          end: '192.198.3.255',
          fields: {
            'network.name': ['RADIOLINK-ARIN-1'],
            'network.handle': ['NET-192-198-0-0-1'],
            'network.range': ['192.198.0.0/22'],
            // ARIN gives no country member; the registrant's address is a label, not a code.
            'network.organization': ['Radio Link Internet'],
            // The abuse role is on the registrant's nested contact and on a top-level one: one address.
            'network.abuse_email': ['daniel.petsinger@radiolinkinternet.com'],
            'network.registry': ['arin'],
            // 2013-01-31T18:11:17-05:00
            'network.created': ['2013-01-31T23:11:17Z'],
          },
          source: 'rdap',
        },
        { kind: 'as-range', start: '192.198.0.0', end: '192.198.3.255', asn: 53301, source: 'rdap' },
      ],
      errors: [],
    });
  });

  it('2001_db8__.json (RFC 9083 figure): an IPv6 registration with no known registry', () => {
    expect(only(parseFile('2001_db8__.json'))).toEqual({
      kind: 'network',
      start: '2001:db8::',
      end: '2001:db8:0:ffff:ffff:ffff:ffff:ffff',
      fields: {
        'network.name': ['NET-RTR-1'],
        'network.handle': ['XXXX-RIR'],
        'network.range': ['2001:db8::/48'],
        'network.country': ['AU'],
        // The registrant's vCard ORG wins over its fn (Joe User).
        'network.organization': ['Example'],
        'network.created': ['1990-12-31T23:59:59Z'],
      },
      source: 'rdap',
    });
  });

  it('0_2_192_in-addr_arpa.json: a reverse domain is a domain, not a network registration', () => {
    const r = whois(parseFile('0_2_192_in-addr_arpa.json'));
    expect(r.domain).toBe('0.2.192.in-addr.arpa');
    expect(Object.keys(r.fields).filter((k) => k.startsWith('network.'))).toEqual([]);
  });

  it('error_ripe_net.json: one error with the title and description', () => {
    expect(parseFile('error_ripe_net.json')).toEqual({
      records: [],
      errors: [{ line: 1, message: 'RDAP error response: 501 Not Implemented: Nameserver not supported' }],
    });
  });
});
