// Deterministic synthetic workloads for the engine benchmark: signature sets shaped like what
// analysts write (brand words, anchored suffixes, registrant emails, character classes,
// excludes, a few CIDRs) and records shaped like ingested infrastructure data.
import { makeSignature } from '../signatures/make.js';
import type { Signature } from '../signatures/types.js';
import { rng, Words } from '../demo/words.js';

const TLDS = ['com', 'net', 'org', 'info', 'xyz', 'top', 'ru', 'cn', 'de', 'co.uk', 'io', 'online', 'site'];
const MAIL_DOMAINS = ['qq.com', 'gmail.com', 'mail.ru', 'yandex.ru', 'protonmail.com', '163.com', 'outlook.com'];
const LURES = ['login', 'secure', 'account', 'update', 'verify', 'support', 'service', 'signin', 'wallet', 'billing'];
const AS_WORDS = ['HOSTING', 'CLOUD', 'TELECOM', 'NETWORKS', 'DATACENTER', 'SERVERS', 'INTERNET', 'DIGITAL'];

function base(id: string, field: string, patterns: string[], extra: Partial<Signature> = {}): Signature {
  return makeSignature({ id, field, patterns, status: 'stable', actions: [{ tag: 'Bench' }], ...extra });
}

const esc = (s: string): string => s.replace(/[.\-@]/g, (c) => `\\${c}`);

/** One analyst-style signature; `brands` are the words that records will sometimes contain. */
function oneSignature(w: Words, i: number, brands: readonly string[]): Signature {
  const id = `bench-${i}`;
  const brand = w.pick(brands);
  const roll = w.r();
  if (roll < 0.3) {
    // Brand keyword anywhere in a domain, sometimes with a second spelling and an exclude.
    const patterns = w.chance(0.3) ? [brand, brand.replace(/o/g, '0')] : [brand];
    const exclude = w.chance(0.2) ? [`(^|\\.)${esc(brand)}\\.com$`] : [];
    return base(id, 'domain', patterns, { exclude });
  }
  if (roll < 0.45) {
    // Anchored suffixes: known-bad registrable domains and their subdomains.
    const d = `${w.word()}.${w.pick(TLDS)}`;
    return base(id, w.chance(0.8) ? 'domain' : 'x509.alternative_names', [w.chance(0.7) ? `(^|\\.)${esc(d)}$` : `\\.${esc(d)}$`]);
  }
  if (roll < 0.6) {
    // Registrant emails, as regexes or literals.
    const email = `${w.word(2, 3)}${w.int(1, 9999)}@${w.pick(MAIL_DOMAINS)}`;
    const field = w.chance(0.6) ? 'whois.registrant.email' : 'whois.email';
    return w.chance(0.5)
      ? base(id, field, [email], { match: 'literal' })
      : base(id, field, [`^${esc(email)}$`], { exclude: w.chance(0.1) ? ['^noreply@'] : [] });
  }
  if (roll < 0.8) {
    // Character classes and alternations around a keyword: need RE2 to confirm.
    const kind = w.int(0, 3);
    const p =
      kind === 0
        ? `${brand}[0-9]{2,4}`
        : kind === 1
          ? `^[a-z]{2,6}-${brand}\\.`
          : kind === 2
            ? `${brand}-?(${w.pick(LURES)}|${w.pick(LURES)})`
            : `^(www\\.)?${brand}[.-][a-z]+\\.(com|net)$`;
    return base(id, 'domain', [p]);
  }
  if (roll < 0.9) {
    const cn = `${w.word()}.${w.pick(TLDS)}`;
    return w.chance(0.5)
      ? base(id, 'x509.subject.common_name', [`^(\\*\\.|www\\.)?${esc(cn)}$`])
      : base(id, 'x509.issuer.organization', [w.word(3, 4)]);
  }
  if (roll < 0.97) {
    return base(id, 'as.name', [`${w.word(2, 3).toUpperCase()}-${w.pick(AS_WORDS)}`]);
  }
  if (roll < 0.995) {
    const a = w.int(1, 223);
    const b = w.int(0, 255);
    return base(id, 'ip', [w.chance(0.5) ? `${a}.${b}.0.0/16` : `${a}.${b}.${w.int(0, 255)}.0/24`], { match: 'cidr' });
  }
  // The rare regex with no usable literal at all.
  return base(id, 'domain', [`^[a-z]{${w.int(14, 20)},}[0-9]{${w.int(3, 6)}}\\.(top|xyz|online)$`]);
}

/** Brand-like keywords: 5 to 9 letters by English frequency, distinct. */
export function brandWords(seed: number, count: number): string[] {
  const w = new Words(rng(seed));
  const out = new Set<string>();
  while (out.size < count) out.add(w.letters(5, 9));
  return [...out];
}

/** A domain label: pronounceable words, two joined keywords-like words, or DGA-like noise. */
function label(w: Words): string {
  const roll = w.r();
  if (roll < 0.5) return w.word(2, 5);
  if (roll < 0.8) return `${w.letters(3, 7)}${w.chance(0.3) ? '-' : ''}${w.letters(3, 7)}`;
  return w.dga(8, 20);
}

/** The brand vocabulary: signatures use a prefix of it that grows with their number. */
const BRAND_SEED = 7;

export function generateSignatures(count: number, seed = 1): Signature[] {
  const w = new Words(rng(seed));
  const brands = brandWords(BRAND_SEED, Math.max(50, Math.ceil(count / 2)));
  return Array.from({ length: count }, (_, i) => oneSignature(w, i, brands));
}

/** Records as field name → values; about 1% carry a brand word so that signatures fire. */
export function generateRecords(count: number, seed = 2, brands = brandWords(BRAND_SEED, 500)): Map<string, string[]>[] {
  const w = new Words(rng(seed));
  const records: Map<string, string[]>[] = [];
  for (let i = 0; i < count; i++) {
    const r = new Map<string, string[]>();
    const main = w.chance(0.01) ? `${w.pick(LURES)}-${w.pick(brands)}` : label(w);
    const sub = w.chance(0.3) ? `${w.pick(['www', 'mail', 'api', 'cdn', w.word(1, 2)])}.` : '';
    const domain = `${sub}${main}${w.chance(0.2) ? w.int(1, 999) : ''}.${w.pick(TLDS)}`;
    r.set('domain', [domain]);
    if (w.chance(0.3)) {
      const email = `${w.word(2, 3)}${w.int(1, 9999)}@${w.pick(MAIL_DOMAINS)}`;
      r.set('whois.registrant.email', [email]);
      r.set('whois.email', [email, `abuse@${w.word()}.com`]);
    }
    if (w.chance(0.2)) {
      r.set('x509.subject.common_name', [domain]);
      r.set('x509.alternative_names', [domain, `www.${domain}`]);
      r.set('x509.issuer.organization', [w.pick(["Let's Encrypt", 'DigiCert Inc', 'Sectigo Limited', 'GoDaddy.com, Inc.'])]);
    }
    if (w.chance(0.3)) {
      r.set('ip', [`${w.int(1, 223)}.${w.int(0, 255)}.${w.int(0, 255)}.${w.int(1, 254)}`]);
      r.set('as.name', [`${w.word(2, 3).toUpperCase()}-${w.pick(AS_WORDS)}`]);
    }
    records.push(r);
  }
  return records;
}
