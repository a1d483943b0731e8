import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestRecord, ParseResult } from '../records.js';
import { warrenFormat, warrenLine } from './warren-jsonl.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/warren');
const CERTS = join(import.meta.dirname, '../../../../shared/data/certs/google-ct/test/testdata');
const DOC = join(import.meta.dirname, '../../../docs/INGEST-JSONL.md');
const FIXTURE_SHA256 = '89cc947f5232678427a75341e06c96bbb1a7d6cc7de6c733bb74996cfe6db633';

function parseText(text: string, source?: string): ParseResult {
  return warrenFormat.parse(Buffer.from(text), source === undefined ? {} : { source });
}

function one(line: object | string, source?: string): IngestRecord {
  const r = parseText(typeof line === 'string' ? line : JSON.stringify(line), source);
  expect(r.errors).toEqual([]);
  expect(r.records).toHaveLength(1);
  return r.records[0]!;
}

function problem(line: object | string): string {
  const r = parseText(typeof line === 'string' ? line : JSON.stringify(line));
  expect(r.records).toEqual([]);
  expect(r.errors).toHaveLength(1);
  return r.errors[0]!.message;
}

describe('fixture: every kind', () => {
  const result = warrenFormat.parse(readFileSync(join(FIXTURES, 'every-kind.jsonl')), {});
  const records = result.records;

  it('reads every line', () => {
    expect(result.errors).toEqual([]);
    expect(records.map((r) => r.kind)).toEqual([
      'resolution',
      'resolution',
      'served',
      'names',
      'domain',
      'as-range',
      'as-range',
      'whois',
      'certificate',
      'certificate',
    ]);
  });

  it('normalises names, addresses, types and times', () => {
    expect(records[0]).toEqual({
      kind: 'resolution',
      domain: 'login.example.com',
      rrtype: 'A',
      value: '192.0.2.10',
      observation: { source: 'my-pdns', firstSeen: '2024-01-31T12:00:00Z', lastSeen: '2024-02-01T00:00:00Z', count: 3 },
    });
    expect(records[1]).toMatchObject({ rrtype: 'MX', value: 'mail.example.com', observation: { source: 'warren' } });
    expect(records[2]).toEqual({
      kind: 'served',
      sha256: FIXTURE_SHA256,
      ip: '2001:db8::1',
      port: 443,
      observation: { source: 'warren', firstSeen: '2024-01-31T00:00:00Z', lastSeen: '2024-02-01T00:00:00Z' },
    });
    expect(records[3]).toEqual({ kind: 'names', sha256: FIXTURE_SHA256, domain: 'www.jsonl.example', observation: { source: 'warren' } });
    expect(records[4]).toEqual({
      kind: 'domain',
      domain: 'xn--bcher-kva.example',
      observation: { source: 'warren', firstSeen: '2023-11-14T22:13:20Z' },
    });
  });

  it('reads AS ranges from start and end or from a network', () => {
    expect(records[5]).toEqual({ kind: 'as-range', start: '192.0.2.0', end: '192.0.2.255', asn: 64500, name: 'EXAMPLE-NET', source: 'routing' });
    expect(records[6]).toEqual({
      kind: 'as-range',
      start: '2001:db8::',
      end: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
      asn: 64501,
      source: 'warren',
    });
  });

  it('reads WHOIS fields, the raw text and the observation time', () => {
    expect(records[7]).toEqual({
      kind: 'whois',
      domain: 'example.com',
      fields: {
        'whois.registrar': ['Example Registrar, Inc.'],
        'whois.name_servers': ['ns1.example.com', 'ns2.example.com'],
        'whois.created': ['1995-08-14T04:00:00Z'],
        'whois.registrant.email': ['owner@example.com'],
        'whois.status': ['clientTransferProhibited'],
        'whois.raw': ['Domain Name: EXAMPLE.COM\nRegistrar: Example Registrar, Inc.\n'],
      },
      observed: '2024-02-01T00:00:00Z',
      source: 'warren',
    });
  });

  it('reads certificates from base64 DER and from PEM', () => {
    for (const r of [records[8], records[9]]) {
      if (r?.kind !== 'certificate') throw new Error('expected a certificate');
      expect(r.sha256).toBe(FIXTURE_SHA256);
      expect(r.fields['x509.subject.common_name']).toEqual(['jsonl.example']);
    }
    expect(records[8]).toMatchObject({ observation: { source: 'warren', firstSeen: '2024-01-31T12:00:00Z' } });
    expect(records[9]).toMatchObject({ observation: { source: 'scan' } });
  });

  it('takes --source as the default and the line\'s own source first', () => {
    const r = warrenFormat.parse(readFileSync(join(FIXTURES, 'every-kind.jsonl')), { source: 'import' });
    expect(r.records.map((x) => ('observation' in x ? x.observation.source : x.source))).toEqual([
      'my-pdns',
      'import',
      'import',
      'import',
      'import',
      'routing',
      'import',
      'import',
      'import',
      'scan',
    ]);
  });
});

describe('fixture: problems', () => {
  const result = warrenFormat.parse(readFileSync(join(FIXTURES, 'problems.jsonl')), {});
  const byLine = new Map(result.errors.map((e) => [e.line, e.message]));

  it('keeps nothing from bad lines and reports each once, with every problem', () => {
    expect(result.records).toEqual([]);
    expect(result.errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('says what is wrong, with suggestions', () => {
    expect(byLine.get(1)).toBe('unknown kind "resolutoin", did you mean "resolution"?');
    expect(byLine.get(2)).toMatch(/^missing "kind" \(one of "resolution", "served"/);
    expect(byLine.get(3)).toBe(
      'resolution: unknown key "frist_seen", did you mean "first_seen"?; "domain": "bad name.example" is not a domain name; "value": "2001:db8::1" is not an IPv4 address',
    );
    expect(byLine.get(4)).toMatch(/^resolution: "first_seen": "2024-02-01T00:00:00" is not a time .*; "last_seen": "tomorrow" is not a time/);
    expect(byLine.get(5)).toBe(
      'served: "sha256": "abc" is not a SHA-256 (64 hex digits); "ip": "999.1.1.1" is not an IP address; "port": 70000 is not an integer from 1 to 65535',
    );
    expect(byLine.get(6)).toBe(
      'as-range: "network": "10.0.0.1/8" is not a network: host bits are set (did you mean 10.0.0.0/8?); "asn": -1 is not an integer from 0 to 4294967295',
    );
    expect(byLine.get(7)).toBe('as-range: "start" 10.0.0.255 is after "end" 10.0.0.0');
    expect(byLine.get(8)).toBe(
      'whois: unknown field "whois.registrat", did you mean "whois.registrar"?; field "domain" is not a whois.* field; field "whois.registrar" takes one value, got 2; field "whois.created": "last tuesday" is not a time (ISO 8601 with a zone, e.g. 2024-01-31T12:00:00Z, or epoch seconds); field "whois.email": "nobody" is not an email address',
    );
    expect(byLine.get(9)).toBe('whois: no WHOIS data: give "fields" or "raw"');
    expect(byLine.get(10)).toBe('certificate: "der" is not valid base64');
    expect(byLine.get(11)).toMatch(/^certificate: /);
    expect(byLine.get(12)).toBe('certificate: missing "der" (base64 DER) or "pem"');
    expect(byLine.get(13)).toBe('each line must be a JSON object, got [1,2]');
    expect(byLine.get(14)).toMatch(/^invalid JSON/);
    expect(byLine.get(15)).toBe('domain: "first_seen" (2024-02-01T00:00:00Z) is after "last_seen" (2024-01-31T23:59:59Z)');
  });
});

describe('lines', () => {
  it('null and "" mean absent; keys starting with _, x- or x_ are the writer\'s own', () => {
    expect(one({ kind: 'domain', domain: 'a.example', first_seen: null, source: '', _from: { any: 'thing' }, 'x-ticket': 7 })).toEqual({
      kind: 'domain',
      domain: 'a.example',
      observation: { source: 'warren' },
    });
  });

  it('checks the family of A and AAAA values and the shape of names; trims other values', () => {
    expect(problem({ kind: 'resolution', domain: 'a.example', rrtype: 'AAAA', value: '192.0.2.1' })).toMatch(/is not an IPv6 address/);
    expect(problem({ kind: 'resolution', domain: 'a.example', rrtype: 'CNAME', value: 'not a name' })).toMatch(/is not a valid CNAME value/);
    expect(one({ kind: 'resolution', domain: 'a.example', rrtype: 'txt', value: ' "v=spf1 -all" ' })).toMatchObject({
      rrtype: 'TXT',
      value: '"v=spf1 -all"',
    });
  });

  it('refuses a network with start and end, and ranges across families', () => {
    expect(problem({ kind: 'as-range', network: '10.0.0.0/8', start: '10.0.0.0', asn: 1 })).toMatch(/give "network" or "start" and "end", not both/);
    expect(problem({ kind: 'as-range', start: '10.0.0.0', end: '::1', asn: 1 })).toMatch(/different families/);
    expect(problem({ kind: 'as-range', asn: 1 })).toMatch(/missing "start" and "end" \(or "network"\)/);
  });

  it('refuses a raw text given twice, and PEM with several certificates', () => {
    expect(problem({ kind: 'whois', domain: 'a.example', raw: 'x', fields: { 'whois.raw': 'y' } })).toMatch(/not both/);
    const block = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(problem({ kind: 'certificate', pem: block + block })).toMatch(/holds 2 certificates: give one per line/);
    expect(problem({ kind: 'certificate', pem: 'hello' })).toMatch(/no -----BEGIN CERTIFICATE----- block/);
    expect(problem({ kind: 'certificate', der: 'AAAA', pem: block })).toMatch(/give "der" or "pem", not both/);
  });

  it('tells an unknown key of a kind what the kind takes', () => {
    expect(problem({ kind: 'domain', domain: 'a.example', zzz: 1 })).toBe(
      'domain: unknown key "zzz" (a domain line takes "domain", "first_seen", "last_seen", "count", "source")',
    );
  });

  it('skips blank lines and a BOM, and agrees line by line', () => {
    const text = '\uFEFF{"kind": "domain", "domain": "a.example"}\r\n\n   \n{"kind": "domain", "domain": "b.example"}\n';
    const r = parseText(text);
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(2);
    expect(warrenLine('', 1, {})).toEqual({ records: [], errors: [] });
  });
});

describe('sniff', () => {
  it('claims lines with a kind, most of all a known one', () => {
    expect(warrenFormat.sniff(Buffer.from('{"kind": "resolution", "domain": "a.example"}\n'))).toBe(0.95);
    expect(warrenFormat.sniff(Buffer.from('\n{"domain": "a.example", "kind": "whois"}\n'))).toBe(0.95);
    expect(warrenFormat.sniff(Buffer.from('{"kind": "resolutoin"}\n'))).toBe(0.6);
    // A first line cut short by the head.
    expect(warrenFormat.sniff(Buffer.from('{"kind": "certificate", "der": "MIIB'))).toBe(0.9);
  });

  it('leaves other JSON alone', () => {
    for (const head of ['{"rrname": "a.example", "rrtype": "A"}', '{"objectClassName": "domain"}', '[{"kind": "domain"}]', 'kind: domain', '']) {
      expect(warrenFormat.sniff(Buffer.from(head)), head).toBe(0);
    }
  });
});

describe('never throws', () => {
  const line = fc.oneof(
    fc.string(),
    fc.json(),
    fc
      .record(
        {
          kind: fc.oneof(fc.constantFrom('resolution', 'served', 'names', 'domain', 'as-range', 'whois', 'certificate'), fc.string()),
          domain: fc.oneof(fc.domain(), fc.string()),
          rrtype: fc.constantFrom('A', 'AAAA', 'MX', 'TXT', 'x'),
          value: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
          ip: fc.oneof(fc.ipV4(), fc.string()),
          sha256: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()),
          port: fc.oneof(fc.integer(), fc.string()),
          network: fc.string(),
          start: fc.oneof(fc.ipV4(), fc.ipV6()),
          end: fc.oneof(fc.ipV4(), fc.ipV6()),
          asn: fc.oneof(fc.integer(), fc.string()),
          first_seen: fc.oneof(fc.integer(), fc.string(), fc.double()),
          fields: fc.dictionary(fc.constantFrom('whois.registrar', 'whois.created', 'whois.email', 'whois.name_servers', 'x'), fc.oneof(fc.string(), fc.array(fc.string()), fc.integer())),
          der: fc.oneof(fc.base64String(), fc.string()),
          pem: fc.string(),
        },
        { requiredKeys: ['kind'] },
      )
      .map((o) => JSON.stringify(o)),
  );

  it('parse and sniff on random lines', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), (lines) => {
        const text = lines.join('\n');
        const r = parseText(text);
        expect(r.errors.every((e) => !e.message.startsWith('internal error'))).toBe(true);
        const s = warrenFormat.sniff(Buffer.from(text));
        expect(s >= 0 && s <= 1).toBe(true);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});

describe.skipIf(!existsSync(DOC))('docs/INGEST-JSONL.md', () => {
  it('every example parses, one per kind at least', () => {
    const doc = readFileSync(DOC, 'utf8');
    const blocks = [...doc.matchAll(/```jsonl\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const r = parseText(blocks.join(''));
    expect(r.errors).toEqual([]);
    expect(new Set(r.records.map((x) => x.kind))).toEqual(new Set(['resolution', 'served', 'names', 'domain', 'as-range', 'whois', 'certificate']));
  });
});

describe.skipIf(!existsSync(CERTS))('corpus: a real certificate through the certificate kind', () => {
  it('google-cert.pem as PEM and as DER give the same record', () => {
    const pem = readFileSync(join(CERTS, 'google-cert.pem'), 'utf8');
    const fromPem = one({ kind: 'certificate', pem });
    const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)![1]!.replace(/\s+/g, '');
    const fromDer = one({ kind: 'certificate', der: body });
    expect(fromDer).toEqual(fromPem);
    if (fromPem.kind !== 'certificate') throw new Error('expected a certificate');
    expect(fromPem.fields['x509.alternative_names']?.length).toBeGreaterThan(10);
  });
});

describe('certificate records without DER (fields only)', () => {
  const SHA = 'ab'.repeat(32);
  it('are field-only certificates keyed by their SHA-256, with the fields normalised', () => {
    const r = parseText(
      `${JSON.stringify({ kind: 'certificate', sha256: SHA.toUpperCase(), fields: { 'x509.subject.common_name': 'www.lanxess-lab.com', 'x509.sha1': 'CD'.repeat(20), 'x509.not_before': '2021-01-01 00:00:00Z' }, source: 'csv' })}\n`,
    );
    expect(r.errors).toEqual([]);
    expect(r.records).toEqual([
      {
        kind: 'certificate-fields',
        sha256: SHA,
        sha1: 'cd'.repeat(20),
        fields: { 'x509.subject.common_name': ['www.lanxess-lab.com'], 'x509.sha1': ['cd'.repeat(20)], 'x509.not_before': ['2021-01-01T00:00:00Z'], 'x509.sha256': [SHA] },
        observation: expect.objectContaining({ source: 'csv' }) as unknown,
      },
    ]);
  });

  it.each([
    [{ kind: 'certificate', sha256: SHA }, /no certificate data/],
    [{ kind: 'certificate', fields: { 'x509.subject.common_name': 'a' } }, /sha256/],
    [{ kind: 'certificate', sha256: SHA, fields: { 'whois.registrar': 'x' } }, /whois\.registrar/],
    [{ kind: 'certificate', sha256: SHA, fields: { 'x509.sha256': 'cd'.repeat(32) } }, /is not "sha256"/],
    [{ kind: 'certificate', sha256: SHA, fields: { 'x509.serial_number': ['1', '2'] } }, /takes one value/],
  ])('refuses %j with the reason', (line, reason) => {
    const r = parseText(`${JSON.stringify(line)}\n`);
    expect(r.records).toEqual([]);
    expect(r.errors[0]?.message).toMatch(reason);
  });
});

describe('certificate records: DER or fields, not both', () => {
  it('refuses a line with der and fields', () => {
    const r = parseText(`${JSON.stringify({ kind: 'certificate', der: 'MAA=', sha256: 'ab'.repeat(32), fields: { 'x509.subject.common_name': 'a' } })}\n`);
    expect(r.records).toEqual([]);
    expect(r.errors[0]?.message).toMatch(/not both/);
  });
});
