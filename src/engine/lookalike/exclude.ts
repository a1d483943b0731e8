// A look-alike signature's excludes are the brand's own domains: a value that is one of them, or
// a name under one of them, never matches (docs/LOOKALIKE.md).
import { normaliseDomain } from '../../fields/domain.js';

export function domainExcludeTester(pattern: string): (value: string) => boolean {
  return domainsExcludeTester([pattern]);
}

/** All of a signature's excludes at once: the value is lower-cased once, not once per domain. */
export function domainsExcludeTester(patterns: readonly string[]): (value: string) => boolean {
  const domains = patterns.map((p) => normaliseDomain(p) ?? p.toLowerCase());
  return (value) => {
    const v = value.toLowerCase();
    for (const d of domains) {
      if (v === d || (v.length > d.length && v.charCodeAt(v.length - d.length - 1) === 46 && v.endsWith(d))) return true;
    }
    return false;
  };
}
