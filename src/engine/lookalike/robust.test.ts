// Bad or odd input never crashes look-alike matching and stays equal between the matchers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSignature } from '../../signatures/make.js';
import { FastMatcher } from '../fast-matcher.js';
import { ReferenceMatcher } from '../reference.js';

const sigs = [
  makeSignature({ id: 'a', field: 'x509.subject.common_name', match: 'lookalike', patterns: ['paypal', 'bank-of-america', 'münchen'], actions: [{ tag: 'T' }] }),
  makeSignature({ id: 'b', field: 'x509.subject.common_name', match: 'lookalike', patterns: ['hp'], lookalike: { distance: 2, minLength: 1, families: ['omission', 'insertion', 'replacement'] }, actions: [{ tag: 'T' }] }),
];

describe('look-alike matching on odd values', () => {
  it('takes any text (long, empty, punctuation, lone surrogates, xn-- garbage) and agrees with the reference', () => {
    const fast = new FastMatcher(sigs);
    const reference = new ReferenceMatcher(sigs);
    const odd = ['', '.', '*.', '*', '...', 'xn--', 'xn--zz.com', '\uD800paypal', 'PAYPAL INC', 'p'.repeat(5000), `${'paypal-'.repeat(400)}x.com`, 'bank of america, n.a.', 'muenchen.de', 'xn--mnchen-3ya.de'];
    for (const v of odd) {
      const record = new Map([['x509.subject.common_name', [v]]]);
      expect(fast.match(record)).toEqual(reference.match(record));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (v) => {
        const record = new Map([['x509.subject.common_name', [v]]]);
        expect(fast.match(record)).toEqual(reference.match(record));
      }),
      { numRuns: 500 },
    );
  });

  it('finds a brand written with spaces and another script in a certificate name', () => {
    const m = new FastMatcher(sigs);
    const bank = m.match(new Map([['x509.subject.common_name', ['Bank of America, N.A.']]]))[0]?.why;
    expect(bank).toMatchObject({ brand: 'bank-of-america', distance: 0, matched: 'bank-of-america' });
    expect(bank?.families).toContain('hyphenation');
    // münchen.de is the brand itself under a suffix (exclude it to stop that); muenchen one insertion away.
    expect(m.match(new Map([['x509.subject.common_name', ['xn--mnchen-3ya.de']]]))[0]?.why).toMatchObject({ brand: 'münchen', families: ['tld-swap'] });
    expect(m.match(new Map([['x509.subject.common_name', ['muenchen.de']]]))[0]?.why).toMatchObject({ brand: 'münchen', families: ['homoglyph', 'insertion'], distance: 1 }); // ü read as u, and an e added
  });
});
