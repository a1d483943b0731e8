// Issue 12's acceptance for IP → AS: a full-size pfx2as table (RouteViews / CAIDA format,
// generated with the real table's shape: bench/pfx2as-table.ts) and random addresses inside its
// prefixes; every answer equals the naive longest-prefix match.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NaiveLongestPrefix, addressesInside, generatePfx2asTable, v4Text, v6Text, type Pfx2asPrefix } from '../bench/pfx2as-table.js';
import { canonicalNetwork } from '../fields/ip.js';
import { pfx2asFormat } from '../ingest/parsers/as-range/pfx2as.js';
import type { AsRangeRecord } from '../ingest/records.js';
import { AsIndex } from './as-index.js';
import { Store } from './store.js';

const table = generatePfx2asTable();
const parsed = pfx2asFormat.parse(Buffer.from(table.text), {});
const ranges = parsed.records.filter((r): r is AsRangeRecord => r.kind === 'as-range');
const reference = new NaiveLongestPrefix(table.prefixes);

function expected(a: { family: 4 | 6; value: bigint }): { network: string; asn: number } | undefined {
  const p: Pfx2asPrefix | undefined = reference.lookup(a.family, a.value);
  if (!p) return undefined;
  return { network: canonicalNetwork(`${p.family === 4 ? v4Text(p.value) : v6Text(p.value)}/${p.length}`)!, asn: p.asn };
}

describe('IP → AS on a full-size pfx2as table', () => {
  it('reads the whole table', () => {
    expect(parsed.errors).toEqual([]);
    expect(ranges.length).toBe(table.prefixes.length);
    // Record i is prefix i: same first address and origin (the first of a MOAS or AS-set field).
    expect(ranges.every((r, i) => r.asn === table.prefixes[i]!.asn && (table.prefixes[i]!.family === 6 || r.start === v4Text(table.prefixes[i]!.value)))).toBe(true);
    for (let i = 0; i < ranges.length; i += 97) if (table.prefixes[i]!.family === 6) expect(ranges[i]!.start).toBe(canonicalNetwork(`${v6Text(table.prefixes[i]!.value)}/128`)?.split('/')[0] ?? '');
    expect(ranges.filter((r) => !r.start.includes(':')).length).toBeGreaterThanOrEqual(1_000_000);
  });

  it('answers 10,000 random addresses inside its prefixes like the naive longest-prefix match, from the in-memory index', () => {
    // The rows as the store keeps them, from the parsed records (hex keys from the generator's
    // numbers: parsing a million addresses again would only slow the test).
    const index = new AsIndex(
      ranges.map((r, i) => {
        const p = table.prefixes[i]!;
        const bits = p.family === 4 ? 32 : 128;
        const end = p.value | ((1n << BigInt(bits - p.length)) - 1n);
        return { family: p.family, start_hex: p.value.toString(16).padStart(bits / 4, '0'), end_hex: end.toString(16).padStart(bits / 4, '0'), start_ip: r.start, end_ip: r.end, asn: r.asn, name: null, source: r.source };
      }),
    );
    const sample = addressesInside(table.prefixes, 10_000, 1);
    let wrong = 0;
    for (const a of sample) {
      const got = index.lookup(a.text);
      const want = expected(a);
      if (got?.network !== want?.network || got?.asn !== want?.asn) wrong++;
      expect(got).toMatchObject(want!);
    }
    expect(wrong).toBe(0);
    expect(index.lookup('32.240.185.39')).toMatchObject({ network: '32.0.0.0/8', asn: 2686 });
  }, 60_000);

  describe('from the store (SQLite)', () => {
    // Writing a million rows through the store takes minutes, so the store holds every prefix of
    // three /8s (32/8 with 32.10.0.0/18 and its many more specifics, 44/8, 57/8): no prefix
    // outside them holds an address inside them, so the full table's answer is the same there.
    const SLICE = new Set([32, 44, 57]);
    const inSlice = (family: 4 | 6, value: bigint): boolean => family === 4 && SLICE.has(Number(value >> 24n));
    const dir = mkdtempSync(join(tmpdir(), 'warren-as-full-'));
    let store: Store;
    beforeAll(async () => {
      store = await Store.open(`sqlite:${join(dir, 'as.db')}`);
      const slice = ranges.filter((r) => !r.start.includes(':') && SLICE.has(Number(r.start.split('.')[0])));
      for (let i = 0; i < slice.length; i += 5_000) await store.write(slice.slice(i, i + 5_000));
    }, 120_000);
    afterAll(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers 10,000 random addresses inside those prefixes like the naive longest-prefix match', async () => {
      const sample = addressesInside(table.prefixes.filter((p) => inSlice(p.family, p.value)), 10_000, 2);
      let wrong = 0;
      for (const a of sample) {
        const got = await store.asForIp(a.text);
        const want = expected(a);
        if (got?.network !== want?.network || got?.asn !== want?.asn) wrong++;
      }
      expect(wrong).toBe(0);
    }, 60_000);

    it('finds 32.0.0.0/8 → AS2686 for 32.240.185.39, beside 32.10.0.0/18 → AS8030 (issue 12)', async () => {
      expect(await store.asForIp('32.240.185.39')).toEqual({ network: '32.0.0.0/8', asn: 2686, name: null, source: 'pfx2as' });
      expect(await store.asForIp('32.10.1.2')).toMatchObject({ asn: 8030 });
    });
  });
});
