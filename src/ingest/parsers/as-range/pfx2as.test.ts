import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { parseByLines } from '../../records.js';
import { ipLocationDbFormat } from './ip-location-db.js';
import { iptoasnFormat } from './iptoasn.js';
import { mmdbFormat } from './mmdb.js';
import { pfx2asFormat, pfx2asLines, pfx2asOrigin } from './pfx2as.js';
import { asRanges, resultProblems, summary } from './test-support/as-range-checks.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));
const parse = (text: string) => pfx2asFormat.parse(Buffer.from(text), {});

describe('pfx2as', () => {
  it('reads IPv4 and IPv6 tables into prefix ranges', () => {
    const v4 = pfx2asFormat.parse(fixture('routeviews-rv2-20240101-1200.pfx2as'), {});
    expect(v4.errors).toEqual([]);
    expect(summary(v4)).toEqual([
      '1.0.0.0-1.0.0.255 13335',
      '1.0.4.0-1.0.7.255 38803',
      '1.0.64.0-1.0.127.255 18144',
      '8.8.8.0-8.8.8.255 15169',
      '27.116.56.0-27.116.59.255 4808',
      '43.251.84.0-43.251.87.255 23456',
    ]);
    expect(asRanges(v4)[0]).toEqual({ kind: 'as-range', start: '1.0.0.0', end: '1.0.0.255', asn: 13335, source: 'pfx2as' });
    const v6 = pfx2asFormat.parse(fixture('routeviews-rv6-20240101-1200.pfx2as'), { source: 'routeviews' });
    expect(v6.errors).toEqual([]);
    expect(summary(v6)).toEqual([
      '2001:200::-2001:200:ffff:ffff:ffff:ffff:ffff:ffff 2500',
      '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff 64496',
      '2606:4700::-2606:4700:ffff:ffff:ffff:ffff:ffff:ffff 13335',
    ]);
    expect(asRanges(v6)[0]?.source).toBe('routeviews');
  });

  it('takes the first origin of a MOAS list or AS set, and checks them all', () => {
    expect(pfx2asOrigin('4808_4837')).toBe(4808);
    expect(pfx2asOrigin('23456,4134')).toBe(23456);
    expect(pfx2asOrigin('1_2,3')).toBe(1);
    expect(pfx2asOrigin('1_x')).toBeUndefined();
    expect(pfx2asOrigin('1__2')).toBeUndefined();
    expect(pfx2asOrigin('')).toBeUndefined();
  });

  it('reports bad rows with their line and goes on', () => {
    const r = parse(
      [
        '1.0.0.0\t24\t13335',
        '1.0.0.1\t24\t13335',
        '1.0.0.0\t33\t13335',
        '1.0.0.0\t24\tAS13335',
        '1.0.0.0\t24',
        '1.0.0.0\t24\t1\textra',
        'example\t24\t1',
        '9.9.9.0\t24\t0',
        '::ffff:10.0.0.0\t104\t64512',
      ].join('\n'),
    );
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335', '10.0.0.0-10.255.255.255 64512']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.errors[0]?.message).toMatch(/host bits/);
    expect(r.errors[1]?.message).toMatch(/prefix length/);
    expect(r.errors[2]?.message).toMatch(/AS number/);
    expect(r.errors[3]?.message).toMatch(/column/);
  });

  it('streams line by line with the same result as parse', () => {
    const text = fixture('routeviews-rv2-20240101-1200.pfx2as').toString('utf8');
    expect(parseByLines(text, pfx2asLines({}))).toEqual(pfx2asFormat.parse(Buffer.from(text), {}));
  });

  it('sniffs pfx2as and nothing else', () => {
    expect(pfx2asFormat.sniff(fixture('routeviews-rv2-20240101-1200.pfx2as'), 'routeviews-rv2-20240101-1200.pfx2as.gz')).toBeGreaterThanOrEqual(0.9);
    expect(pfx2asFormat.sniff(fixture('routeviews-rv6-20240101-1200.pfx2as'))).toBeGreaterThanOrEqual(0.8);
    for (const name of ['ip2asn-v4.tsv', 'ip2asn-v4-u32.tsv', 'asn-ipv4.csv', 'tiny-asn.mmdb', 'conn.log']) {
      expect(pfx2asFormat.sniff(fixture(name), name), name).toBe(0);
    }
    // And the others do not claim pfx2as.
    const head = fixture('routeviews-rv2-20240101-1200.pfx2as');
    for (const f of [iptoasnFormat, ipLocationDbFormat, mmdbFormat]) expect(f.sniff(head, 'x.pfx2as'), f.name).toBe(0);
  });

  it('never throws and keeps its contract on arbitrary input', () => {
    const piece = fc.oneof(
      fc.constantFrom('1.0.0.0', '10.0.0.0', '::', '2001:db8::', '::ffff:1.2.3.0', '0', '8', '24', '32', '128', '129', '13335', '_', ',', '\t', '\n', '\r'),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(resultProblems(parse(text), text.split('\n').length)).toEqual([]);
        const s = pfx2asFormat.sniff(Buffer.from(text));
        expect(s >= 0 && s <= 1).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(resultProblems(pfx2asFormat.parse(b, {}), b.toString('utf8').split('\n').length)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
