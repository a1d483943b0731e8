import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsIndex, type AsIndexRow } from './as-index.js';
import { hexKey } from './ip-keys.js';
import { addressText, buildAddresses, buildTable, naiveAnswer, rawAddresses, rawTable, type Region, type TestRange } from './test-support/lpm-tables.js';

function row(r: TestRange): AsIndexRow {
  const start = addressText(r.family, r.start);
  const end = addressText(r.family, r.end);
  return { family: r.family, start_hex: hexKey(start)!.hex, end_hex: hexKey(end)!.hex, start_ip: start, end_ip: end, asn: r.asn, name: r.name, source: r.source };
}

const REGIONS: Region[] = [
  { family: 4, base: 32n << 24n, length: 8 },
  { family: 4, base: 0n, length: 0 },
  { family: 6, base: 0x20010db8n << 96n, length: 32 },
  { family: 6, base: 0n, length: 0 },
];

describe('AsIndex', () => {
  it('answers the longest-prefix match: the smallest range containing the address, like a naive scan (IPv4 and IPv6, nested and unaligned)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REGIONS), rawTable, rawAddresses, (region, raw, rawAddr) => {
        const table = buildTable(region, raw);
        const index = new AsIndex(table.map(row));
        for (const x of buildAddresses(region, table, rawAddr)) {
          expect(index.lookup(addressText(region.family, x))).toEqual(naiveAnswer(table, x));
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('finds 32.0.0.0/8 → AS2686 for 32.240.185.39 under many more specific prefixes that start before it (issue 12)', () => {
    const ranges: TestRange[] = [
      { family: 4, start: 32n << 24n, end: (33n << 24n) - 1n, asn: 2686, name: null, source: 'pfx2as' },
      { family: 4, start: (32n << 24n) | (10n << 16n), end: ((32n << 24n) | (10n << 16n)) + (1n << 14n) - 1n, asn: 8030, name: null, source: 'pfx2as' },
    ];
    // 300 /24s between 32.10.0.0/18 and the address: a bounded look-back misses the /8.
    for (let i = 0; i < 300; i++) {
      const start = (32n << 24n) | (200n << 16n) | (BigInt(i) << 8n);
      ranges.push({ family: 4, start, end: start + 255n, asn: 64_000 + i, name: null, source: 'pfx2as' });
    }
    const index = new AsIndex(ranges.map(row));
    expect(index.lookup('32.240.185.39')).toEqual({ network: '32.0.0.0/8', asn: 2686, name: null, source: 'pfx2as' });
    expect(index.lookup('32.10.63.255')).toMatchObject({ network: '32.10.0.0/18', asn: 8030 });
    expect(index.lookup('32.200.1.1')).toMatchObject({ network: '32.200.1.0/24', asn: 64_001 });
    expect(index.lookup('33.0.0.0')).toBeUndefined();
    expect(index.lookup('not an ip')).toBeUndefined();
  });

  it('answers nothing from an empty table, and the last address of the space', () => {
    expect(new AsIndex([]).lookup('1.2.3.4')).toBeUndefined();
    const all = new AsIndex([row({ family: 6, start: 0n, end: (1n << 128n) - 1n, asn: 1, name: 'ALL', source: 's' })]);
    expect(all.lookup('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual({ network: '::/0', asn: 1, name: 'ALL', source: 's' });
    expect(all.lookup('1.2.3.4')).toBeUndefined();
  });
});
