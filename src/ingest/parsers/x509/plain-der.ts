// A quick yes for the extension values nearly every certificate carries (policies, CRL
// distribution points, SCT lists, the CT poison): one DER value built only of kinds that both
// asn1js (oneAsn1Value, the full decoder's judge) and forge (x509-fast.ts) read without a
// question. Decoding those with both libraries was a third of a CT entry's parse. Anything
// outside that plain subset gets no answer here and goes to the libraries as before, so the
// verdicts are theirs: this only says yes where they would.

/** Longer values go to the libraries: below this asn1js cannot reach its node limit (10,000). */
const MAX_BYTES = 8192;
/** Deeper values go to the libraries (asn1js stops at 100). */
const MAX_DEPTH = 32;

const UNIVERSAL = 0;
const CONTEXT = 2;

/** Universal primitive types read as plain: asn1js and forge take any content of these as is. */
const PLAIN_PRIMITIVES = new Set([
  0x04, // OCTET STRING
  0x02, // INTEGER (non-empty)
  0x01, // BOOLEAN (one byte)
  0x05, // NULL (empty)
  0x06, // OBJECT IDENTIFIER (last arc finished)
  0x03, // BIT STRING (unused-bits byte 0–7)
  0x0c, // UTF8String (ASCII only)
  0x13, // PrintableString (ASCII only)
  0x16, // IA5String (ASCII only)
  0x1a, // VisibleString (ASCII only)
]);

function plainPrimitive(type: number, b: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  switch (type) {
    case 0x04:
      return true;
    case 0x02:
      return n >= 1;
    case 0x01:
      return n === 1;
    case 0x05:
      return n === 0;
    case 0x06:
      return n >= 1 && (b[end - 1]! & 0x80) === 0;
    case 0x03:
      return n >= 1 && b[start]! <= 7;
    default:
      for (let i = start; i < end; i++) if (b[i]! >= 0x80) return false;
      return true;
  }
}

/** The end of the plain DER value at `at` (within `end`), or -1 when it is not one. */
function plainValue(b: Uint8Array, at: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH || at + 2 > end) return -1;
  const tag = b[at]!;
  const cls = tag >> 6;
  const constructed = (tag & 0x20) !== 0;
  const type = tag & 0x1f;
  if (type === 0x1f) return -1;
  let length = b[at + 1]!;
  let start = at + 2;
  if (length === 0x81) {
    if (start >= end || b[start]! < 0x80) return -1;
    length = b[start]!;
    start += 1;
  } else if (length === 0x82) {
    if (start + 1 >= end || b[start]! === 0) return -1;
    length = (b[start]! << 8) | b[start + 1]!;
    start += 2;
  } else if (length >= 0x80) return -1;
  const stop = start + length;
  if (stop > end) return -1;
  if (cls === UNIVERSAL) {
    if (constructed !== (type === 0x10 || type === 0x11)) return -1;
    if (!constructed) return PLAIN_PRIMITIVES.has(type) && plainPrimitive(type, b, start, stop) ? stop : -1;
  } else if (cls !== CONTEXT) return -1;
  // forge reads number 30 as a BMPString (two bytes a character) whatever the class.
  else if (!constructed) return type === 0x1e ? -1 : stop;
  for (let p = start; p < stop; ) {
    p = plainValue(b, p, stop, depth + 1);
    if (p < 0) return -1;
  }
  return stop;
}

/**
 * True when `bytes` are exactly one DER value of the plain subset (definite, minimal lengths up
 * to two bytes; low tag numbers; universal SEQUENCE and SET constructed, the primitives above
 * primitive; context-specific tags either way). False means "ask the libraries", not "bad".
 */
export function isPlainDerValue(bytes: Uint8Array): boolean {
  return bytes.length <= MAX_BYTES && plainValue(bytes, 0, bytes.length, 0) === bytes.length;
}
