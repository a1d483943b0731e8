// Deterministic synthetic inputs for the ingest benchmark, in the formats analysts load:
// PEM certificates (really signed), WHOIS replies in the common registrar layout, and passive
// DNS in COF NDJSON. Fixed dates: nothing depends on the clock.
import { webcrypto } from 'node:crypto';
import { rng, Words } from '../demo/words.js';
import { x509 } from '../ingest/x509-runtime.js';

const BASE = Date.UTC(2024, 0, 1);

/** `count` distinct certificates as one PEM text (about 1.5 ms each to make). */
export async function generatePem(count: number, seed = 11): Promise<string> {
  const w = new Words(rng(seed));
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, false, ['sign', 'verify']);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const host = `${w.word(2, 4)}${i}.${w.pick(['com', 'net', 'org', 'io'])}`;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (i + 1).toString(16).padStart(8, '0'),
      subject: `CN=${host}, O=${w.word(2, 3)} Ltd, C=GB`,
      issuer: 'CN=Warren Bench CA, O=Warren',
      notBefore: new Date(BASE + i * 60_000),
      notAfter: new Date(BASE + 90 * 86_400_000 + i * 60_000),
      signingAlgorithm: alg,
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }, { type: 'dns', value: `www.${host}` }])],
    });
    parts.push(cert.toString('pem'));
  }
  return `${parts.join('\n')}\n`;
}

/** One registrar-style WHOIS reply per domain. */
export function generateWhoisReplies(count: number, seed = 12): { domain: string; text: string }[] {
  const w = new Words(rng(seed));
  const out: { domain: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const domain = `${w.word(2, 4)}${i}.com`;
    const created = new Date(BASE - w.int(1, 3650) * 86_400_000).toISOString().replace('.000', '');
    const email = `${w.word(2, 3)}${w.int(1, 999)}@${w.pick(['qq.com', 'gmail.com', 'mail.ru'])}`;
    const text = [
      `Domain Name: ${domain.toUpperCase()}`,
      `Registry Domain ID: ${1000000 + i}_DOMAIN_COM-VRSN`,
      'Registrar WHOIS Server: whois.example-registrar.com',
      'Registrar URL: http://www.example-registrar.com',
      `Updated Date: ${created}`,
      `Creation Date: ${created}`,
      'Registry Expiry Date: 2030-01-01T00:00:00Z',
      `Registrar: ${w.pick(['Example Registrar, Inc.', 'NameCheap, Inc.', 'GoDaddy.com, LLC'])}`,
      'Registrar IANA ID: 9999',
      'Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited',
      `Registrant Name: ${w.word()} ${w.word()}`,
      `Registrant Organization: ${w.word(2, 3)} Ltd`,
      `Registrant Street: ${w.int(1, 200)} ${w.word()} Road`,
      `Registrant City: ${w.word()}`,
      'Registrant Country: GB',
      `Registrant Email: ${email}`,
      `Admin Email: ${email}`,
      `Tech Email: ${email}`,
      `Name Server: NS1.${domain.toUpperCase()}`,
      `Name Server: NS2.${domain.toUpperCase()}`,
      'DNSSEC: unsigned',
      '>>> Last update of whois database: 2024-01-01T00:00:00Z <<<',
      '',
    ].join('\n');
    out.push({ domain, text });
  }
  return out;
}

/** Passive DNS observations in COF NDJSON. */
export function generateCof(count: number, seed = 13): string {
  const w = new Words(rng(seed));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const first = Math.floor(BASE / 1000) - w.int(0, 10_000_000);
    lines.push(
      JSON.stringify({
        rrname: `${w.word(1, 2)}.${w.word(2, 4)}${i % 50_000}.com`,
        rrtype: 'A',
        rdata: [`${w.int(1, 223)}.${w.int(0, 255)}.${w.int(0, 255)}.${w.int(1, 254)}`],
        time_first: first,
        time_last: first + w.int(0, 1_000_000),
        count: w.int(1, 500),
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
