// A look-alike exclude names a domain: the value itself, or any name under it, never fires; a
// name that merely ends with the same letters (`xpaypal.com`) or holds it elsewhere does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { domainsExcludeTester } from './exclude.js';

const label = fc.constantFrom('paypal', 'com', 'co', 'uk', 'x', 'www', 'xpaypal', 'a-b');
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));

describe('domainsExcludeTester', () => {
  it('is "equal to one of the domains, or under one" (lower-cased), on random names, for short lists and long', () => {
    fc.assert(
      // Up to 8 domains are compared one by one, more are looked up in a set: both ways are drawn.
      fc.property(fc.array(name, { minLength: 1, maxLength: 16 }), name, fc.boolean(), (domains, value, upper) => {
        const v = upper ? value.toUpperCase() : value;
        const expected = domains.some((d) => value === d || value.endsWith(`.${d}`));
        expect(domainsExcludeTester(domains)(v)).toBe(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it('leaves look-alikes of an excluded domain to match', () => {
    const few = ['paypal.com', 'paypal.co.uk'];
    const many = [...few, ...['de', 'fr', 'it', 'es', 'nl', 'be', 'at', 'ch'].map((tld) => `paypal.${tld}`)];
    for (const own of [domainsExcludeTester(few), domainsExcludeTester(many)]) {
      expect(['paypal.com', 'www.paypal.com', 'a.b.paypal.co.uk', 'PayPal.com'].map(own)).toEqual([true, true, true, true]);
      expect(['xpaypal.com', 'paypal.com.evil.net', 'paypal.co', 'co.uk'].map(own)).toEqual([false, false, false, false]);
    }
  });
});
