// The exclude pattern a false positive offers: it matches exactly the notification's value under
// the signature's own match kind (so the value stops firing and nothing else does), and the
// headline's short hashes.
import { describe, expect, it } from 'vitest';
import { anyTester } from '../engine/pattern-testers.js';
import { exclusionPattern } from './notification-exclusion.js';
import { displayHeadline, shortHash } from './notification-titles.js';

describe('the exclusion of a false positive', () => {
  it('is the value anchored and escaped for a regex signature: it stops that value and nothing near it', () => {
    for (const value of ['brandx.partner.example', 'a+b(c)[d]{2}|e^f$g?h*i\\j.example', 'Name With Spaces', '46313@qq.com']) {
      const pattern = exclusionPattern({ match: 'regex' }, value)!;
      const stops = anyTester('regex', [pattern], false)!;
      expect(stops(value), pattern).toBe(true);
      expect(stops(value.toUpperCase()), pattern).toBe(true);
      expect(stops(`x${value}`), pattern).toBe(false);
      expect(stops(`${value}x`), pattern).toBe(false);
    }
    expect(exclusionPattern({ match: 'regex' }, 'brandx.partner.example')).toBe('^brandx\\.partner\\.example$');
    // A dot is a dot: the escaped pattern does not stop brandxXpartner.
    expect(anyTester('regex', [exclusionPattern({ match: 'regex' }, 'a.b')!], false)!('aXb')).toBe(false);
  });

  it('is the value itself for a literal signature, and the host or network for a cidr one', () => {
    expect(exclusionPattern({ match: 'literal' }, 'evil.example')).toBe('evil.example');
    expect(exclusionPattern({ match: 'cidr' }, '192.0.2.7')).toBe('192.0.2.7/32');
    expect(exclusionPattern({ match: 'cidr' }, '2001:db8::7')).toBe('2001:db8::7/128');
    expect(exclusionPattern({ match: 'cidr' }, '198.51.100.0/24')).toBe('198.51.100.0/24');
    expect(exclusionPattern({ match: 'cidr' }, 'not-an-address')).toBeUndefined();
    const host = anyTester('cidr', ['192.0.2.7/32'], false)!;
    expect([host('192.0.2.7'), host('192.0.2.8')]).toEqual([true, false]);
  });

  it('is the domain for a look-alike signature: it and the names under it stop, its neighbours do not', () => {
    expect(exclusionPattern({ match: 'lookalike' }, 'paypal-partner.example')).toBe('paypal-partner.example');
    expect(exclusionPattern({ match: 'lookalike' }, '*.paypal-partner.example')).toBe('paypal-partner.example');
    expect(exclusionPattern({ match: 'lookalike' }, 'PayPal Inc')).toBeUndefined();
    const stops = anyTester('lookalike', ['paypal-partner.example'], false)!;
    expect(['paypal-partner.example', 'www.paypal-partner.example', 'xpaypal-partner.example', 'paypal-partner.example.evil'].map(stops)).toEqual([true, true, false, false]);
  });
});

describe('headlines', () => {
  it('shorten hex hashes to their first 8 and last 5 digits and leave names alone', () => {
    const sha256 = '3520e900d8e2b6c1d0c3f2a9b8e7f6a5d4c3b2a1f0e9d8c7b6a5f4e3d2ca23c6';
    expect(shortHash(sha256)).toBe('3520e900…a23c6');
    expect(shortHash('da39a3ee5e6b4b0d3255bfef95601890afd80709')).toBe('da39a3ee…80709');
    expect(shortHash('login-passivetotal.example')).toBe('login-passivetotal.example');
    expect(shortHash('deadbeef')).toBe('deadbeef');
    expect(displayHeadline('Known bad certificate', 'certificate', sha256)).toBe('Known bad certificate — certificate 3520e900…a23c6');
  });
});
