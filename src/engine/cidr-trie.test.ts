import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNetwork } from '../fields/ip.js';
import { CidrTrie, parseQuadInto } from './cidr-trie.js';

describe('parseQuadInto', () => {
  it('accepts exactly what parseNetwork accepts as a bare IPv4 address, with the same bytes', () => {
    const octet = fc.oneof(fc.nat(300).map(String), fc.constantFrom('00', '01', '-1', '', 'a', '1 '));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 2, maxLength: 5 }), (parts) => {
        const text = parts.join('.');
        const out = new Uint8Array(4);
        const ok = parseQuadInto(text, out);
        const p = parseNetwork(text);
        const expected = p.ok && p.network.family === 4 && p.network.prefix === 32 && !text.includes('/') && text.trim() === text;
        expect(ok).toBe(expected);
        if (ok && p.ok) expect([...out]).toEqual([...p.network.bytes]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('CidrTrie', () => {
  it('collects every stored network containing an address or network', () => {
    const t = new CidrTrie();
    const nets = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '192.168.0.0/16', '2001:db8::/32', '::/0'];
    nets.forEach((n, i) => {
      const p = parseNetwork(n);
      if (!p.ok) throw new Error(n);
      t.insert(p.network, i);
    });
    const found = (text: string): number[] => {
      const out: number[] = [];
      t.collectText(text, (v) => out.push(v));
      return out.sort();
    };
    expect(found('10.1.2.3')).toEqual([0, 1, 2, 3]);
    expect(found('10.1.0.0/16')).toEqual([0, 1, 2]);
    expect(found('10.0.0.0/7')).toEqual([0]);
    expect(found('2001:db8::1')).toEqual([5, 6]);
    expect(found('nonsense')).toEqual([]);
  });
});

describe('CidrTrie against a naive containment check', () => {
  /** Whether a/aPrefix contains b/bPrefix: the shorter prefix, and the same bits up to it. */
  function contains(a: Uint8Array, aPrefix: number, b: Uint8Array, bPrefix: number): boolean {
    if (a.length !== b.length || aPrefix > bPrefix) return false;
    for (let bit = 0; bit < aPrefix; bit++) {
      if (((a[bit >> 3]! ^ b[bit >> 3]!) >> (7 - (bit & 7))) & 1) return false;
    }
    return true;
  }

  /** `bytes` with the bits past `prefix` cleared (a network address, as parseNetwork wants it). */
  function masked(bytes: number[], prefix: number): number[] {
    return bytes.map((b, i) => b & (0xff << (8 - Math.max(0, Math.min(8, prefix - 8 * i)))) & 0xff);
  }
  const groups = (b: number[]): string => Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16)).join(':');

  // Few distinct leading bytes, so networks nest and share paths; both families.
  const v4Address = fc.tuple(fc.constantFrom(10, 11, 192), fc.constantFrom(0, 1, 128), fc.nat(255), fc.nat(255));
  const v4 = fc.tuple(v4Address, fc.nat(32)).map(([b, p]) => `${masked(b, p).join('.')}/${p}`);
  const v6 = fc
    .tuple(fc.constantFrom([0x20, 0x01, 0x0d, 0xb8], [0x20, 0x01, 0x0d, 0xb9], [0xfe, 0x80, 0, 0]), fc.array(fc.nat(255), { minLength: 12, maxLength: 12 }), fc.nat(72))
    .map(([head, tail, p]) => `${groups(masked([...head, ...tail], p))}/${p}`);
  const net = fc.oneof(v4, v4, v6);

  it('collects exactly the stored networks that contain each address or network, in both families', () => {
    fc.assert(
      fc.property(fc.array(net, { minLength: 1, maxLength: 40 }), fc.array(fc.oneof(net, v4Address.map((b) => b.join('.')))), (stored, queries) => {
        const t = new CidrTrie();
        const parsed = stored.map((s) => {
          const p = parseNetwork(s);
          if (!p.ok) throw new Error(s);
          return p.network;
        });
        parsed.forEach((n, i) => t.insert(n, i));
        for (const q of [...queries, ...stored]) {
          const p = parseNetwork(q);
          if (!p.ok) continue;
          const got: number[] = [];
          t.collectText(q, (v) => got.push(v));
          const expected = parsed.flatMap((n, i) => (contains(n.bytes, n.prefix, p.network.bytes, p.network.prefix) ? [i] : []));
          expect(got.sort((x, y) => x - y), q).toEqual(expected);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
