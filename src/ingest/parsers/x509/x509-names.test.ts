import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDnFields,
  attributeOid,
  epochToIso,
  FieldBuilder,
  fingerprintHex,
  parseDnText,
  publicKeyAlgorithmName,
  renderDn,
  signatureAlgorithmName,
  type Dn,
} from './x509-names.js';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const C = '2.5.4.6';
const L = '2.5.4.7';

describe('renderDn', () => {
  it('writes the last RDN first, OpenSSL short names, + inside a multi-valued RDN', () => {
    const dn: Dn = [[{ oid: C, text: 'US' }], [{ oid: O, text: 'Google Inc' }], [{ oid: L, text: 'TURNBKL' }, { oid: CN, text: 'SERVR' }]];
    expect(renderDn(dn)).toBe('L=TURNBKL+CN=SERVR,O=Google Inc,C=US');
  });

  it('escapes what RFC 4514 says, shows control characters as hex, keeps non-ASCII', () => {
    expect(renderDn([[{ oid: O, text: 'Acme, Inc.' }]])).toBe('O=Acme\\, Inc.');
    expect(renderDn([[{ oid: CN, text: 'a+b"c\\d<e>f;g' }]])).toBe('CN=a\\+b\\"c\\\\d\\<e\\>f\\;g');
    expect(renderDn([[{ oid: CN, text: '#lead' }]])).toBe('CN=\\#lead');
    expect(renderDn([[{ oid: CN, text: ' both ' }]])).toBe('CN=\\ both\\ ');
    expect(renderDn([[{ oid: CN, text: 'null.python.org\u0000example.org' }]])).toBe('CN=null.python.org\\00example.org');
    expect(renderDn([[{ oid: CN, text: 'ñeco 東京' }]])).toBe('CN=ñeco 東京');
  });

  it('writes unknown types as OIDs and undecoded values as #hex', () => {
    expect(renderDn([[{ oid: '1.2.3.4', text: 'x' }]])).toBe('1.2.3.4=x');
    expect(renderDn([[{ oid: CN, ber: Uint8Array.of(0x1a, 0x01, 0x41) }]])).toBe('CN=#1A0141');
    expect(renderDn([])).toBe('');
  });
});

describe('parseDnText', () => {
  it('reads Zeek DN strings (OpenSSL RFC 2253 order)', () => {
    const dn = parseDnText('CN=*.gstatic.com,O=Google Inc,L=Mountain View,ST=California,C=US', 'reversed');
    expect(dn?.[0]).toEqual([{ oid: C, text: 'US' }]);
    expect(dn?.at(-1)).toEqual([{ oid: CN, text: '*.gstatic.com' }]);
  });

  it('undoes escapes, hex-escaped UTF-8 and multi-valued RDNs', () => {
    const dn = parseDnText('serialNumber=1BcK=\\0D\\0A+L=ncalrpc:SERVR+CN=ncalrpc:SERVR,O=Acme\\, Inc.,CN=\\C3\\B1eco', 'reversed');
    expect(dn).toEqual([
      [{ oid: CN, text: 'ñeco' }],
      [{ oid: O, text: 'Acme, Inc.' }],
      [
        { oid: '2.5.4.5', text: '1BcK=\r\n' },
        { oid: L, text: 'ncalrpc:SERVR' },
        { oid: CN, text: 'ncalrpc:SERVR' },
      ],
    ]);
  });

  it('keeps #hex values as BER and escaped trailing spaces', () => {
    expect(parseDnText('1.2.3.4=#0403414243', 'forward')).toEqual([[{ oid: '1.2.3.4', ber: Uint8Array.of(4, 3, 0x41, 0x42, 0x43) }]]);
    expect(parseDnText('CN=a\\ ', 'forward')).toEqual([[{ oid: CN, text: 'a ' }]]);
    expect(parseDnText('CN=a , O=b', 'forward')).toEqual([[{ oid: CN, text: 'a' }], [{ oid: O, text: 'b' }]]);
  });

  it('refuses text that is not a DN', () => {
    expect(parseDnText('hello', 'forward')).toBeUndefined();
    expect(parseDnText('NOTATYPE=1', 'forward')).toBeUndefined();
    expect(parseDnText('1.2=#abc', 'forward')).toBeUndefined();
    expect(parseDnText('', 'forward')).toEqual([]);
  });

  it('reads back what renderDn writes', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '+', '"', '\\', '<', '>', ';', '#', '=', '\u0000', '\n', 'é', '東', '😀') });
    const attribute = fc.record({ oid: fc.constantFrom(CN, O, C, L, '2.5.4.5', '1.2.3.4'), text });
    const dn = fc.array(fc.array(attribute, { minLength: 1, maxLength: 3 }), { maxLength: 4 });
    fc.assert(
      fc.property(dn, (d) => {
        const rendered = renderDn(d);
        const back = parseDnText(rendered, 'reversed');
        expect(back).toBeDefined();
        expect(renderDn(back!)).toBe(rendered);
        expect(back!.flat().map((a) => a.text)).toEqual(d.flat().map((a) => a.text));
      }),
    );
  });
});

describe('fields', () => {
  it('adds the attribute fields and the DN text, normalised and de-duplicated', () => {
    const b = new FieldBuilder();
    const dn = parseDnText('emailAddress=a@b.example,CN=x,CN=x,CN=y,OU=u,O=o,L=l,ST=s,C=GB', 'reversed')!;
    addDnFields(b, 'subject', dn);
    expect(b.toFieldMap()).toEqual({
      // Encoding order: the text lists the last RDN first.
      'x509.subject.common_name': ['y', 'x'],
      'x509.subject.organization': ['o'],
      'x509.subject.organizational_unit': ['u'],
      'x509.subject.country': ['GB'],
      'x509.subject.state_or_province': ['s'],
      'x509.subject.locality': ['l'],
      'x509.subject.email_address': ['a@b.example'],
      'x509.subject.distinguished_name': ['emailAddress=a@b.example,CN=x,CN=x,CN=y,OU=u,O=o,L=l,ST=s,C=GB'],
    });
  });

  it('names attribute types as OpenSSL and LDAP do', () => {
    expect(attributeOid('CN')).toBe(CN);
    expect(attributeOid('commonName')).toBe(CN);
    expect(attributeOid('E')).toBe('1.2.840.113549.1.9.1');
    expect(attributeOid('2.5.4.99')).toBe('2.5.4.99');
    expect(attributeOid('bogus')).toBeUndefined();
  });
});

describe('algorithm names', () => {
  it('are OpenSSL names, or the OID', () => {
    expect(signatureAlgorithmName('1.2.840.113549.1.1.11')).toBe('sha256WithRSAEncryption');
    expect(signatureAlgorithmName('1.2.840.10045.4.3.2')).toBe('ecdsa-with-SHA256');
    expect(signatureAlgorithmName('1.3.101.112')).toBe('ED25519');
    expect(signatureAlgorithmName('1.3.14.3.2.29')).toBe('sha1WithRSA');
    expect(signatureAlgorithmName('1.2.3')).toBe('1.2.3');
    expect(publicKeyAlgorithmName('1.2.840.113549.1.1.1')).toBe('rsaEncryption');
    expect(publicKeyAlgorithmName('1.2.840.10045.2.1')).toBe('id-ecPublicKey');
    expect(publicKeyAlgorithmName('1.2.840.10040.4.1')).toBe('dsaEncryption');
  });
});

describe('epochToIso and fingerprintHex', () => {
  it('convert epoch seconds, dropping fractions', () => {
    expect(epochToIso('1334102677.000000')).toBe('2012-04-11T00:04:37Z');
    expect(epochToIso(1581741558.477939)).toBe('2020-02-15T04:39:18Z');
    expect(epochToIso('XXXXXXXXXX.XXXXXX')).toBeUndefined();
    expect(epochToIso('1e999')).toBeUndefined();
    expect(epochToIso(1e15)).toBeUndefined();
    expect(epochToIso(undefined)).toBeUndefined();
  });

  it('accept fingerprints of the right size with or without colons', () => {
    expect(fingerprintHex('84:E0:18:01:52:93:08:E0:BC:1C:DA:C8:B4:48:64:76:8A:61:56:32', 20)).toBe(
      '84e01801529308e0bc1cdac8b44864768a615632',
    );
    expect(fingerprintHex('ab'.repeat(32), 32)).toBe('ab'.repeat(32));
    expect(fingerprintHex('ab'.repeat(20), 32)).toBeUndefined();
    expect(fingerprintHex('zz'.repeat(32), 32)).toBeUndefined();
  });
});
