// The 10,000 signatures of `npm run bench:feeds`, as brand monitoring writes them (also used by
// scratch measurements of a watch process, which is why they are a module of their own).
import { rng, Words } from '../demo/words.js';
import { makeSignature } from '../signatures/make.js';
import type { Signature } from '../signatures/types.js';

const TLDS = ['com', 'net', 'org', 'io', 'xyz', 'online', 'site', 'shop', 'app', 'dev'];
const esc = (s: string): string => s.replace(/[.\-@*]/g, (c) => `\\${c}`);

/**
 * `count` signatures as brand monitoring writes them, mostly on names: brand keywords on `domain`
 * (a second spelling, an exclude), anchored suffixes, certificate CN and SAN patterns, regexes
 * around a keyword, issuer organisations; each tags. Five more alert on any of the first 500
 * brand words, the words the pool's brand names draw from, so notifications reach the outbox.
 */
export function feedSignatures(count: number, brands: readonly string[]): Signature[] {
  const w = new Words(rng(61));
  const tag = [{ tag: 'Bench' }];
  const out: Signature[] = [];
  for (let i = 0; i < count; i++) {
    const id = `bench-${i}`;
    const brand = w.pick(brands);
    const site = `${w.word()}.${w.pick(TLDS)}`;
    const roll = w.r();
    if (roll < 0.45) {
      const patterns = w.chance(0.3) ? [brand, brand.replace(/o/g, '0')] : [brand];
      out.push(makeSignature({ id, field: 'domain', patterns, exclude: w.chance(0.2) ? [`(^|\\.)${esc(brand)}\\.com$`] : [], actions: tag }));
    } else if (roll < 0.6) {
      out.push(makeSignature({ id, field: 'domain', patterns: [w.chance(0.7) ? `(^|\\.)${esc(site)}$` : `\\.${esc(site)}$`], actions: tag }));
    } else if (roll < 0.75) {
      out.push(makeSignature({ id, field: 'x509.subject.common_name', patterns: [w.chance(0.5) ? brand : `^(\\*\\.|www\\.)?${esc(site)}$`], actions: tag }));
    } else if (roll < 0.85) {
      out.push(makeSignature({ id, field: 'x509.alternative_names', patterns: [w.chance(0.5) ? `${brand}-?(login|secure|verify)` : `(^|\\.)${esc(site)}$`], actions: tag }));
    } else if (roll < 0.95) {
      const kind = w.int(0, 2);
      const p = kind === 0 ? `${brand}[0-9]{2,4}` : kind === 1 ? `^[a-z]{2,6}-${brand}\\.` : `^(www\\.)?${brand}[.-][a-z]+\\.(com|net)$`;
      out.push(makeSignature({ id, field: 'domain', patterns: [p], actions: tag }));
    } else {
      out.push(makeSignature({ id, field: 'x509.issuer.organization', patterns: [w.word(3, 4)], actions: tag }));
    }
  }
  for (let k = 0; k < 5; k++) {
    out.push(makeSignature({ id: `brand-alert-${k}`, field: 'domain', patterns: brands.slice(k * 100, (k + 1) * 100), actions: [{ alert: { severity: 'high' } }] }));
  }
  return out;
}
