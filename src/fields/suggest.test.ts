import { describe, it, expect } from 'vitest';
import { levenshtein, suggestField } from './suggest.js';

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('mail', 'email')).toBe(1);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
  });
});

describe('suggestField', () => {
  it('corrects typos in the whole name', () => {
    expect(suggestField('whois.registrant.mail')).toBe('whois.registrant.email');
    expect(suggestField('domain.tlds')).toBe('domain.tld');
    expect(suggestField('x509.subject.commonname')).toBe('x509.subject.common_name');
    expect(suggestField('Domain.Registered')).toBe('domain.registered');
  });

  it('finds a field from its last segment when the prefix is missing or wrong', () => {
    expect(suggestField('sha256')).toBe('x509.sha256');
    expect(suggestField('cert.serial_number')).toBe('x509.serial_number');
    expect(suggestField('registrar')).toBe('whois.registrar');
    // Several fields end in "email": the closest whole name wins.
    expect(suggestField('email')).toBe('whois.email');
    expect(suggestField('common_name')).toMatch(/^x509\.(subject|issuer)\.common_name$/);
  });

  it('suggests nothing for names far from every field', () => {
    expect(suggestField('colour')).toBeUndefined();
    expect(suggestField('http.user_agent')).toBeUndefined();
    expect(suggestField('')).toBeUndefined();
  });
});
