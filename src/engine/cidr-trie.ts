// A binary prefix trie of networks (one per address family): looking up an address or a network
// walks its bits once and collects every stored network that contains it.
import { parseNetwork, type Network } from '../fields/ip.js';

class FamilyTrie {
  // Node n's children are at zero[n] / one[n] (0 = none; node 0 is the root).
  private zero: Int32Array = new Int32Array(64);
  private one: Int32Array = new Int32Array(64);
  private values: (number[] | undefined)[] = [undefined];
  private size = 1;

  insert(bytes: Uint8Array, prefix: number, value: number): void {
    let n = 0;
    for (let bit = 0; bit < prefix; bit++) {
      const b = (bytes[bit >> 3]! >> (7 - (bit & 7))) & 1;
      const table = b === 0 ? this.zero : this.one;
      let next = table[n]!;
      if (next === 0) {
        next = this.newNode();
        (b === 0 ? this.zero : this.one)[n] = next;
      }
      n = next;
    }
    (this.values[n] ??= []).push(value);
  }

  private newNode(): number {
    if (this.size === this.zero.length) {
      const zero = new Int32Array(this.size * 2);
      zero.set(this.zero);
      const one = new Int32Array(this.size * 2);
      one.set(this.one);
      this.zero = zero;
      this.one = one;
    }
    this.values.push(undefined);
    return this.size++;
  }

  /** Values of every stored network of length ≤ `prefix` that contains `bytes/prefix`. */
  collect(bytes: Uint8Array, prefix: number, out: (value: number) => void): void {
    let n = 0;
    for (let bit = 0; ; bit++) {
      const v = this.values[n];
      if (v) for (const x of v) out(x);
      if (bit === prefix) return;
      const b = (bytes[bit >> 3]! >> (7 - (bit & 7))) & 1;
      n = (b === 0 ? this.zero : this.one)[n]!;
      if (n === 0) return;
    }
  }
}

export class CidrTrie {
  private readonly v4 = new FamilyTrie();
  private readonly v6 = new FamilyTrie();

  insert(network: Network, value: number): void {
    (network.family === 4 ? this.v4 : this.v6).insert(network.bytes, network.prefix, value);
  }

  collect(network: Network, out: (value: number) => void): void {
    (network.family === 4 ? this.v4 : this.v6).collect(network.bytes, network.prefix, out);
  }

  private readonly quad = new Uint8Array(4);

  /**
   * `collect` for the text of an IP or network value. Plain dotted quads, the common case, are
   * parsed here without allocating; everything else goes through parseNetwork.
   */
  collectText(text: string, out: (value: number) => void): void {
    if (parseQuadInto(text, this.quad)) return this.v4.collect(this.quad, 32, out);
    const parsed = parseNetwork(text);
    if (parsed.ok) this.collect(parsed.network, out);
  }
}

/** Strict dotted quad (no leading zeros, 0-255), as parseNetwork accepts it; false otherwise. */
export function parseQuadInto(text: string, out: Uint8Array): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 3) return false;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false; // leading zero
      value = value * 10 + (c - 48);
      if (value > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  return part === 4;
}
