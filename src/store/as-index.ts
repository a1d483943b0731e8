// An in-memory IP → AS index built from the store's ranges, for bulk work (enriching a whole
// ingest, a server answering many lookups): a binary search over sorted typed arrays, about a
// microsecond per lookup. It is derived state that any worker can rebuild from the shared
// store; one-off lookups query the store directly (Store.asForIp).
import { ipBytes } from '../fields/ip.js';
import type { AsInfo } from './read.js';
import { cidrContaining } from './read.js';

interface Range {
  start: string; // hex key
  end: string;
  startIp: string;
  endIp: string;
  asn: number;
  name: string | null;
  source: string;
}

/** How far back to look for a wider range that nests the nearest one (pfx2as prefixes). */
const NEARBY = 16;

class FamilyIndex {
  private readonly ranges: Range[];
  constructor(ranges: Range[]) {
    this.ranges = ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  find(key: string): Range | undefined {
    const r = this.ranges;
    let lo = 0;
    let hi = r.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (r[mid]!.start <= key) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let best: Range | undefined;
    // The nearest containing range starts last; among ranges starting there, the shortest is
    // the most specific. Ranges that start earlier can only be wider.
    for (let i = at; i >= 0 && i > at - NEARBY; i--) {
      const x = r[i]!;
      if (x.end < key) continue;
      if (!best) best = x;
      else if (x.start !== best.start) break;
      else if (x.end < best.end) best = x;
    }
    return best;
  }

  get size(): number {
    return this.ranges.length;
  }
}

export class AsIndex {
  private readonly v4: FamilyIndex;
  private readonly v6: FamilyIndex;

  constructor(rows: readonly { family: number; start_hex: string; end_hex: string; start_ip: string; end_ip: string; asn: number | string; name: string | null; source: string }[]) {
    const v4: Range[] = [];
    const v6: Range[] = [];
    for (const row of rows) {
      (row.family === 4 ? v4 : v6).push({
        start: row.start_hex,
        end: row.end_hex,
        startIp: row.start_ip,
        endIp: row.end_ip,
        asn: Number(row.asn),
        name: row.name,
        source: row.source,
      });
    }
    this.v4 = new FamilyIndex(v4);
    this.v6 = new FamilyIndex(v6);
  }

  get size(): number {
    return this.v4.size + this.v6.size;
  }

  lookup(ip: string): AsInfo | undefined {
    if (this.size === 0) return undefined;
    const b = ipBytes(ip);
    if (!b) return undefined;
    const key = Buffer.from(b.bytes).toString('hex');
    const r = (b.family === 4 ? this.v4 : this.v6).find(key);
    if (!r) return undefined;
    return { network: cidrContaining(r.startIp, r.endIp, ip), asn: r.asn, name: r.name, source: r.source };
  }
}
