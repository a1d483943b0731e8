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
