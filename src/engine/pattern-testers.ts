// The obvious meaning of one pattern, as a function: the reference matcher is built from these,
// and the fast matcher uses them for the rare checks it does not optimise (excludes).
import RE2 from 're2';
import { networkContains, parseNetwork } from '../fields/ip.js';
import type { MatchKind } from '../signatures/types.js';
import { domainExcludeTester } from './lookalike/exclude.js';

/** Escapes ASCII punctuation so RE2 reads the text literally. */
export function escapeRe2(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

export function re2Flags(caseSensitive: boolean): string {
  return caseSensitive ? 'u' : 'iu';
}

export type ValueTester = (value: string) => boolean;

export function patternTester(kind: MatchKind, pattern: string, caseSensitive: boolean): ValueTester {
  switch (kind) {
    case 'regex': {
      const re = new RE2(pattern, re2Flags(caseSensitive));
      return (v) => re.test(v);
    }
    case 'literal': {
      if (caseSensitive) return (v) => v === pattern;
      // "Ignores case" means what RE2's (?i) means, for every match kind alike.
      const re = new RE2(`^${escapeRe2(pattern)}$`, re2Flags(false));
      return (v) => re.test(v);
    }
    case 'cidr': {
      const parsed = parseNetwork(pattern);
      if (!parsed.ok) throw new Error(parsed.reason);
      const net = parsed.network;
      return (v) => {
        const p = parseNetwork(v);
        return p.ok && networkContains(net, p.network);
      };
    }
    case 'lookalike':
      // Brands need the signature's options and are matched by engine/lookalike; what reaches
      // here is an exclude: a domain, and every name under it.
      return domainExcludeTester(pattern);
  }
}

export function anyTester(kind: MatchKind, patterns: readonly string[], caseSensitive: boolean): ValueTester | undefined {
  if (patterns.length === 0) return undefined;
  const testers = patterns.map((p) => patternTester(kind, p, caseSensitive));
  return (v) => testers.some((t) => t(v));
}

/** Like a ValueTester, but RE2 reads the value's UTF-8 bytes (see utf8-view.ts). */
export type BufferTester = (value: string, input: Buffer) => boolean;

/** Any of `patterns` matches; for the fast matcher's excludes. */
export function bufferTester(kind: MatchKind, patterns: readonly string[], caseSensitive: boolean): BufferTester | undefined {
  if (patterns.length === 0) return undefined;
  const testers = patterns.map((p): BufferTester => {
    if (kind === 'regex' || (kind === 'literal' && !caseSensitive)) {
      const source = kind === 'regex' ? p : `^${escapeRe2(p)}$`;
      const re = new RE2(source, re2Flags(caseSensitive));
      return (_v, input) => re.test(input);
    }
    const t = patternTester(kind, p, caseSensitive);
    return (v) => t(v);
  });
  return (v, input) => testers.some((t) => t(v, input));
}
