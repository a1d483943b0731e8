import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { parseByLines } from '../../records.js';
import { iptoasnFormat, iptoasnLines } from './iptoasn.js';
import { ipLocationDbFormat } from './ip-location-db.js';
import { mmdbFormat } from './mmdb.js';
import { pfx2asFormat } from './pfx2as.js';
import { asRanges, resultProblems, summary } from './test-support/as-range-checks.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const corpus = join(import.meta.dirname, '../../../../../shared/data/asn');
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));
const parse = (text: string, fileName?: string) => iptoasnFormat.parse(Buffer.from(text), { fileName });

describe('iptoasn', () => {
  it('reads the text form, IPv4 and IPv6, and drops Not routed rows', () => {
    const v4 = iptoasnFormat.parse(fixture('ip2asn-v4.tsv'), { fileName: 'ip2asn-v4.tsv' });
    expect(v4.errors).toEqual([]);
    expect(summary(v4)).toEqual([
      '1.0.0.0-1.0.0.255 13335 CLOUDFLARENET - Cloudflare, Inc.',
      '1.0.4.0-1.0.7.255 38803 WPL-AS-AP Wirefreebroadband Pty Ltd',
      '8.8.8.0-8.8.8.255 15169 GOOGLE - Google LLC',
    ]);
    expect(asRanges(v4)[0]).toEqual({
      kind: 'as-range',
      start: '1.0.0.0',
      end: '1.0.0.255',
      asn: 13335,
      name: 'CLOUDFLARENET - Cloudflare, Inc.',
      source: 'iptoasn',
    });
    const v6 = iptoasnFormat.parse(fixture('ip2asn-v6.tsv'), {});
    expect(v6.errors).toEqual([]);
    expect(summary(v6)).toEqual([
      '2001:200::-2001:200:5ff:ffff:ffff:ffff:ffff:ffff 2500 WIDE-PROJECT WIDE Project',
      '2606:4700::-2606:4700:ffff:ffff:ffff:ffff:ffff:ffff 13335 CLOUDFLARENET - Cloudflare, Inc.',
    ]);
  });

  it('reads the integer form as IPv4', () => {
    const r = iptoasnFormat.parse(fixture('ip2asn-v4-u32.tsv'), { fileName: 'ip2asn-v4-u32.tsv' });
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 CLOUDFLARENET - Cloudflare, Inc.', '8.8.8.0-8.8.8.255 15169 GOOGLE - Google LLC']);
  });

  it('takes the source from the options', () => {
    expect(asRanges(iptoasnFormat.parse(fixture('ip2asn-v4.tsv'), { source: 'feed-7' }))[0]?.source).toBe('feed-7');
  });

  it('reports bad rows with their line and goes on', () => {
    const r = parse(
      [
        '1.0.0.0\t1.0.0.255\t13335\tUS\tok',
        '1.0.0.255\t1.0.0.0\t13335\tUS\treversed',
        '1.0.0.0\t::1\t13335\tUS\tmixed',
        '1.0.0\t1.0.0.255\t13335\tUS\tbad start',
        '1.0.0.0\t1.0.0.255\tAS13335\tUS\tbad asn',
        '1.0.0.0\t1.0.0.255',
        '4294967296\t4294967297\t1\tUS\ttoo big for IPv4',
        '',
        '# a comment',
        '2.0.0.0\t2.0.0.255\t3215\tFR',
      ].join('\n'),
    );
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 ok', '2.0.0.0-2.0.0.255 3215']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.errors[0]?.message).toMatch(/after its end/);
    expect(r.errors[1]?.message).toMatch(/mixes IPv4/);
    expect(r.errors[2]?.message).toMatch(/not an IP address/);
    expect(r.errors[3]?.message).toMatch(/not an AS number/);
    expect(r.errors[4]?.message).toMatch(/column/);
    expect(r.errors[5]?.message).toMatch(/too large/);
  });

  it('skips a header line and a byte order mark, and trims fields', () => {
    const r = parse('\uFEFFrange_start\trange_end\tAS_number\tcountry_code\tAS_description\r\n1.0.0.0 \t 1.0.0.255\t13335\tUS\t Cloudflare \r\n');
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare']);
  });

  it('streams line by line with the same result as parse', () => {
    const text = fixture('ip2asn-v4.tsv').toString('utf8');
    expect(parseByLines(text, iptoasnLines({}))).toEqual(iptoasnFormat.parse(Buffer.from(text), {}));
  });

  describe('sniff', () => {
    it('claims iptoasn tables, text and integer forms', () => {
      expect(iptoasnFormat.sniff(fixture('ip2asn-v4.tsv'), 'ip2asn-v4.tsv')).toBeGreaterThanOrEqual(0.9);
      expect(iptoasnFormat.sniff(fixture('ip2asn-v6.tsv'))).toBeGreaterThanOrEqual(0.8);
      expect(iptoasnFormat.sniff(fixture('ip2asn-v4-u32.tsv'))).toBeGreaterThanOrEqual(0.8);
    });

    it('tells iptoasn apart from the other routing tables, Zeek logs and binary data', () => {
      for (const [name, other] of [
        ['routeviews-rv2-20240101-1200.pfx2as', pfx2asFormat],
        ['asn-ipv4.csv', ipLocationDbFormat],
        ['tiny-asn.mmdb', mmdbFormat],
      ] as const) {
        const head = fixture(name);
        expect(iptoasnFormat.sniff(head, name), name).toBe(0);
        expect(other.sniff(head, name), name).toBeGreaterThan(0.5);
      }
      expect(iptoasnFormat.sniff(fixture('conn.log'), 'conn.log')).toBe(0);
      expect(iptoasnFormat.sniff(Buffer.from('a\tb\tc\td\te\n'))).toBe(0);
      // The data decides over the name when they disagree.
      expect(iptoasnFormat.sniff(fixture('conn.log'), 'ip2asn-v4.tsv')).toBeLessThan(0.5);
    });

    it('copes with a head cut mid-line', () => {
      const head = fixture('ip2asn-v4.tsv').subarray(0, 70);
      expect(iptoasnFormat.sniff(head)).toBeGreaterThan(0.8);
    });
  });

  it('never throws and keeps its contract on arbitrary input', () => {
    const piece = fc.oneof(
      fc.constantFrom('1.0.0.0', '1.0.0.255', '::1', '2001:db8::', '::ffff:1.2.3.4', '16777216', '4294967295', '0', '13335', 'US', 'None', 'Not routed', '\t', '\n', '\r', '"', '#'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom(undefined, 'ip2asn-v6.tsv'), (pieces, fileName) => {
        const text = pieces.join('');
        const r = parse(text, fileName);
        const lines = text.split('\n').length;
        expect(resultProblems(r, lines)).toEqual([]);
        expect(iptoasnFormat.sniff(Buffer.from(text), fileName)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = iptoasnFormat.parse(Buffer.from(bytes), {});
        expect(resultProblems(r, Buffer.from(bytes).toString('utf8').split('\n').length)).toEqual([]);
        const s = iptoasnFormat.sniff(Buffer.from(bytes));
        expect(s >= 0 && s <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!existsSync(corpus))('iptoasn corpus', () => {
  it('reads the 1,427-row text excerpt without errors', () => {
    const buf = readFileSync(join(corpus, 'jpastuszek-asn-db_ip2asn-v4-excerpt.tsv'));
    expect(iptoasnFormat.sniff(buf.subarray(0, 64 * 1024), 'jpastuszek-asn-db_ip2asn-v4-excerpt.tsv')).toBeGreaterThanOrEqual(0.9);
    const r = iptoasnFormat.parse(buf, {});
    expect(r.errors).toEqual([]);
    const rows = buf.toString('utf8').trim().split('\n');
    const routed = rows.filter((l) => l.split('\t')[2] !== '0');
    expect(asRanges(r)).toHaveLength(routed.length);
    expect(resultProblems(r, rows.length)).toEqual([]);
    expect(summary(r).slice(0, 3)).toEqual([
      '1.1.1.0-1.1.1.0 13335 CLOUDFLARENET - Cloudflare, Inc.',
      '1.1.1.1-1.1.1.1 7497 CSTNET-AS-AP Computer Network Information Center',
      '1.1.1.2-1.1.1.255 13335 CLOUDFLARENET - Cloudflare, Inc.',
    ]);
  });

  it('reads the integer-form test file', () => {
    const buf = readFileSync(join(corpus, 'signal-server_ip2asn-test.tsv'));
    expect(iptoasnFormat.sniff(buf, 'signal-server_ip2asn-test.tsv')).toBeGreaterThanOrEqual(0.9);
    const r = iptoasnFormat.parse(buf, {});
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual([
      '27.77.80.0-27.79.255.255 7552 VIETEL-AS-AP Viettel Group',
      '50.76.0.0-50.79.255.255 7922 COMCAST-7922 - Comcast Cable Communications, LLC',
    ]);
  });
});
