// `match: lookalike` in the file format (docs/LOOKALIKE.md, "Spec extension"): defaults, every
// reason a signature is refused, v1 files untouched, and export → load round trips.
import { describe, expect, it } from 'vitest';
import { parseSignatureText } from './load.js';
import { toYaml } from './serialise.js';
import { LOOKALIKE_FAMILIES, type SignatureError } from './types.js';

const brief = (errors: readonly SignatureError[]): string[] => errors.map((e) => `${e.line} ${e.path ?? '-'}: ${e.message}`);

const doc = (...lines: string[]): string => ['id: brand-paypal', 'title: PayPal look-alikes', ...lines, 'actions: [{tag: LookAlike}]'].join('\n');

describe('match: lookalike', () => {
  it('defaults distance 1, every family, min_length 5', () => {
    const { signatures, errors } = parseSignatureText(doc('field: domain', 'match: lookalike', 'patterns: [paypal]', 'exclude: [paypal.com, paypal.me]'), 'a.yaml');
    expect(errors).toEqual([]);
    expect(signatures[0]).toMatchObject({
      match: 'lookalike',
      patterns: ['paypal'],
      exclude: ['paypal.com', 'paypal.me'],
      lookalike: { distance: 1, families: LOOKALIKE_FAMILIES, minLength: 5 },
    });
  });

  it('reads the options, families in their canonical order', () => {
    const text = doc('field: x509.alternative_names', 'match: lookalike', 'lookalike:', '  distance: 2', '  families: [tld-swap, homoglyph]', '  min_length: 4', 'patterns: [PayPal, bank-of-america]');
    const { signatures, errors } = parseSignatureText(text, 'a.yaml');
    expect(errors).toEqual([]);
    expect(signatures[0]!.lookalike).toEqual({ distance: 2, families: ['homoglyph', 'tld-swap'], minLength: 4 });
  });

  it('refuses with every reason at once', () => {
    const text = doc(
      'field: whois.registrant.email',
      'match: lookalike',
      'case_sensitive: true',
      'lookalike:',
      '  distance: 3',
      '  families: [homoglyphs, typo]',
      '  min_lenght: 4',
      'patterns: [paypal.com, "-pay", "pay pal"]',
      'exclude: ["^paypal\\\\.com$"]',
    );
    const { signatures, errors } = parseSignatureText(text, 'a.yaml');
    expect(signatures).toEqual([]);
    expect(brief(errors)).toEqual([
      '4 match: lookalike matches only the fields domain, domain.registered, x509.subject.common_name, x509.alternative_names, not whois.registrant.email',
      '5 case_sensitive: lookalike always folds case (and confusable characters); case_sensitive: true does not apply',
      '7 lookalike.distance: must be a whole number from 0 to 2, not "3"',
      '8 lookalike.families[0]: unknown look-alike family homoglyphs, did you mean homoglyph',
      '8 lookalike.families[1]: unknown look-alike family typo',
      '9 lookalike.min_lenght: unknown lookalike option min_lenght, did you mean min_length (one of distance, families, min_length, keywords)',
      `10 patterns[0]: a look-alike pattern is one brand label such as "paypal", not a domain name: write the brand's own domains (paypal.com) under exclude`,
      '10 patterns[1]: a brand label holds letters and digits, with hyphens only inside (like a DNS label)',
      '10 patterns[2]: a brand label holds letters and digits, with hyphens only inside (like a DNS label)',
      '11 exclude[0]: a look-alike exclude is a domain name such as paypal.com (it and its subdomains never match), not "^paypal\\\\.com$"',
    ]);
  });

  it('reads keywords: lower case, each once; refuses an empty list and anything but one word', () => {
    const read = parseSignatureText(doc('field: domain', 'match: lookalike', 'lookalike: {keywords: [Login, secure, login, sécurité]}', 'patterns: [paypal]'), 'a.yaml');
    expect(read.errors).toEqual([]);
    expect(read.signatures[0]!.lookalike?.keywords).toEqual(['login', 'secure', 'sécurité']);
    const bad = parseSignatureText(doc('field: domain', 'match: lookalike', 'lookalike:', '  keywords: [log-in, "", 12]', 'patterns: [paypal]'), 'a.yaml');
    expect(brief(bad.errors)).toEqual([
      '6 lookalike.keywords[0]: a keyword is one word of letters and digits (names are cut into words at hyphens and dots), at most 63 characters, not "log-in"',
      '6 lookalike.keywords[1]: a keyword is one word of letters and digits (names are cut into words at hyphens and dots), at most 63 characters, not ""',
    ]);
    const empty = parseSignatureText(doc('field: domain', 'match: lookalike', 'lookalike: {keywords: []}', 'patterns: [paypal]'), 'a.yaml');
    expect(brief(empty.errors)).toEqual(['5 lookalike.keywords: must name at least one word (leave it out to allow any word)']);
  });

  it('refuses lookalike options on another match kind', () => {
    const { errors } = parseSignatureText(doc('field: domain', 'lookalike: {distance: 1}', 'patterns: [paypal]'), 'a.yaml');
    expect(brief(errors)).toEqual(['4 lookalike: lookalike options apply only to match: lookalike']);
  });

  it('keeps v1 signatures as they were: no lookalike key appears', () => {
    const { signatures } = parseSignatureText(doc('field: domain', 'patterns: [paypal]'), 'a.yaml');
    expect(signatures[0]).not.toHaveProperty('lookalike');
    expect(toYaml(signatures)).not.toContain('lookalike');
  });

  it('exports and loads back the same signature', () => {
    const text = doc('field: domain', 'match: lookalike', 'lookalike: {distance: 2, families: [omission], min_length: 6, keywords: [login]}', 'patterns: [paypal]', 'exclude: [paypal.com]');
    const first = parseSignatureText(text, 'a.yaml').signatures;
    const again = parseSignatureText(toYaml(first), 'b.yaml');
    expect(again.errors).toEqual([]);
    const strip = (s: (typeof first)[number]) => ({ ...s, source: undefined });
    expect(again.signatures.map(strip)).toEqual(first.map(strip));
  });
});
