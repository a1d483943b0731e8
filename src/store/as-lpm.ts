// IP → AS by longest-prefix match: what "the most specific range holding an address" means, and
// the keys that let the store find it with a bounded number of index seeks.
//
// Ranges come as prefixes (pfx2as, MMDB) that nest (32.0.0.0/8 holds 32.10.0.0/18 and many more),
// and as start–end ranges that need not be CIDR-aligned (iptoasn, ip-location-db), several
// sources side by side. The answer for an address is the smallest range containing it: for
// prefixes that is the longest matching prefix; ties (the same size) go to the range that starts
// last, then to the source that sorts first, so every path (SQL, the in-memory index, the tests'
// naive reference) gives the same answer.
//
// The store's key (migration 0009): each range's `block` is the smallest CIDR block enclosing it,
// written `<hex of the block's first address>/<prefix length>` (the common prefix of its first and
// last address). A range holding address x has its enclosing block holding x too, so its block is
// one of the W + 1 blocks that hold x (W = 32 or 128): `candidateBlocks(x)`. The lookup is then
// one query, `block IN (W + 1 keys)`, each an index seek, the rows filtered to those holding x.
// How many rows share one block: ranges of one table are disjoint, and a range whose enclosing
// block is B straddles B's midpoint, so each table puts at most one range on each block; the
// candidates are at most (W + 1) × the number of sources (plus ranges overlapping at that point).

export interface RangeKey {
  readonly start_hex: string;
  readonly end_hex: string;
  /** Fixed-width hex of end − start: compares as text like the sizes do as numbers. */
  readonly span_hex: string;
  readonly source: string;
}

/** Negative when `a` is more specific than `b` (smaller; then starts later; then source first). */
export function compareSpecificity(a: RangeKey, b: RangeKey): number {
  if (a.span_hex !== b.span_hex) return a.span_hex < b.span_hex ? -1 : 1;
  if (a.start_hex !== b.start_hex) return a.start_hex > b.start_hex ? -1 : 1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return 0;
}

function hexBig(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

function bigHex(v: bigint, digits: number): string {
  return v.toString(16).padStart(digits, '0');
}

/** The enclosing CIDR block key and the span of a range given by its fixed-width hex ends. */
export function rangeLpmKeys(startHex: string, endHex: string): { block: string; span_hex: string } {
  const digits = startHex.length;
  const bits = digits * 4;
  const s = hexBig(startHex);
  const e = hexBig(endHex);
  const span = e >= s ? e - s : 0n;
  let diff = s ^ e;
  let hostBits = 0;
  while (diff > 0n) {
    diff >>= 1n;
    hostBits++;
  }
  const block = (s >> BigInt(hostBits)) << BigInt(hostBits);
  return { block: `${bigHex(block, digits)}/${bits - hostBits}`, span_hex: bigHex(span, digits) };
}

const NIBBLE_MASK = ['0', '8', 'c', 'e'];

/** The block keys of every CIDR block holding the address with fixed-width hex `hex`, /0 to /W. */
export function candidateBlocks(hex: string): string[] {
  const digits = hex.length;
  const bits = digits * 4;
  const out: string[] = new Array<string>(bits + 1);
  for (let len = 0; len <= bits; len++) {
    const whole = len >> 2;
    const rest = len & 3;
    let key = hex.slice(0, whole);
    if (rest > 0) {
      const nibble = parseInt(hex[whole]!, 16) & parseInt(NIBBLE_MASK[rest]!, 16);
      key += nibble.toString(16);
    }
    out[len] = `${key.padEnd(digits, '0')}/${len}`;
  }
  return out;
}

/**
 * The prefix length of a range that is exactly one CIDR block (its first address aligned, its
 * size a power of two), or undefined: then its network depends on the address (cidrContaining).
 */
export function cidrPrefixLength(startHex: string, endHex: string): number | undefined {
  const n = startHex.length;
  let i = 0;
  while (i < n && startHex[i] === endHex[i]) i++;
  if (i === n) return n * 4;
  const s = parseInt(startHex[i]!, 16);
  const e = parseInt(endHex[i]!, 16);
  const host = s ^ e;
  // The differing low bits of this digit: all 0 in the start, all 1 in the end.
  if ((host & (host + 1)) !== 0 || (s & host) !== 0 || (e & host) !== host) return undefined;
  for (let j = i + 1; j < n; j++) if (startHex[j] !== '0' || endHex[j] !== 'f') return undefined;
  return 4 * i + 4 - (32 - Math.clz32(host));
}
