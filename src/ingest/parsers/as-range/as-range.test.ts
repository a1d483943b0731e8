import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, it, expect } from 'vitest';
import { canonicalIp, parseNetwork } from '../../../fields/ip.js';
import {
  baseName,
  bytesText,
  checkRange,
  integerFamilyOf,
  looksLikeHeader,
  parseAsn,
  parseEndpoint,
  parsePrefixRange,
  parseRange,
  prefixBounds,
  sniffLines,
  tableConfidence,
  tableLineParser,
} from './as-range.js';

describe('parseAsn', () => {
  it('takes 32-bit decimal AS numbers', () => {
    expect(parseAsn('0')).toBe(0);
    expect(parseAsn('13335')).toBe(13335);
    expect(parseAsn('4294967295')).toBe(4294967295);
    expect(parseAsn('0013335')).toBe(13335);
  });

  it('refuses signs, hex, AS prefixes, overflow and empty text', () => {
    for (const t of ['', '-1', '+5', '0x10', 'AS13335', '4294967296', '99999999999', '1.5', ' 1']) expect(parseAsn(t)).toBeUndefined();
  });
});

describe('bytesText', () => {
  it('writes what canonicalIp writes, for any address bytes', () => {
    // Zero-heavy groups, so that runs of zeros, ties and mapped prefixes come up often.
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const bytes = Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
        const viaLibrary = canonicalIp((ipaddr.fromByteArray([...bytes]) as ipaddr.IPv6).toRFC5952String());
        expect(bytesText(bytes)).toBe(viaLibrary);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
        expect(bytesText(bytes)).toBe(canonicalIp(ipaddr.fromByteArray([...bytes]).toString()));
      }),
    );
  });

  it('handles the edge cases of RFC 5952', () => {
    const t = (hex: string): string | undefined => bytesText(Uint8Array.from(Buffer.from(hex, 'hex')));
    expect(t('00000000000000000000000000000000')).toBe('::');
    expect(t('00000000000000000000000000000001')).toBe('::1');
    expect(t('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1');
    expect(t('20010db8000000000001000000000001')).toBe('2001:db8::1:0:0:1');
    expect(t('20010db8000100010001000100010001')).toBe('2001:db8:1:1:1:1:1:1');
    expect(t('20010db8000000010001000100010001')).toBe('2001:db8:0:1:1:1:1:1');
    expect(t('00000000000000000000ffff01020304')).toBe('1.2.3.4');
    expect(t('0000000000000000000000000102' + '0304')).toBe('::102:304');
    expect(bytesText(new Uint8Array(5))).toBeUndefined();
  });
});

describe('parseEndpoint', () => {
  it('canonicalises text addresses, mapped IPv6 included', () => {
    expect(parseEndpoint('2001:DB8::0:1', 4)).toMatchObject({ ok: true, endpoint: { text: '2001:db8::1', family: 6 } });
    expect(parseEndpoint('::ffff:1.2.3.4', 4)).toMatchObject({ ok: true, endpoint: { text: '1.2.3.4', family: 4 } });
  });

  it('reads integers as IPv4 or, when told, IPv6', () => {
    expect(parseEndpoint('16777216', 4)).toMatchObject({ ok: true, endpoint: { text: '1.0.0.0' } });
    expect(parseEndpoint('4294967295', 4)).toMatchObject({ ok: true, endpoint: { text: '255.255.255.255' } });
    expect(parseEndpoint('4294967296', 4).ok).toBe(false);
    expect(parseEndpoint('42540528726795050063891204319802818560', 6)).toMatchObject({ ok: true, endpoint: { text: '2001:200::' } });
    expect(parseEndpoint('1'.repeat(60), 6).ok).toBe(false);
  });

  it('refuses what is not an address', () => {
    for (const t of ['', '1.2.3', '256.0.0.0', 'example.com', '1.2.3.4/24', '::1::2']) expect(parseEndpoint(t, 4).ok).toBe(false);
  });
});

describe('ranges', () => {
  it('accepts ordered same-family ranges, single addresses included', () => {
    expect(parseRange('1.0.0.0', '1.0.0.255', 4)).toEqual({ ok: true, start: '1.0.0.0', end: '1.0.0.255' });
    expect(parseRange('::1', '::1', 4)).toEqual({ ok: true, start: '::1', end: '::1' });
  });

  it('refuses reversed and mixed ranges with a reason', () => {
    const reversed = parseRange('1.0.0.255', '1.0.0.0', 4);
    expect(reversed.ok ? '' : reversed.reason).toMatch(/after its end/);
    const mixed = parseRange('1.0.0.0', '::1', 4);
    expect(mixed.ok ? '' : mixed.reason).toMatch(/mixes IPv4/);
    // A mapped address is IPv4, so it cannot end an IPv6 range.
    const s = parseEndpoint('::fffe:0:0', 4);
    const e = parseEndpoint('::ffff:0:1', 4);
    if (!s.ok || !e.ok) throw new Error('endpoints');
    expect(checkRange(s.endpoint, e.endpoint).ok).toBe(false);
  });

  it('reads IPv4 prefixes on its fast path exactly as fields/ip.ts parseNetwork does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }), fc.boolean(), (raw, len, clear) => {
        const bytes = clear ? prefixBounds(raw, len).first : raw;
        const text = [...bytes].join('.');
        const general = parseNetwork(`${text}/${len}`);
        const fast = parsePrefixRange(text, String(len));
        expect(fast.ok).toBe(general.ok);
        if (fast.ok && general.ok) {
          const { first, last } = prefixBounds(general.network.bytes, len);
          expect([fast.start, fast.end]).toEqual([[...first].join('.'), [...last].join('.')]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('turns prefixes into ranges and refuses set host bits', () => {
    expect(parsePrefixRange('1.0.0.0', '24')).toEqual({ ok: true, start: '1.0.0.0', end: '1.0.0.255' });
    expect(parsePrefixRange('0.0.0.0', '0')).toEqual({ ok: true, start: '0.0.0.0', end: '255.255.255.255' });
    expect(parsePrefixRange('2001:db8::', '32')).toEqual({ ok: true, start: '2001:db8::', end: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff' });
    expect(parsePrefixRange('1.0.0.1', '24').ok).toBe(false);
    expect(parsePrefixRange('1.0.0.0', '33').ok).toBe(false);
    expect(parsePrefixRange('1.0.0.0', 'x').ok).toBe(false);
  });
});

describe('file names and heads', () => {
  it('finds the integer family and base names', () => {
    expect(integerFamilyOf('/data/asn-ipv6-num.csv')).toBe(6);
    expect(integerFamilyOf('ip2asn-v6.tsv.gz')).toBe(6);
    expect(integerFamilyOf('ip2asn-v4-u32.tsv')).toBe(4);
    expect(integerFamilyOf(undefined)).toBe(4);
    expect(baseName('/x/Y/ip2asn-V4.tsv.gz')).toBe('ip2asn-v4.tsv');
  });

  it('samples complete text lines only', () => {
    expect(sniffLines(Buffer.from('a\n\nb\r\nc'))).toEqual(['a', 'b']);
    expect(sniffLines(Buffer.from('only'))).toEqual(['only']);
    expect(sniffLines(Buffer.from([0x41, 0, 0x42]))).toBeUndefined();
    expect(sniffLines(Buffer.from('\uFEFFx\n'))).toEqual(['x']);
  });

  it('scores all-matching heads high and mixed heads low', () => {
    const yes = (l: string): boolean => l.startsWith('y');
    expect(tableConfidence(['y', 'y'], yes, false)).toBeGreaterThan(0.8);
    expect(tableConfidence(['y', 'y'], yes, true)).toBeGreaterThan(tableConfidence(['y', 'y'], yes, false));
    expect(tableConfidence(['y', 'n', 'n'], yes, false)).toBe(0);
    expect(tableConfidence([], yes, true)).toBe(0.5);
    expect(tableConfidence(undefined, yes, true)).toBe(0);
  });

  it('recognises header lines', () => {
    expect(looksLikeHeader(['range_start', 'range_end', 'asn'])).toBe(true);
    expect(looksLikeHeader(['1.0.0.0', '1.0.0.255', '13335'])).toBe(false);
    expect(looksLikeHeader(['start', 'end', 'AS4'])).toBe(false);
  });
});

describe('tableLineParser', () => {
  it('turns an exception into an error on its line', () => {
    const p = tableLineParser(() => {
      throw new Error('boom');
    });
    expect(p.line('x', 7)).toEqual({ records: [], errors: [{ line: 7, message: 'internal error: boom' }] });
    expect(p.end()).toEqual({ records: [], errors: [] });
  });
});
