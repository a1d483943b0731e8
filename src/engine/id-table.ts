// A read-only map from 32-bit integer keys to lists of small integer ids, for the engine's hot
// look-ups (the look-alike candidate index, the q-gram index). Slots are taken from a key's low
// bits: callers pass keys whose low bits are well mixed.

/**
 * 32-bit key → list of ids, open addressing over typed arrays: keys stay integers (a Map
 * boxes keys past 2^30) and a lookup reads a few array slots.
 */
export class IdTable {
  private readonly mask: number;
  private readonly slots: Int32Array; // entry + 1, 0 = empty
  private readonly keys: Int32Array;
  readonly starts: Int32Array;
  readonly ids: Int32Array;

  constructor(map: ReadonlyMap<number, readonly number[]>) {
    let size = 16;
    while (size < map.size * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size);
    this.keys = new Int32Array(map.size);
    this.starts = new Int32Array(map.size + 1);
    const ids: number[] = [];
    let e = 0;
    for (const [k, list] of map) {
      this.keys[e] = k | 0;
      this.starts[e] = ids.length;
      ids.push(...list);
      let i = k & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = e + 1;
      e++;
    }
    this.starts[e] = ids.length;
    this.ids = Int32Array.from(ids);
  }

  /** The entry of `key`, or -1. */
  find(key: number): number {
    const k = key | 0;
    for (let i = k & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i]!;
      if (slot === 0) return -1;
      if (this.keys[slot - 1] === k) return slot - 1;
    }
  }
}
