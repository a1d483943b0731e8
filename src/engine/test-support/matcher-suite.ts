// One behaviour suite for every Matcher implementation (signatures.md, "What a match means").
import { describe, expect, it } from 'vitest';
import type { Signature } from '../../signatures/types.js';
import { record, sig } from './signature.js';
import type { Hit, Matcher } from '../types.js';

export type MatcherFactory = (signatures: readonly Signature[]) => Matcher;

function ids(hits: Hit[]): string[] {
  return hits.map((h) => h.signature);
}

export function matcherSuite(name: string, make: MatcherFactory): void {
  describe(`${name}: regex`, () => {
    it('finds a pattern anywhere in the value (search, not full match)', () => {
      const m = make([sig({ id: 'brand', field: 'domain', patterns: ['passivetotal'] })]);
      expect(m.match(record({ domain: 'login-passivetotal.example.com' }))).toEqual([
        { signature: 'brand', field: 'domain', value: 'login-passivetotal.example.com', pattern: 0 },
      ]);
      expect(m.match(record({ domain: 'passive-total.example.com' }))).toEqual([]);
    });

    it('ignores case unless case_sensitive', () => {
      const ci = make([sig({ id: 'a', field: 'whois.registrant.email', patterns: ['^46313@qq\\.com$'] })]);
      expect(ids(ci.match(record({ 'whois.registrant.email': '46313@QQ.COM' })))).toEqual(['a']);
      const cs = make([sig({ id: 'a', field: 'whois.registrant.email', patterns: ['^46313@qq\\.com$'], caseSensitive: true })]);
      expect(ids(cs.match(record({ 'whois.registrant.email': '46313@QQ.COM' })))).toEqual([]);
      expect(ids(cs.match(record({ 'whois.registrant.email': '46313@qq.com' })))).toEqual(['a']);
    });

    it('honours ^ and $ as text anchors', () => {
      const m = make([
        sig({ id: 'prefix', field: 'domain', patterns: ['^login\\.'] }),
        sig({ id: 'suffix', field: 'domain', patterns: ['\\.top$'] }),
        sig({ id: 'exact', field: 'domain', patterns: ['^evil\\.com$'] }),
      ]);
      expect(ids(m.match(record({ domain: 'login.evil.com' })))).toEqual(['prefix']);
      expect(ids(m.match(record({ domain: 'a.login.top' })))).toEqual(['suffix']);
      expect(ids(m.match(record({ domain: 'evil.com' })))).toEqual(['exact']);
      expect(ids(m.match(record({ domain: 'evil.com.au' })))).toEqual([]);
    });

    it('matches a label suffix (^|\\.)label\\.tld$ on the name and its subdomains only', () => {
      const m = make([sig({ id: 'ls', field: 'domain', patterns: ['(^|\\.)evil\\.com$'] })]);
      expect(ids(m.match(record({ domain: 'evil.com' })))).toEqual(['ls']);
      expect(ids(m.match(record({ domain: 'a.b.evil.com' })))).toEqual(['ls']);
      expect(ids(m.match(record({ domain: 'notevil.com' })))).toEqual([]);
    });

    it('confirms general regexes exactly (classes, quantifiers, alternation)', () => {
      const m = make([
        sig({ id: 'digits', field: 'domain', patterns: ['paypal-?[0-9]{2,4}\\.'] }),
        sig({ id: 'alt', field: 'domain', patterns: ['^(secure|account)-update\\.'] }),
        sig({ id: 'noliteral', field: 'domain', patterns: ['^[a-z]{3}[0-9]{5}\\.[a-z]+$'] }),
      ]);
      expect(ids(m.match(record({ domain: 'paypal-123.example.com' })))).toEqual(['digits']);
      expect(ids(m.match(record({ domain: 'paypal-1.example.com' })))).toEqual([]);
      expect(ids(m.match(record({ domain: 'account-update.example.com' })))).toEqual(['alt']);
      expect(ids(m.match(record({ domain: 'abc12345.xyz' })))).toEqual(['noliteral']);
      expect(ids(m.match(record({ domain: 'abc1234.xyz' })))).toEqual([]);
    });

    it('handles many regexes sharing one weak literal', () => {
      const sigs = Array.from({ length: 20 }, (_, i) => sig({ id: `len${i}`, field: 'domain', patterns: [`^[a-z]{${i + 1}}\\.com$`] }));
      const m = make(sigs);
      expect(ids(m.match(record({ domain: 'abcde.com' })))).toEqual(['len4']);
      expect(ids(m.match(record({ domain: 'abcde.net' })))).toEqual([]);
    });

    it('folds case the way RE2 does (KELVIN SIGN is a k, LONG S is an s)', () => {
      const m = make([sig({ id: 'k', field: 'as.name', patterns: ['kaspersky'] })]);
      expect(ids(m.match(record({ 'as.name': '\u212Aa\u017Fpersky Lab' })))).toEqual(['k']);
      const cs = make([sig({ id: 'k', field: 'as.name', patterns: ['kaspersky'], caseSensitive: true })]);
      expect(ids(cs.match(record({ 'as.name': '\u212Aaspersky Lab' })))).toEqual([]);
    });

    it('matches non-ASCII text case-insensitively', () => {
      const m = make([sig({ id: 'u', field: 'whois.registrant.name', patterns: ['ÉCOLE'] })]);
      expect(ids(m.match(record({ 'whois.registrant.name': 'Grande école' })))).toEqual(['u']);
    });
  });

  describe(`${name}: literal`, () => {
    it('matches the whole value only', () => {
      const m = make([sig({ id: 'l', field: 'whois.registrant.email', match: 'literal', patterns: ['a.b@qq.com'] })]);
      expect(ids(m.match(record({ 'whois.registrant.email': 'A.B@QQ.com' })))).toEqual(['l']);
      expect(ids(m.match(record({ 'whois.registrant.email': 'xa.b@qq.com' })))).toEqual([]);
      expect(ids(m.match(record({ 'whois.registrant.email': 'a-b@qq.com' })))).toEqual([]);
    });

    it('respects case_sensitive, also for non-ASCII text', () => {
      const cs = make([sig({ id: 'l', field: 'as.name', match: 'literal', patterns: ['Évian'], caseSensitive: true })]);
      expect(ids(cs.match(record({ 'as.name': 'évian' })))).toEqual([]);
      const ci = make([sig({ id: 'l', field: 'as.name', match: 'literal', patterns: ['Évian'] })]);
      expect(ids(ci.match(record({ 'as.name': 'éVIAN' })))).toEqual(['l']);
    });
  });

  describe(`${name}: cidr`, () => {
    const m = make([
      sig({ id: 'v4', field: 'ip', match: 'cidr', patterns: ['192.0.2.0/24', '10.0.0.0/8'] }),
      sig({ id: 'v6', field: 'ip', match: 'cidr', patterns: ['2001:db8::/32'] }),
      sig({ id: 'net', field: 'network', match: 'cidr', patterns: ['198.51.100.0/22'] }),
    ]);

    it('matches addresses inside the network, IPv4 and IPv6', () => {
      expect(m.match(record({ ip: '10.1.2.3' }))).toEqual([{ signature: 'v4', field: 'ip', value: '10.1.2.3', pattern: 1 }]);
      expect(ids(m.match(record({ ip: '2001:db8::1' })))).toEqual(['v6']);
      expect(ids(m.match(record({ ip: '192.0.3.1' })))).toEqual([]);
      expect(ids(m.match(record({ ip: 'not an ip' })))).toEqual([]);
    });

    it('matches a network inside or equal to the pattern, not a wider one', () => {
      expect(ids(m.match(record({ network: '198.51.100.0/24' })))).toEqual(['net']);
      expect(ids(m.match(record({ network: '198.51.100.0/22' })))).toEqual(['net']);
      expect(ids(m.match(record({ network: '198.51.0.0/16' })))).toEqual([]);
    });
  });

  describe(`${name}: signature semantics`, () => {
    it('fires on any pattern and reports the first matching one', () => {
      const m = make([sig({ id: 'multi', field: 'domain', patterns: ['nomatch', 'bank', 'secure-bank'] })]);
      expect(m.match(record({ domain: 'secure-bank.example' }))).toEqual([
        { signature: 'multi', field: 'domain', value: 'secure-bank.example', pattern: 1 },
      ]);
    });

    it('never fires for a value matching an exclude', () => {
      const m = make([sig({ id: 'x', field: 'whois.registrant.email', patterns: ['@qq\\.com$'], exclude: ['^noreply@'] })]);
      expect(ids(m.match(record({ 'whois.registrant.email': 'noreply@qq.com' })))).toEqual([]);
      expect(ids(m.match(record({ 'whois.registrant.email': 'bad@qq.com' })))).toEqual(['x']);
    });

    it('matches multi-valued fields value by value, one hit each', () => {
      const m = make([sig({ id: 'san', field: 'x509.alternative_names', patterns: ['paypal', 'apple'] })]);
      expect(m.match(record({ 'x509.alternative_names': ['www.example.com', 'paypal.example.com', 'apple.example.com'] }))).toEqual([
        { signature: 'san', field: 'x509.alternative_names', value: 'paypal.example.com', pattern: 0 },
        { signature: 'san', field: 'x509.alternative_names', value: 'apple.example.com', pattern: 1 },
      ]);
    });

    it('never matches a field the record lacks, not even ^$', () => {
      const m = make([sig({ id: 'empty', field: 'whois.registrar', patterns: ['^$', '.*'] })]);
      expect(m.match(record({ domain: 'example.com' }))).toEqual([]);
    });

    it('keeps signatures on different fields apart and orders hits by field, value, signature', () => {
      const m = make([
        sig({ id: 's2', field: 'domain', patterns: ['evil'] }),
        sig({ id: 's1', field: 'whois.registrar', patterns: ['evil'] }),
        sig({ id: 's0', field: 'domain', patterns: ['\\.com$'] }),
      ]);
      expect(m.match(record({ 'whois.registrar': 'Evil Registrar', domain: 'evil.com' }))).toEqual([
        { signature: 's1', field: 'whois.registrar', value: 'Evil Registrar', pattern: 0 },
        { signature: 's2', field: 'domain', value: 'evil.com', pattern: 0 },
        { signature: 's0', field: 'domain', value: 'evil.com', pattern: 0 },
      ]);
    });
  });
}
