import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { deriveDomainFields, domainSkeleton, domainToUnicode, normaliseDomain, normaliseDomainGeneral } from './domain.js';

const CYRILLIC_A = '\u0430';

describe('normaliseDomain', () => {
  it('lower-cases, trims and strips one trailing dot', () => {
    expect(normaliseDomain('  WWW.Example.COM.  ')).toBe('www.example.com');
    expect(normaliseDomain('example.com..')).toBeUndefined();
  });

  it('converts Unicode labels to A-labels and leaves ASCII labels alone', () => {
    expect(normaliseDomain(`p${CYRILLIC_A}ypal.com`)).toBe('xn--pypal-4ve.com');
    expect(normaliseDomain('Bücher.example')).toBe('xn--bcher-kva.example');
    expect(normaliseDomain('пример.рф')).toBe('xn--e1afmkfd.xn--p1ai');
    expect(normaliseDomain('XN--PYPAL-4VE.com')).toBe('xn--pypal-4ve.com');
  });

  it('applies UTS #46 mapping: fullwidth letters and ideographic full stops', () => {
    expect(normaliseDomain('ｐａｙｐａｌ。com')).toBe('paypal.com');
    expect(normaliseDomain('example.com\u3002')).toBe('example.com');
  });

  it('does not read a label of fullwidth digits as an IPv4 number', () => {
    expect(normaliseDomain('１２３.example')).toBe('123.example');
  });

  it('accepts real-world names: underscores, numeric labels, leading hyphens, odd xn-- labels', () => {
    expect(normaliseDomain('_dmarc.Example.com')).toBe('_dmarc.example.com');
    expect(normaliseDomain('1.2.3.4.in-addr.arpa')).toBe('1.2.3.4.in-addr.arpa');
    expect(normaliseDomain('-foo.example.com')).toBe('-foo.example.com');
    expect(normaliseDomain('xn--abc.example')).toBe('xn--abc.example');
    expect(normaliseDomain('localhost')).toBe('localhost');
  });

  it('accepts a wildcard only as the whole leftmost label', () => {
    expect(normaliseDomain('*.Example.com')).toBe('*.example.com');
    expect(normaliseDomain('a.*.example.com')).toBeUndefined();
    expect(normaliseDomain('*foo.example.com')).toBeUndefined();
    expect(normaliseDomain('*')).toBeUndefined();
  });

  it('rejects empty names and empty labels', () => {
    expect(normaliseDomain('')).toBeUndefined();
    expect(normaliseDomain('   ')).toBeUndefined();
    expect(normaliseDomain('.')).toBeUndefined();
    expect(normaliseDomain('a..b')).toBeUndefined();
    expect(normaliseDomain('.example.com')).toBeUndefined();
  });

  it('rejects whitespace and characters not valid in a hostname', () => {
    expect(normaliseDomain('exa mple.com')).toBeUndefined();
    expect(normaliseDomain('example.com\tx')).toBeUndefined();
    expect(normaliseDomain('http://example.com')).toBeUndefined();
    expect(normaliseDomain('user@example.com')).toBeUndefined();
    expect(normaliseDomain('example.com:443')).toBeUndefined();
    expect(normaliseDomain('exa%mple.com')).toBeUndefined();
    expect(normaliseDomain('2001:db8::1')).toBeUndefined();
  });

  it('rejects labels over 63 and names over 253 characters', () => {
    expect(normaliseDomain(`${'a'.repeat(63)}.com`)).toBe(`${'a'.repeat(63)}.com`);
    expect(normaliseDomain(`${'a'.repeat(64)}.com`)).toBeUndefined();
    const label = 'a'.repeat(61);
    const tooLong = [label, label, label, label].join('.') + '.abcdef';
    expect(tooLong.length).toBe(254);
    expect(normaliseDomain(tooLong)).toBeUndefined();
    const ok = [label, label, label, label].join('.') + '.abcde';
    expect(ok.length).toBe(253);
    expect(normaliseDomain(ok)).toBe(ok);
  });

  it('measures label length after A-label conversion', () => {
    // 60 Cyrillic letters fit in 63 characters as Unicode but not as an A-label.
    expect(normaliseDomain(`${'ж'.repeat(60)}.com`)).toBeUndefined();
  });

  it('rejects invalid IDNs', () => {
    expect(normaliseDomain('a\u200d.com')).toBeUndefined(); // ZWJ outside a joining context
    expect(normaliseDomain('\uD800.com')).toBeUndefined(); // lone surrogate
  });
});

describe('normaliseDomain fast path', () => {
  it('equals the general path on names near the fast path\'s edges', () => {
    // Labels around the 63 limit, names around 253, upper case, dots at the ends, '*', spaces.
    const label = fc.oneof(
      fc.stringMatching(/^[a-z0-9_-]{1,8}$/),
      fc.stringMatching(/^[a-zA-Z0-9_*. -]{0,6}$/),
      fc.integer({ min: 60, max: 66 }).map((n) => 'a'.repeat(n)),
    );
    const name = fc.array(label, { minLength: 1, maxLength: 6 }).map((ls) => ls.join('.'));
    const long = fc.integer({ min: 240, max: 260 }).map((n) => Array.from({ length: n }, (_, i) => (i % 10 === 9 ? '.' : 'b')).join(''));
    fc.assert(
      fc.property(fc.oneof(name, long), (text) => {
        expect(normaliseDomain(text)).toBe(normaliseDomainGeneral(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('deriveDomainFields', () => {
  it('splits a name under a multi-label public suffix', () => {
    expect(deriveDomainFields('example.co.uk')).toEqual({
      'domain.registered': 'example.co.uk',
      'domain.tld': 'co.uk',
      'domain.unicode': 'example.co.uk',
      'domain.skeleton': 'example.co.uk',
    });
    expect(deriveDomainFields('login.secure.example.co.uk')).toEqual({
      'domain.registered': 'example.co.uk',
      'domain.tld': 'co.uk',
      'domain.subdomain': 'login.secure',
      'domain.unicode': 'login.secure.example.co.uk',
      'domain.skeleton': 'login.secure.example.co.uk',
    });
  });

  it('counts the private section of the public suffix list', () => {
    const f = deriveDomainFields('evil.github.io');
    expect(f['domain.registered']).toBe('evil.github.io');
    expect(f['domain.tld']).toBe('github.io');
    expect(f).not.toHaveProperty('domain.subdomain');
    expect(deriveDomainFields('login.evil.github.io')['domain.subdomain']).toBe('login');
  });

  it('omits the subdomain of a bare registrable domain', () => {
    const f = deriveDomainFields('example.com');
    expect(f['domain.registered']).toBe('example.com');
    expect(f['domain.tld']).toBe('com');
    expect('domain.subdomain' in f).toBe(false);
  });

  it('treats an unknown TLD as the suffix', () => {
    const f = deriveDomainFields('host.corp.internalthing');
    expect(f['domain.tld']).toBe('internalthing');
    expect(f['domain.registered']).toBe('corp.internalthing');
    expect(f['domain.subdomain']).toBe('host');
  });

  it('gives a public suffix no registrable domain', () => {
    const f = deriveDomainFields('co.uk');
    expect(f['domain.tld']).toBe('co.uk');
    expect(f).not.toHaveProperty('domain.registered');
  });

  it('gives an IP-looking name no registrable domain or suffix', () => {
    expect(deriveDomainFields('192.0.2.1')).toEqual({ 'domain.unicode': '192.0.2.1', 'domain.skeleton': '192.0.2.1' });
  });

  it('keeps a wildcard as the subdomain', () => {
    const f = deriveDomainFields('*.example.com');
    expect(f['domain.registered']).toBe('example.com');
    expect(f['domain.subdomain']).toBe('*');
  });

  it('folds a Cyrillic homoglyph to ASCII in the skeleton', () => {
    const f = deriveDomainFields('xn--pypal-4ve.com');
    expect(f['domain.unicode']).toBe(`p${CYRILLIC_A}ypal.com`);
    expect(f['domain.unicode']).not.toBe('paypal.com');
    expect(f['domain.skeleton']).toBe('paypal.com');
    expect(f['domain.registered']).toBe('xn--pypal-4ve.com');
  });

  it('folds homoglyphs in every label, including the suffix', () => {
    const domain = normaliseDomain('аррlе.соm')!; // all Cyrillic except 'l'
    expect(domain.startsWith('xn--')).toBe(true);
    expect(deriveDomainFields(domain)['domain.skeleton']).toBe('apple.com');
  });

  it('leaves characters without an ASCII prototype unchanged', () => {
    // Greek lambda and Cyrillic zhe have no ASCII look-alike; the Greek omicron next to them does.
    const domain = normaliseDomain('λοжin.com')!;
    const f = deriveDomainFields(domain);
    expect(f['domain.unicode']).toBe('λοжin.com');
    expect(f['domain.skeleton']).toBe('λoжin.com');
  });

  it('leaves accented letters alone (they are not confusables of ASCII)', () => {
    const f = deriveDomainFields(normaliseDomain('bücher.example')!);
    expect(f['domain.skeleton']).toBe('bücher.example');
  });
});

describe('domainSkeleton', () => {
  it('keeps ASCII as it is, unlike UTS #39 (which maps m to rn)', () => {
    expect(domainSkeleton('microsoft.com')).toBe('microsoft.com');
    expect(domainSkeleton('0l1.com')).toBe('0l1.com');
  });

  it('lower-cases an upper-case prototype', () => {
    // Cyrillic capital DZE U+0405 is confusable with 'S'.
    expect(domainSkeleton('\u0405hop.com')).toBe('shop.com');
  });

  it('iterates by code point, so astral characters are folded too', () => {
    // MATHEMATICAL BOLD SMALL A, U+1D41A, is confusable with 'a'.
    expect(domainSkeleton('p\u{1D41A}ypal.com')).toBe('paypal.com');
  });
});

describe('domainToUnicode', () => {
  it('decodes A-labels and keeps labels that do not decode', () => {
    expect(domainToUnicode('xn--e1afmkfd.xn--p1ai')).toBe('пример.рф');
    expect(domainToUnicode('_dmarc.xn--pypal-4ve.com')).toBe(`_dmarc.p${CYRILLIC_A}ypal.com`);
    // Punycode overflow: kept as the A-label rather than failing the whole name.
    expect(domainToUnicode('xn--99999999999999999999.xn--p1ai')).toBe('xn--99999999999999999999.рф');
  });
});
