// A look-alike signature's excludes are the brand's own domains: a value that is one of them, or
// a name under one of them, never matches (docs/LOOKALIKE.md).
import { normaliseDomain } from '../../fields/domain.js';

export function domainExcludeTester(pattern: string): (value: string) => boolean {
  return domainsExcludeTester([pattern]);
}

/**
 * All of a signature's excludes at once: the value and each name it is under (what follows each
 * of its dots) looked up in a set, so a brand with 200 own domains costs a few look-ups, not 200
 * suffix comparisons.
 */
export function domainsExcludeTester(patterns: readonly string[]): (value: string) => boolean {
  const domains = new Set(patterns.map((p) => normaliseDomain(p) ?? p.toLowerCase()));
  return (value) => {
    const v = value.toLowerCase();
    if (domains.has(v)) return true;
    for (let i = v.indexOf('.'); i >= 0; i = v.indexOf('.', i + 1)) if (domains.has(v.slice(i + 1))) return true;
    return false;
  };
}
