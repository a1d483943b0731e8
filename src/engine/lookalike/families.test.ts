// Table tests per family (docs/LOOKALIKE.md): what each family catches, how the hit explains
// itself, what stays quiet — through both matchers.
import { describe, expect, it } from 'vitest';
import { makeSignature } from '../../signatures/make.js';
import { LOOKALIKE_DEFAULTS, LOOKALIKE_FAMILIES, type LookalikeFamily, type LookalikeOptions } from '../../signatures/types.js';
import { FastMatcher } from '../fast-matcher.js';
import { ReferenceMatcher } from '../reference.js';
import type { Hit } from '../types.js';
import { describeWhy } from './why.js';

function lookalike(patterns: string[], options: Partial<LookalikeOptions> = {}, exclude: string[] = [], field = 'domain') {
  return makeSignature({ id: 'brand', field, match: 'lookalike', patterns, exclude, lookalike: { ...LOOKALIKE_DEFAULTS, ...options }, actions: [{ tag: 'LookAlike' }] });
}

/** The hit of both matchers (which must agree) for one value. */
function hitOf(s: ReturnType<typeof lookalike>, value: string, field = 'domain'): Hit | undefined {
  const record = new Map([[field, [value]]]);
  const fast = new FastMatcher([s]).match(record);
  const reference = new ReferenceMatcher([s]).match(record);
  expect(fast).toEqual(reference);
  return fast[0];
}

const BRANDS = ['paypal', 'microsoft', 'amazon', 'netflix', 'hp'];

describe('look-alike families', () => {
  const s = lookalike(BRANDS, {}, ['paypal.com', 'microsoft.com', 'amazon.com', 'netflix.com', 'hp.com']);
  const cases: Array<[string, LookalikeFamily[], string, number]> = [
    // value, families, brand, distance
    ['xn--pypal-4ve.com', ['homoglyph'], 'paypal', 0], // Cyrillic а
    ['paypa1.com', ['homoglyph'], 'paypal', 0],
    ['rnicrosoft.com', ['homoglyph'], 'microsoft', 0],
    ['xn--paypl-6qa.com', ['homoglyph'], 'paypal', 0], // paypàl
    ['paypl.com', ['omission'], 'paypal', 1],
    ['paypaql.com', ['insertion'], 'paypal', 1],
    ['paypall.com', ['repetition'], 'paypal', 1],
    ['paypak.com', ['replacement'], 'paypal', 1],
    ['pyapal.com', ['transposition'], 'paypal', 1],
    ['pay-pal.com', ['hyphenation'], 'paypal', 0],
    ['pay.pal.com', ['hyphenation'], 'paypal', 0],
    ['qaypal.com', ['bitsquatting'], 'paypal', 1], // p 0x70 → q 0x71
    ['micrnsoft.com', ['bitsquatting'], 'microsoft', 1], // o → n, beside an r
    ['peypal.com', ['vowel-swap'], 'paypal', 1],
    ['paypal-login.com', ['keyword-added'], 'paypal', 0],
    ['securepaypal.com', ['keyword-added'], 'paypal', 0],
    ['paypal.evil.example', ['keyword-added'], 'paypal', 0],
    ['paypal.net', ['tld-swap'], 'paypal', 0],
    ['amazon.co.uk', ['tld-swap'], 'amazon', 0],
    ['paypa1-secure.com', ['homoglyph', 'keyword-added'], 'paypal', 0],
    ['micros0ft-login.net', ['homoglyph', 'keyword-added'], 'microsoft', 0],
    ['amazom-support.co', ['replacement', 'keyword-added'], 'amazon', 1],
    ['pyapal-login.com', ['transposition', 'keyword-added'], 'paypal', 1],
    ['hp-support.com', ['keyword-added'], 'hp', 0],
  ];
  it.each(cases)('%s: %j of %s at distance %d', (value, families, brand, distance) => {
    const hit = hitOf(s, value);
    expect(hit?.why).toMatchObject({ brand, families, distance });
    expect(hit?.pattern).toBe(BRANDS.indexOf(brand));
  });

  const quiet = [
    'example.com',
    'paypal.com', // the brand's own domain (exclude)
    'www.paypal.com', // and what is under it
    'google.com',
    'pal.com',
    'paypalpaypal.org'.replace('paypalpaypal', 'papa'), // two edits away
    'amazonia.com'.replace('amazonia', 'amazing'), // two edits away from amazon
    'hpe.com', // short brands allow no edits (min_length)
    'chp.com',
    'netflix.com',
  ];
  it.each(quiet)('%s does not match', (value) => {
    expect(hitOf(s, value)).toBeUndefined();
  });

  it('explains a hit in words', () => {
    const hit = hitOf(s, 'pyapal-login.com')!;
    expect(describeWhy(hit.why!, hit.value)).toBe('transposition + keyword-added of paypal in pyapal-login.com (distance 1)');
    expect(hit.why!.matched).toBe('pyapal');
  });

  it('names the words it matched as the value writes them: hyphens within a label, dots between', () => {
    expect(hitOf(s, 'pay-pa1.com')!.why).toMatchObject({ matched: 'pay-pa1', families: ['homoglyph', 'hyphenation'] });
    expect(hitOf(s, 'login.pay.pal.com')!.why).toMatchObject({ matched: 'pay.pal', families: ['hyphenation'] });
    expect(hitOf(s, 'Pay-Pal-Login.example.com')!.why).toMatchObject({ matched: 'pay-pal' });
  });
});

describe('look-alike options', () => {
  it('distance 2 reaches two edits; distance 0 none', () => {
    expect(hitOf(lookalike(['paypal'], { distance: 2 }), 'pyapl.com')?.why?.distance).toBe(2);
    expect(hitOf(lookalike(['paypal'], { distance: 1 }), 'pyapl.com')).toBeUndefined();
    expect(hitOf(lookalike(['paypal'], { distance: 0 }), 'paypl.com')).toBeUndefined();
    expect(hitOf(lookalike(['paypal'], { distance: 0 }), 'paypa1.com')?.why?.families).toEqual(['homoglyph']);
  });

  it('families: a hit needs every family it uses enabled', () => {
    const only = (families: LookalikeFamily[]) => lookalike(['paypal'], { families });
    expect(hitOf(only(['transposition']), 'pyapal.com')?.why?.families).toEqual(['transposition']);
    expect(hitOf(only(['transposition']), 'pyapal-login.com')).toBeUndefined();
    expect(hitOf(only(['transposition', 'keyword-added']), 'pyapal-login.com')).toBeDefined();
    expect(hitOf(only(['omission']), 'pyapal.com')).toBeUndefined();
    // A vowel swap is a replacement too: enabling replacement catches it, named as such.
    expect(hitOf(only(['replacement']), 'peypal.com')?.why?.families).toEqual(['replacement']);
    expect(hitOf(only(['insertion']), 'paypall.com')?.why?.families).toEqual(['insertion']);
    expect(hitOf(only([...LOOKALIKE_FAMILIES].filter((f) => f !== 'tld-swap')), 'paypal.net')).toBeUndefined();
  });

  it('min_length: shorter brands match only without edits, and not inside words', () => {
    const s = lookalike(['visa'], { minLength: 5 });
    expect(hitOf(s, 'visa-card.com')?.why?.families).toEqual(['keyword-added']);
    expect(hitOf(s, 'vlsa.com')).toBeUndefined();
    expect(hitOf(s, 'advisable.com')).toBeUndefined();
    expect(hitOf(lookalike(['visa'], { minLength: 4 }), 'vlsa.com')?.why?.families).toEqual(['replacement']);
  });

  it('keywords: in the registered label only those words (or runs of them) count as added', () => {
    const s = lookalike(['paypal', 'amazon'], { keywords: ['login', 'secure', 'account'] }, ['paypal.com']);
    const cases: Array<[string, LookalikeFamily[] | undefined]> = [
      ['paypal-login.com', ['keyword-added']],
      ['securepaypal.com', ['keyword-added']],
      ['paypalsecurelogin.com', ['keyword-added']], // keywords run together
      ['securelogin-paypal.com', ['keyword-added']],
      ['paypal-l0gin.net', ['keyword-added']], // keywords are compared on skeletons too
      ['pyapal-login.com', ['transposition', 'keyword-added']],
      ['paypal.evil.example', ['keyword-added']], // under someone else's registered name: any words
      ['securepaypal.evil.example', ['keyword-added']],
      ['imagespaypal.evil.example', ['keyword-added']],
      ['paypal.net', ['tld-swap']], // nothing added: keywords are not asked
      ['pay-pal.com', ['hyphenation']],
      ['paypal-images.com', undefined],
      ['paypalobjects.com', undefined],
      ['images-amazon.com', undefined],
      ['amazon-adsystem.com', undefined],
      ['login.amazon-images.com', undefined], // the registered label adds "images"
      ['paypal-login-images.com', undefined],
    ];
    for (const [value, families] of cases) expect(hitOf(s, value)?.why?.families, value).toEqual(families);
    // Without the list every word counts, as before.
    expect(hitOf(lookalike(['paypal']), 'paypal-images.com')?.why?.families).toEqual(['keyword-added']);
  });

  it('keywords: an edit that turns the brand into keywords is not a look-alike', () => {
    const s = lookalike(['gmail', 'icloud'], { keywords: ['mail', 'cloud', 'login', 'secure'] }, ['gmail.com', 'icloud.com']);
    const cases: Array<[string, LookalikeFamily[] | undefined]> = [
      ['mail.com', undefined], // one omission from gmail, and the word "mail"
      ['mail.example.com', undefined], // the same word as a host name under anyone's domain
      ['cloud.nl', undefined],
      ['mail-login.com', undefined],
      ['securemail.com', undefined], // keywords run together
      ['ymail.com', ['replacement']], // not a keyword: still one edit from gmail
      ['gmial.com', ['transposition']],
      ['gmai1.com', ['homoglyph']],
      ['gmail-login.com', ['keyword-added']],
      ['icl0ud-secure.com', ['homoglyph', 'keyword-added']],
    ];
    for (const [value, families] of cases) expect(hitOf(s, value)?.why?.families, value).toEqual(families);
    // Without the list, or without that word in it, the edit counts as before.
    expect(hitOf(lookalike(['gmail']), 'mail.com')?.why?.families).toEqual(['omission']);
    expect(hitOf(lookalike(['gmail'], { keywords: ['login'] }), 'mail.com')?.why?.families).toEqual(['omission']);
  });

  it('the lowest-numbered matching pattern is the hit', () => {
    expect(hitOf(lookalike(['netflix', 'paypal', 'paypa']), 'paypal-x.com')?.pattern).toBe(1);
  });

  it('applies to certificate names, wildcards included', () => {
    const s = lookalike(['paypal'], {}, ['paypal.com'], 'x509.alternative_names');
    expect(hitOf(s, '*.paypa1.com', 'x509.alternative_names')?.why?.families).toEqual(['homoglyph']);
    expect(hitOf(s, '*.paypal.com', 'x509.alternative_names')).toBeUndefined();
    const cn = lookalike(['paypal'], {}, [], 'x509.subject.common_name');
    expect(hitOf(cn, 'PayPaI Inc', 'x509.subject.common_name')?.why?.brand).toBe('paypal');
  });
});
