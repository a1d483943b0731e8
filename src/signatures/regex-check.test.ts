import { describe, expect, it } from 'vitest';
import { checkRegex, loneSurrogateIndex } from './regex-check.js';

describe('checkRegex', () => {
  it.each([
    'passivetotal',
    '^46313@qq\\.com$',
    '[(?=]', // inside a class "(?=" is three literal characters
    '\\(?=x', // an escaped "(" starts no group
    '\\Q(?=\\1\\E', // \Q...\E quotes everything
    '[\\]\\\\](?:a|b)',
    '[]a](x)', // a leading ] is a class member
    '[[:alpha:]]+',
    '(?<name>x)(?P<other>y)',
    '(?i)paypal',
    'a+?b*?c??',
    '\\+\\+',
    'x{2}?',
    'x{,3}', // not a quantifier for RE2: a literal
    '\\p{Cyrillic}',
    '\\x{41}',
    '\u{1F600}', // a well-formed surrogate pair
  ])('accepts %s', (pattern) => {
    expect(checkRegex(pattern)).toBeUndefined();
  });

  it.each([
    ['(a)\\1', '\\1'],
    ['(a)(b)\\9', '\\9'],
    ['(?<n>a)\\k<n>', '\\k<...>'],
    ['(?P<n>a)(?P=n)', '(?P='],
  ])('names the backreference in %s', (pattern, what) => {
    expect(checkRegex(pattern)).toBe(`backreferences are not supported (RE2 is linear-time): ${what}`);
  });

  it.each(['(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', 'x[a](?=y)'])('names the lookaround in %s', (pattern) => {
    expect(checkRegex(pattern)).toMatch(/^lookahead and lookbehind are not supported \(RE2 is linear-time\): \(\?<?[=!]$/);
  });

  it.each([
    ['a++', '++'],
    ['a*+', '*+'],
    ['a?+', '?+'],
    ['a{2}+', '{2}+'],
    ['a{2,5}+', '{2,5}+'],
    ['(?>ab)', '(?>'],
  ])('names atomic groups and possessive quantifiers in %s', (pattern, what) => {
    expect(checkRegex(pattern)).toBe(`atomic groups and possessive quantifiers are not supported (RE2 is linear-time): ${what}`);
  });

  it('names recursion and conditionals', () => {
    expect(checkRegex('a(?R)?b')).toMatch(/^recursion and subroutine calls are not supported/);
    expect(checkRegex('(a)(?1)')).toMatch(/^recursion and subroutine calls are not supported/);
    expect(checkRegex('(a)?(?(1)b|c)')).toMatch(/^conditionals are not supported/);
  });

  it("passes RE2's own message through", () => {
    expect(checkRegex('a(b')).toBe('RE2: missing ): a(b');
    expect(checkRegex('[a')).toBe('RE2: missing ]: [a');
    expect(checkRegex('a{2,1}')).toBe('RE2: invalid repetition size: {2,1}');
    expect(checkRegex('a**')).toBe('RE2: bad repetition operator: **');
    expect(checkRegex('\\Z')).toBe('RE2: invalid escape sequence: \\Z');
  });

  it('refuses lone surrogates', () => {
    expect(checkRegex('ab\uD800')).toBe('not well-formed Unicode: lone surrogate at character 3');
    expect(checkRegex('\uDC00')).toBe('not well-formed Unicode: lone surrogate at character 1');
    expect(loneSurrogateIndex('\uD83D\uDE00x')).toBeUndefined();
  });
});
