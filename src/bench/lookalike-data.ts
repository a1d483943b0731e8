// The labelled look-alike set of bench:lookalike, built from ../shared/data/domains:
//   brands     the registered labels of the OpenDNS top list, in popularity order;
//   own        each brand's own domains: the top list's registered domains with that label
//              (google.com, google.de, …), which a brand team lists under `exclude`;
//   positives  dnstwist-style permutations (engine/lookalike/permutations.ts) of each brand under
//              its first TLD, with dnstwist's English dictionary and common TLDs. They are
//              generated, not observed: no real phishing list is in the data;
//   negatives  the OpenDNS top and random lists (benign by their README), less the brands' own.
// A permutation that is itself a listed popular domain is a real, different site: it is left out
// of the positives and counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'tldts';
import { permutations, type Permutation } from '../engine/lookalike/permutations.js';
import { normaliseDomain } from '../fields/domain.js';

export const DOMAINS_DIR = process.env.WARREN_DOMAINS_DATA ?? join(process.cwd(), '../shared/data/domains');

function lines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '' && !l.startsWith('//') && !l.startsWith('#'));
}

export interface Brand {
  readonly label: string;
  readonly tld: string;
  readonly own: readonly string[];
}

export interface Positive extends Permutation {
  readonly brand: string;
  readonly domain: string;
}

export interface LabelledSet {
  readonly brands: readonly Brand[];
  readonly positives: readonly Positive[];
  readonly negatives: readonly string[];
  /** Permutations left out because they are listed popular domains. */
  readonly realSites: number;
}

/** The first `count` brands of the top list whose label has at least `minLength` characters. */
export function topBrands(count: number, minLength = 1): Brand[] {
  const own = new Map<string, { tld: string; own: string[] }>();
  for (const d of lines(join(DOMAINS_DIR, 'opendns-top-domains.txt'))) {
    const p = parse(d, { allowPrivateDomains: false });
    if (!p.domain || !p.domainWithoutSuffix || !p.publicSuffix || !/^[a-z0-9-]+$/.test(p.domainWithoutSuffix)) continue;
    const label = p.domainWithoutSuffix;
    const entry = own.get(label);
    if (entry) {
      if (!entry.own.includes(p.domain)) entry.own.push(p.domain);
    } else own.set(label, { tld: p.publicSuffix, own: [p.domain] });
  }
  return [...own]
    .filter(([label]) => label.length >= minLength)
    .slice(0, count)
    .map(([label, e]) => ({ label, tld: e.tld, own: e.own }));
}

/**
 * Brands phishers imitate most (the consumer, payment, mail and delivery names of public phishing
 * reports), kept where the top list has them, so that their own domains come from the data too.
 */
export const PHISHED = [
  'paypal', 'apple', 'microsoft', 'amazon', 'google', 'facebook', 'netflix', 'instagram', 'linkedin', 'twitter', 'ebay',
  'dropbox', 'yahoo', 'adobe', 'icloud', 'outlook', 'office', 'skype', 'whatsapp', 'spotify', 'github', 'wellsfargo',
  'chase', 'bankofamerica', 'americanexpress', 'citi', 'dhl', 'fedex', 'usps', 'ups', 'steampowered', 'blizzard',
  'coinbase', 'binance', 'docusign', 'wetransfer', 'booking', 'airbnb', 'alibaba', 'aliexpress', 'walmart', 'target',
  'bestbuy', 'hotmail', 'gmail', 'aol', 'comcast', 'verizon', 'att', 'tmobile', 'orange', 'vodafone', 'hsbc', 'barclays',
  'santander', 'ing', 'visa', 'mastercard', 'intuit', 'turbotax', 'irs', 'dropboxusercontent', 'onedrive', 'sharepoint',
];

export function phishedBrands(): Brand[] {
  const all = new Map(topBrands(Infinity).map((b) => [b.label, b]));
  return PHISHED.flatMap((label) => all.get(label) ?? []);
}

const dictionary = (): string[] => lines(join(DOMAINS_DIR, 'dnstwist/english.dict'));

/**
 * dnstwist's English dictionary ("the most common words used in targeted phishing campaigns") as
 * a signature's keywords: one word each, so its `https-www` gives `https` and `www`.
 */
export function phishingKeywords(): string[] {
  return [...new Set(dictionary().flatMap((w) => w.split('-')))];
}

export function labelledSet(brands: readonly Brand[]): LabelledSet {
  const words = dictionary();
  const tlds = lines(join(DOMAINS_DIR, 'dnstwist/common_tlds.dict'));
  const popular = [...lines(join(DOMAINS_DIR, 'opendns-top-domains.txt')), ...lines(join(DOMAINS_DIR, 'opendns-random-domains.txt'))];
  const owned = new Set(brands.flatMap((b) => b.own));
  const listed = new Set(popular);
  const negatives = [...new Set(popular)].filter((d) => !owned.has(d));
  const positives: Positive[] = [];
  let realSites = 0;
  for (const b of brands) {
    for (const p of permutations(b.label, b.tld, words, tlds)) {
      // As the store holds it: IDNs in A-label form. A few glyphs IDNA refuses are no domain at all.
      const domain = normaliseDomain(`${p.label}.${p.tld}`);
      if (domain === undefined || owned.has(domain)) continue;
      if (listed.has(domain)) {
        realSites++;
        continue;
      }
      positives.push({ ...p, brand: b.label, domain });
    }
  }
  return { brands, positives, negatives, realSites };
}
