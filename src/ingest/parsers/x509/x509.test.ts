import fc from 'fast-check';
import { X509Certificate as OpenSslCertificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRecord, ParseResult } from '../../records.js';
import type { Extension } from '@peculiar/x509';
import { ExtendedKeyUsageExtension, makeCertificate, Name, rawExtension, toPem } from './test-support/x509-certs.js';
import { fastCertificateParts } from './x509-fast.js';
import { certificateFromDer, derFormat, parseDer, parsePem, pemFormat } from './x509.js';

const OBSERVATION = { source: 'test' };
const STACK_TRACE = /\n\s+at .+:\d+:\d+\)?/;

function certificate(der: Uint8Array): CertificateRecord {
  const r = certificateFromDer(der, OBSERVATION);
  if ('error' in r) throw new Error(r.error);
  return r;
}

function certificates(r: ParseResult): CertificateRecord[] {
  return r.records.filter((x): x is CertificateRecord => x.kind === 'certificate');
}

/** A DER TLV with a short or long length. */
function tlv(tag: number, content: number[]): number[] {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...length, ...content];
}

function openSslFingerprint(der: Uint8Array): string {
  return new OpenSslCertificate(der).fingerprint256.replace(/:/g, '').toLowerCase();
}

describe('certificateFromDer', () => {
  let der: Uint8Array;
  beforeAll(async () => {
    der = await makeCertificate({
      name: [
        { C: ['GB'] },
        { ST: ['London'] },
        { L: ['Camden'] },
        { O: ['Acme, Inc.'] },
        { OU: ['Ops'] },
        { OU: ['Sec'] },
        { CN: ['Test Host'] },
        { E: ['admin@example.com'] },
      ],
      serialNumber: '0123456789ABCDEF',
      san: [
        { type: 'dns', value: 'WWW.Example.COM' },
        { type: 'dns', value: '*.Example.org' },
        { type: 'ip', value: '192.0.2.1' },
        { type: 'ip', value: '2001:db8:0:0:0:0:0:1' },
        { type: 'email', value: 'ops@example.com' },
        { type: 'url', value: 'https://example.com/x' },
      ],
      notBefore: new Date('2024-01-02T03:04:05Z'),
      notAfter: new Date('2060-06-07T08:09:10Z'),
    });
  });

  it('fills every x509 field of fields.md', () => {
    const cert = certificate(der);
    const sha256 = openSslFingerprint(der);
    expect(cert.kind).toBe('certificate');
    expect(cert.sha256).toBe(sha256);
    expect(Buffer.from(cert.der).equals(Buffer.from(der))).toBe(true);
    expect(cert.observation).toEqual(OBSERVATION);
    const dn = 'emailAddress=admin@example.com,CN=Test Host,OU=Sec,OU=Ops,O=Acme\\, Inc.,L=Camden,ST=London,C=GB';
    expect(cert.fields).toEqual({
      'x509.subject.common_name': ['Test Host'],
      'x509.subject.organization': ['Acme, Inc.'],
      'x509.subject.organizational_unit': ['Ops', 'Sec'],
      'x509.subject.country': ['GB'],
      'x509.subject.state_or_province': ['London'],
      'x509.subject.locality': ['Camden'],
      'x509.subject.email_address': ['admin@example.com'],
      'x509.subject.distinguished_name': [dn],
      'x509.issuer.common_name': ['Test Host'],
      'x509.issuer.organization': ['Acme, Inc.'],
      'x509.issuer.organizational_unit': ['Ops', 'Sec'],
      'x509.issuer.country': ['GB'],
      'x509.issuer.state_or_province': ['London'],
      'x509.issuer.locality': ['Camden'],
      'x509.issuer.email_address': ['admin@example.com'],
      'x509.issuer.distinguished_name': [dn],
      'x509.serial_number': ['0123456789ABCDEF'],
      'x509.alternative_names': [
        'www.example.com',
        '*.example.org',
        '192.0.2.1',
        '2001:db8::1',
        'ops@example.com',
        'https://example.com/x',
      ],
      // 2060 is a GeneralizedTime, 2024 a UTCTime.
      'x509.not_before': ['2024-01-02T03:04:05Z'],
      'x509.not_after': ['2060-06-07T08:09:10Z'],
      'x509.sha1': [cert.sha1],
      'x509.sha256': [sha256],
      'x509.signature_algorithm': ['ecdsa-with-SHA256'],
      'x509.public_key_algorithm': ['id-ecPublicKey'],
    });
    expect(cert.sha1).toMatch(/^[0-9a-f]{40}$/);
  });

  it('names RSA and Ed25519 algorithms as OpenSSL does', async () => {
    const rsa = certificate(await makeCertificate({ key: 'rsa' }));
    expect(rsa.fields['x509.signature_algorithm']).toEqual(['sha256WithRSAEncryption']);
    expect(rsa.fields['x509.public_key_algorithm']).toEqual(['rsaEncryption']);
    const ed = certificate(await makeCertificate({ key: 'ed25519' }));
    expect(ed.fields['x509.signature_algorithm']).toEqual(['ED25519']);
    expect(ed.fields['x509.public_key_algorithm']).toEqual(['ED25519']);
  });

  it('writes serials as OpenSSL does: upper-case hex of the magnitude, without the sign byte', async () => {
    for (const serial of ['00', '01', '7F', '80', '8F0102', '00FF', '1234567890ABCDEF1234']) {
      const cert = await makeCertificate({ serialNumber: serial });
      expect(certificate(cert).fields['x509.serial_number']).toEqual([new OpenSslCertificate(cert).serialNumber.padStart(2, '0')]);
    }
  });

  it('decodes name values the library leaves as BER through OpenSSL when OpenSSL can', async () => {
    const numeric = certificate(await makeCertificate({ name: [{ O: ['Org'] }, { CN: ['#120431323334'] }] }));
    expect(numeric.fields['x509.subject.common_name']).toEqual(['1234']);
    expect(numeric.fields['x509.subject.distinguished_name']).toEqual(['CN=1234,O=Org']);
    // OpenSSL refuses VisibleString names outright: the DN shows the BER, the CN field is absent.
    const visible = Buffer.from('visible.test').toString('hex');
    const cert = certificate(await makeCertificate({ name: [{ O: ['Org'] }, { CN: [`#1A0C${visible}`] }] }));
    expect(cert.fields['x509.subject.common_name']).toBeUndefined();
    expect(cert.fields['x509.subject.organization']).toEqual(['Org']);
    expect(cert.fields['x509.subject.distinguished_name']).toEqual([`CN=#1A0C${visible.toUpperCase()},O=Org`]);
  });

  it('keeps names that are not host names as written, and UTF-8 names', async () => {
    const cert = certificate(
      await makeCertificate({
        name: [{ CN: ['ñandú.example'] }],
        san: [
          { type: 'dns', value: 'bad name.example' },
          { type: 'dns', value: 'bücher.example' },
        ],
      }),
    );
    expect(cert.fields['x509.subject.common_name']).toEqual(['ñandú.example']);
    expect(cert.fields['x509.alternative_names']).toEqual(['bad name.example', 'xn--bcher-kva.example']);
  });

  it('records malformed certificates with the rule they break as x509.problems, never refusing them', async () => {
    const problems = async (spec: Parameters<typeof makeCertificate>[0]): Promise<readonly string[] | undefined> => {
      const cert = certificate(await makeCertificate(spec));
      expect(cert.fields['x509.subject.common_name']).toBeDefined();
      return cert.fields['x509.problems'];
    };
    expect(await problems({ extensions: [new ExtendedKeyUsageExtension([])] })).toEqual([
      'extension 2.5.29.37 (extendedKeyUsage): empty (RFC 5280: SEQUENCE SIZE (1..MAX))',
    ]);
    expect(await problems({ name: new Name([{ CN: ['x'] }, { SN: [{ printableString: 'user@example.com' }] }]) })).toEqual([
      'subject SN is a PrintableString with characters PrintableString cannot hold (X.680 §41.4)',
      // The certificate signs itself: its issuer is the same name.
      'issuer SN is a PrintableString with characters PrintableString cannot hold (X.680 §41.4)',
    ]);
    // Subject information access holding an INTEGER instead of AccessDescriptions.
    const sia = await problems({ extensions: [rawExtension('1.3.6.1.5.5.7.1.11', false, tlv(0x30, tlv(0x02, [5])))] });
    expect(sia).toHaveLength(1);
    expect(sia![0]).toMatch(/^extension 1\.3\.6\.1\.5\.5\.7\.1\.11 \(subjectInfoAccess\): malformed: ./);
    // Authority information access whose value is not ASN.1 at all.
    expect((await problems({ extensions: [rawExtension('1.3.6.1.5.5.7.1.1', false, [0x04])] }))?.[0]).toMatch(
      /^extension 1\.3\.6\.1\.5\.5\.7\.1\.1 \(authorityInfoAccess\): malformed: /,
    );
    // Basic constraints as an OCTET STRING, and with a negative path length.
    expect((await problems({ extensions: [rawExtension('2.5.29.19', true, tlv(0x04, [1]))] }))?.[0]).toMatch(
      /^extension 2\.5\.29\.19 \(basicConstraints\): malformed: /,
    );
    expect(await problems({ extensions: [rawExtension('2.5.29.19', true, tlv(0x30, [...tlv(0x01, [0xff]), ...tlv(0x02, [0xff])]))] })).toEqual([
      'extension 2.5.29.19 (basicConstraints): negative pathLenConstraint (RFC 5280 §4.2.1.9)',
    ]);
    // An extension nobody recognises is a problem when critical only; a repeated one always.
    expect(await problems({ extensions: [rawExtension('1.2.3.4', false, tlv(0x05, []))] })).toBeUndefined();
    expect(await problems({ extensions: [rawExtension('1.2.3.4', true, tlv(0x05, []))] })).toEqual([
      'extension 1.2.3.4: critical but not recognised (RFC 5280 §4.2)',
    ]);
    const keyId = rawExtension('2.5.29.14', false, tlv(0x04, [1, 2, 3]));
    expect(await problems({ extensions: [keyId, keyId] })).toEqual(['extension 2.5.29.14 (subjectKeyIdentifier): appears more than once (RFC 5280 §4.2)']);
    // Every problem is recorded, not only the first.
    expect(await problems({ extensions: [new ExtendedKeyUsageExtension([]), rawExtension('1.2.3.4', true, tlv(0x05, []))] })).toHaveLength(2);
  });

  it('keeps what can be read from a broken subject alternative name', async () => {
    const san = (...entries: number[][]): Extension => rawExtension('2.5.29.17', false, tlv(0x30, entries.flat()));
    const dns = (name: string): number[] => tlv(0x82, [...Buffer.from(name)]);
    // An EDIPartyName as RFC 5280 writes it (explicit DirectoryString): no text, no problem.
    const edi = tlv(0xa5, tlv(0xa1, tlv(0x0c, [...Buffer.from('party')])));
    let cert = certificate(await makeCertificate({ extensions: [san(dns('a.example'), edi, dns('b.example'))] }));
    expect(cert.fields['x509.alternative_names']).toEqual(['a.example', 'b.example']);
    expect(cert.fields['x509.problems']).toBeUndefined();
    // An otherName that is not one, and a GeneralName tag RFC 5280 does not have.
    cert = certificate(await makeCertificate({ extensions: [san(dns('a.example'), tlv(0xa0, tlv(0x02, [0])), tlv(0x89, [0]), dns('b.example'))] }));
    expect(cert.fields['x509.alternative_names']).toEqual(['a.example', 'b.example']);
    expect(cert.fields['x509.problems']).toHaveLength(2);
    expect(cert.fields['x509.problems']![0]).toMatch(/^extension 2\.5\.29\.17 \(subjectAltName\): malformed: entry 2 \[0\]: ./);
    expect(cert.fields['x509.problems']![1]).toMatch(/^extension 2\.5\.29\.17 \(subjectAltName\): malformed: entry 3 \[9\]: ./);
    // A SAN that is not a list at all, and an empty one.
    cert = certificate(await makeCertificate({ extensions: [rawExtension('2.5.29.17', false, tlv(0x04, [1]))] }));
    expect(cert.fields['x509.problems']).toEqual(['extension 2.5.29.17 (subjectAltName): malformed: not a SEQUENCE of GeneralName']);
    cert = certificate(await makeCertificate({ extensions: [san()] }));
    expect(cert.fields['x509.problems']).toEqual(['extension 2.5.29.17 (subjectAltName): empty (RFC 5280: SEQUENCE SIZE (1..MAX))']);
  });

  it('reads a precertificate (critical CT poison) without a problem, on the fast path', async () => {
    const der = await makeCertificate({ extensions: [rawExtension('1.3.6.1.4.1.11129.2.4.3', true, tlv(0x05, []))], san: [{ type: 'dns', value: 'pre.example' }] });
    expect(fastCertificateParts(der)?.parts.problems).toEqual([]);
    const cert = certificate(der);
    expect(cert.fields['x509.problems']).toBeUndefined();
    expect(cert.fields['x509.alternative_names']).toEqual(['pre.example']);
  });

  it('reports what is wrong with input that is not one certificate', () => {
    const good = der;
    expect(certificateFromDer(new Uint8Array(0), OBSERVATION)).toEqual({ error: 'empty input: no certificate' });
    expect(certificateFromDer(Buffer.from('-----BEGIN CERTIFICATE-----'), OBSERVATION)).toEqual({
      error: 'not a DER certificate: it does not start with an ASN.1 SEQUENCE',
    });
    const truncated = certificateFromDer(good.subarray(0, 100), OBSERVATION);
    expect('error' in truncated && truncated.error).toMatch(/^not a valid certificate: /);
    expect(certificateFromDer(Buffer.concat([good, Buffer.from([0x30, 0x00])]), OBSERVATION)).toEqual({
      error: '2 bytes of data after the certificate',
    });
  });

  it('never throws, whatever the bytes', () => {
    const check = (bytes: Uint8Array): void => {
      const r = certificateFromDer(bytes, OBSERVATION);
      if ('error' in r) {
        expect(r.error).not.toBe('');
        expect(r.error).not.toMatch(STACK_TRACE);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), check), { numRuns: 500 });
    const prefix = fc.constantFrom([0x30, 0x82, 0x01, 0x00], [0x30, 0x80], [0x30, 0x84, 0xff, 0xff, 0xff, 0xff], [0x30, 0x81, 0x10]);
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 300 }), (head, tail) => check(Uint8Array.from([...head, ...tail]))),
      { numRuns: 400 },
    );
    // Deep nesting must not take the process down.
    check(Uint8Array.from({ length: 200_000 }, (_, i) => (i % 2 === 0 ? 0x30 : 0x80)));
    // A real certificate with bytes changed or cut short reaches deep into the decoder.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (edits, cut) => {
          const bytes = Uint8Array.from(der);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          check(bytes);
          check(bytes.subarray(0, cut % bytes.length));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parsePem', () => {
  let a: Uint8Array;
  let b: Uint8Array;
  beforeAll(async () => {
    a = await makeCertificate({ name: [{ CN: ['a.example'] }] });
    b = await makeCertificate({ name: [{ CN: ['b.example'] }], key: 'rsa' });
  });

  it('reads every certificate in the text, with any text around them', () => {
    const text = `Certificate:\n    Data: (openssl x509 -text)\n${toPem(a)}\nsome notes\r\n${toPem(b).replace(/\n/g, '\r\n')}trailer\n`;
    const r = parsePem(text, {});
    expect(r.errors).toEqual([]);
    expect(certificates(r).map((c) => c.fields['x509.subject.common_name']?.[0])).toEqual(['a.example', 'b.example']);
    expect(certificates(r)[0]!.observation).toEqual({ source: 'pem' });
    expect(certificates(parsePem(toPem(a), { source: 'feed' }))[0]!.observation).toEqual({ source: 'feed' });
  });

  it('reports a bad block at its BEGIN line and keeps the good ones', () => {
    const broken = toPem(b).replace(/^(-----BEGIN CERTIFICATE-----\n)(.{10})/, '$1!!!!!!!!!!');
    const text = `${toPem(a)}${broken}${toPem(a)}`;
    const r = parsePem(text, {});
    expect(certificates(r)).toHaveLength(2);
    const beginLine = toPem(a).split('\n').length;
    expect(r.errors).toEqual([{ line: beginLine, message: 'PEM CERTIFICATE block is not valid base64' }]);
  });

  it('reports a block that does not decode, lacks its END, or ends with another label', () => {
    const garbage = `-----BEGIN CERTIFICATE-----\n${Buffer.from('not a certificate at all').toString('base64')}\n-----END CERTIFICATE-----\n`;
    expect(parsePem(garbage, {}).errors).toEqual([
      { line: 1, message: 'not a DER certificate: it does not start with an ASN.1 SEQUENCE' },
    ]);
    const unterminated = toPem(a).replace('-----END CERTIFICATE-----\n', '');
    expect(parsePem(`${unterminated}${toPem(b)}`, {}).errors).toEqual([
      { line: 1, message: 'PEM CERTIFICATE block has no END line' },
    ]);
    expect(parsePem(unterminated, {}).errors).toEqual([{ line: 1, message: 'PEM CERTIFICATE block has no END line' }]);
    expect(parsePem(toPem(a).replace('END CERTIFICATE', 'END X509 CRL'), {}).errors).toEqual([
      { line: 1, message: 'PEM CERTIFICATE block ends with END X509 CRL' },
    ]);
    expect(parsePem('just text\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', {}).errors).toEqual([
      { line: 0, message: 'no PEM certificate (-----BEGIN CERTIFICATE-----) in the input' },
    ]);
  });

  it('accepts TRUSTED CERTIFICATE (trust settings after the certificate) and X509 CERTIFICATE', () => {
    const trusted = toPem(Uint8Array.from([...a, 0x30, 0x03, 0x06, 0x01, 0x00]), 'TRUSTED CERTIFICATE');
    const r = parsePem(`${trusted}${toPem(b, 'X509 CERTIFICATE')}`, {});
    expect(r.errors).toEqual([]);
    expect(certificates(r).map((c) => c.sha256)).toEqual([openSslFingerprint(a), openSslFingerprint(b)]);
    expect(Buffer.from(certificates(r)[0]!.der).equals(Buffer.from(a))).toBe(true);
    const trailing = parsePem(toPem(Uint8Array.from([...a, 0x30, 0x00])), {});
    expect(trailing.errors).toEqual([{ line: 1, message: '2 bytes of data after the certificate' }]);
  });

  it('reads a block written on one line, and passes over other blocks', () => {
    const oneLine = toPem(a).replace(/\n/g, '');
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
    const r = parsePem(`${key}cert: ${oneLine} (end)\n${key}`, {});
    expect(r.errors).toEqual([]);
    expect(certificates(r)).toHaveLength(1);
    const inside = parsePem(toPem(a).replace('-----END CERTIFICATE-----', key), {});
    expect(inside.errors).toEqual([{ line: 1, message: 'PEM CERTIFICATE block has no END line' }]);
  });

  it('skips RFC 1421 header lines inside a block', () => {
    const withHeader = toPem(a).replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n\n');
    expect(parsePem(withHeader, {}).errors).toEqual([]);
  });

  it('never throws, whatever the text', () => {
    const pemish = fc.array(
      fc.oneof(
        fc.constantFrom('-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN TRUSTED CERTIFICATE-----', 'MIIB', '===='),
        fc.string(),
        fc.base64String(),
      ),
    );
    fc.assert(
      fc.property(pemish, (lines) => {
        const r = parsePem(lines.join('\n'), {});
        for (const e of r.errors) expect(e.message).not.toMatch(STACK_TRACE);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseDer and the formats', () => {
  let a: Uint8Array;
  let b: Uint8Array;
  beforeAll(async () => {
    a = await makeCertificate({ name: [{ CN: ['a.example'] }] });
    b = await makeCertificate({ name: [{ CN: ['b.example'] }] });
  });

  it('reads one certificate or several one after another', () => {
    expect(certificates(parseDer(a, {}))).toHaveLength(1);
    const both = parseDer(Buffer.concat([a, b]), {});
    expect(both.errors).toEqual([]);
    expect(certificates(both).map((c) => c.sha256)).toEqual([openSslFingerprint(a), openSslFingerprint(b)]);
    expect(certificates(both)[0]!.observation).toEqual({ source: 'der' });
  });

  it('reports data after the last certificate with its offset', () => {
    const r = parseDer(Buffer.concat([a, Buffer.from('\n')]), {});
    expect(certificates(r)).toHaveLength(1);
    expect(r.errors).toEqual([
      { line: 0, message: `at byte ${a.length}: not a DER certificate: it does not start with an ASN.1 SEQUENCE` },
    ]);
    expect(parseDer(new Uint8Array(0), {}).errors).toEqual([{ line: 0, message: 'empty input: no certificate' }]);
  });

  it('sniff PEM text and DER that parses', () => {
    const pem = Buffer.from(`notes\n${toPem(a)}`);
    expect(pemFormat.sniff(pem)).toBeGreaterThan(0.9);
    expect(pemFormat.sniff(Buffer.from(a))).toBe(0);
    expect(derFormat.sniff(Buffer.from(a))).toBe(0.6);
    expect(derFormat.sniff(Buffer.from(a), 'cert.der')).toBe(0.7);
    expect(derFormat.sniff(pem)).toBe(0);
    expect(derFormat.sniff(Buffer.from([0x30, 0x82, 0x01, 0x00, 0x01]))).toBeLessThan(0.1);
    expect(pemFormat.name).toBe('pem');
    expect(derFormat.name).toBe('der');
    expect(certificates(pemFormat.parse(pem, {}))).toHaveLength(1);
    expect(certificates(derFormat.parse(Buffer.from(a), {}))).toHaveLength(1);
  });
});

const data = join(import.meta.dirname, '../../../../../shared/data');
const certs = join(data, 'certs');
const invalid = join(certs, 'google-ct-go/x509/testdata/invalid');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function parseFile(path: string): ParseResult {
  const bytes = readFileSync(path);
  return bytes[0] === 0x30 ? parseDer(bytes, {}) : parsePem(bytes.toString('utf8'), {});
}

describe.skipIf(!existsSync(invalid))('the malformed certificates of certificate-transparency-go', () => {
  const expected: Record<string, RegExp> = {
    'mismatching-sig-alg.pem': /^signature algorithm differs/,
    'xf-der-invalid-nonminimal-int.pem': /^serial number is not minimally encoded/,
    'xf-der-pubkey-rsa-nonminimal-int.pem': /^RSA public exponent is not minimally encoded/,
    'xf-ext-extended-key-usage-empty-oid.pem': /^extension 2\.5\.29\.37 \(extendedKeyUsage\): holds an empty or invalid OID/,
    'xf-ext-extended-key-usage-empty.pem': /^extension 2\.5\.29\.37 \(extendedKeyUsage\): empty value/,
    'xf-ext-subject-info-empty.pem': /^extension 1\.3\.6\.1\.5\.5\.7\.1\.11 \(subjectInfoAccess\): empty/,
    'xf-pubkey-ecdsa-secp192r1.pem': /secp192r1/,
    'xf-pubkey-rsa-modulus-negative.pem': /^RSA modulus is negative/,
    'xf-pubkey-rsa-param-nonnull.pem': /^RSA public key algorithm parameters must be NULL/,
    'xf-subject-nonprintable.pem': /^subject SN is a PrintableString/,
  };

  it('are each stored with their subject and the rule they break as x509.problems', () => {
    const files = readdirSync(invalid);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const r = parseFile(join(invalid, file));
      expect(r.errors, file).toEqual([]);
      const [cert, ...more] = certificates(r);
      expect(more, file).toEqual([]);
      const problems = cert!.fields['x509.problems'] ?? [];
      expect(problems.length, file).toBeGreaterThan(0);
      for (const p of problems) expect(p, file).not.toMatch(STACK_TRACE);
      if (expected[file]) expect(problems[0], file).toMatch(expected[file]);
      // mismatching-sig-alg.pem has an empty subject; the others a CN.
      if (file !== 'mismatching-sig-alg.pem') expect(cert!.fields['x509.subject.common_name'], file).toEqual(['*.google.com']);
    }
  });
});

describe.skipIf(!existsSync(certs))('the certificate corpus', () => {
  const valid = (): string[] =>
    filesUnder(certs).filter((f) => /\.(pem|der|cert|chain)$/.test(f) && !f.startsWith(invalid) && !f.endsWith('test-corrupted.pem'));
  const byName = (name: string): CertificateRecord[] => {
    const path = valid().find((f) => f.endsWith(`/${name}`));
    if (!path) throw new Error(`${name} is not in the corpus`);
    return certificates(parseFile(path));
  };

  it('parses every valid certificate, fingerprints agreeing with OpenSSL where OpenSSL reads it', () => {
    let count = 0;
    for (const file of valid()) {
      const r = parseFile(file);
      expect(r.errors, file).toEqual([]);
      expect(r.records.length, file).toBeGreaterThan(0);
      for (const cert of certificates(r)) {
        count++;
        let openssl: string | undefined;
        try {
          openssl = openSslFingerprint(cert.der);
        } catch {
          openssl = undefined; // OpenSSL refuses negative_serial.pem and the bad UTF-8 subject.
        }
        if (openssl !== undefined) expect(cert.sha256, file).toBe(openssl);
        expect(cert.fields['x509.sha256'], file).toEqual([cert.sha256]);
        expect(cert.fields['x509.not_before']?.[0], file).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(cert.fields['x509.signature_algorithm'], file).toBeDefined();
      }
    }
    expect(count).toBe(51);
  });

  it('reports the corrupted one', () => {
    const corrupted = filesUnder(certs).find((f) => f.endsWith('test-corrupted.pem'))!;
    const r = parseFile(corrupted);
    expect(r.records).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toMatch(/^not a valid certificate: /);
  });

  it('reads the odd ones as best it can', () => {
    expect(byName('negative_serial.pem')[0]!.fields['x509.serial_number']).toEqual(['FFD5D5453D324E958B7FC5D04777DBBE']);
    expect(byName('multiple_cn.pem')[0]!.fields['x509.subject.common_name']).toEqual([
      'www.rd.io',
      'rdio.com',
      'rd.io',
      'api.rdio.com',
      'api.rd.io',
      'www.rdio.com',
    ]);
    const nul = byName('null_chars.pem')[0]!.fields;
    expect(nul['x509.subject.common_name']).toEqual(['null.python.org\u0000example.org']);
    expect(nul['x509.subject.distinguished_name']?.[0]).toContain('CN=null.python.org\\00example.org');
    expect(nul['x509.alternative_names']).toContain('altnull.python.org\u0000example.com');
    expect(byName('cn_utf8.pem')[0]!.fields['x509.subject.common_name']).toEqual(['ñeco ñýáěšžěšžřěčíě+ščýáíéřáíÚ']);
    expect(byName('cert_bad_utf8_subject.pem')[0]!.fields['x509.subject.common_name']).toEqual(['www.alojamientocostadelsol.com']);
    expect(byName('asn1_indefinite_length_encoding.pem')[0]!.fields['x509.subject.distinguished_name']).toEqual([
      'OU=VeriSign Class 1 CA - Individual Subscriber,O=VeriSign\\, Inc.,L=Internet',
    ]);
    expect(byName('matrixssl_sample.pem')[0]!.fields['x509.public_key_algorithm']).toEqual(['rsaEncryption']);
    expect(byName('dsa_with_sha256.der')[0]!.fields['x509.signature_algorithm']).toEqual(['dsa_with_SHA256']);
    expect(byName('invalid_ip.pem')[0]!.fields['x509.alternative_names']).toEqual(['0.0.0.0/24', 'walter.oconner@va.gov']);
  });

  it('reads times in every form the corpus has', () => {
    const times = (name: string): [string?, string?] => {
      const f = byName(name)[0]!.fields;
      return [f['x509.not_before']?.[0], f['x509.not_after']?.[0]];
    };
    // UTCTime without seconds, with +0000 and -1200 offsets, and GeneralizedTime 9999.
    expect(times('marchnetworks_com.pem')).toEqual(['2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z']);
    expect(times('subrigo_net.pem')).toEqual(['2012-12-14T09:31:07Z', '2022-12-13T09:31:07Z']);
    expect(times('promise_com.pem')).toEqual(['2011-06-30T03:32:48Z', '2021-06-26T15:32:48Z']);
    expect(times('expiration_not_well_defined.pem')).toEqual(['2014-11-26T12:46:33Z', '9999-12-31T23:59:59Z']);
  });

  it('reads chains and DER files', () => {
    expect(byName('google_chain.pem')).toHaveLength(3);
    expect(byName('subleaf-pre.chain')).toHaveLength(4);
    const der = byName('google_cert.der')[0]!;
    expect(der.sha256).toBe(byName('google_cert.pem')[0]!.sha256);
    expect(der.fields['x509.alternative_names']).toContain('*.google.com');
    expect(der.fields['x509.alternative_names']).toHaveLength(44);
  });
});

const mozilla = '/usr/share/ca-certificates/mozilla';

describe.skipIf(!existsSync(mozilla))("the machine's Mozilla CA certificates", () => {
  it('all parse, agreeing with OpenSSL on fingerprint, serial, validity and subject CN', () => {
    const files = readdirSync(mozilla).filter((f) => f.endsWith('.crt'));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const r = parsePem(readFileSync(join(mozilla, file), 'utf8'), {});
      expect(r.errors, file).toEqual([]);
      const [cert] = certificates(r);
      const openssl = new OpenSslCertificate(cert!.der);
      expect(cert!.sha256, file).toBe(openssl.fingerprint256.replace(/:/g, '').toLowerCase());
      // OpenSSL writes a zero serial as "0"; the field keeps whole bytes.
      expect(cert!.fields['x509.serial_number'], file).toEqual([openssl.serialNumber.padStart(2, '0')]);
      expect(cert!.fields['x509.not_before'], file).toEqual([new Date(openssl.validFrom).toISOString().replace('.000', '')]);
      expect(cert!.fields['x509.not_after'], file).toEqual([new Date(openssl.validTo).toISOString().replace('.000', '')]);
      const cn = openssl.toLegacyObject().subject.CN;
      if (cn !== undefined) expect(cert!.fields['x509.subject.common_name'], file).toEqual([cn].flat());
    }
  });
});
