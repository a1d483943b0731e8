import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseResult, WhoisRecord } from '../../records.js';
import { measureWhoisFidelity } from '../../whois-fidelity.js';
import { domainFromFileName, NOT_FOUND_MESSAGE, parseWhois, RATE_LIMITED_MESSAGE, whoisFormat } from './whois.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CORPUS = join(import.meta.dirname, '../../../../../shared/data/whois/likexian');

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function only(result: ParseResult): WhoisRecord {
  expect(result.errors).toEqual([]);
  expect(result.records).toHaveLength(1);
  const record = result.records[0]!;
  expect(record.kind).toBe('whois');
  return record as WhoisRecord;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('parseWhois: a gTLD registrar reply', () => {
  const text = fixture('gtld-registrar.txt');
  const record = only(parseWhois(text, { fileName: 'gtld-registrar.txt' }));
  const f = record.fields;

  it('takes the domain from the reply, normalised', () => {
    expect(record.domain).toBe('warren-fixture-shop.com');
    expect(record.source).toBe('whois');
  });

  it('reads registrar, WHOIS server, status and name servers', () => {
    expect(f['whois.registrar']).toEqual(['Fixture Registrar, LLC']);
    expect(f['whois.whois_server']).toEqual(['whois.fixture-registrar.example']);
    expect(f['whois.status']).toEqual(['clientTransferProhibited', 'clientDeleteProhibited']);
    // Lower case, no trailing dot, no IPs, de-duplicated.
    expect(f['whois.name_servers']).toEqual(['ns1.quiet-harbour.example', 'ns2.quiet-harbour.example']);
  });

  it('reads dates as ISO 8601 UTC', () => {
    expect(f['whois.created']).toEqual(['2019-09-15T00:00:00Z']);
    expect(f['whois.updated']).toEqual(['2024-02-29T15:39:04Z']);
    expect(f['whois.expires']).toEqual(['2026-09-15T00:00:00Z']);
    expect(record.observed).toBe('2024-03-01T10:00:00Z');
  });

  it('keeps redaction placeholders as the registry gave them (analysts pivot on them too)', () => {
    expect(f['whois.registrant.name']).toEqual(['REDACTED FOR PRIVACY']);
    expect(f['whois.registrant.city']).toEqual(['REDACTED FOR PRIVACY']);
    expect(f['whois.registrant.email']?.[0]).toMatch(/^Please query the RDDS service/);
    expect(f['whois.registrant.phone']).toEqual(['REDACTED FOR PRIVACY']);
    expect(f['whois.tech.organization']).toEqual(['Data Protected']);
    expect(f['whois.registrant.organization']).toEqual(['Quiet Harbour Trading Ltd']);
    expect(f['whois.registrant.street']).toEqual(['12 Dockside Row', 'Unit 4']);
    expect(f['whois.registrant.state']).toEqual(['Lisboa']);
    expect(f['whois.registrant.country']).toEqual(['PT']);
  });

  it('reads every contact', () => {
    expect(f['whois.admin.name']).toEqual(['Ana Ribeiro']);
    expect(f['whois.admin.organization']).toEqual(['Quiet Harbour Trading Ltd']);
    expect(f['whois.admin.email']).toEqual(['hostmaster@quiet-harbour.example']);
    expect(f['whois.admin.phone']).toEqual(['+351.210000000']);
    expect(f['whois.admin.postal_code']).toEqual(['1100-001']);
    expect(f['whois.tech.name']).toEqual(['Network Operations']);
    expect(f['whois.tech.email']).toEqual(['noc@quiet-harbour.example']);
  });

  it('fills the cross-contact search fields and keeps the raw text', () => {
    expect(f['whois.name']).toEqual(['REDACTED FOR PRIVACY', 'Ana Ribeiro', 'Network Operations']);
    expect(f['whois.organization']).toEqual(['Quiet Harbour Trading Ltd', 'Data Protected']);
    expect(f['whois.phone']).toEqual(['REDACTED FOR PRIVACY', '+351.210000000']);
    expect(f['whois.address']).toEqual(expect.arrayContaining(['12 Dockside Row', 'Unit 4', 'Lisboa', 'PT', '1100-001']));
    // Every address in the reply, abuse desk and footer included, as given but once per address.
    expect(f['whois.email']).toEqual([
      'Abuse@Fixture-Registrar.example',
      'hostmaster@quiet-harbour.example',
      'noc@quiet-harbour.example',
      'legal@fixture-registrar.example',
    ]);
    expect(f['whois.raw']).toEqual([text]);
  });

  it('honours a source override', () => {
    expect(only(parseWhois(text, { source: 'sensor-7' })).source).toBe('sensor-7');
  });
});

describe('parseWhois: a .uk (Nominet) reply with indented sections', () => {
  const record = only(parseWhois(fixture('uk-nominet.txt'), {}));
  const f = record.fields;

  it('reads the sections', () => {
    expect(record.domain).toBe('harbour-lights.co.uk');
    expect(f['whois.registrar']).toEqual(['Fixture Hosting Ltd t/a FixtureHost [Tag = FIXTUREHOST]']);
    expect(f['whois.created']).toEqual(['2011-03-03T00:00:00Z']);
    expect(f['whois.expires']).toEqual(['2025-03-03T00:00:00Z']);
    expect(f['whois.updated']).toEqual(['2024-02-04T00:00:00Z']);
    expect(f['whois.name_servers']).toEqual(['ns1.fixturehost.example', 'ns2.fixturehost.example']);
    expect(f['whois.status']).toEqual(['Registered until expiry date.']);
    expect(record.observed).toBe('2024-03-12T09:42:27Z');
  });

  it('does not mistake the data-validation prose for a contact', () => {
    expect(f['whois.registrant.name']).toBeUndefined();
    expect(f['whois.name']).toBeUndefined();
  });
});

describe('parseWhois: a JPRS reply with bracketed keys', () => {
  const record = only(parseWhois(fixture('jp-jprs.txt'), {}));
  const f = record.fields;

  it('reads the domain information', () => {
    expect(record.domain).toBe('sakura-fixture.jp');
    expect(f['whois.name_servers']).toEqual(['ns1.sakura-fixture.jp', 'ns2.sakura-fixture.jp']);
    expect(f['whois.created']).toEqual(['2008-04-01T00:00:00Z']);
    expect(f['whois.expires']).toEqual(['2025-04-30T00:00:00Z']);
    // 01:05:09 JST is 16:05:09 UTC the day before.
    expect(f['whois.updated']).toEqual(['2024-04-30T16:05:09Z']);
    expect(f['whois.status']).toEqual(['Active']);
    expect(f['whois.registrant.name']).toEqual(['Sakura Fixture K.K.']);
  });

  it('reads the contact block, multi-line address included', () => {
    expect(f['whois.admin.name']).toEqual(['Sakura Fixture K.K.']);
    expect(f['whois.admin.email']).toEqual(['dns@sakura-fixture.jp']);
    expect(f['whois.admin.postal_code']).toEqual(['100-0001']);
    expect(f['whois.admin.street']).toEqual(['Chiyoda-ku', '1-1 Fixture-cho', 'Tokyo']);
    expect(f['whois.admin.phone']).toEqual(['03-0000-0000']);
  });
});

describe('parseWhois: a RIPE-style reply with contact handles', () => {
  const record = only(parseWhois(fixture('fr-afnic.txt'), {}));
  const f = record.fields;

  it('resolves holder-c, admin-c and tech-c to their objects', () => {
    expect(record.domain).toBe('boulangerie-fixture.fr');
    expect(f['whois.registrant.name']).toEqual(['Boulangerie Fixture SARL']);
    expect(f['whois.registrant.email']).toEqual(['contact@boulangerie-fixture.fr']);
    expect(f['whois.registrant.street']).toEqual(['3 place du Four', '69000 Lyon']);
    expect(f['whois.admin.name']).toEqual(['Jeanne Dupont']);
    expect(f['whois.tech.email']).toEqual(['jeanne@boulangerie-fixture.fr']);
  });

  it("keeps the domain's dates, not the contact objects' or the registrar's", () => {
    expect(f['whois.created']).toEqual(['2015-06-30T10:00:00Z']);
    expect(f['whois.updated']).toEqual(['2024-06-01T08:00:00Z']);
    expect(f['whois.expires']).toEqual(['2025-06-30T10:00:00Z']);
    expect(f['whois.registrar']).toEqual(['Fixture Registrar SAS']);
  });
});

describe('parseWhois: replies without a registration', () => {
  it('reports a not-found reply as one error and no record', () => {
    expect(parseWhois(fixture('not-found.txt'), { fileName: 'not-found.txt' })).toEqual({
      records: [],
      errors: [{ line: 1, message: NOT_FOUND_MESSAGE }],
    });
  });

  it('reports a rate-limited reply as one error and no record', () => {
    expect(parseWhois(fixture('rate-limited.txt'), {})).toEqual({
      records: [],
      errors: [{ line: 1, message: RATE_LIMITED_MESSAGE }],
    });
  });

  it.each([
    ['Domain not found.\n', 'not-found'],
    ['%% NOT FOUND\n', 'not-found'],
    ['Domain: example.de\nStatus: free\n', 'not-found'],
    ['likexian-fixture.nl is free\n', 'not-found'],
    ['>>> Domain fixture.love is available for registration\n', 'not-found'],
    ['% You queried for x.int but this server does not have\n% any data for x.int.\n', 'not-found'],
    ['Your query has exceeded the maximum allowable number of queries.\n', 'rate-limited'],
    ['WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\n', 'rate-limited'],
  ])('recognises %j', (text, kind) => {
    const r = parseWhois(text, { domain: 'example.com' });
    expect(r.records).toEqual([]);
    expect(r.errors).toEqual([{ line: 1, message: kind === 'not-found' ? NOT_FOUND_MESSAGE : RATE_LIMITED_MESSAGE }]);
  });

  it('does not believe a "not found" in the footer of a reply that has data', () => {
    const text = 'Domain Name: found.example\nName Server: ns1.found.example\n\nIf a record is not found, contact us.\n';
    expect(only(parseWhois(text, {})).fields['whois.name_servers']).toEqual(['ns1.found.example']);
  });
});

describe('parseWhois: the domain when the reply does not name it', () => {
  const bare = 'Registrar: Fixture Registrar\nName Server: ns1.fixture.example\n';

  it('uses options.domain, then the file name', () => {
    expect(only(parseWhois(bare, { domain: 'Given.Example.' })).domain).toBe('given.example');
    expect(only(parseWhois(bare, { fileName: '/tmp/com_from-file.com' })).domain).toBe('from-file.com');
    expect(only(parseWhois(bare, { fileName: 'plain.example.org.txt' })).domain).toBe('plain.example.org');
  });

  it('prefers the reply over the options', () => {
    expect(only(parseWhois(`Domain Name: In-Reply.example\n${bare}`, { domain: 'other.example' })).domain).toBe('in-reply.example');
  });

  it('is an error when nothing gives one', () => {
    const r = parseWhois(bare, { fileName: 'reply' });
    expect(r.records).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(0);
  });

  it('derives domains from corpus-style file names', () => {
    expect(domainFromFileName('com_google.com')).toBe('google.com');
    expect(domainFromFileName('tw_google.com.tw')).toBe('google.com.tw');
    expect(domainFromFileName('cn_cn')).toBe('cn');
    expect(domainFromFileName('xn--fiqs8s_xn--6qq79v.xn--fiqs8s')).toBe('xn--6qq79v.xn--fiqs8s');
    expect(domainFromFileName('example.com')).toBe('example.com');
    expect(domainFromFileName('reply')).toBeUndefined();
  });

  it('normalises IDN domains to their A-label', () => {
    expect(only(parseWhois('Domain Name: 你好.中国\nName Server: ns1.example.cn\n', {})).domain).toBe('xn--6qq79v.xn--fiqs8s');
  });
});

describe('parseWhois: layouts', () => {
  it('reads an unlabelled .edu-style contact block', () => {
    const text = [
      'Domain Name: FIXTURE.EDU',
      '',
      'Registrant:',
      '\tFixture University',
      '\t1 College Road',
      '\tSpringfield, ST 00000',
      '',
      'Administrative Contact:',
      '\tPat Admin',
      '\tFixture University IT',
      '\t1 College Road',
      '\t+1.5555550199',
      '\tpat@fixture.edu',
      '',
      'Domain record activated:    15-Jul-1985',
      'Domain expires:             31-Jul-2030',
    ].join('\n');
    const f = only(parseWhois(text, {})).fields;
    expect(f['whois.registrant.organization']).toEqual(['Fixture University']);
    expect(f['whois.registrant.street']).toEqual(['1 College Road', 'Springfield, ST 00000']);
    expect(f['whois.admin.name']).toEqual(['Pat Admin']);
    expect(f['whois.admin.organization']).toEqual(['Fixture University IT']);
    expect(f['whois.admin.phone']).toEqual(['+1.5555550199']);
    expect(f['whois.admin.email']).toEqual(['pat@fixture.edu']);
    expect(f['whois.created']).toEqual(['1985-07-15T00:00:00Z']);
    expect(f['whois.expires']).toEqual(['2030-07-31T00:00:00Z']);
  });

  it('reads `key....: value` sections without indentation (.fi, .kz)', () => {
    const text = [
      'domain.............: fixture.fi',
      'created............: 30.6.2006 00:00:00',
      'modified...........: 2.6.2019',
      '',
      'Holder',
      'name...............: Fixture Oy',
      'holder email.......: holder@fixture.fi',
      '',
      'Tech',
      'name...............: Fixture Hosting',
      'email..............: tech@fixture.fi',
    ].join('\n');
    const f = only(parseWhois(text, {})).fields;
    expect(f['whois.created']).toEqual(['2006-06-30T00:00:00Z']);
    expect(f['whois.updated']).toEqual(['2019-06-02T00:00:00Z']);
    expect(f['whois.registrant.name']).toEqual(['Fixture Oy']);
    expect(f['whois.registrant.email']).toEqual(['holder@fixture.fi']);
    expect(f['whois.tech.name']).toEqual(['Fixture Hosting']);
    expect(f['whois.tech.email']).toEqual(['tech@fixture.fi']);
  });

  it('does not take a contact section for the domain dates (.it)', () => {
    const text = [
      'Domain:             fixture.it',
      'Created:            1999-12-10 00:00:00',
      '',
      'Registrant',
      '  Organization:     Fixture S.r.l.',
      '  Created:          2018-03-02 19:04:02',
      '  Last Update:      2018-03-02 19:04:02',
    ].join('\n');
    const f = only(parseWhois(text, {})).fields;
    expect(f['whois.created']).toEqual(['1999-12-10T00:00:00Z']);
    expect(f['whois.updated']).toBeUndefined();
    expect(f['whois.registrant.organization']).toEqual(['Fixture S.r.l.']);
  });

  it('reads DENIC-style `[Tech-C]` blocks as that contact', () => {
    const text = [
      'Domain: fixture.de',
      'Nserver: ns1.fixture.de',
      'Status: connect',
      'Changed: 2020-01-01T00:00:00+01:00',
      '',
      '[Tech-C]',
      'Type: ROLE',
      'Name: Hostmaster Fixture',
      'CountryCode: DE',
      'Email: hostmaster@fixture.de',
      'Changed: 2019-01-01T00:00:00+01:00',
    ].join('\n');
    const f = only(parseWhois(text, {})).fields;
    expect(f['whois.tech.name']).toEqual(['Hostmaster Fixture']);
    expect(f['whois.tech.country']).toEqual(['DE']);
    expect(f['whois.registrant.name']).toBeUndefined();
    expect(f['whois.updated']).toEqual(['2019-12-31T23:00:00Z']);
  });

  it('reads a registry reply followed by the registrar reply (thin + thick)', () => {
    const text = [
      '   Domain Name: FIXTURE-THIN.COM',
      '   Registrar WHOIS Server: whois.fixture-reg.example',
      '   Creation Date: 2000-01-01T00:00:00Z',
      '   Registry Expiry Date: 2030-01-01T00:00:00Z',
      '   Registrar: Fixture Reg, Inc.',
      '   Name Server: NS1.FIXTURE-THIN.COM',
      '>>> Last update of whois database: 2024-01-01T00:00:00Z <<<',
      '',
      'Domain Name: fixture-thin.com',
      'Registrar: Fixture Reg, Inc.',
      'Registrant Name: Thin Owner',
      'Registrant Email: owner@fixture-thin.com',
      'Name Server: ns1.fixture-thin.com',
    ].join('\n');
    const r = only(parseWhois(text, {}));
    expect(r.domain).toBe('fixture-thin.com');
    expect(r.fields['whois.name_servers']).toEqual(['ns1.fixture-thin.com']);
    expect(r.fields['whois.registrant.name']).toEqual(['Thin Owner']);
    expect(r.fields['whois.expires']).toEqual(['2030-01-01T00:00:00Z']);
  });

  it('keeps a registrar\'s own technical contacts out of the domain contacts (.be)', () => {
    const text = [
      'Domain:\tfixture.be',
      'Status:\tNOT AVAILABLE',
      'Registered:\tTue Jun 13 2000',
      '',
      'Registrant:',
      '\tNot shown, please visit www.dnsbelgium.be for webbased whois.',
      '',
      'Registrar Technical Contacts:',
      '\tOrganisation:\tFixture Reg',
      '\tEmail:\ttech@fixture-reg.be',
      '',
      'Registrar:',
      '\tName:\t Fixture BV',
      '',
      'Nameservers:',
      '\tns1.fixture.be',
    ].join('\n');
    const f = only(parseWhois(text, {})).fields;
    expect(f['whois.registrar']).toEqual(['Fixture BV']);
    expect(f['whois.created']).toEqual(['2000-06-13T00:00:00Z']);
    expect(f['whois.name_servers']).toEqual(['ns1.fixture.be']);
    // The registry's words are kept, placeholder or not.
    expect(f['whois.registrant.name']).toEqual(['Not shown, please visit www.dnsbelgium.be for webbased whois.']);
    expect(f['whois.tech.organization']).toBeUndefined();
    expect(f['whois.organization']).toBeUndefined();
  });

  it('accepts CRLF and CR line ends', () => {
    const text = 'Domain Name: crlf.example\r\nName Server: NS1.CRLF.EXAMPLE\r\nCreation Date: 2001-02-03\r';
    const f = only(parseWhois(text, {})).fields;
    expect(f['whois.name_servers']).toEqual(['ns1.crlf.example']);
    expect(f['whois.created']).toEqual(['2001-02-03T00:00:00Z']);
  });
});

describe('whoisFormat', () => {
  it('is named whois', () => {
    expect(whoisFormat.name).toBe('whois');
  });

  it('recognises WHOIS replies', () => {
    for (const name of ['gtld-registrar.txt', 'uk-nominet.txt', 'jp-jprs.txt', 'fr-afnic.txt', 'not-found.txt']) {
      expect(whoisFormat.sniff(Buffer.from(fixture(name)), name), name).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('does not claim other formats', () => {
    const others = [
      '{"rrname":"example.com","rrtype":"A","rdata":"192.0.2.1"}\n',
      '{"objectClassName":"domain","ldhName":"example.com"}',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      '#separator \\x09\n#fields\tts\tuid\tquery\n',
      '1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n',
      '',
    ];
    for (const text of others) expect(whoisFormat.sniff(Buffer.from(text)), text).toBeLessThan(0.5);
  });

  it('decodes UTF-8, and latin1 when the bytes are not UTF-8', () => {
    const utf8 = whoisFormat.parse(Buffer.from('Domain Name: zone.ee\nRegistrar: Zone Media OÜ\n', 'utf8'), {});
    expect((utf8.records[0] as WhoisRecord).fields['whois.registrar']).toEqual(['Zone Media OÜ']);
    const latin1 = whoisFormat.parse(Buffer.from('Domain Name: zone.ee\nRegistrar: Zone Media OÜ\n', 'latin1'), {});
    expect((latin1.records[0] as WhoisRecord).fields['whois.registrar']).toEqual(['Zone Media OÜ']);
  });
});

describe('parseWhois never throws', () => {
  const KEYS = [
    'Domain Name',
    'domain',
    'Registrar',
    'Name Server',
    'nserver',
    'Creation Date',
    'created',
    'Registrant Name',
    'Admin Email',
    'admin-c',
    'nic-hdl',
    'contact',
    'Registrant',
    '[Domain Name]',
    'Status',
    'Expiry date',
  ];
  const line = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(':', '.....:', '\t', ': ', ''), fc.string({ maxLength: 30 })).map(([k, s, v]) => `${k}${s}${v}`),
    fc.tuple(fc.constantFrom('', '  ', '\t'), fc.string({ unit: 'grapheme', maxLength: 20 })).map(([i, t]) => `${i}${t}`),
    fc.constantFrom('', '%', '>>> x <<<', 'Registrant:', 'Name servers:', 'No match for "X"'),
  );

  const check = (text: string): void => {
    const r = parseWhois(text, { fileName: 'com_fuzz.com' });
    expect(r.records.length).toBeLessThanOrEqual(1);
    expect(r.records.length + r.errors.length).toBeGreaterThan(0);
    for (const rec of r.records) {
      expect(rec.kind).toBe('whois');
      const w = rec as WhoisRecord;
      expect(w.domain).not.toBe('');
      for (const [name, values] of Object.entries(w.fields)) {
        expect(values.length).toBeGreaterThan(0);
        for (const v of values) expect(typeof v).toBe('string');
        if (['whois.created', 'whois.updated', 'whois.expires'].includes(name)) expect(values[0]).toMatch(ISO_UTC);
      }
    }
  };

  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), check), { numRuns: 500 });
  });

  it('on WHOIS-shaped noise', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), (lines) => check(lines.join('\n'))), { numRuns: 1000 });
  });

  it('on arbitrary bytes through the format', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const score = whoisFormat.sniff(buf);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        whoisFormat.parse(buf, {});
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['many short lines', `${'Registrant:\n\n'.repeat(20_000)}${'x: y\n'.repeat(20_000)}${'\n'.repeat(20_000)}`],
    ['one long line', 'a'.repeat(300_000)],
    ['near-emails', 'a.'.repeat(100_000) + '@'.repeat(1_000)],
    ['near-refusals', 'excessive use '.repeat(20_000)],
  ])('on hostile input (%s) in reasonable time', (_, text) => {
    const started = performance.now();
    parseWhois(text, { domain: 'big.example' });
    whoisFormat.sniff(Buffer.from(text));
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe.skipIf(!existsSync(CORPUS))('the likexian WHOIS corpus', () => {
  const report = measureWhoisFidelity(CORPUS);

  it('agrees with the expected parses in at least 95% of the cases', () => {
    expect(report.files).toBeGreaterThan(200);
    expect(report.total.cases).toBeGreaterThan(1000);
    expect(report.rate).toBeGreaterThanOrEqual(0.95);
  });

  it('gives a record for every registered domain', () => {
    expect(report.unparsed).toEqual([]);
  });

  it('gives no record and an error for every not-found reply', () => {
    const dir = join(CORPUS, 'notfound');
    const files = readdirSync(dir).filter((f) => !f.startsWith('.') && !/\.(?:json|md)$/.test(f));
    expect(files.length).toBeGreaterThan(80);
    for (const file of files) {
      const r = parseWhois(readFileSync(join(dir, file), 'utf8'), { fileName: file });
      expect(r.records, file).toEqual([]);
      expect(r.errors, file).toHaveLength(1);
      expect(r.errors[0]!.message, file).toBe(NOT_FOUND_MESSAGE);
    }
  });

  it('sniffs every registered-domain reply as WHOIS', () => {
    const dir = join(CORPUS, 'noterror');
    for (const file of readdirSync(dir).filter((f) => !/\.(?:json|pre|md)$/.test(f))) {
      expect(whoisFormat.sniff(readFileSync(join(dir, file)), file), file).toBeGreaterThanOrEqual(0.5);
    }
  });
});

describe('emailsIn', () => {
  it('finds exactly what the plain regex scan finds', async () => {
    const fc = (await import('fast-check')).default;
    const { emailsIn, emailsInByRegex } = await import('./values.js');
    const part = fc.constantFrom('a', 'B', '9', '.', '-', '_', '%', '+', '@', ' ', 'x.com', 'qq', '\n', ':', 'é');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 120 }), fc.nat(80), (parts, n) => {
        const text = parts.join('') + 'a'.repeat(n) + '@example.org';
        expect(emailsIn(text)).toEqual(emailsInByRegex(text));
      }),
      { numRuns: 3000 },
    );
  });
});
