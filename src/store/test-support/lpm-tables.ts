// Random nested IP-to-AS tables for the longest-prefix-match property tests (as-index.test.ts and
// the store suite): CIDR prefixes nested in one another, start–end ranges that are not CIDR
// aligned (inside a parent or crossing others), and the same range from several sources; the
// addresses to look up mostly inside the ranges (first, last or any address), some anywhere in
// the region. The naive reference scans every range and keeps the smallest containing one.
import fc from 'fast-check';
import type { AsInfo } from '../read.js';

export interface TestRange {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
  readonly asn: number;
  readonly name: string | null;
  readonly source: string;
}

export interface Region {
  readonly family: 4 | 6;
  /** First address of the region. */
  readonly base: bigint;
  /** The region's prefix length: every range and address lies inside it. */
  readonly length: number;
}

const SOURCES = ['iptoasn', 'mmdb', 'pfx2as'] as const;

interface RawItem {
  readonly parent: number;
  readonly nested: boolean;
  readonly kind: 'prefix' | 'range' | 'same';
  readonly len: number;
  readonly bits: bigint;
  readonly bits2: bigint;
  readonly asn: number;
  readonly source: number;
}

const rawItem: fc.Arbitrary<RawItem> = fc.record({
  parent: fc.nat(),
  nested: fc.boolean(),
  kind: fc.constantFrom('prefix', 'prefix', 'range', 'same'),
  len: fc.nat(),
  bits: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  bits2: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  asn: fc.integer({ min: 1, max: 4_294_967_295 }),
  source: fc.nat(SOURCES.length - 1),
});

export interface RawAddress {
  readonly pick: number;
  readonly where: 'first' | 'last' | 'inside' | 'anywhere';
  readonly bits: bigint;
}

export const rawTable = fc.array(rawItem, { minLength: 1, maxLength: 30 });
export const rawAddresses: fc.Arbitrary<RawAddress[]> = fc.array(
  fc.record({ pick: fc.nat(), where: fc.constantFrom('first', 'last', 'inside', 'inside', 'anywhere'), bits: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }) }),
  { minLength: 1, maxLength: 12 },
);

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

/**
 * An IPv6 address in ::ffff:0:0/96 is an IPv4 host to Warren (fields/ip.ts): a range endpoint
 * there is read as IPv4 by the parsers (a range from :: to ::ffff:ffff:ffff mixes families and is
 * refused), and a look-up of such an address is an IPv4 look-up. The IPv6 tables here keep
 * clear of it, as real ones reach the index.
 */
function isMapped(family: 4 | 6, v: bigint): boolean {
  return family === 6 && v >> 32n === 0xffffn;
}

/** The ranges the raw choices describe, inside the region, no two with the same start, end and source. */
export function buildTable(region: Region, raw: readonly RawItem[]): TestRange[] {
  const W = bitsOf(region.family);
  const out: TestRange[] = [];
  const keys = new Set<string>();
  const regionRange = { start: region.base, end: region.base + (1n << BigInt(W - region.length)) - 1n, len: region.length };
  const shape: { start: bigint; end: bigint; len: number }[] = [];
  for (const item of raw) {
    const parent = item.nested && shape.length > 0 ? shape[item.parent % shape.length]! : regionRange;
    const size = parent.end - parent.start + 1n;
    let start: bigint;
    let end: bigint;
    let len = -1;
    if (item.kind === 'same' && out.length > 0) {
      const other = out[item.parent % out.length]!;
      start = other.start;
      end = other.end;
    } else if (item.kind === 'range') {
      start = parent.start + (item.bits % size);
      end = start + (item.bits2 % (parent.end - start + 1n));
    } else {
      // A prefix longer than its parent's (a prefix as long as a start-end parent's enclosing one).
      const minLen = Math.min(W, parent.len + 1);
      len = minLen + (item.len % (W - minLen + 1));
      const host = (1n << BigInt(W - len)) - 1n;
      start = (parent.start + (item.bits % size)) & ~host;
      if (start < parent.start) start += host + 1n;
      end = start + host;
      if (end > parent.end) {
        start = parent.start;
        end = parent.end;
      }
    }
    if (isMapped(region.family, start) || isMapped(region.family, end)) continue;
    const source = SOURCES[item.source]!;
    const key = `${start}-${end}-${source}`;
    if (keys.has(key)) continue;
    keys.add(key);
    let enclosing = W;
    while (enclosing > 0 && start >> BigInt(W - enclosing) !== end >> BigInt(W - enclosing)) enclosing--;
    shape.push({ start, end, len: len >= 0 ? len : enclosing });
    out.push({ family: region.family, start, end, asn: item.asn, name: item.asn % 3 === 0 ? null : `AS-${item.asn}`, source });
  }
  return out;
}

export function buildAddresses(region: Region, table: readonly TestRange[], raw: readonly RawAddress[]): bigint[] {
  const W = bitsOf(region.family);
  if (table.length === 0) return [];
  const addresses = raw.map((a) => {
    const r = table[a.pick % table.length]!;
    switch (a.where) {
      case 'first':
        return r.start;
      case 'last':
        return r.end;
      case 'inside':
        return r.start + (a.bits % (r.end - r.start + 1n));
      case 'anywhere':
        return region.base + (a.bits % (1n << BigInt(W - region.length)));
    }
  });
  return addresses.filter((x) => !isMapped(region.family, x));
}

export function addressText(family: 4 | 6, v: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(16 * i)) & 0xffffn).toString(16));
  // Canonical IPv6 text (RFC 5952): the first longest run of two or more zero groups is "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  return best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** The naive longest-prefix match: every range scanned, the smallest holding `x` kept. */
export function naiveAnswer(table: readonly TestRange[], x: bigint): AsInfo | undefined {
  let best: TestRange | undefined;
  for (const r of table) {
    if (x < r.start || x > r.end) continue;
    if (!best) {
      best = r;
      continue;
    }
    const size = r.end - r.start;
    const bestSize = best.end - best.start;
    if (size < bestSize || (size === bestSize && (r.start > best.start || (r.start === best.start && r.source < best.source)))) best = r;
  }
  if (!best) return undefined;
  // The network: the block of the range's split into CIDR blocks (largest aligned first) holding x.
  const W = bitsOf(best.family);
  let cur = best.start;
  for (;;) {
    let host = 0;
    while (host < W && cur % (1n << BigInt(host + 1)) === 0n && cur + (1n << BigInt(host + 1)) - 1n <= best.end) host++;
    const last = cur + (1n << BigInt(host)) - 1n;
    if (x <= last) return { network: `${addressText(best.family, cur)}/${W - host}`, asn: best.asn, name: best.name, source: best.source };
    cur = last + 1n;
  }
}

export function rangeRecord(r: TestRange): { kind: 'as-range'; start: string; end: string; asn: number; name?: string; source: string } {
  return { kind: 'as-range', start: addressText(r.family, r.start), end: addressText(r.family, r.end), asn: r.asn, ...(r.name === null ? {} : { name: r.name }), source: r.source };
}
