// A reader over bytes laid out in the TLS presentation language (RFC 8446 §3, as RFC 6962 and
// static-ct-api use it): big-endian integers of 1 to 8 bytes and vectors prefixed by their
// length in 1, 2 or 3 bytes. No npm package reads RFC 6962 structures (none in the registry
// mentions certificate transparency, rfc6962 or static-ct), and the format is this small.
//
// Every read is bounds-checked: running past the end throws TlsDecodeError naming what was being
// read, so a truncated or corrupt entry is rejected with a reason instead of being half-read.

export class TlsDecodeError extends Error {}

export class TlsReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) throw new TlsDecodeError(`${what}: needs ${n} bytes, ${this.remaining} left`);
  }

  /** An unsigned big-endian integer of `size` bytes (1 to 6: exact in a JS number). */
  uint(size: 1 | 2 | 3 | 5, what: string): number {
    this.need(size, what);
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + this.bytes[this.offset + i]!;
    this.offset += size;
    return v;
  }

  /** A uint64, refused above 2^53 (a CT timestamp in ms is far below it for millennia). */
  uint64(what: string): number {
    this.need(8, what);
    const hi = (this.bytes[this.offset]! * 2 ** 24 + this.bytes[this.offset + 1]! * 2 ** 16 + this.bytes[this.offset + 2]! * 2 ** 8 + this.bytes[this.offset + 3]!) >>> 0;
    const lo = (this.bytes[this.offset + 4]! * 2 ** 24 + this.bytes[this.offset + 5]! * 2 ** 16 + this.bytes[this.offset + 6]! * 2 ** 8 + this.bytes[this.offset + 7]!) >>> 0;
    if (hi >= 2 ** 21) throw new TlsDecodeError(`${what}: ${hi.toString(16)}${lo.toString(16).padStart(8, '0')} (hex) is beyond 2^53`);
    this.offset += 8;
    return hi * 2 ** 32 + lo;
  }

  /** `n` bytes, as a view (no copy). */
  fixed(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A vector `opaque x<0..2^(8·lengthBytes)-1>`: its length, then that many bytes. */
  vector(lengthBytes: 1 | 2 | 3, what: string): Uint8Array {
    const n = this.uint(lengthBytes, `${what} length`);
    return this.fixed(n, what);
  }

  /** Throws unless every byte was read (trailing data means the structure was not what we read). */
  end(what: string): void {
    if (this.remaining !== 0) throw new TlsDecodeError(`${what}: ${this.remaining} bytes of unexpected data after it`);
  }
}
