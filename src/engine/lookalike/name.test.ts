// The ASCII path of parseName (one pass, no split) must read every name as the general path does,
// and registeredLabel's cheaper suffix look-up must find the label tldts' full parse finds.
import fc from 'fast-check';
import { parse } from 'tldts';
import { describe, expect, it } from 'vitest';
import { registeredLabel } from './explain.js';
import { FastName } from './fast-name.js';
import { parseAnyName, parseName } from './name.js';

describe('parseName', () => {
  it('reads ASCII names as the general path does: labels, *., separators, 0/1, rn and vv', () => {
    const part = fc.constantFrom('a', 'r', 'n', 'rn', 'v', 'vv', 'm', '0', '1', 'Pay', 'PAL', '-', '_', ' ', '.', '*', '*.', '..', 'co', 'uk', 'xn');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const value = parts.join('');
        expect(parseName(value)).toEqual(parseAnyName(value));
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps the general path for xn-- labels and other scripts', () => {
    expect(parseName('xn--pypal-4ve.com').tokens.map((t) => t.raw)).toEqual(['pаypal']);
    expect(parseName('раураl.com').tokens[0]!.fold).toBe('paypal');
  });
});

describe('FastName.layout', () => {
  const part = fc.constantFrom('a', 'r', 'n', 'rn', 'v', 'vv', 'x', 'xn', 'XN', 'Xn', '0', '1', 'Pay', '-', '--', '_', ' ', '.', '*', '*.', '..', 'co', 'é', 'а',
    // The edges of the fold table's ranges: digits, letters in both cases, and the codes beside them.
    '2', '9', 'A', 'Z', 'z', '/', ':', '@', '[', '`', '{', '\x7f');

  it('lays a name out as parseName reads it (and parses it as parseName does), or leaves it to parseName', () => {
    const fast = new FastName();
    fc.assert(
      fc.property(fc.array(part, { maxLength: 14 }), (parts) => {
        const value = parts.join('');
        if (!fast.layout(value)) return;
        const name = parseName(value);
        if (fast.merged) {
          expect([...fast.plainCodes.subarray(0, fast.plainLength)]).toEqual(name.plainCodes);
          expect([...fast.plainStarts.subarray(0, fast.count)]).toEqual(name.tokens.map((t) => t.plainStart));
          expect([...fast.plainEnds.subarray(0, fast.count)]).toEqual(name.tokens.map((t) => t.plainEnd));
        } else expect(name.plainCodes).toBeUndefined();
        expect([...fast.codes.subarray(0, fast.length)]).toEqual(name.codes);
        expect([...fast.starts.subarray(0, fast.count)]).toEqual(name.tokens.map((t) => t.start));
        expect([...fast.ends.subarray(0, fast.count)]).toEqual(name.tokens.map((t) => t.end));
        // And the ParsedName a hit is explained from, built from the layout, is parseName's.
        expect(fast.parsed(value)).toEqual(name);
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes every ASCII name without xn--: letters, digits, dots, hyphens, *., rn and vv anywhere', () => {
    const fast = new FastName();
    const plain = fc.constantFrom('a', 'b', 'pay', 'PAL', '0', '1', '-', '.', 'co', 'uk', '*.', 'r', 'n', 'RN', 'v', 'vv');
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 12 }), (parts) => {
        const value = parts.join('');
        fc.pre(!/xn--/i.test(value));
        expect(fast.layout(value)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('merges rn and vv in the labels it lays out, not in the last', () => {
    const fast = new FastName();
    const folds = (value: string): string[] => {
      expect(fast.layout(value)).toBe(true);
      return Array.from({ length: fast.count }, (_, t) => String.fromCharCode(...fast.codes.subarray(fast.starts[t], fast.ends[t])));
    };
    expect(folds('learn-rnn.vvv.com')).toEqual(['leam', 'mn', 'wv']);
    expect(fast.merged).toBe(true);
    expect(folds('example.rn')).toEqual(['example']);
    expect(fast.merged).toBe(false);
  });
});

describe('registeredLabel', () => {
  // The reference: tldts' full parse, as registeredLabel used before it took getPublicSuffix.
  function reference(value: string): number {
    const name = parseName(value);
    if (name.labelCount < 2) return 0;
    const parsed = parse(value.toLowerCase().replace(/^\*\./, ''), { allowPrivateDomains: true, extractHostname: false, detectIp: true });
    const suffixLabels = !parsed.isIp && parsed.publicSuffix ? parsed.publicSuffix.split('.').length : 1;
    return Math.max(0, name.labelCount - suffixLabels - 1);
  }

  it('finds the label left of the public suffix as tldts parse does, IPs and private suffixes included', () => {
    const label = fc.constantFrom('paypal', 'www', 'co', 'uk', 'com', 'github', 'io', 'blogspot', 'br', '1', '192', '168', '*', 'xn--pypal-4ve', 'a_b', '');
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 6 }), (labels) => {
        const value = labels.join('.');
        expect(registeredLabel(parseName(value))).toBe(reference(value));
      }),
      { numRuns: 3_000 },
    );
  });
});
