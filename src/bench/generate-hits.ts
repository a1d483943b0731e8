// The hit-heavy engine workload (issue 16): signatures of the shapes analysts write, whose
// keywords are built from the same syllables as the records' names, so that candidates are
// frequent and about half the records fire. Deterministic from its seeds.
import { makeSignature } from '../signatures/make.js';
import type { Signature } from '../signatures/types.js';
import { rng, Words } from '../demo/words.js';

const TLDS = ['com', 'net', 'org', 'info', 'xyz', 'top', 'ru', 'de', 'co.uk', 'io', 'online', 'site'];
const MAIL_DOMAINS = ['qq.com', 'gmail.com', 'mail.ru', 'yandex.ru', 'protonmail.com', '163.com', 'outlook.com'];
const LURES = ['login', 'secure', 'verify', 'account'];
const ORG_SUFFIXES = ['ltd', 'llc', 'inc', 'gmbh'];
const AS_WORDS = ['HOSTING', 'CLOUD', 'TELECOM', 'NETWORKS', 'DATACENTER', 'SERVERS'];
const ISSUERS = ["Let's Encrypt", 'DigiCert Inc', 'Sectigo Limited', 'GoDaddy.com, Inc.'];

/** Fields every hit-heavy record carries: six values per record. */
export const HIT_FIELDS = [
  'domain',
  'whois.registrant.email',
  'whois.registrant.organization',
  'x509.subject.common_name',
  'x509.subject.organization',
  'as.name',
] as const;

/**
 * The shared vocabulary. Keywords are two or three syllables, like the records' name parts, so
 * they also occur by chance inside names that were not built from them; emails and organisation
 * names come from pools that records and signatures both draw from. `scale` multiplies every
 * pool (1: the issue's set, ~0.5 hits per record at 10,000 signatures). With the pools grown in
 * step with the signatures (hitPoolScale) each keyword keeps about as many signatures, so hits
 * no longer grow with the signatures' duplicates — only with the larger vocabulary occurring by
 * chance inside names (measured: 0.28 hits per record at 1,000, 1.83 at 100,000; with one
 * fixed pool 0.05 and 4.74).
 */
interface Vocabulary {
  readonly keywords: string[];
  readonly emails: string[];
  readonly orgs: string[];
  readonly suffixDomains: string[];
}

const VOCAB_SEED = 11;

function vocabulary(scale = 1): Vocabulary {
  const w = new Words(rng(VOCAB_SEED));
  const n = (base: number): number => Math.max(1, Math.round(base * scale));
  const distinct = (n: number, make: () => string): string[] => {
    const out = new Set<string>();
    while (out.size < n) out.add(make());
    return [...out];
  };
  return {
    keywords: distinct(n(3_000), () => (w.chance(0.1) ? w.word(2, 2) : w.word(3, 3))),
    emails: distinct(n(20_000), () => `${w.word(2, 3)}${w.int(1, 9999)}@${w.pick(MAIL_DOMAINS)}`),
    orgs: distinct(n(5_000), () => w.word(2, 3)),
    suffixDomains: distinct(n(5_000), () => `${w.word(2, 3)}.${w.pick(TLDS)}`),
  };
}

const esc = (s: string): string => s.replace(/[.\-@]/g, (c) => `\\${c}`);

function sig(id: string, field: string, patterns: string[], extra: Partial<Signature> = {}): Signature {
  return makeSignature({ id, field, patterns, status: 'stable', actions: [{ tag: 'Bench' }], ...extra });
}

function oneSignature(w: Words, i: number, v: Vocabulary): Signature {
  const id = `hit-${i}`;
  const kw = w.pick(v.keywords);
  const roll = w.r();
  if (roll < 0.25) return sig(id, 'domain', [kw]);
  if (roll < 0.35) {
    const d = w.pick(v.suffixDomains);
    return sig(id, 'domain', [w.chance(0.7) ? `(^|\\.)${esc(d)}$` : `\\.${esc(d)}$`]);
  }
  if (roll < 0.5) {
    const email = w.pick(v.emails);
    return w.chance(0.5)
      ? sig(id, 'whois.registrant.email', [email], { match: 'literal' })
      : sig(id, 'whois.registrant.email', [`^${esc(email)}$`]);
  }
  if (roll < 0.65) return sig(id, 'domain', [`${kw}[0-9]{2,4}\\.`]);
  if (roll < 0.8) return sig(id, 'domain', [`${kw}-?(secure|login|verify)`]);
  if (roll < 0.9) return sig(id, 'domain', [`(${kw}|${w.pick(v.keywords)})[.-](login|verify|secure|account)`]);
  const field = w.chance(0.6) ? 'whois.registrant.organization' : 'x509.subject.organization';
  return sig(id, field, [`${w.pick(v.orgs)} (ltd|llc|inc|gmbh)`]);
}

/** The pools' scale for `signatures` in the scaled series: in step with them, 1 at 10,000. */
export function hitPoolScale(signatures: number): number {
  return signatures / 10_000;
}

export function generateHitSignatures(count: number, seed = 3, scale = 1): Signature[] {
  const v = vocabulary(scale);
  const w = new Words(rng(seed));
  return Array.from({ length: count }, (_, i) => oneSignature(w, i, v));
}

/** A domain's first label: a keyword in one of the shapes signatures look for, or plain syllables. */
function label(w: Words, v: Vocabulary): string {
  const roll = w.r();
  const kw = (): string => w.pick(v.keywords);
  if (roll < 0.06) return `${kw()}${w.int(10, 9999)}`;
  if (roll < 0.12) return `${kw()}${w.chance(0.5) ? '-' : ''}${w.pick(LURES)}`;
  if (roll < 0.17) return `${w.word(1, 2)}${kw()}`;
  return w.word(2, 5);
}

/** Records of the six HIT_FIELDS, each with one value. */
export function generateHitRecords(count: number, seed = 4, scale = 1): Map<string, string[]>[] {
  const v = vocabulary(scale);
  const w = new Words(rng(seed));
  const records: Map<string, string[]>[] = [];
  for (let i = 0; i < count; i++) {
    const sub = w.chance(0.3) ? `${w.pick(['www', 'mail', 'api', 'cdn', w.word(1, 2)])}.` : '';
    const base = w.chance(0.05) ? w.pick(v.suffixDomains) : `${label(w, v)}.${w.pick(TLDS)}`;
    const domain = `${sub}${base}`;
    const email = w.chance(0.1) ? w.pick(v.emails) : `${w.word(2, 3)}${w.int(1, 9999)}@${w.pick(MAIL_DOMAINS)}`;
    const org = `${w.chance(0.1) ? w.pick(v.orgs) : w.word(2, 4)} ${w.pick(ORG_SUFFIXES)}`;
    const r = new Map<string, string[]>();
    r.set('domain', [domain]);
    r.set('whois.registrant.email', [email]);
    r.set('whois.registrant.organization', [org]);
    r.set('x509.subject.common_name', [w.chance(0.5) ? domain : `www.${base}`]);
    r.set('x509.subject.organization', [w.chance(0.7) ? w.pick(ISSUERS) : org]);
    r.set('as.name', [`${w.word(2, 3).toUpperCase()}-${w.pick(AS_WORDS)}`]);
    records.push(r);
  }
  return records;
}
