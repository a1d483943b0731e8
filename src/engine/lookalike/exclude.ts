// A look-alike signature's excludes are the brand's own domains: a value that is one of them, or
// a name under one of them, never matches (docs/LOOKALIKE.md).
import { normaliseDomain } from '../../fields/domain.js';

export function domainExcludeTester(pattern: string): (value: string) => boolean {
  const domain = normaliseDomain(pattern) ?? pattern.toLowerCase();
  const under = `.${domain}`;
  return (value) => {
    const v = value.toLowerCase();
    return v === domain || v.endsWith(under);
  };
}
