// A full-size RouteViews / CAIDA pfx2as table, generated deterministically with the real table's
// shape (a full table is not in the repository): about a million IPv4 prefixes, most of them /24s,
// nested in /16–/22 aggregates that sit in a few legacy /8s or stand alone, and IPv6 /48s inside
// /32s inside /2x allocations. It holds the issue's case: 32.0.0.0/8 → AS2686 with 32.10.0.0/18 →
// AS8030 and many more specific prefixes, none of them holding 32.240.185.39.
import { rng } from '../demo/words.js';

export interface Pfx2asPrefix {
  readonly family: 4 | 6;
  /** IPv4: the first address as an unsigned 32-bit number; IPv6: as a 128-bit bigint. */
  readonly value: bigint;
  readonly length: number;
  readonly asn: number;
}

export interface Pfx2asTable {
  /** The table's text: `prefix<TAB>length<TAB>asn` lines (MOAS and AS sets included). */
  readonly text: string;
  readonly prefixes: readonly Pfx2asPrefix[];
}

export function v4Text(v: bigint): string {
  const n = Number(v);
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function v6Text(v: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(16 * i)) & 0xffffn).toString(16));
  return groups.join(':');
}

/** 32.240.0.0/12 holds the issue's address: only the /8 covers it. */
const ISSUE_HOLE = { value: (32n << 24n) | (240n << 16n), length: 12 };

function inside(v: bigint, len: number, outer: { value: bigint; length: number }, bits: number): boolean {
  if (len < outer.length) return (outer.value >> BigInt(bits - len)) === (v >> BigInt(bits - len));
  return (v >> BigInt(bits - outer.length)) === (outer.value >> BigInt(bits - outer.length));
}

export function generatePfx2asTable(v4Target = 1_000_000, v6Target = 120_000, seed = 12): Pfx2asTable {
  const r = rng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const seen = new Map<string, Pfx2asPrefix>();
  const add = (family: 4 | 6, value: bigint, length: number, asn: number): void => {
    const key = `${family}:${value}/${length}`;
    if (seen.has(key)) return;
    seen.set(key, { family, value, length, asn });
  };
  const asn = (): number => 1 + int(400_000);

  // The issue's case, and other legacy /8s holding many more specific prefixes.
  add(4, 32n << 24n, 8, 2686);
  add(4, (32n << 24n) | (10n << 16n), 18, 8030);
  const legacy = [3, 4, 6, 8, 9, 11, 12, 15, 16, 17, 18, 19, 32, 44, 48, 53, 55, 56, 57];
  for (const o of legacy) if (o !== 32) add(4, BigInt(o) << 24n, 8, asn());
  // Aggregates (/12–/22), each announced with probability 0.7, with more specifics down to /24.
  // (IPv4 arithmetic in numbers: the table is large and BigInt is slow.)
  const mask = (len: number): number => (len === 0 ? 0 : (~0 << (32 - len)) >>> 0);
  const hole = (v: number, len: number): boolean => len >= 12 ? (v & mask(12)) >>> 0 === Number(ISSUE_HOLE.value) : inside(BigInt(v), len, ISSUE_HOLE, 32);
  const lengths = [12, 13, 14, 15, 16, 16, 16, 17, 18, 19, 19, 20, 20, 20, 21, 21, 22, 22, 22];
  while (seen.size < v4Target) {
    const first = r() < 0.25 ? legacy[int(legacy.length)]! : 1 + int(222);
    if (first === 10 || first === 127) continue;
    const aggLen = lengths[int(lengths.length)]!;
    const agg = ((first * 2 ** 24 + int(2 ** 24)) & mask(aggLen)) >>> 0;
    if (hole(agg, aggLen)) continue;
    const owner = asn();
    if (r() < 0.7) add(4, BigInt(agg), aggLen, owner);
    const specifics = int(Math.min(1 << (24 - aggLen), 64)) + 1;
    for (let i = 0; i < specifics; i++) {
      const len = r() < 0.75 ? 24 : aggLen + 1 + int(24 - aggLen);
      const v = ((agg + int(2 ** (32 - aggLen))) & mask(len)) >>> 0;
      if (hole(v, len)) continue;
      add(4, BigInt(v), len, r() < 0.8 ? owner : asn());
    }
  }
  // IPv6: /2x allocations in 2000::/4, /32s (and others) inside, /48s inside those.
  const below = (len: number): bigint => {
    let v = 0n;
    for (let k = 0; k < 4; k++) v = (v << 32n) | BigInt(int(2 ** 32));
    return v & ((1n << BigInt(128 - len)) - 1n);
  };
  const prefix = (v: bigint, len: number): bigint => v & ~((1n << BigInt(128 - len)) - 1n);
  let v6 = 0;
  while (v6 < v6Target) {
    const allocLen = 19 + int(10);
    const alloc = prefix((0x2n << 124n) | below(4), allocLen);
    const owner = asn();
    if (r() < 0.5) {
      add(6, alloc, allocLen, owner);
      v6++;
    }
    for (let i = int(8) + 1; i > 0; i--) {
      const len = r() < 0.6 ? 32 : allocLen + 1 + int(48 - allocLen);
      const mid = prefix(alloc | below(allocLen), len);
      add(6, mid, len, r() < 0.7 ? owner : asn());
      v6++;
      for (let j = int(6); j > 0 && len < 48; j--) {
        add(6, prefix(mid | below(len), 48), 48, asn());
        v6++;
      }
    }
  }
  const prefixes = [...seen.values()];
  const lines: string[] = [];
  let i = 0;
  for (const p of prefixes) {
    // Some multi-origin (X_Y) and AS-set (X,Y) fields: the parser keeps the first origin.
    const field = i++ % 97 === 0 ? `${p.asn}_${p.asn + 1}` : i % 101 === 0 ? `${p.asn},${p.asn + 7}` : String(p.asn);
    lines.push(`${p.family === 4 ? v4Text(p.value) : v6Text(p.value)}\t${p.length}\t${field}`);
  }
  return { text: `${lines.join('\n')}\n`, prefixes };
}

/**
 * The naive longest-prefix match over a prefix table: for each length from the longest down,
 * is the address's prefix of that length in the table? (One hash set per length; no ordering,
 * no nesting assumptions.)
 */
export class NaiveLongestPrefix {
  // Keys: IPv4 prefixes as numbers, IPv6 ones as hex text (bigint keys hash slowly).
  private readonly byLength = new Map<string, Map<number | string, Pfx2asPrefix>>();
  constructor(prefixes: readonly Pfx2asPrefix[]) {
    for (const p of prefixes) {
      const k = `${p.family}/${p.length}`;
      let m = this.byLength.get(k);
      if (!m) this.byLength.set(k, (m = new Map<number | string, Pfx2asPrefix>()));
      m.set(p.family === 4 ? Number(p.value) : p.value.toString(16), p);
    }
  }
  lookup(family: 4 | 6, address: bigint): Pfx2asPrefix | undefined {
    const bits = family === 4 ? 32 : 128;
    for (let len = bits; len >= 0; len--) {
      const masked = address & ~((1n << BigInt(bits - len)) - 1n) & ((1n << BigInt(bits)) - 1n);
      const hit = this.byLength.get(`${family}/${len}`)?.get(family === 4 ? Number(masked) : masked.toString(16));
      if (hit) return hit;
    }
    return undefined;
  }
}

/** `n` addresses, each inside a prefix of the table picked at random (deterministic). */
export function addressesInside(prefixes: readonly Pfx2asPrefix[], n: number, seed = 7): { family: 4 | 6; value: bigint; text: string }[] {
  const r = rng(seed);
  const out: { family: 4 | 6; value: bigint; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const p = prefixes[Math.floor(r() * prefixes.length)]!;
    const bits = p.family === 4 ? 32 : 128;
    let rand = 0n;
    for (let k = 0; k < bits / 32; k++) rand = (rand << 32n) | BigInt(Math.floor(r() * 2 ** 32));
    const value = p.value | (rand & ((1n << BigInt(bits - p.length)) - 1n));
    out.push({ family: p.family, value, text: p.family === 4 ? v4Text(value) : v6Text(value) });
  }
  return out;
}
