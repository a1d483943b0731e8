import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { canonicalIp, canonicalNetwork, ipBytes, ipInteger, networkBounds, networkContains, networkText, parseNetwork, rangeToCidrs, type Network } from './ip.js';

function net(text: string): Network {
  const p = parseNetwork(text);
  if (!p.ok) throw new Error(p.reason);
  return p.network;
}

describe('canonicalIp', () => {
  it('keeps a dotted quad and trims it', () => {
    expect(canonicalIp(' 192.0.2.1 ')).toBe('192.0.2.1');
  });

  it('compresses and lower-cases IPv6 (RFC 5952)', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('0:0:0:0:0:0:0:0')).toBe('::');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(canonicalIp('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(canonicalIp('::FFFF:0102:0304')).toBe('1.2.3.4');
  });

  it('refuses out-of-range and legacy IPv4 forms', () => {
    expect(canonicalIp('999.1.1.1')).toBeUndefined();
    expect(canonicalIp('10.1')).toBeUndefined();
    expect(canonicalIp('0x0a.0.0.1')).toBeUndefined();
    expect(canonicalIp('3232235777')).toBeUndefined();
  });

  it('refuses names, networks and the empty string', () => {
    expect(canonicalIp('example.com')).toBeUndefined();
    expect(canonicalIp('10.0.0.0/8')).toBeUndefined();
    expect(canonicalIp('')).toBeUndefined();
    expect(canonicalIp('2001:db8::1::2')).toBeUndefined();
  });
});

describe('ipBytes', () => {
  it('gives the family and bytes', () => {
    expect(ipBytes('10.0.0.1')).toEqual({ family: 4, bytes: Uint8Array.from([10, 0, 0, 1]) });
    const v6 = ipBytes('2001:db8::1');
    expect(v6?.family).toBe(6);
    expect(v6?.bytes.length).toBe(16);
    expect(v6?.bytes[15]).toBe(1);
    expect(ipBytes('::ffff:10.0.0.1')?.family).toBe(4);
  });
});

describe('parseNetwork', () => {
  it('parses IPv4 and IPv6 networks', () => {
    expect(networkText(net('10.0.0.0/8'))).toBe('10.0.0.0/8');
    expect(net('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8 });
    expect(networkText(net('2001:DB8::/32'))).toBe('2001:db8::/32');
    expect(net('2001:db8::/32')).toMatchObject({ family: 6, prefix: 32 });
    expect(net('0.0.0.0/0').prefix).toBe(0);
  });

  it('reads a bare address as a host network', () => {
    expect(net('192.0.2.7')).toMatchObject({ family: 4, prefix: 32 });
    expect(net('2001:db8::1')).toMatchObject({ family: 6, prefix: 128 });
  });

  it('refuses host bits and suggests the network', () => {
    const p = parseNetwork('10.0.0.1/8');
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.reason).toContain('host bits');
      expect(p.reason).toContain('did you mean 10.0.0.0/8?');
    }
    const v6 = parseNetwork('2001:db8::1/64');
    expect(!v6.ok && v6.reason).toContain('did you mean 2001:db8::/64?');
  });

  it('maps an IPv4-mapped IPv6 network to its IPv4 network', () => {
    expect(networkText(net('::ffff:1.2.3.0/120'))).toBe('1.2.3.0/24');
    expect(parseNetwork('::ffff:0:0/95').ok).toBe(false);
  });

  it('refuses bad prefix lengths and bad addresses', () => {
    expect(parseNetwork('10.0.0.0/33').ok).toBe(false);
    expect(parseNetwork('2001:db8::/129').ok).toBe(false);
    expect(parseNetwork('10.0.0.0/').ok).toBe(false);
    expect(parseNetwork('10.0.0.0/-1').ok).toBe(false);
    expect(parseNetwork('10.0.0.0/8/8').ok).toBe(false);
    const bad = parseNetwork('example.com/24');
    expect(!bad.ok && bad.reason).toContain('not an IP address');
  });
});

describe('canonicalNetwork', () => {
  it('gives canonical CIDR text, a bare IP as a host network', () => {
    expect(canonicalNetwork('2001:0DB8:0000::/48')).toBe('2001:db8::/48');
    expect(canonicalNetwork('192.0.2.1')).toBe('192.0.2.1/32');
    expect(canonicalNetwork('10.0.0.1/8')).toBeUndefined();
  });
});

describe('networkContains', () => {
  it('contains itself, its subnets and its hosts', () => {
    expect(networkContains(net('10.0.0.0/8'), net('10.0.0.0/8'))).toBe(true);
    expect(networkContains(net('10.0.0.0/8'), net('10.20.0.0/16'))).toBe(true);
    expect(networkContains(net('10.0.0.0/8'), net('10.255.255.255'))).toBe(true);
    expect(networkContains(net('0.0.0.0/0'), net('203.0.113.9'))).toBe(true);
  });

  it('does not contain neighbours or supernets', () => {
    expect(networkContains(net('10.0.0.0/8'), net('11.0.0.0'))).toBe(false);
    expect(networkContains(net('10.20.0.0/16'), net('10.0.0.0/8'))).toBe(false);
    // Differs only in the last bit of the prefix.
    expect(networkContains(net('192.168.2.0/23'), net('192.168.4.1'))).toBe(false);
    expect(networkContains(net('192.168.2.0/23'), net('192.168.3.255'))).toBe(true);
  });

  it('works for IPv6 and never across families', () => {
    expect(networkContains(net('2001:db8::/32'), net('2001:db8:ffff::1'))).toBe(true);
    expect(networkContains(net('2001:db8::/32'), net('2001:db9::1'))).toBe(false);
    expect(networkContains(net('::/0'), net('10.0.0.1'))).toBe(false);
    expect(networkContains(net('0.0.0.0/0'), net('2001:db8::1'))).toBe(false);
  });

  it('treats a mapped address as the IPv4 host it names', () => {
    expect(networkContains(net('1.2.3.0/24'), net('::ffff:1.2.3.4'))).toBe(true);
  });
});

describe('parseNetwork fast IPv4 path', () => {
  it('agrees with the general parser on random dotted text', async () => {
    const fc = (await import('fast-check')).default;
    const ipaddr = (await import('ipaddr.js')).default;
    const octet = fc.oneof(fc.nat(300).map(String), fc.constantFrom('00', '01', '007', '-1', '', ' 1'));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 3, maxLength: 5 }), (parts) => {
        const text = parts.join('.');
        const p = parseNetwork(text);
        const valid = ipaddr.IPv4.isValidFourPartDecimal(text.trim());
        expect(p.ok).toBe(valid);
        if (p.ok && valid) expect([...p.network.bytes]).toEqual(ipaddr.IPv4.parse(text.trim()).toByteArray());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rangeToCidrs', () => {
  it('gives one block for an aligned range, the fewest blocks otherwise, in order', () => {
    expect(rangeToCidrs('192.0.2.0', '192.0.2.255')).toEqual(['192.0.2.0/24']);
    expect(rangeToCidrs('0.0.0.0', '255.255.255.255')).toEqual(['0.0.0.0/0']);
    expect(rangeToCidrs('10.0.0.5', '10.0.0.5')).toEqual(['10.0.0.5/32']);
    expect(rangeToCidrs('192.0.2.1', '192.0.2.8')).toEqual(['192.0.2.1/32', '192.0.2.2/31', '192.0.2.4/30', '192.0.2.8/32']);
    expect(rangeToCidrs('2001:db8::', '2001:db8:0:ffff:ffff:ffff:ffff:ffff')).toEqual(['2001:db8::/48']);
    expect(rangeToCidrs('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual(['::/0']);
  });

  it('refuses what is not a range of one family', () => {
    expect(rangeToCidrs('10.0.0.2', '10.0.0.1')).toBeUndefined();
    expect(rangeToCidrs('10.0.0.0', '2001:db8::')).toBeUndefined();
    expect(rangeToCidrs('nope', '10.0.0.1')).toBeUndefined();
  });

  it('covers exactly the range with aligned blocks that could not be fewer (IPv4, random ranges)', () => {
    const text = (v: number): string => [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const blocks = rangeToCidrs(text(lo), text(hi))!;
        let next = BigInt(lo);
        for (const [i, cidr] of blocks.entries()) {
          const bounds = networkBounds(cidr)!;
          expect(bounds.first).toBe(next);
          // Greedy largest-first: no block could have been doubled in place.
          const size = bounds.last - bounds.first + 1n;
          const doubled = bounds.first % (size * 2n) === 0n && bounds.first + size * 2n - 1n <= BigInt(hi);
          expect(doubled, `${cidr} (block ${i})`).toBe(false);
          next = bounds.last + 1n;
        }
        expect(next).toBe(BigInt(hi) + 1n);
        expect(blocks.length).toBeLessThanOrEqual(62);
      }),
    );
  });
});

describe('networkBounds and ipInteger', () => {
  it('give first and last address as integers', () => {
    expect(networkBounds('192.0.2.0/24')).toEqual({ family: 4, first: 0xc0000200n, last: 0xc00002ffn });
    expect(networkBounds('192.0.2.7')).toEqual({ family: 4, first: 0xc0000207n, last: 0xc0000207n });
    expect(networkBounds('2001:db8::/32')?.last).toBe((0x20010db8n << 96n) | ((1n << 96n) - 1n));
    expect(networkBounds('10.0.0.1/8')).toBeUndefined();
    expect(ipInteger('::ffff:192.0.2.1')).toEqual({ family: 4, value: 0xc0000201n });
    expect(ipInteger('x')).toBeUndefined();
  });
});
