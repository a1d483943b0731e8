// A look-alike signature's excludes are the brand's own domains: a value that is one of them, or
// a name under one of them, never matches (docs/LOOKALIKE.md).
import { normaliseDomain } from '../../fields/domain.js';

export function domainExcludeTester(pattern: string): (value: string) => boolean {
  return domainsExcludeTester([pattern]);
}

/** Up to this many domains a suffix comparison each is cheaper than hashing the value's names. */
const FEW = 8;

/**
 * All of a signature's excludes at once, the value lower-cased once. A long list (a brand with
 * 200 own domains) is a set, looked up with the value and each name it is under (what follows
 * each of its dots); a short one is compared domain by domain.
 */
export function domainsExcludeTester(patterns: readonly string[]): (value: string) => boolean {
  const list = [...new Set(patterns.map((p) => normaliseDomain(p) ?? p.toLowerCase()))];
  if (list.length <= FEW) {
    return (value) => {
      const v = value.toLowerCase();
      for (const d of list) if (v === d || (v.length > d.length && v.charCodeAt(v.length - d.length - 1) === 46 && v.endsWith(d))) return true;
      return false;
    };
  }
  const domains = new Set(list);
  return (value) => {
    const v = value.toLowerCase();
    if (domains.has(v)) return true;
    for (let i = v.indexOf('.'); i >= 0; i = v.indexOf('.', i + 1)) if (domains.has(v.slice(i + 1))) return true;
    return false;
  };
}
