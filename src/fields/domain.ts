// Domain names: the one normal form (lower-case A-label, no trailing dot) and the fields derived
// from it (fields.md, "Domains").
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';
import punycode from 'punycode/punycode.js';
import { parse } from 'tldts';

export interface DerivedDomainFields {
  'domain.registered'?: string;
  'domain.tld'?: string;
  'domain.subdomain'?: string;
  'domain.unicode': string;
  'domain.skeleton': string;
}

const MAX_NAME = 253;
const MAX_LABEL = 63;
// UTS #46 treats these as label separators too, so a name typed with an ideographic or fullwidth
// full stop splits where the user meant it to.
const LABEL_SEPARATORS = /[.\u3002\uFF0E\uFF61]/;
// Underscores are not hostname characters, but real DNS is full of them (_dmarc, SRV, CDN names).
const ASCII_LABEL = /^[a-z0-9_-]+$/;
const ALL_ASCII = /^\p{ASCII}*$/u;
const PLAIN_NAME = /^[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*$/;

/**
 * The normal form of a domain name, or undefined when it cannot be one. Tolerant of what real DNS
 * holds (underscores, numeric labels, leading hyphens, undecodable xn-- labels) because the goal is
 * matching observed names, not policing registrations.
 */
export function normaliseDomain(text: string): string | undefined {
  // Most names arrive already normal: a name of lower-case ASCII labels within the limits is its
  // own normal form (what the general path below returns for it), found by one regex test.
  if (text.length <= MAX_NAME && PLAIN_NAME.test(text)) return text;
  return normaliseDomainGeneral(text);
}

/** normaliseDomain without its fast path; exported for the test that compares the two. */
export function normaliseDomainGeneral(text: string): string | undefined {
  let name = text.trim();
  if (name.length > 0 && LABEL_SEPARATORS.test(name.at(-1)!)) name = name.slice(0, -1);
  if (name === '' || /\s/.test(name)) return undefined;
  const labels: string[] = [];
  for (const label of name.split(LABEL_SEPARATORS)) {
    const ascii = labelToAscii(label);
    if (ascii === undefined) return undefined;
    labels.push(ascii);
  }
  const ascii = labels.join('.');
  return isValidAsciiName(ascii) ? ascii : undefined;
}

function labelToAscii(label: string): string | undefined {
  if (ALL_ASCII.test(label)) return label.toLowerCase();
  // Only non-ASCII labels go through IDNA, so ASCII labels that strict IDNA refuses (bad xn--,
  // underscores) survive. The '.x' sentinel stops the WHATWG host parser from reading a label
  // that maps to digits (fullwidth '１２３') as an IPv4 number; it returns '' on failure.
  const converted = domainToASCII(`${label}.x`);
  if (!converted.endsWith('.x')) return undefined;
  const ascii = converted.slice(0, -2);
  return ascii === '' ? undefined : ascii;
}

function isValidAsciiName(name: string): boolean {
  if (name.length > MAX_NAME) return false;
  const labels = name.split('.');
  return labels.every((label, i) => {
    if (label === '' || label.length > MAX_LABEL) return false;
    // A wildcard SAN (*.example.com) names a certificate's scope; '*' alone names nothing.
    if (label === '*') return i === 0 && labels.length > 1;
    return ASCII_LABEL.test(label);
  });
}

/** U-label form of a normalised domain; a label that does not decode is kept as it is. */
export function domainToUnicode(domain: string): string {
  return domain
    .split('.')
    .map((label) => {
      if (!label.startsWith('xn--')) return label;
      try {
        return punycode.decode(label.slice(4));
      } catch {
        return label;
      }
    })
    .join('.');
}

/**
 * Confusable code point → ASCII prototype, from UTS #39 confusables.txt (via unhomoglyph's
 * data.json). Only non-ASCII sources with an all-ASCII prototype: ASCII characters keep their own
 * identity (analysts write `microsoft`, not UTS #39's `rnicrosoft`), and a prototype in another
 * script would make the skeleton harder, not easier, to match with plain patterns.
 */
const TO_ASCII_PROTOTYPE: ReadonlyMap<number, string> = loadConfusables();

function loadConfusables(): Map<number, string> {
  const require = createRequire(import.meta.url);
  const data = require('unhomoglyph/data.json') as Record<string, string>;
  const map = new Map<number, string>();
  for (const [source, prototype] of Object.entries(data)) {
    const cp = source.codePointAt(0)!;
    if (cp > 0x7f && ALL_ASCII.test(prototype)) map.set(cp, prototype);
  }
  return map;
}

/**
 * `domain.skeleton` from `domain.unicode`. Prototypes are lower-cased because domain names are
 * case-insensitive and the rest of the name is already lower case: Cyrillic 'Ѕ' is confusable
 * with 'S', and the skeleton should read 's' like every other letter in the name.
 */
export function domainSkeleton(unicode: string): string {
  let out = '';
  for (const ch of unicode) {
    const prototype = TO_ASCII_PROTOTYPE.get(ch.codePointAt(0)!);
    out += prototype === undefined ? ch : prototype.toLowerCase();
  }
  return out;
}

/** The `domain.*` fields of a normalised domain (see normaliseDomain). */
export function deriveDomainFields(domain: string): DerivedDomainFields {
  const unicode = domainToUnicode(domain);
  const out: DerivedDomainFields = { 'domain.unicode': unicode, 'domain.skeleton': domainSkeleton(unicode) };
  // extractHostname: false because the input is already a bare name; detectIp so that an
  // IP-looking name gets no registrable domain or suffix instead of "3.4" and "4".
  const parsed = parse(domain, { allowPrivateDomains: true, extractHostname: false, detectIp: true });
  if (parsed.isIp) return out;
  if (parsed.domain) out['domain.registered'] = parsed.domain;
  if (parsed.publicSuffix) out['domain.tld'] = parsed.publicSuffix;
  if (parsed.subdomain) out['domain.subdomain'] = parsed.subdomain;
  return out;
}
