import { describe, expect, it } from 'vitest';
import { deriveDomainFields } from '../fields/domain.js';

// web/src is outside this project's rootDir (src): the pure module is loaded at run time (vitest
// transpiles it) and typed here, as route-match.test.ts does.
const IDN = '../../web/src/idn.js';
const { toUnicode, mixedScriptLabels, lookalikeReasons } = (await import(/* @vite-ignore */ IDN)) as {
  toUnicode: (name: string) => string;
  mixedScriptLabels: (unicode: string) => { label: string; scripts: string[] }[];
  lookalikeReasons: (unicode: string, skeleton?: string) => string[];
};

describe('the UI reads IDNs as the catalogue does', () => {
  it.each(['xn--pypal-4ve.co', 'xn--e1afmkfd.xn--p1ai', 'xn--bcher-kva.example', 'www.xn--80ak6aa92e.com', 'example.com', 'xn--zz-invalid!.com'])(
    'toUnicode(%s) is domain.unicode',
    (name) => {
      expect(toUnicode(name)).toBe(deriveDomainFields(name)['domain.unicode']);
    },
  );

  it('finds labels mixing scripts, not names whose labels each keep to one', () => {
    expect(mixedScriptLabels('p\u0430ypal.co')).toEqual([{ label: 'p\u0430ypal', scripts: ['Latin', 'Cyrillic'] }]);
    expect(mixedScriptLabels('\u043f\u0440\u0438\u043c\u0435\u0440.com')).toEqual([]); // пример.com: Cyrillic, then Latin
    expect(mixedScriptLabels('b\u00fccher-2024.example')).toEqual([]); // Latin with a diacritic, digits, hyphen
    expect(mixedScriptLabels('\u6771\u4eac\u30bf\u30ef\u30fcabc.jp')).toEqual([]); // Han + Katakana + Latin: Japanese
    expect(mixedScriptLabels('\u03b1pple.com')).toEqual([{ label: '\u03b1pple', scripts: ['Greek', 'Latin'] }]);
  });

  it('gives the reasons a name may imitate another, from its skeleton and its scripts', () => {
    const f = deriveDomainFields('xn--pypal-4ve.co');
    expect(lookalikeReasons(f['domain.unicode'], f['domain.skeleton'])).toEqual([
      'it reads as paypal.co: it has characters confusable with others',
      '“p\u0430ypal” mixes Latin and Cyrillic letters',
    ]);
    const plain = deriveDomainFields('login-passivetotal.com');
    expect(lookalikeReasons(plain['domain.unicode'], plain['domain.skeleton'])).toEqual([]);
    // Without the skeleton (a list), the scripts alone.
    expect(lookalikeReasons('p\u0430ypal.co')).toEqual(['“p\u0430ypal” mixes Latin and Cyrillic letters']);
  });
});
