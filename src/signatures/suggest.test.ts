import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from './suggest.js';

describe('closest', () => {
  const keys = ['id', 'title', 'patterns', 'exclude', 'case_sensitive', 'actions'];

  it('suggests the likely intended name', () => {
    expect(closest('pattern', keys)).toBe('patterns');
    expect(closest('Patterns', keys)).toBe('patterns');
    expect(closest('case-sensitive', keys)).toBe('case_sensitive');
    expect(closest('excludes', keys)).toBe('exclude');
    expect(closest('clasify', ['tag', 'classify', 'alert'])).toBe('classify');
  });

  it('stays quiet when nothing is close', () => {
    expect(closest('severity', keys)).toBeUndefined();
    expect(closest('ip', ['tag', 'classify', 'alert'])).toBeUndefined();
    expect(closest('x', keys)).toBeUndefined();
    expect(closest('', keys)).toBeUndefined();
  });

  it('words the message tail', () => {
    expect(didYouMean('patterns')).toBe(', did you mean patterns');
    expect(didYouMean(undefined)).toBe('');
  });
});
