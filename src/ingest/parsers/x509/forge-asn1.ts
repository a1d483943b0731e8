// node-forge's ASN.1 decoder with the types its @types package lacks: the options form of
// fromDer (node-forge 1.x, lib/asn1.js) and tag class and number as the plain numbers they are
// on the wire.
import forge from 'node-forge';

export interface Asn1 {
  readonly tagClass: number;
  readonly type: number;
  readonly constructed: boolean;
  /** A primitive's content as a binary string, or a constructed value's children. */
  readonly value: string | Asn1[];
}

export interface FromDerOptions {
  readonly strict: boolean;
  readonly decodeBitStrings: boolean;
  readonly parseAllBytes: boolean;
}

export const fromDer = forge.asn1.fromDer as unknown as (bytes: forge.util.ByteBuffer, options: FromDerOptions) => Asn1;

// Exported by lib/asn1.js but not declared either.
export const getBerValueLength = (forge.asn1 as unknown as { getBerValueLength: (b: forge.util.ByteBuffer) => number | undefined }).getBerValueLength;

/** A forge byte buffer over bytes (forge works on binary strings). */
export function byteBuffer(bytes: Uint8Array): forge.util.ByteBuffer {
  return forge.util.createBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1'));
}
