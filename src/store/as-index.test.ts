import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNetwork } from '../fields/ip.js';
import { AsIndex } from './as-index.js';
import { hexKey } from './ip-keys.js';

function prefixRange(a: number, b: number, len: number): { start: string; end: string } {
  const base = (10 << 24) | (a << 8) | b;
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  const start = (base & mask) >>> 0;
  const end = (start | (~mask >>> 0)) >>> 0;
  const text = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  return { start: text(start), end: text(end) };
}

describe('AsIndex', () => {
  it('finds the most specific containing range, like a scan over all ranges', () => {
    const rangeArb = fc.tuple(fc.nat(3), fc.nat(255), fc.integer({ min: 8, max: 32 }), fc.nat(64000));
    fc.assert(
      fc.property(fc.array(rangeArb, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(3), fc.nat(255)), { minLength: 1, maxLength: 20 }), (ranges, ips) => {
        const rows = ranges.map(([a, b, len, asn]) => {
          const r = prefixRange(a, b, len);
          return { family: 4, start_hex: hexKey(r.start)!.hex, end_hex: hexKey(r.end)!.hex, start_ip: r.start, end_ip: r.end, asn, name: null, source: `s${asn}` };
        });
        const index = new AsIndex(rows);
        for (const [a, b] of ips) {
          const ip = `10.0.${a}.${b}`;
          const key = hexKey(ip)!.hex;
          const containing = rows.filter((r) => r.start_hex <= key && key <= r.end_hex);
          const got = index.lookup(ip);
          if (containing.length === 0) {
            expect(got).toBeUndefined();
            continue;
          }
          const maxStart = containing.reduce((m, r) => (r.start_hex > m ? r.start_hex : m), '');
          const minEnd = containing.filter((r) => r.start_hex === maxStart).reduce((m, r) => (r.end_hex < m ? r.end_hex : m), 'z');
          const expected = containing.filter((r) => r.start_hex === maxStart && r.end_hex === minEnd).map((r) => r.asn);
          expect(expected).toContain(got!.asn);
          const net = parseNetwork(got!.network);
          expect(net.ok).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
