// Distinct certificates by the million for the feeds benchmark, cheaply. Signing a certificate
// with @peculiar/x509 costs about 1.5 ms, so a 1,000,000-entry log cannot be made of really
// signed ones in a benchmark's time. Instead a pool of templates is signed once (a few thousand,
// shaped like what CT logs hold: an RSA CA, RSA and ECDSA leaf keys, the usual extensions, an SCT
// list on final certificates, the CT poison on pre-certificates), each with a fixed-width slot in
// its names and in its serial number. Entry i is template i mod P with copy number i div P
// written into those slots: a distinct DER (SHA-256), distinct names and a distinct issuer and
// serial, at the cost of a buffer copy. The signature no longer covers the patched bytes;
// nothing on the path Warren takes verifies it (as with a real log's entries, which Warren does
// not verify either).
import { webcrypto } from 'node:crypto';
import type { CtEntrySpec } from '../feeds/ct/test-support/entries.js';
import { rng, Words } from '../demo/words.js';
import { x509 } from '../ingest/x509-runtime.js';

/** Written into every name of a template; replaced by the copy number's digits. */
const SLOT = 'xxxxxxx';
const SLOT_BYTES = Buffer.from(SLOT, 'latin1');
/** Copies per template the slot can number. */
export const MAX_COPIES = 10 ** SLOT.length;
/** The last bytes of every template's serial, replaced by the copy number (uint32). */
const SERIAL_TAIL = 'a5a5a5a5';

export interface CertTemplate {
  readonly type: 'x509' | 'precert';
  readonly der: Uint8Array;
  /** Offsets of the name slot (CN and both subjectAltNames). */
  readonly slots: readonly number[];
  /** Offset of the serial number's 4 patched bytes. */
  readonly serialAt: number;
  /** The common name with its slot, e.g. `login-brand-xxxxxxx.com`. */
  readonly name: string;
}

/** What the log process and the runner's process both need to make entry i (structured-cloneable). */
export interface CertPool {
  readonly templates: readonly CertTemplate[];
  /** The issuing CA (the chain of every entry's extra_data). */
  readonly ca: Uint8Array;
}

export interface PoolOptions {
  readonly size: number;
  readonly seed: number;
  /** Share of templates whose name carries a brand word (so signatures fire on them). */
  readonly brandShare: number;
  readonly brands: readonly string[];
  /** Share of pre-certificates (real logs hold more pre-certificates than final certificates). */
  readonly precertShare: number;
  /** Names of every template, instead of generated ones (the latency log's brand names). */
  readonly names?: (i: number) => string;
}

const TLDS = ['com', 'net', 'org', 'io', 'xyz', 'online', 'site', 'shop', 'app', 'dev', 'co.uk', 'de'];
const LURES = ['login', 'secure', 'account', 'verify', 'support', 'signin', 'wallet', 'billing'];
const BASE = Date.UTC(2026, 0, 1);

function offsets(der: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let at = der.indexOf(needle); at >= 0; at = der.indexOf(needle, at + 1)) out.push(at);
  return out;
}

function generatedName(w: Words, brandShare: number, brands: readonly string[]): string {
  const tld = w.pick(TLDS);
  if (w.chance(brandShare)) return `${w.pick(LURES)}-${w.pick(brands)}-${SLOT}.${tld}`;
  const sub = w.chance(0.3) ? `${w.pick(['www', 'mail', 'api', 'cdn', 'shop'])}.` : '';
  return `${sub}${w.word(2, 4)}-${SLOT}.${tld}`;
}

export async function generatePool(opts: PoolOptions): Promise<CertPool> {
  const w = new Words(rng(opts.seed));
  const subtle = webcrypto.subtle;
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const ec = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caKeys = await subtle.generateKey(rsa, false, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Warren Bench R1, O=Warren Bench CA, C=GB',
    notBefore: new Date(BASE - 365 * 86_400_000),
    notAfter: new Date(BASE + 3 * 365 * 86_400_000),
    signingAlgorithm: rsa,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const aki = await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey);
  // Leaf keys are not what differs between certificates that matter here: a few of each kind.
  const leafKeys = [
    ...(await Promise.all([0, 1, 2].map(() => subtle.generateKey(rsa, true, ['sign', 'verify'])))),
    ...(await Promise.all([0, 1, 2].map(() => subtle.generateKey(ec, true, ['sign', 'verify'])))),
  ];
  const skis = await Promise.all(leafKeys.map((k) => x509.SubjectKeyIdentifierExtension.create(k.publicKey)));
  // An SCT list's size (two SCTs); its content is opaque to Warren.
  const sctList = new Uint8Array(244).map((_, i) => (i * 37 + 11) & 0xff);

  const templates: CertTemplate[] = [];
  for (let i = 0; i < opts.size; i++) {
    // Exactly the share asked for, spread evenly: template i is a pre-certificate when the running count steps.
    const type = Math.floor((i + 1) * opts.precertShare) > Math.floor(i * opts.precertShare) ? 'precert' : 'x509';
    const name = opts.names ? opts.names(i) : generatedName(w, opts.brandShare, opts.brands);
    if (!name.includes(SLOT)) throw new Error(`template name ${name} has no ${SLOT} slot`);
    const k = i % leafKeys.length;
    const notBefore = new Date(BASE + i * 60_000);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: `5${i.toString(16).padStart(9, '0')}${SERIAL_TAIL}`,
      subject: `CN=${name}`,
      issuer: ca.subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 90 * 86_400_000),
      signingAlgorithm: rsa,
      publicKey: leafKeys[k]!.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (k < 3 ? x509.KeyUsageFlags.keyEncipherment : 0), true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.BasicConstraintsExtension(false, undefined, true),
        skis[k]!,
        aki,
        new x509.AuthorityInfoAccessExtension({ ocsp: 'http://o.bench-ca.example/', caIssuers: 'http://i.bench-ca.example/r1.der' }),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: name },
          { type: 'dns', value: `www.${name}` },
        ]),
        new x509.CertificatePolicyExtension(['2.23.140.1.2.1']),
        type === 'precert'
          ? new x509.Extension('1.3.6.1.4.1.11129.2.4.3', true, Uint8Array.of(0x05, 0x00)) // CT poison (RFC 6962 §3.1)
          : new x509.Extension('1.3.6.1.4.1.11129.2.4.2', false, Uint8Array.of(0x04, 0x81, sctList.length, ...sctList)),
      ],
    });
    const der = Buffer.from(cert.rawData);
    const slots = offsets(der, SLOT_BYTES);
    if (slots.length !== 3) throw new Error(`template ${name}: ${slots.length} name slots in its DER, expected 3 (CN and two subjectAltNames)`);
    const serial = offsets(der, Buffer.from(`5${i.toString(16).padStart(9, '0')}${SERIAL_TAIL}`, 'hex'));
    if (serial.length !== 1) throw new Error(`template ${name}: its serial number appears ${serial.length} times in its DER`);
    templates.push({ type, der, slots, serialAt: serial[0]! + 5, name });
  }
  return { templates, ca: Buffer.from(ca.rawData) };
}

/** Entry i's certificate (or pre-certificate): its template with copy number i div P in its slots. */
export function poolDer(pool: CertPool, i: number): Buffer {
  const p = pool.templates.length;
  const t = pool.templates[i % p]!;
  const copy = Math.floor(i / p);
  if (copy >= MAX_COPIES) throw new Error(`entry ${i}: more than ${MAX_COPIES} copies of a template`);
  const der = Buffer.from(t.der);
  const digits = String(copy).padStart(SLOT.length, '0');
  for (const at of t.slots) der.write(digits, at, 'latin1');
  der.writeUInt32BE(copy, t.serialAt);
  return der;
}

/** Entry i as a CT log entry, with the CA as its chain. */
export function poolEntry(pool: CertPool, i: number, timestamp: number): CtEntrySpec {
  const der = poolDer(pool, i);
  const chain = [pool.ca];
  return pool.templates[i % pool.templates.length]!.type === 'precert' ? { type: 'precert', preCertificate: der, chain, timestamp } : { type: 'x509', certificate: der, chain, timestamp };
}

/** The entry index a name of the pool's certificates came from, or undefined. */
export function poolIndex(pool: CertPool, name: string): number | undefined {
  const p = pool.templates.length;
  for (let k = 0; k < p; k++) {
    const [head, tail] = pool.templates[k]!.name.split(SLOT) as [string, string];
    const at = name.indexOf(head);
    if (at < 0 || (at > 0 && name[at - 1] !== '.')) continue;
    const digits = name.slice(at + head.length, at + head.length + SLOT.length);
    if (/^\d+$/.test(digits) && name.endsWith(tail) && name.length === at + head.length + SLOT.length + tail.length) return Number(digits) * p + k;
  }
  return undefined;
}

/** The certificates of entries [0, count) as one PEM text (the file path's input). */
export function poolPem(pool: CertPool, count: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const b64 = poolDer(pool, i).toString('base64');
    parts.push('-----BEGIN CERTIFICATE-----', ...(b64.match(/.{1,64}/g) ?? []), '-----END CERTIFICATE-----');
  }
  return Buffer.from(`${parts.join('\n')}\n`);
}
