// isPlainDerValue may only say yes where both libraries it stands in for say yes: asn1js reads
// exactly one value (oneAsn1Value) and forge reads it strictly, as DER (x509-fast.ts).
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteBuffer, fromDer, type Asn1 } from './forge-asn1.js';
import { isPlainDerValue } from './plain-der.js';

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const head = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff];
  return Uint8Array.from([...head, ...content]);
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** DER-shaped values of plain and not-plain kinds alike: tags from every class and type. */
const values: fc.Arbitrary<Uint8Array> = fc.letrec<{ value: Uint8Array }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(fc.constantFrom(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x1a, 0x1e, 0x00, 0x80, 0x86, 0x40), fc.uint8Array({ maxLength: 140 })).map(([t, c]) => tlv(t, c)),
    fc.tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0xa3, 0x24, 0x60), fc.array(tie('value'), { maxLength: 4 })).map(([t, children]) => tlv(t, concat(children))),
  ),
})).value;

/** A value, or the value with a few bytes changed, cut or added: most are no longer plain. */
const inputs = fc.oneof(
  values,
  fc.tuple(values, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 })).map(([v, edits]) => {
    const b = Uint8Array.from(v);
    for (const [at, byte] of edits) b[at % b.length] = byte;
    return b;
  }),
  fc.tuple(values, fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([v, extra]) => concat([v, extra])),
  values.map((v) => v.subarray(0, Math.max(1, v.length - 1))),
);

function asn1jsReadsOne(bytes: Uint8Array): boolean {
  const copy = bytes.slice();
  const asn = asn1js.fromBER(copy.buffer);
  return asn.offset === bytes.length && asn.result.error === '';
}

function breaksDer(n: Asn1): boolean {
  if (n.tagClass === 0 && (n.type === 0 || n.constructed !== (n.type === 16 || n.type === 17))) return true;
  return Array.isArray(n.value) && n.value.some(breaksDer);
}

function forgeReadsStrictly(bytes: Uint8Array): boolean {
  try {
    return !breaksDer(fromDer(byteBuffer(bytes), { strict: true, decodeBitStrings: false, parseAllBytes: true }));
  } catch {
    return false;
  }
}

describe('isPlainDerValue', () => {
  it('says yes only where asn1js reads exactly one value and forge reads it as DER', () => {
    let plain = 0;
    fc.assert(
      fc.property(inputs, (bytes) => {
        if (!isPlainDerValue(bytes)) return;
        plain++;
        expect(asn1jsReadsOne(bytes)).toBe(true);
        expect(forgeReadsStrictly(bytes)).toBe(true);
      }),
      { numRuns: 5000, seed: 1412 },
    );
    // The property means nothing unless many inputs are plain.
    expect(plain).toBeGreaterThan(300);
  });

  it('reads the extension values certificates carry', () => {
    const oid = Uint8Array.from([0x06, 0x03, 0x55, 0x1d, 0x20]);
    // certificatePolicies with a CPS URI qualifier; CRL distribution point; an SCT list; CT poison.
    const policies = tlv(0x30, tlv(0x30, concat([oid, tlv(0x30, tlv(0x30, concat([oid, tlv(0x16, Buffer.from('http://cps.example/'))])))])));
    const crldp = tlv(0x30, tlv(0x30, tlv(0xa0, tlv(0xa0, tlv(0x86, Buffer.from('http://crl.example/r1.crl'))))));
    const scts = tlv(0x04, Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff));
    for (const v of [policies, crldp, scts, Uint8Array.from([0x05, 0x00])]) expect(isPlainDerValue(v)).toBe(true);
  });

  it('leaves to the libraries what is not plain', () => {
    const cases: [string, number[]][] = [
      ['indefinite length', [0x30, 0x80, 0x05, 0x00, 0x00, 0x00]],
      ['high tag number', [0x1f, 0x22, 0x00]],
      ['non-minimal length', [0x04, 0x81, 0x01, 0x00]],
      ['bytes after the value', [0x05, 0x00, 0x00]],
      ['an OID whose last arc is unfinished', [0x06, 0x02, 0x2a, 0x86]],
      ['a constructed OCTET STRING', [0x24, 0x03, 0x04, 0x01, 0x00]],
      ['universal tag 0', [0x00, 0x00]],
      ['a BIT STRING with 8 unused bits', [0x03, 0x02, 0x08, 0x00]],
      ['a UTF8String beyond ASCII', [0x0c, 0x02, 0xc3, 0xa9]],
      ['a child overrunning its parent', [0x30, 0x03, 0x04, 0x05, 0x00]],
      ['empty', []],
    ];
    for (const [why, bytes] of cases) expect(isPlainDerValue(Uint8Array.from(bytes)), why).toBe(false);
  });
});
