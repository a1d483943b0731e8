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
import { compareSpecificity, rangeLpmKeys } from './as-lpm.js';
import type { AsInfo } from './read.js';
import { cidrContaining } from './read.js';

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

/** A binary min-heap of range numbers under compareSpecificity. */
class Heap {
  private readonly items: number[] = [];
  constructor(private readonly ranges: readonly Range[]) {}
  get top(): number | undefined {
    return this.items[0];
  }
  private less(a: number, b: number): boolean {
    return compareSpecificity(this.ranges[a]!, this.ranges[b]!) < 0;
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

class FamilyIndex {
  /** First address (hex) of each elementary interval, ascending; IPv4 also as numbers. */
  private readonly cuts: string[] = [];
  private readonly cuts4: Uint32Array | undefined;
  /** The range answering for each interval, or -1. */
  private readonly winner: Int32Array;

  constructor(
    private readonly ranges: Range[],
    v4: boolean,
  ) {
    const order = ranges.map((_, i) => i).sort((a, b) => (ranges[a]!.start_hex < ranges[b]!.start_hex ? -1 : ranges[a]!.start_hex > ranges[b]!.start_hex ? 1 : 0));
    const points = new Set<string>();
    for (const r of ranges) {
      points.add(r.start_hex);
      const after = nextHex(r.end_hex);
      if (after !== undefined) points.add(after);
    }
    const sorted = [...points].sort();
    const heap = new Heap(ranges);
    const winners: number[] = [];
    let next = 0;
    for (const cut of sorted) {
      while (next < order.length && ranges[order[next]!]!.start_hex <= cut) heap.push(order[next++]!);
      // Ranges that ended before this cut leave the heap when they reach its top; the top is the
      // most specific of all in the heap, so once it is open it is the most specific open range.
      while (heap.top !== undefined && ranges[heap.top]!.end_hex < cut) heap.pop();
      const w = heap.top ?? -1;
      if (winners.length > 0 && winners[winners.length - 1] === w) continue;
      this.cuts.push(cut);
      winners.push(w);
    }
    this.winner = Int32Array.from(winners);
    this.cuts4 = v4 ? Uint32Array.from(this.cuts, (h) => parseInt(h, 16)) : undefined;
  }

  private at(i: number): Range | undefined {
    const w = i < 0 ? -1 : this.winner[i]!;
    return w < 0 ? undefined : this.ranges[w];
  }

  find4(key: number): Range | undefined {
    const c = this.cuts4!;
    let lo = 0;
    let hi = c.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! <= key) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return this.at(at);
  }

  find(hex: string): Range | undefined {
    const c = this.cuts;
    let lo = 0;
    let hi = c.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! <= hex) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return this.at(at);
  }

  get size(): number {
    return this.ranges.length;
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
  private readonly v4: FamilyIndex;
  private readonly v6: FamilyIndex;

  constructor(rows: readonly AsIndexRow[]) {
    const v4: Range[] = [];
    const v6: Range[] = [];
    for (const row of rows) {
      (row.family === 4 ? v4 : v6).push({
        start_hex: row.start_hex,
        end_hex: row.end_hex,
        span_hex: row.span_hex || rangeLpmKeys(row.start_hex, row.end_hex).span_hex,
        source: row.source,
        startIp: row.start_ip,
        endIp: row.end_ip,
        asn: Number(row.asn),
        name: row.name,
      });
    }
    this.v4 = new FamilyIndex(v4, true);
    this.v6 = new FamilyIndex(v6, false);
  }

  get size(): number {
    return this.v4.size + this.v6.size;
  }

  lookup(ip: string): AsInfo | undefined {
    if (this.size === 0) return undefined;
    const b = ipBytes(ip);
    if (!b) return undefined;
    const x = b.bytes;
    const r = b.family === 4 ? this.v4.find4(((x[0]! << 24) | (x[1]! << 16) | (x[2]! << 8) | x[3]!) >>> 0) : this.v6.find(Buffer.from(x).toString('hex'));
    if (!r) return undefined;
    if (r.network === undefined) {
      const first = cidrContaining(r.startIp, r.endIp, r.startIp);
      r.network = first === cidrContaining(r.startIp, r.endIp, r.endIp) ? first : null;
    }
    return { network: r.network ?? cidrContaining(r.startIp, r.endIp, ip), asn: r.asn, name: r.name, source: r.source };
  }
}
