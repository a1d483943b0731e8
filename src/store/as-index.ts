// An in-memory IP → AS index built from the store's ranges, for bulk work (enriching a whole
// ingest, a server answering many lookups). It is derived state that any worker can rebuild from
// the shared store; one-off lookups query the store directly (Store.asForIp).
//
// The answer is the longest-prefix match over nested prefixes (the smallest containing range for
// ranges that are not prefixes; ties as in as-lpm.ts). Built once: the ranges' ends cut the
// address space into disjoint elementary intervals, and a sweep with a heap of the ranges open at
// each cut gives every interval its most specific range (O(n log n)); a lookup is then one binary
// search over the cuts (a Uint32Array for IPv4), however deeply the ranges nest.
import { ipBytes } from '../fields/ip.js';
import { cidrPrefixLength, compareSpecificity, rangeLpmKeys } from './as-lpm.js';
import type { AsInfo } from './read.js';
import { cidrContaining, rangeNetwork } from './read.js';

interface Range {
  start_hex: string;
  end_hex: string;
  span_hex: string;
  source: string;
  startIp: string;
  endIp: string;
  asn: number;
  name: string | null;
  /** The range's network when it is one CIDR block (computed on first use); null: it is not. */
  network?: string | null;
}

/** The next fixed-width hex number, or undefined past the last address. */
function nextHex(hex: string): string | undefined {
  let i = hex.length - 1;
  while (i >= 0 && hex[i] === 'f') i--;
  if (i < 0) return undefined;
  return hex.slice(0, i) + (parseInt(hex[i]!, 16) + 1).toString(16) + '0'.repeat(hex.length - i - 1);
}

/** A binary min-heap of range numbers under `less`. */
class Heap {
  private readonly items: number[] = [];
  constructor(private readonly less: (a: number, b: number) => boolean) {}
  get top(): number | undefined {
    return this.items[0];
  }
  push(x: number): void {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): void {
    const h = this.items;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/**
 * The sweep both families share: `cuts` ascending (every start and every end + 1), `order` the
 * ranges by start; for each cut, the most specific range open there. Ranges that ended before a
 * cut leave the heap when they reach its top; the top is the most specific of all in the heap,
 * so once it is open it is the most specific open range. Adjacent intervals with the same
 * answer are merged: the kept cut positions and their answers.
 */
function sweep<K>(cuts: ArrayLike<K>, order: ArrayLike<number>, startOf: (i: number) => K, endOf: (i: number) => K, less: (a: number, b: number) => boolean): { keep: number[]; winners: Int32Array } {
  const heap = new Heap(less);
  const keep: number[] = [];
  const winners: number[] = [];
  let next = 0;
  for (let c = 0; c < cuts.length; c++) {
    const cut = cuts[c]!;
    while (next < order.length && startOf(order[next]!) <= cut) heap.push(order[next++]!);
    while (heap.top !== undefined && endOf(heap.top) < cut) heap.pop();
    const w = heap.top ?? -1;
    if (winners.length > 0 && winners[winners.length - 1] === w) continue;
    keep.push(c);
    winners.push(w);
  }
  return { keep, winners: Int32Array.from(winners) };
}

/** Binary search: the last position whose cut is at or before `key`, or -1. */
function lastAtOrBefore<K>(cuts: ArrayLike<K>, key: K): number {
  let lo = 0;
  let hi = cuts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! <= key) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at;
}

/** IPv4: addresses as numbers, every array typed. */
class V4Index {
  private readonly cuts: Float64Array;
  private readonly winner: Int32Array;
  constructor(private readonly ranges: readonly Range[]) {
    const n = ranges.length;
    const start = new Float64Array(n);
    const end = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      start[i] = parseInt(ranges[i]!.start_hex, 16);
      end[i] = parseInt(ranges[i]!.end_hex, 16);
    }
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => start[a]! - start[b]!);
    const all = new Float64Array(2 * n);
    all.set(start);
    for (let i = 0; i < n; i++) all[n + i] = end[i]! + 1;
    all.sort();
    let m = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i]!;
    const cuts = all.subarray(0, m);
    const less = (a: number, b: number): boolean => {
      const sa = end[a]! - start[a]!;
      const sb = end[b]! - start[b]!;
      if (sa !== sb) return sa < sb;
      if (start[a] !== start[b]) return start[a]! > start[b]!;
      return ranges[a]!.source < ranges[b]!.source;
    };
    const { keep, winners } = sweep(cuts, order, (i) => start[i]!, (i) => end[i]!, less);
    this.cuts = Float64Array.from(keep, (c) => cuts[c]!);
    this.winner = winners;
  }
  find(key: number): Range | undefined {
    const at = lastAtOrBefore(this.cuts, key);
    const w = at < 0 ? -1 : this.winner[at]!;
    return w < 0 ? undefined : this.ranges[w];
  }
}

/** IPv6: addresses as fixed-width hex text, which sorts like the numbers. */
class V6Index {
  private readonly cuts: string[];
  private readonly winner: Int32Array;
  constructor(private readonly ranges: readonly Range[]) {
    const order = ranges.map((_, i) => i).sort((a, b) => (ranges[a]!.start_hex < ranges[b]!.start_hex ? -1 : ranges[a]!.start_hex > ranges[b]!.start_hex ? 1 : 0));
    const points = new Set<string>();
    for (const r of ranges) {
      points.add(r.start_hex);
      const after = nextHex(r.end_hex);
      if (after !== undefined) points.add(after);
    }
    const cuts = [...points].sort();
    const less = (a: number, b: number): boolean => compareSpecificity(ranges[a]!, ranges[b]!) < 0;
    const { keep, winners } = sweep(cuts, order, (i) => ranges[i]!.start_hex, (i) => ranges[i]!.end_hex, less);
    this.cuts = keep.map((c) => cuts[c]!);
    this.winner = winners;
  }
  find(hex: string): Range | undefined {
    const at = lastAtOrBefore(this.cuts, hex);
    const w = at < 0 ? -1 : this.winner[at]!;
    return w < 0 ? undefined : this.ranges[w];
  }
}

export interface AsIndexRow {
  family: number;
  start_hex: string;
  end_hex: string;
  /** As stored since migration 0009; computed when absent. */
  span_hex?: string;
  start_ip: string;
  end_ip: string;
  asn: number | string;
  name: string | null;
  source: string;
}

export class AsIndex {
  private readonly v4: V4Index;
  private readonly v6: V6Index;
  private readonly count: number;

  constructor(rows: readonly AsIndexRow[]) {
    const v4: Range[] = [];
    const v6: Range[] = [];
    for (const row of rows) {
      (row.family === 4 ? v4 : v6).push({
        start_hex: row.start_hex,
        end_hex: row.end_hex,
        // IPv4 sizes are compared as numbers; IPv6 ones as the stored fixed-width hex.
        span_hex: row.family === 4 ? '' : row.span_hex || rangeLpmKeys(row.start_hex, row.end_hex).span_hex,
        source: row.source,
        startIp: row.start_ip,
        endIp: row.end_ip,
        asn: Number(row.asn),
        name: row.name,
      });
    }
    this.v4 = new V4Index(v4);
    this.v6 = new V6Index(v6);
    this.count = v4.length + v6.length;
  }

  get size(): number {
    return this.count;
  }

  lookup(ip: string): AsInfo | undefined {
    if (this.size === 0) return undefined;
    const b = ipBytes(ip);
    if (!b) return undefined;
    const x = b.bytes;
    const r = b.family === 4 ? this.v4.find(((x[0]! << 24) | (x[1]! << 16) | (x[2]! << 8) | x[3]!) >>> 0) : this.v6.find(Buffer.from(x).toString('hex'));
    if (!r) return undefined;
    if (r.network === undefined) r.network = cidrPrefixLength(r.start_hex, r.end_hex) === undefined ? null : rangeNetwork(r.start_hex, r.end_hex, r.startIp, r.endIp, r.startIp);
    return { network: r.network ?? cidrContaining(r.startIp, r.endIp, ip), asn: r.asn, name: r.name, source: r.source };
  }
}
