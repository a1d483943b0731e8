// Real certificates from ../shared/data/certs (google/certificate-transparency and
// certificate-transparency-go test data, Apache-2.0) as CT log entries: leaves with and without
// chains, and real pre-certificates (with the CT poison extension, signed by their CA) — the
// certificate-transparency-go hammer's precert (flowers-to-the-world.com), Trillian's subleaf
// precert with its chain, and google/certificate-transparency's test-embedded-pre-cert, whose
// final certificate (test-embedded-cert, same issuer and serial) is there too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CtEntrySpec } from './entries.js';

export const CT_CERTS_DIR = join(import.meta.dirname, '../../../../../shared/data/certs');

/** Whether the shared data is here (tests skip without it). */
export function haveCtCertificates(): boolean {
  return existsSync(join(CT_CERTS_DIR, 'google-ct')) && existsSync(join(CT_CERTS_DIR, 'google-ct-go'));
}

/** Every certificate of a PEM file, DER, in file order. */
export function pemCertificates(relative: string): Buffer[] {
  const text = readFileSync(join(CT_CERTS_DIR, relative), 'utf8');
  const out: Buffer[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  return out;
}

export function derFile(relative: string): Buffer {
  return readFileSync(join(CT_CERTS_DIR, relative));
}

const PY = 'google-ct/python/ct/crypto/testdata';

export interface NamedCertificate {
  readonly file: string;
  readonly der: Buffer;
  readonly chain: readonly Buffer[];
}

/** Real leaf certificates (first of their file) with the rest of the file as their chain. */
export function realLeaves(): NamedCertificate[] {
  const files = [
    `${PY}/google_chain.pem`,
    `${PY}/google_cert.pem`,
    `${PY}/youtube.pem`,
    `${PY}/domain_in_o_component.pem`,
    `${PY}/multiple_policies.pem`,
    `${PY}/user_notice.pem`,
    `${PY}/domain_in_issuer.pem`,
    `${PY}/ev_chain.pem`,
    `${PY}/multiple_cn.pem`,
    'google-ct/test/testdata/test-embedded-cert.pem',
  ];
  return files.map((file) => {
    const [der, ...chain] = pemCertificates(file);
    return { file, der: der!, chain };
  });
}

/** Real pre-certificates with their issuer chain (empty when the issuer is not in the data). */
export function realPrecerts(): NamedCertificate[] {
  const [subleaf, ...subleafChain] = pemCertificates('google-ct-go/trillian/testdata/subleaf-pre.chain');
  return [
    { file: 'google-ct-go/submission/hammer/testdata/precert.der', der: derFile('google-ct-go/submission/hammer/testdata/precert.der'), chain: [derFile('google-ct-go/submission/hammer/testdata/intermediate.der')] },
    { file: 'google-ct-go/trillian/testdata/subleaf-pre.chain', der: subleaf!, chain: subleafChain },
    { file: 'google-ct/test/testdata/test-embedded-pre-cert.pem', der: pemCertificates('google-ct/test/testdata/test-embedded-pre-cert.pem')[0]!, chain: [] },
  ];
}

/** The pre-certificate and final certificate of one issuance (same issuer and serial, different DER). */
export function realPrecertPair(): { precert: Buffer; final: Buffer } {
  return {
    precert: pemCertificates('google-ct/test/testdata/test-embedded-pre-cert.pem')[0]!,
    final: pemCertificates('google-ct/test/testdata/test-embedded-cert.pem')[0]!,
  };
}

/** Start of the entries' timestamps: 2024-01-01T00:00:00Z. */
export const CT_EPOCH = Date.UTC(2024, 0, 1);

/**
 * Entries from every real leaf and precert, interleaved (x509, x509, precert, …), `count` of
 * them (repeating the certificates when more are asked), timestamps one second apart from `from`.
 */
export function realCtEntries(count?: number, from = CT_EPOCH): CtEntrySpec[] {
  const leaves = realLeaves();
  const precerts = realPrecerts();
  const cycle: CtEntrySpec[] = [];
  for (let i = 0, p = 0; i < leaves.length; i++) {
    cycle.push({ type: 'x509', certificate: leaves[i]!.der, chain: leaves[i]!.chain, timestamp: 0 });
    if (i % 3 === 1 && p < precerts.length) {
      const pre = precerts[p++]!;
      cycle.push({ type: 'precert', preCertificate: pre.der, chain: pre.chain, timestamp: 0 });
    }
  }
  const n = count ?? cycle.length;
  return Array.from({ length: n }, (_, i) => ({ ...cycle[i % cycle.length]!, timestamp: from + i * 1000 }));
}
