// The demo's data set (`warren demo`, `npm start`): a few hundred domains, IPs, certificates and
// WHOIS records in the formats analysts load (Warren JSONL routing table, PEM, registrar WHOIS
// replies, COF passive DNS, a Zeek ssl.log), so the demo ingests through the real parsers and
// evaluation. Seeded and dated from fixed values: the same inputs on every run. Certificates are
// signed with Ed25519 from a fixed seed, whose signatures are deterministic, so even their
// fingerprints repeat. It holds the seed's three scenarios (samples/signatures/seed-scenarios.yaml)
// and what samples/signatures/demo-extra.yaml looks for.
import { createHash, webcrypto } from 'node:crypto';
import { x509 } from '../ingest/x509-runtime.js';
import { rng, Words } from './words.js';

/** One input, as `warren ingest --format <format> [--domain <domain>]` would read it. */
export interface DemoInput {
  readonly name: string;
  readonly format: 'warren' | 'pem' | 'whois' | 'cof' | 'zeek';
  readonly text: string;
}

export interface DemoDataset {
  readonly inputs: readonly DemoInput[];
  /** Counts of what was generated, for messages and tests. */
  readonly counts: { readonly domains: number; readonly ips: number; readonly certificates: number; readonly whois: number; readonly asRanges: number };
}

/** The scenario entities, for tests and the demo's hints. */
export const SCENARIO = {
  registrantEmail: '46313@qq.com',
  registrantDomains: ['secure-update-center.com', 'microsoft-patch-notes.net', 'adobe-flash-update.info', 'cdn-static-assets.top'],
  badCertName: 'www.lanxess-lab.com',
  badCertIps: ['203.0.113.24', '203.0.113.77', '185.225.17.40', '91.215.85.12', '45.142.212.9'],
  brandDomains: ['login-passivetotal.com', 'passivetotal-support.net', 'secure.passivetotal-login.xyz', 'passive-total.support', 'my-passivetotal.app'],
  brandExcluded: ['passivetotal.org', 'api.passivetotal.org', 'community.passivetotal.org'],
  lookalikes: ['paypal-secure-verify.com', 'xn--pypal-4ve.co'],
  bulletproofAsn: 64666,
  cobaltStrikeIps: ['203.0.113.131', '194.87.31.6'],
} as const;

const SEED = 2026;
/** All dates count from here: 2025-09-01T00:00:00Z. */
const BASE = Date.UTC(2025, 8, 1);
const DAY = 86_400_000;
const TLDS = ['com', 'com', 'com', 'net', 'org', 'io', 'de', 'co.uk', 'info', 'xyz', 'top', 'online'];
const REGISTRARS = ['MarkMonitor Inc.', 'GoDaddy.com, LLC', 'NameCheap, Inc.', 'Tucows Domains Inc.', 'Gandi SAS', 'Bulkreg Domains Ltd'];
const ISSUERS = ["CN=R3, O=Let's Encrypt, C=US", 'CN=Sectigo RSA Domain Validation Secure Server CA, O=Sectigo Limited, C=GB', 'CN=GTS CA 1P5, O=Google Trust Services LLC, C=US'];
const AS_SUFFIX = ['HOSTING', 'CLOUD', 'TELECOM', 'NET', 'DATACENTER', 'IX'];
const FIRST_OCTETS = [5, 23, 31, 37, 46, 62, 77, 78, 80, 81, 85, 89, 92, 93, 94, 95, 104, 109, 141, 146, 176, 178, 188, 193, 195, 212, 213, 217];
const CS_DN = 'CN=Major Cobalt Strike, OU=AdvancedPenTesting, O=cobaltstrike, L=Somewhere, ST=Cyberspace, C=Earth';

interface As {
  readonly asn: number;
  readonly name: string;
  /** The first two octets of its /16 (or the whole /24 for the documentation range). */
  readonly network: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000', '');

function routing(w: Words): As[] {
  const out: As[] = [
    // The bulletproof host announces the documentation range and three /16s the scenarios use.
    { asn: SCENARIO.bulletproofAsn, name: 'DARKHOST-BPH', network: '203.0.113.0/24' },
    { asn: SCENARIO.bulletproofAsn, name: 'DARKHOST-BPH', network: '185.225.0.0/16' },
    { asn: SCENARIO.bulletproofAsn, name: 'DARKHOST-BPH', network: '91.215.0.0/16' },
    { asn: 64667, name: 'FASTFLUX-HOSTING', network: '45.142.0.0/16' },
    { asn: 64668, name: 'ROSTELEKOM-EXAMPLE', network: '194.87.0.0/16' },
  ];
  FIRST_OCTETS.forEach((first, i) => {
    out.push({ asn: 64700 + i * 7, name: `${w.word(2, 3).toUpperCase()}-${w.pick(AS_SUFFIX)}`, network: `${first}.${w.int(0, 255)}.0.0/16` });
  });
  return out;
}

/** A host address inside an AS's network. */
function addressIn(w: Words, as: As): string {
  const [a, b, c] = as.network.split(/[./]/);
  return as.network.endsWith('/24') ? `${a}.${b}.${c}.${w.int(1, 254)}` : `${a}.${b}.${w.int(0, 255)}.${w.int(1, 254)}`;
}

function whoisReply(domain: string, registrar: string, created: number, email: string, w: Words, id: number): string {
  const upper = domain.toUpperCase();
  const person = `${cap(w.word(2, 3))} ${cap(w.word(2, 3))}`;
  return [
    `Domain Name: ${upper}`,
    `Registry Domain ID: ${2_100_000_000 + id}_DOMAIN-VRSN`,
    `Registrar WHOIS Server: whois.${registrar.split(/[ ,.]/)[0]!.toLowerCase()}.example`,
    `Updated Date: ${iso(created + w.int(0, 200) * DAY)}`,
    `Creation Date: ${iso(created)}`,
    `Registry Expiry Date: ${iso(created + 365 * DAY * w.int(1, 5))}`,
    `Registrar: ${registrar}`,
    'Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited',
    `Registrant Name: ${person}`,
    `Registrant Organization: ${cap(w.word(2, 3))} ${w.pick(['Ltd', 'GmbH', 'LLC', 'SARL'])}`,
    `Registrant City: ${cap(w.word(2, 3))}`,
    `Registrant Country: ${w.pick(['GB', 'DE', 'US', 'FR', 'NL', 'CN', 'RU'])}`,
    `Registrant Email: ${email}`,
    `Admin Email: ${email}`,
    `Name Server: NS1.${upper}`,
    `Name Server: NS2.${upper}`,
    'DNSSEC: unsigned',
    `>>> Last update of whois database: ${iso(BASE)} <<<`,
    '',
  ].join('\n');
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The fixed demo signing key: Ed25519 from a hashed constant, so certificates repeat exactly. */
async function signingKeys(): Promise<{ privateKey: webcrypto.CryptoKey; publicKey: webcrypto.CryptoKey }> {
  const seed = createHash('sha256').update('warren demo certificate authority').digest();
  // PKCS#8 for Ed25519 is a fixed 16-byte header and the 32-byte seed (RFC 8410).
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const alg = { name: 'Ed25519' };
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
  const jwk = await webcrypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await webcrypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, alg, true, ['verify']);
  return { privateKey, publicKey };
}

interface CertSpec {
  readonly subject: string;
  readonly issuer: string;
  readonly names: readonly string[];
  readonly notBefore: number;
}

async function makeCertificates(specs: readonly CertSpec[]): Promise<{ pem: string; sha256: string[] }> {
  const keys = await signingKeys();
  const pems: string[] = [];
  const sha256: string[] = [];
  for (const [i, s] of specs.entries()) {
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (0x1000 + i).toString(16),
      subject: s.subject,
      issuer: s.issuer,
      notBefore: new Date(s.notBefore),
      notAfter: new Date(s.notBefore + 90 * DAY),
      signingAlgorithm: { name: 'Ed25519' },
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      extensions: s.names.length > 0 ? [new x509.SubjectAlternativeNameExtension(s.names.map((value) => ({ type: 'dns' as const, value })))] : [],
    });
    pems.push(cert.toString('pem'));
    sha256.push(createHash('sha256').update(new Uint8Array(cert.rawData)).digest('hex'));
  }
  return { pem: `${pems.join('\n')}\n`, sha256 };
}

function zeekSsl(rows: readonly (readonly string[])[]): string {
  const fields = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'version', 'server_name', 'established', 'cert_chain_fps'];
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tssl',
    `#open\t${iso(BASE).replace(/[TZ]/g, (c) => (c === 'T' ? '-' : '')).replace(/:/g, '-')}`,
    `#fields\t${fields.join('\t')}`,
    `#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tbool\tvector[string]`,
    ...rows.map((r) => r.join('\t')),
    '',
  ].join('\n');
}

export async function generateDemoDataset(): Promise<DemoDataset> {
  const w = new Words(rng(SEED));
  const ases = routing(w);
  const bph = ases.filter((a) => a.asn === SCENARIO.bulletproofAsn && !a.network.endsWith('/24'));
  const ordinary = ases.filter((a) => a.asn >= 64700);

  // Domains: ordinary registered names (some with a www or mail host), a few lures, then the scenarios.
  const registered = new Set<string>();
  while (registered.size < 220) registered.add(`${w.word(2, 4)}${w.chance(0.2) ? `-${w.word(2, 3)}` : ''}.${w.pick(TLDS)}`);
  const lures = ['login', 'secure', 'verify', 'account', 'signin'].map((p) => `${p}-${w.word(2, 3)}-${w.pick(['bank', 'wallet', 'mail', 'pay'])}.${w.pick(['com', 'net', 'xyz'])}`);
  const hosts = [...registered].flatMap((d) => (w.chance(0.25) ? [d, `${w.pick(['www', 'mail', 'api', 'cdn'])}.${d}`] : [d]));
  const domains = [...hosts, ...lures, ...SCENARIO.registrantDomains, ...SCENARIO.brandDomains, ...SCENARIO.brandExcluded, ...SCENARIO.lookalikes, 'paypal.com'];

  // Resolutions: ordinary names on ordinary networks; the bad ones mostly on the bulletproof host.
  const ipsOf = new Map<string, string[]>();
  const bad = new Set<string>([...SCENARIO.registrantDomains, ...SCENARIO.brandDomains, ...SCENARIO.lookalikes, ...lures]);
  for (const d of domains) {
    const n = w.chance(0.2) ? 2 : 1;
    const ips: string[] = [];
    for (let i = 0; i < n; i++) ips.push(addressIn(w, bad.has(d) && w.chance(0.6) ? w.pick(bph) : w.pick(ordinary)));
    ipsOf.set(d, ips);
  }
  const cof = domains.flatMap((d) =>
    ipsOf.get(d)!.map((ip) => {
      const first = Math.floor(BASE / 1000) - w.int(0, 180) * 86_400;
      return JSON.stringify({ rrname: d, rrtype: 'A', rdata: ip, time_first: first, time_last: first + w.int(0, 60) * 86_400, count: w.int(1, 900), bailiwick: d.split('.').slice(-2).join('.') });
    }),
  );

  // WHOIS for most registered names, the scenario's four with the intrusion set's address.
  const whoisDomains = [...[...registered].filter(() => w.chance(0.6)), ...lures, ...SCENARIO.registrantDomains, ...SCENARIO.brandDomains.filter((d) => !d.includes('secure.')), 'passivetotal.org'];
  const whois = whoisDomains.map((d, i): DemoInput => {
    const scenario = (SCENARIO.registrantDomains as readonly string[]).includes(d);
    const email = scenario ? (i % 2 === 0 ? SCENARIO.registrantEmail : '46313@QQ.com') : `${w.word(2, 3)}${w.int(1, 99)}@${w.pick(['gmail.com', 'outlook.com', 'qq.com', 'mail.ru', 'protonmail.com'])}`;
    const registrar = scenario || lures.includes(d) ? 'Bulkreg Domains Ltd' : w.pick(REGISTRARS);
    const created = scenario ? BASE - w.int(5, 40) * DAY : BASE - w.int(30, 4000) * DAY;
    return { name: `whois/${d}.txt`, format: 'whois', text: whoisReply(d, registrar, created, email, w, i) };
  });

  // Certificates: one for about half of the names (served where the name resolves), the
  // phishing kit's, and Cobalt Strike's default.
  const certified = domains.filter((d) => !d.startsWith('www.') && w.chance(0.45));
  const specs: CertSpec[] = certified.map((d) => ({ subject: `CN=${d}`, issuer: w.pick(ISSUERS), names: [d, ...(d.split('.').length === 2 ? [`www.${d}`] : [])], notBefore: BASE - w.int(0, 80) * DAY }));
  specs.push({ subject: `CN=${SCENARIO.badCertName}, O=Lanxess Lab, C=DE`, issuer: ISSUERS[0]!, names: [SCENARIO.badCertName, 'lanxess-lab.com'], notBefore: BASE - 12 * DAY });
  specs.push({ subject: CS_DN, issuer: CS_DN, names: [], notBefore: BASE - 400 * DAY });
  const { pem, sha256 } = await makeCertificates(specs);
  const ts = (): string => `${Math.floor(BASE / 1000) - w.int(0, 30 * 86_400)}.${String(w.int(0, 999_999)).padStart(6, '0')}`;
  const client = (): string => `10.${w.int(0, 9)}.${w.int(0, 255)}.${w.int(1, 254)}`;
  const row = (ip: string, port: number, sni: string, fp: string): string[] => [ts(), `C${w.letters(17, 17)}`, client(), String(w.int(49152, 65535)), ip, String(port), 'TLSv13', sni, 'T', fp];
  const ssl: string[][] = certified.flatMap((d, i) => ipsOf.get(d)!.map((ip) => row(ip, 443, d, sha256[i]!)));
  for (const ip of SCENARIO.badCertIps) ssl.push(row(ip, 443, SCENARIO.badCertName, sha256[certified.length]!));
  for (const ip of SCENARIO.cobaltStrikeIps) ssl.push(row(ip, 50050, '-', sha256[certified.length + 1]!));

  const asLines = ases.map((a) => JSON.stringify({ kind: 'as-range', network: a.network, asn: a.asn, name: a.name, source: 'demo-routing' }));
  const ips = new Set([...[...ipsOf.values()].flat(), ...SCENARIO.badCertIps, ...SCENARIO.cobaltStrikeIps]);
  return {
    // Routing first, so IPs are evaluated with their AS; certificates before the log that relates them.
    inputs: [
      { name: 'routing.jsonl', format: 'warren', text: `${asLines.join('\n')}\n` },
      { name: 'certificates.pem', format: 'pem', text: pem },
      ...whois,
      { name: 'pdns.cof.json', format: 'cof', text: `${cof.join('\n')}\n` },
      { name: 'ssl.log', format: 'zeek', text: zeekSsl(ssl) },
    ],
    counts: { domains: domains.length, ips: ips.size, certificates: specs.length, whois: whois.length, asRanges: ases.length },
  };
}
