// Certificates made on the spot for the x509, certstream and zeek parser tests: the generator of
// @peculiar/x509 with Node's WebCrypto, so every test states exactly what its certificate holds.
import type { Extension, JsonGeneralName, JsonName, Name as X509Name } from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { x509 } from '../../../x509-runtime.js';

// Tests take these from here: @peculiar/x509 is only usable through x509-runtime.
export const {
  AuthorityInfoAccessExtension,
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} = x509;

/** An extension with any value bytes, well-formed or not. */
export function rawExtension(oid: string, critical: boolean, value: Uint8Array | number[]): Extension {
  return new x509.Extension(oid, critical, Uint8Array.from(value));
}

export type KeyKind = 'ecdsa' | 'rsa' | 'ed25519';

type KeyParams = webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams | webcrypto.Algorithm;
type SignParams = webcrypto.Algorithm | webcrypto.EcdsaParams;

const ALGORITHMS: Record<KeyKind, { key: KeyParams; sign: SignParams }> = {
  ecdsa: { key: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  rsa: {
    key: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
  },
  ed25519: { key: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
};

const keys = new Map<KeyKind, Promise<webcrypto.CryptoKeyPair>>();

function keyPair(kind: KeyKind): Promise<webcrypto.CryptoKeyPair> {
  let pair = keys.get(kind);
  if (!pair) {
    pair = webcrypto.subtle.generateKey(ALGORITHMS[kind].key, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
    keys.set(kind, pair);
  }
  return pair;
}

export interface TestCertificate {
  /** Subject (and issuer: the certificate signs itself) as @peculiar/x509 JSON names. */
  readonly name?: JsonName | X509Name;
  readonly serialNumber?: string;
  readonly san?: JsonGeneralName[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly key?: KeyKind;
  readonly extensions?: Extension[];
}

/** DER of a self-signed certificate. */
export async function makeCertificate(spec: TestCertificate = {}): Promise<Uint8Array> {
  const kind = spec.key ?? 'ecdsa';
  const extensions: Extension[] = [...(spec.extensions ?? [])];
  if (spec.san) extensions.push(new SubjectAlternativeNameExtension(spec.san));
  const cert = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: spec.serialNumber ?? '0102030405',
      name: spec.name ?? [{ CN: ['test.example'] }],
      notBefore: spec.notBefore ?? new Date('2024-01-02T03:04:05Z'),
      notAfter: spec.notAfter ?? new Date('2025-01-02T03:04:05Z'),
      signingAlgorithm: ALGORITHMS[kind].sign,
      keys: await keyPair(kind),
      extensions,
    },
    webcrypto,
  );
  return new Uint8Array(cert.rawData);
}

/** PEM text of DER with 64-character lines. */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
