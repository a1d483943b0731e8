import { describe, expect, it } from 'vitest';
import { candidateBlocks, cidrPrefixLength, compareSpecificity, rangeLpmKeys } from './as-lpm.js';

describe('longest-prefix keys', () => {
  it('keys a range by the smallest CIDR block enclosing it, and its size', () => {
    expect(rangeLpmKeys('20000000', '20ffffff')).toEqual({ block: '20000000/8', span_hex: '00ffffff' });
    expect(rangeLpmKeys('200a0000', '200a3fff')).toEqual({ block: '200a0000/18', span_hex: '00003fff' });
    // Not aligned: 1.0.1.0-1.0.2.255 sits in 1.0.0.0/22.
    expect(rangeLpmKeys('01000100', '010002ff')).toEqual({ block: '01000000/22', span_hex: '000001ff' });
    expect(rangeLpmKeys('01020304', '01020304')).toEqual({ block: '01020304/32', span_hex: '00000000' });
    expect(rangeLpmKeys('00000000', 'ffffffff')).toEqual({ block: '00000000/0', span_hex: 'ffffffff' });
    expect(rangeLpmKeys('20010db8000000000000000000000000', '20010db8ffffffffffffffffffffffff').block).toBe('20010db8000000000000000000000000/32');
  });

  it('lists the W + 1 blocks holding an address, each the key a range holding it may have', () => {
    const blocks = candidateBlocks('20f0b927');
    expect(blocks).toHaveLength(33);
    expect(blocks[0]).toBe('00000000/0');
    expect(blocks[8]).toBe('20000000/8');
    expect(blocks[13]).toBe('20f00000/13');
    expect(blocks[15]).toBe('20f00000/15');
    expect(blocks[17]).toBe('20f08000/17');
    expect(blocks[32]).toBe('20f0b927/32');
    expect(candidateBlocks('20010db8000000000000000000000001')).toHaveLength(129);
    // Every range holding the address has its block among them.
    for (const [s, e] of [['20000000', '20ffffff'], ['20f0b900', '20f0b9ff'], ['20e00000', '20f0ffff'], ['20f0b927', '20f0b928']] as const) {
      expect(blocks).toContain(rangeLpmKeys(s, e).block);
    }
  });

  it('orders by size, then the later start, then source', () => {
    const k = (start_hex: string, span_hex: string, source: string): { start_hex: string; end_hex: string; span_hex: string; source: string } => ({ start_hex, end_hex: '', span_hex, source });
    expect(compareSpecificity(k('00000000', '000000ff', 'a'), k('00000000', '0000ffff', 'a'))).toBeLessThan(0);
    expect(compareSpecificity(k('00000100', '000000ff', 'b'), k('00000000', '000000ff', 'a'))).toBeLessThan(0);
    expect(compareSpecificity(k('00000000', '000000ff', 'a'), k('00000000', '000000ff', 'b'))).toBeLessThan(0);
    expect(compareSpecificity(k('00000000', '000000ff', 'a'), k('00000000', '000000ff', 'a'))).toBe(0);
  });

  it('tells a range that is one CIDR block, and its prefix length', () => {
    expect(cidrPrefixLength('20000000', '20ffffff')).toBe(8);
    expect(cidrPrefixLength('200a0000', '200a3fff')).toBe(18);
    expect(cidrPrefixLength('01020304', '01020304')).toBe(32);
    expect(cidrPrefixLength('00000000', 'ffffffff')).toBe(0);
    expect(cidrPrefixLength('00000000', '7fffffff')).toBe(1);
    expect(cidrPrefixLength('01000100', '010002ff')).toBeUndefined();
    expect(cidrPrefixLength('200a0000', '200a2fff')).toBeUndefined();
    expect(cidrPrefixLength('200a1000', '200a2fff')).toBeUndefined();
    expect(cidrPrefixLength('200a0001', '200a00ff')).toBeUndefined();
    expect(cidrPrefixLength('20010db8000000000000000000000000', '20010db8ffffffffffffffffffffffff')).toBe(32);
  });
});
