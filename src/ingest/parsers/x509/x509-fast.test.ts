// The fast path must agree with the full decoder wherever it answers at all: on real
// certificates, on certificates made here with every name and key kind it handles, and on
// random corruptions of them, where it must leave every certificate the full decoder refuses.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorityInfoAccessExtension,
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  CRLDistributionPointsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  makeCertificate,
  rawExtension,
  SubjectKeyIdentifierExtension,
  type KeyKind,
} from './test-support/x509-certs.js';
import { versionAndSerial } from './version-serial.js';
import { fastCertificateParts } from './x509-fast.js';
import { fullCertificateParts } from './x509.js';

const data = join(import.meta.dirname, '../../../../../shared/data');
const mozilla = '/usr/share/ca-certificates/mozilla';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** DER of every certificate in a PEM or DER file (PEM blocks split without any decoder). */
function dersIn(path: string): Uint8Array[] {
  const bytes = readFileSync(path);
  if (bytes[0] === 0x30) return [new Uint8Array(bytes)];
  const text = bytes.toString('latin1');
  return [...text.matchAll(/-----BEGIN (?:TRUSTED )?CERTIFICATE-----([^-]*)-----END/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')),
  );
}

type Outcome = 'fast' | 'full only' | 'refused';

/**
 * Where each OBJECT IDENTIFIER's content lies in `der` (walking constructed values only, so the
 * extension values' OIDs are not among them): [first byte, end).
 */
function oidsIn(der: Uint8Array, from = 0, to = der.length, out: [number, number][] = []): [number, number][] {
  for (let at = from; at + 2 <= to; ) {
    const tag = der[at]!;
    let length = der[at + 1]!;
    let start = at + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
      start += count;
    }
    if (tag === 0x06) out.push([start, start + length]);
    else if (tag & 0x20) oidsIn(der, start, start + length, out);
    at = start + length;
  }
  return out;
}

/** Finds `pattern` in `der`; the tests below rely on each certificate holding it once. */
function offsetOf(der: Uint8Array, pattern: number[]): number {
  const at = Buffer.from(der).indexOf(Buffer.from(pattern));
  expect(at, `${pattern.join(' ')} in the certificate`).toBeGreaterThanOrEqual(0);
  return at;
}

/** Checks the two decoders agree on one input; says which one read it. */
function agree(der: Uint8Array, label: string): Outcome {
  const fast = fastCertificateParts(der);
  const full = fullCertificateParts(der);
  if (fast === undefined) return 'error' in full ? 'refused' : 'full only';
  expect('error' in full ? full.error : undefined, `${label}: the fast path accepted what the full decoder refuses`).toBeUndefined();
  if ('error' in full) return 'refused';
  expect(fast.length, label).toBe(full.length);
  // The version the fast path reads on the way is the one version-serial.ts reads from the DER.
  const { version, ...fastParts } = fast.parts;
  expect(version, label).toBe(versionAndSerial(der.subarray(0, fast.length))?.version);
  expect(fastParts, label).toEqual(full.parts);
  return 'fast';
}

function tally(ders: [string, Uint8Array][]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { fast: 0, 'full only': 0, refused: 0 };
  for (const [label, der] of ders) counts[agree(der, label)]++;
  return counts;
}

/** Name values the generator takes literally (it reads quotes, `#` hex and escapes itself). */
function nameValue(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return text.filter((s) => s.trim() !== '' && !/["#\\+,;<>=]/.test(s));
}

describe('the fast certificate path', () => {
  const kinds: KeyKind[] = ['ecdsa', 'rsa', 'ed25519'];
  const made: [string, Uint8Array][] = [];

  beforeAll(async () => {
    for (const key of kinds) {
      made.push([
        key,
        await makeCertificate({
          key,
          name: [{ C: ['GB'] }, { O: ['Ünïcode Ltd'] }, { OU: ['a', 'b'] }, { CN: ['host.example'] }, { E: ['x@example.com'] }],
          san: [
            { type: 'dns', value: 'WWW.Example.COM' },
            { type: 'ip', value: '192.0.2.1' },
            { type: 'ip', value: '2001:db8::1' },
            { type: 'email', value: 'ops@example.com' },
            { type: 'url', value: 'https://example.com/' },
          ],
          notAfter: new Date('2060-01-01T00:00:00Z'),
        }),
      ]);
    }
    // The extensions nearly every real certificate has, which the fast path checks as the full
    // decoder does, and a precertificate's poison.
    made.push([
      'extensions',
      await makeCertificate({
        extensions: [
          new BasicConstraintsExtension(true, 2, true),
          new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign, true),
          new SubjectKeyIdentifierExtension('0102030405'),
          rawExtension('2.5.29.35', false, [0x30, 0x05, 0x80, 0x03, 1, 2, 3]),
          new CertificatePolicyExtension(['2.23.140.1.2.1']),
          new CRLDistributionPointsExtension(['http://crl.example/ca.crl']),
          new AuthorityInfoAccessExtension({ ocsp: ['http://ocsp.example'], caIssuers: ['http://ca.example/ca.crt'] }),
          rawExtension('1.3.6.1.4.1.11129.2.4.3', true, [0x05, 0x00]),
        ],
        san: [{ type: 'dns', value: 'ext.example' }],
      }),
    ]);
  });

  it('reads certificates of every key kind it is meant for, as the full decoder does', () => {
    expect(tally(made)).toEqual({ fast: made.length, 'full only': 0, refused: 0 });
  });

  it('agrees on certificates with random names and serials', async () => {
    const outcomes: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(
        nameValue(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })),
        nameValue(fc.string({ minLength: 1, maxLength: 20 })),
        fc.stringMatching(/^[0-9a-f]{2,32}$/),
        async (cn, org, serial) => {
          const der = await makeCertificate({ name: [{ CN: [cn] }, { O: [org] }], serialNumber: serial, san: [{ type: 'dns', value: `${serial}.example` }] });
          outcomes.push(agree(der, JSON.stringify([cn, org, serial])));
        },
      ),
      { numRuns: 60 },
    );
    // UTF8String names of any text go the fast way (serials the generator pads are the exception).
    expect(outcomes.filter((o) => o === 'fast').length).toBeGreaterThan(outcomes.length / 2);
  });

  it('leaves every corruption the full decoder refuses to it, and agrees on the rest', () => {
    const outcomes: Outcome[] = [];
    fc.assert(
      fc.property(
        fc.constantFrom(...made.map(([, der]) => der)),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.option(fc.nat(), { freq: 4 }),
        (der, edits, cut) => {
          const bytes = Uint8Array.from(der);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const input = cut === null ? bytes : bytes.subarray(0, cut % bytes.length);
          outcomes.push(agree(input, `edits ${JSON.stringify(edits)}, cut ${cut}`));
        },
      ),
      { numRuns: 5_000 },
    );
    // Edits in signatures and keys leave a readable certificate; others break it.
    expect(outcomes.filter((o) => o === 'fast').length).toBeGreaterThan(100);
    expect(outcomes.filter((o) => o === 'refused').length).toBeGreaterThan(100);
  });

  it('leaves to the full decoder an unknown key algorithm whose parameters it cannot read', () => {
    const der = Uint8Array.from(made.find(([kind]) => kind === 'ecdsa')![1]);
    // id-ecPublicKey becomes an OID nobody knows, and its curve's last arc is left unfinished: the
    // case a CI run's random corruptions found, which the fast path once accepted.
    der[offsetOf(der, [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]) + 2] = 0;
    der[offsetOf(der, [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]) + 9] = 0x80;
    expect(fullCertificateParts(der)).toHaveProperty('error');
    expect(fastCertificateParts(der)).toBeUndefined();
  });

  it('leaves every corruption of its object identifiers the full decoder refuses to it', () => {
    const outcomes: Outcome[] = [];
    fc.assert(
      fc.property(
        fc.constantFrom(...made.map(([, der]) => der)),
        // Which OID, and either its last arc left unfinished or one of its bytes set.
        fc.array(fc.tuple(fc.nat(), fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { freq: 2 })), { minLength: 1, maxLength: 3 }),
        (der, edits) => {
          const bytes = Uint8Array.from(der);
          const oids = oidsIn(der);
          for (const [which, edit] of edits) {
            const [start, end] = oids[which % oids.length]!;
            if (edit === null) bytes[end - 1]! |= 0x80;
            else bytes[start + (edit[0] % (end - start))] = edit[1];
          }
          outcomes.push(agree(bytes, `OID edits ${JSON.stringify(edits)}`));
        },
      ),
      { numRuns: 3_000 },
    );
    expect(outcomes.filter((o) => o === 'fast').length).toBeGreaterThan(100);
    expect(outcomes.filter((o) => o === 'refused').length).toBeGreaterThan(100);
  });

  it.skipIf(!existsSync(join(data, 'certs')))('agrees with the full decoder on the certificate corpus, valid and invalid', () => {
    const ders = filesUnder(join(data, 'certs'))
      .filter((f) => /\.(pem|der|cert|chain)$/.test(f))
      .flatMap((f) => dersIn(f).map((der, i): [string, Uint8Array] => [`${f}#${i}`, der]));
    const counts = tally(ders);
    // The corpus is mostly odd certificates collected to break parsers: many go the full way,
    // which records their problems instead of refusing them; only the corrupted one is refused.
    expect(counts.fast).toBeGreaterThan(10);
    expect(counts['full only']).toBeGreaterThan(10);
    expect(counts.refused).toBe(1);
  });

  it.skipIf(!existsSync(mozilla))("agrees with the full decoder on the machine's CA certificates", () => {
    const ders = readdirSync(mozilla)
      .filter((f) => f.endsWith('.crt'))
      .flatMap((f) => dersIn(join(mozilla, f)).map((der): [string, Uint8Array] => [f, der]));
    const counts = tally(ders);
    expect(counts.refused).toBe(0);
    // Real CA certificates are what the fast path is for: all but a few (BMPString names) take it.
    expect(counts.fast).toBeGreaterThan(ders.length * 0.8);
  });
});
