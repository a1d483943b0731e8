import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { parseByLines } from '../../records.js';
import { ipLocationDbFormat, ipLocationDbLines, splitCsv } from './ip-location-db.js';
import { iptoasnFormat } from './iptoasn.js';
import { mmdbFormat } from './mmdb.js';
import { pfx2asFormat } from './pfx2as.js';
import { asRanges, resultProblems, summary } from './test-support/as-range-checks.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));
const parse = (text: string, fileName?: string) => ipLocationDbFormat.parse(Buffer.from(text), { fileName });

describe('splitCsv', () => {
  it('follows RFC 4180 quoting', () => {
    const values = (t: string): string[] | string => {
      const s = splitCsv(t);
      return s.ok ? s.fields.map((f) => f.value) : s.reason;
    };
    expect(values('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(values('a,"b, c",d')).toEqual(['a', 'b, c', 'd']);
    expect(values('"say ""hi""",x')).toEqual(['say "hi"', 'x']);
    expect(values('a,,')).toEqual(['a', '', '']);
    expect(values('""')).toEqual(['']);
    expect(values('a,b"c')).toEqual(['a', 'b"c']);
    expect(values('"a"b')).toMatch(/after a closing quote|follows a closing quote/);
    const open = splitCsv('a,"b');
    expect(open.ok ? undefined : open.unterminated).toBe(true);
  });
});

describe('ip-location-db', () => {
  it('reads the IPv4 and IPv6 tables, quoted and bare organisations alike', () => {
    const v4 = ipLocationDbFormat.parse(fixture('asn-ipv4.csv'), { fileName: 'asn-ipv4.csv' });
    expect(v4.errors).toEqual([]);
    expect(summary(v4)).toEqual([
      '1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.',
      '1.0.4.0-1.0.7.255 38803 Wirefreebroadband Pty Ltd',
      '1.0.16.0-1.0.31.255 2519 ARTERIA Networks Corporation',
      '8.8.8.0-8.8.8.255 15169 Google LLC',
      '12.0.0.0-12.255.255.255 7018 AT&T Services, Inc.',
      '45.0.0.0-45.0.0.255 64500 The "Quoted" Co',
    ]);
    expect(asRanges(v4)[0]).toEqual({ kind: 'as-range', start: '1.0.0.0', end: '1.0.0.255', asn: 13335, name: 'Cloudflare, Inc.', source: 'ip-location-db' });
    const v6 = ipLocationDbFormat.parse(fixture('asn-ipv6.csv'), { fileName: 'asn-ipv6.csv' });
    expect(v6.errors).toEqual([]);
    expect(summary(v6)).toEqual([
      '2001:200::-2001:200:5ff:ffff:ffff:ffff:ffff:ffff 2500 WIDE Project',
      '2606:4700::-2606:4700:ffff:ffff:ffff:ffff:ffff:ffff 13335 Cloudflare, Inc.',
    ]);
  });

  it('keeps an unquoted organisation with commas whole', () => {
    const r = parse('1.0.0.0,1.0.0.255,13335,Cloudflare, Inc.\n');
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.']);
  });

  it('reads the integer tables, IPv6 when the file name says so', () => {
    const v4 = ipLocationDbFormat.parse(fixture('asn-ipv4-num.csv'), { fileName: 'asn-ipv4-num.csv' });
    expect(v4.errors).toEqual([]);
    expect(summary(v4)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.', '8.8.8.0-8.8.8.255 15169 Google LLC']);
    const v6 = ipLocationDbFormat.parse(fixture('asn-ipv6-num.csv'), { fileName: '/x/asn-ipv6-num.csv' });
    expect(v6.errors).toEqual([]);
    expect(summary(v6)).toEqual(['2001:200::-2001:200:5ff:ffff:ffff:ffff:ffff:ffff 2500 WIDE Project']);
    // Without the hint the same numbers are too large for IPv4: refused, not misread.
    expect(ipLocationDbFormat.parse(fixture('asn-ipv6-num.csv'), {}).errors[0]?.message).toMatch(/too large for an IPv4/);
  });

  it('lets a quoted organisation run over lines (RFC 4180)', () => {
    const r = parse('1.0.0.0,1.0.0.255,13335,"Cloudflare,\nInc."\n8.8.8.0,8.8.8.255,15169,Google LLC\n');
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare,\nInc.', '8.8.8.0-8.8.8.255 15169 Google LLC']);
  });

  it('costs one line for a stray quote, not the lines after it', () => {
    const r = parse('1.0.0.0,1.0.0.255,13335,"Cloudflare\n8.8.8.0,8.8.8.255,15169,Google LLC\n9.9.9.0,9.9.9.255,19281,"Quad9\n');
    expect(summary(r)).toEqual(['8.8.8.0-8.8.8.255 15169 Google LLC']);
    expect(r.errors).toEqual([
      { line: 1, message: 'a quoted field is not closed' },
      { line: 3, message: 'a quoted field is not closed' },
    ]);
  });

  it('reports bad rows with their line and goes on', () => {
    const r = parse(
      [
        '1.0.0.0,1.0.0.255,13335,ok',
        '1.0.0.255,1.0.0.0,13335,reversed',
        '1.0.0.0,2001:db8::,13335,mixed',
        '1.0.0.0,1.0.0.255,x,bad asn',
        '1.0.0.0,1.0.0.255',
        '1.0.0.0,1.0.0.255,1,"a",b',
        '"1.0.0.0"x,1.0.0.255,1,a',
        '5.0.0.0,5.0.0.255,0,unrouted',
        '"6.0.0.0","6.0.0.255","64512",""',
      ].join('\n'),
    );
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 ok', '6.0.0.0-6.0.0.255 64512']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('skips a header and a byte order mark', () => {
    const r = parse('\uFEFFrange_start,range_end,asn,organization\r\n1.0.0.0,1.0.0.255,13335,Cloudflare\r\n');
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare']);
  });

  it('streams line by line with the same result as parse', () => {
    const text = fixture('asn-ipv4.csv').toString('utf8');
    expect(parseByLines(text, ipLocationDbLines({}))).toEqual(ipLocationDbFormat.parse(Buffer.from(text), {}));
  });

  describe('sniff', () => {
    it('claims ip-location-db tables', () => {
      expect(ipLocationDbFormat.sniff(fixture('asn-ipv4.csv'), 'node_modules/@ip-location-db/asn/asn-ipv4.csv')).toBeGreaterThanOrEqual(0.9);
      expect(ipLocationDbFormat.sniff(fixture('asn-ipv6.csv'))).toBeGreaterThanOrEqual(0.8);
      expect(ipLocationDbFormat.sniff(fixture('asn-ipv4-num.csv'), 'asn-ipv4-num.csv')).toBeGreaterThanOrEqual(0.9);
    });

    it('is cautious about integer-only CSV without the file name', () => {
      const s = ipLocationDbFormat.sniff(fixture('asn-ipv4-num.csv'), 'numbers.csv');
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(0.6);
    });

    it('does not claim the other formats, nor they it', () => {
      for (const name of ['ip2asn-v4.tsv', 'ip2asn-v4-u32.tsv', 'routeviews-rv2-20240101-1200.pfx2as', 'tiny-asn.mmdb', 'conn.log']) {
        expect(ipLocationDbFormat.sniff(fixture(name), name), name).toBe(0);
      }
      const head = fixture('asn-ipv4.csv');
      for (const f of [iptoasnFormat, pfx2asFormat, mmdbFormat]) expect(f.sniff(head, 'asn-ipv4.csv'), f.name).toBe(0);
      expect(ipLocationDbFormat.sniff(Buffer.from('name,city,zip,phone\nAda,London,N1,123\n'), 'people.csv')).toBe(0);
    });
  });

  it('never throws and keeps its contract on arbitrary input', () => {
    const piece = fc.oneof(
      fc.constantFrom('1.0.0.0', '1.0.0.255', '::1', '2001:db8::', '16777216', '13335', '0', 'Cloudflare', ',', '"', '""', '\n', '\r', '#'),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom(undefined, 'asn-ipv6-num.csv'), (pieces, fileName) => {
        const text = pieces.join('');
        expect(resultProblems(parse(text, fileName), text.split('\n').length)).toEqual([]);
        const s = ipLocationDbFormat.sniff(Buffer.from(text), fileName);
        expect(s >= 0 && s <= 1).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(resultProblems(ipLocationDbFormat.parse(b, {}), b.toString('utf8').split('\n').length)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
