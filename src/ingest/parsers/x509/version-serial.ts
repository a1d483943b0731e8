// A certificate's version field and signed serial number, read once at ingest (and by the
// migration that fills them for certificates stored before), so presenters never decode DER.
import { byteBuffer, fromDer, type Asn1 } from './forge-asn1.js';

/** A DER INTEGER's content as a signed (two's complement) number. */
export function signedInteger(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const x of bytes) v = (v << 8n) | BigInt(x);
  if (bytes.length > 0 && bytes[0]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}

function integerBytes(n: Asn1 | undefined): Uint8Array | undefined {
  if (!n || n.tagClass !== 0 || n.type !== 2 || n.constructed || typeof n.value !== 'string' || n.value.length === 0) return undefined;
  return new Uint8Array(Buffer.from(n.value, 'latin1'));
}

/**
 * The version field (0 for v1, 2 for v3: the raw value, as PassiveTotal's `sslVersion` shows)
 * and the serial number in decimal, with its sign (the hex field `x509.serial_number` has lost
 * the sign a negative serial has); undefined when the DER does not parse that far.
 */
export function versionAndSerial(der: Uint8Array): { version: number; serial: string } | undefined {
  let root: Asn1;
  try {
    root = fromDer(byteBuffer(der), { strict: true, decodeBitStrings: false, parseAllBytes: false });
  } catch {
    return undefined;
  }
  const tbs = Array.isArray(root.value) ? root.value[0] : undefined;
  if (!tbs || !Array.isArray(tbs.value)) return undefined;
  let at = 0;
  let version = 0;
  const first = tbs.value[0];
  if (first && first.tagClass === 0x80 && first.type === 0 && Array.isArray(first.value)) {
    const v = integerBytes(first.value[0]);
    if (!v || v.length > 4) return undefined;
    version = Number(signedInteger(v));
    at = 1;
  }
  const serial = integerBytes(tbs.value[at]);
  return serial ? { version, serial: signedInteger(serial).toString(10) } : undefined;
}
