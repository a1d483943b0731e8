import { describe, it, expect } from 'vitest';
import { normaliseRecord, normaliseTimestamp, normaliseValue, toWellFormed } from './normalise.js';

const CYRILLIC_A = '\u0430';

describe('toWellFormed', () => {
  it('replaces lone surrogates and keeps pairs', () => {
    expect(toWellFormed('a\uD800b')).toBe('a\uFFFDb');
    expect(toWellFormed('a\uDC00')).toBe('a\uFFFD');
    expect(toWellFormed('\uDC00\uD800')).toBe('\uFFFD\uFFFD');
    expect(toWellFormed('x\u{1F600}y')).toBe('x\u{1F600}y');
  });

  it('agrees with the native String.prototype.toWellFormed where there is one', () => {
    const native = (String.prototype as { toWellFormed?: (this: string) => string }).toWellFormed;
    const samples = ['\uD83D', 'a\uDE00b', '\uD83D\uDE00', '\uDE00\uD83D', 'plain', '\uD800\uD800\uDC00'];
    for (const s of samples) if (native) expect(toWellFormed(s)).toBe(native.call(s));
  });
});

describe('normaliseValue', () => {
  it('normalises the domain field strictly', () => {
    expect(normaliseValue('domain', 'WWW.Example.com.')).toBe('www.example.com');
    expect(normaliseValue('domain', `p${CYRILLIC_A}ypal.com`)).toBe('xn--pypal-4ve.com');
    expect(normaliseValue('domain', 'not a domain')).toBeUndefined();
  });

  it('normalises name-like fields leniently, never rejecting a suffix or odd value', () => {
    expect(normaliseValue('domain.tld', 'CO.UK.')).toBe('co.uk');
    expect(normaliseValue('domain.tld', 'com')).toBe('com');
    expect(normaliseValue('domain.registered', 'Bücher.example')).toBe('xn--bcher-kva.example');
    expect(normaliseValue('domain.subdomain', '*')).toBe('*');
    expect(normaliseValue('whois.name_servers', 'NS1.Example.NET.')).toBe('ns1.example.net');
    expect(normaliseValue('whois.name_servers', 'NS1.EXAMPLE.NET 192.0.2.1')).toBe('ns1.example.net 192.0.2.1');
    expect(normaliseValue('whois.whois_server', 'WHOIS.Registrar.example')).toBe('whois.registrar.example');
  });

  it('gives IPs their canonical text', () => {
    expect(normaliseValue('ip', '2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normaliseValue('ip', '::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(normaliseValue('ip', ' 192.0.2.1 ')).toBe('192.0.2.1');
    expect(normaliseValue('ip', '999.1.1.1')).toBeUndefined();
  });

  it('gives networks their canonical CIDR text', () => {
    expect(normaliseValue('network', '2001:DB8::/32')).toBe('2001:db8::/32');
    expect(normaliseValue('network', '192.0.2.1')).toBe('192.0.2.1/32');
    expect(normaliseValue('network', '10.0.0.1/8')).toBeUndefined();
  });

  it('writes fingerprints lower case and serials upper case, without separators', () => {
    expect(normaliseValue('x509.sha1', 'AB:CD:EF:01')).toBe('abcdef01');
    expect(normaliseValue('x509.sha256', 'AB CD EF 01')).toBe('abcdef01');
    expect(normaliseValue('x509.serial_number', '0a:1b:2c')).toBe('0A1B2C');
    expect(normaliseValue('x509.sha1', ' : : ')).toBeUndefined();
  });

  it('trims emails but keeps their case', () => {
    expect(normaliseValue('whois.registrant.email', '  Abuse@Example.COM ')).toBe('Abuse@Example.COM');
    expect(normaliseValue('whois.email', 'X@Y.example')).toBe('X@Y.example');
  });

  it('keeps text, numbers and Unicode domain forms as given', () => {
    expect(normaliseValue('whois.registrar', '  NameCheap, Inc. ')).toBe('  NameCheap, Inc. ');
    expect(normaliseValue('as.number', '13335')).toBe('13335');
    expect(normaliseValue('domain.unicode', 'Bücher.Example')).toBe('Bücher.Example');
    expect(normaliseValue('x509.alternative_names', 'DNS:Example.com')).toBe('DNS:Example.com');
  });

  it('passes unknown fields through, made well-formed', () => {
    expect(normaliseValue('no.such.field', ' Mixed Case ')).toBe(' Mixed Case ');
    expect(normaliseValue('no.such.field', 'a\uD800')).toBe('a\uFFFD');
  });

  it('replaces lone surrogates in every kind of value', () => {
    expect(normaliseValue('whois.registrant.name', 'Jo\uDC00hn')).toBe('Jo\uFFFDhn');
    expect(normaliseValue('whois.email', ' a\uD800@example.com ')).toBe('a\uFFFD@example.com');
  });

  it('returns undefined for the empty string, whatever the field', () => {
    for (const field of ['domain', 'ip', 'network', 'whois.registrar', 'whois.email', 'x509.sha1', 'whois.created', 'x']) {
      expect(normaliseValue(field, '')).toBeUndefined();
    }
  });

  it('normalises timestamps of timestamp fields', () => {
    expect(normaliseValue('whois.created', '2024-03-01T10:20:30+02:00')).toBe('2024-03-01T08:20:30Z');
    expect(normaliseValue('x509.not_after', '2024-03-01')).toBe('2024-03-01T00:00:00Z');
  });
});

describe('normaliseTimestamp', () => {
  it('converts a date-time with a zone to UTC', () => {
    expect(normaliseTimestamp('2024-03-01T10:20:30Z')).toBe('2024-03-01T10:20:30Z');
    expect(normaliseTimestamp('2024-03-01t10:20:30z')).toBe('2024-03-01T10:20:30Z');
    expect(normaliseTimestamp('2024-03-01 10:20:30 UTC')).toBe('2024-03-01T10:20:30Z');
    expect(normaliseTimestamp('2024-03-01T10:20:30.123456Z')).toBe('2024-03-01T10:20:30Z');
    expect(normaliseTimestamp('2024-03-01T10:20Z')).toBe('2024-03-01T10:20:00Z');
    expect(normaliseTimestamp('2024-03-01T01:00:00+0530')).toBe('2024-02-29T19:30:00Z');
    expect(normaliseTimestamp('2023-12-31T23:30:00-01:00')).toBe('2024-01-01T00:30:00Z');
    expect(normaliseTimestamp('2024-03-01T10:20:30+02')).toBe('2024-03-01T08:20:30Z');
  });

  it('reads a plain date as midnight UTC', () => {
    expect(normaliseTimestamp(' 1999-12-31 ')).toBe('1999-12-31T00:00:00Z');
    expect(normaliseTimestamp('0050-01-02')).toBe('0050-01-02T00:00:00Z');
  });

  it('keeps what it cannot read unambiguously, trimmed', () => {
    expect(normaliseTimestamp(' 2024-03-01T10:20:30 ')).toBe('2024-03-01T10:20:30'); // no zone
    expect(normaliseTimestamp('01/02/2024')).toBe('01/02/2024');
    expect(normaliseTimestamp('2024-02-30')).toBe('2024-02-30');
    expect(normaliseTimestamp('2024-13-01T00:00:00Z')).toBe('2024-13-01T00:00:00Z');
    expect(normaliseTimestamp('2024-03-01T24:00:00Z')).toBe('2024-03-01T24:00:00Z');
    expect(normaliseTimestamp('2024-03-01T10:00:00+25:00')).toBe('2024-03-01T10:00:00+25:00');
    expect(normaliseTimestamp('Mar  1 10:20:30 2024 GMT')).toBe('Mar  1 10:20:30 2024 GMT');
  });
});

describe('normaliseRecord', () => {
  it('normalises values and skips the id', () => {
    const { fields, problems } = normaliseRecord({ id: 'r1', ip: '2001:DB8:0:0:0:0:0:1', 'whois.registrar': 'NameCheap' });
    expect(problems).toEqual([]);
    expect(fields.has('id')).toBe(false);
    expect(fields.get('ip')).toEqual(['2001:db8::1']);
    expect(fields.get('whois.registrar')).toEqual(['NameCheap']);
  });

  it('derives the domain fields from domain', () => {
    const { fields, problems } = normaliseRecord({ domain: 'Login.Secure.Example.CO.UK.' });
    expect(problems).toEqual([]);
    expect(Object.fromEntries(fields)).toEqual({
      domain: ['login.secure.example.co.uk'],
      'domain.registered': ['example.co.uk'],
      'domain.tld': ['co.uk'],
      'domain.subdomain': ['login.secure'],
      'domain.unicode': ['login.secure.example.co.uk'],
      'domain.skeleton': ['login.secure.example.co.uk'],
    });
  });

  it('derives only the fields the record lacks', () => {
    const { fields } = normaliseRecord({ domain: `p${CYRILLIC_A}ypal.com`, 'domain.tld': 'EXAMPLE', 'domain.skeleton': 'given' });
    expect(fields.get('domain')).toEqual(['xn--pypal-4ve.com']);
    expect(fields.get('domain.tld')).toEqual(['example']);
    expect(fields.get('domain.skeleton')).toEqual(['given']);
    expect(fields.get('domain.unicode')).toEqual([`p${CYRILLIC_A}ypal.com`]);
    expect(fields.get('domain.registered')).toEqual(['xn--pypal-4ve.com']);
    expect(fields.has('domain.subdomain')).toBe(false);
  });

  it('derives nothing without a valid domain', () => {
    expect(normaliseRecord({ ip: '192.0.2.1' }).fields.has('domain.tld')).toBe(false);
    const { fields, problems } = normaliseRecord({ domain: 'bad domain' });
    expect(fields.size).toBe(0);
    expect(problems).toEqual(['field "domain": "bad domain" is not a valid domain name']);
  });

  it('derives from every domain and merges the results without duplicates', () => {
    const { fields } = normaliseRecord({ domain: ['a.example.com', 'b.example.com', 'evil.github.io'] });
    expect(fields.get('domain.registered')).toEqual(['example.com', 'evil.github.io']);
    expect(fields.get('domain.tld')).toEqual(['com', 'github.io']);
    expect(fields.get('domain.subdomain')).toEqual(['a', 'b']);
    expect(fields.get('domain.unicode')).toEqual(['a.example.com', 'b.example.com', 'evil.github.io']);
  });

  it('de-duplicates values after normalising, keeping first-seen order', () => {
    const { fields, problems } = normaliseRecord({
      'whois.name_servers': ['NS2.example.net.', 'ns1.example.net', 'ns2.EXAMPLE.net', 'ns1.example.net.'],
      ip: ['::ffff:10.0.0.1', '10.0.0.1'],
      domain: ['Example.com', 'example.com.'],
    });
    expect(problems).toEqual([]);
    expect(fields.get('whois.name_servers')).toEqual(['ns2.example.net', 'ns1.example.net']);
    expect(fields.get('ip')).toEqual(['10.0.0.1']);
    expect(fields.get('domain')).toEqual(['example.com']);
    expect(fields.get('domain.registered')).toEqual(['example.com']);
  });

  it('keeps several values of a single-valued field without complaint', () => {
    const { fields, problems } = normaliseRecord({ 'whois.registrar': ['A', 'B'] });
    expect(problems).toEqual([]);
    expect(fields.get('whois.registrar')).toEqual(['A', 'B']);
  });

  it('reports values that are not strings or arrays of strings', () => {
    const { fields, problems } = normaliseRecord({
      ip: 42,
      'whois.status': ['ok', 7],
      'as.name': null,
      'whois.registrar': { name: 'x' },
      'as.number': '13335',
    });
    expect(problems).toHaveLength(4);
    for (const field of ['ip', 'whois.status', 'as.name', 'whois.registrar']) {
      expect(problems.some((p) => p.includes(`"${field}"`) && p.includes('string'))).toBe(true);
    }
    expect([...fields.keys()]).toEqual(['as.number']);
  });

  it('reports unknown fields with a suggestion', () => {
    const { fields, problems } = normaliseRecord({ 'whois.registrant.mail': 'a@example.com', colour: 'red' });
    expect(fields.size).toBe(0);
    expect(problems).toEqual([
      'unknown field "whois.registrant.mail", did you mean "whois.registrant.email"?',
      'unknown field "colour"',
    ]);
  });

  it('drops values that do not normalise and reports bad IPs, networks and domains', () => {
    const { fields, problems } = normaliseRecord({
      ip: ['999.1.1.1', '192.0.2.1', ''],
      network: '10.0.0.1/8',
      'whois.registrar': '',
    });
    expect(fields.get('ip')).toEqual(['192.0.2.1']);
    expect(fields.has('network')).toBe(false);
    expect(fields.has('whois.registrar')).toBe(false);
    expect(problems).toEqual([
      'field "ip": "999.1.1.1" is not an IP address',
      'field "network": "10.0.0.1/8" is not a network: host bits are set (did you mean 10.0.0.0/8?)',
    ]);
  });

  it('leaves out a field all of whose values were dropped, and an empty array', () => {
    const { fields, problems } = normaliseRecord({ ip: ['nope'], 'whois.status': [] });
    expect(fields.size).toBe(0);
    expect(problems).toEqual(['field "ip": "nope" is not an IP address']);
  });
});
