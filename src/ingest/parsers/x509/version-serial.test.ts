import { describe, expect, it } from 'vitest';
import { signedInteger, versionAndSerial } from './version-serial.js';

describe('versionAndSerial (read at ingest, for the PassiveTotal certificate shape)', () => {
  it('reads the version and a signed serial from the DER, whatever its size', () => {
    // SEQUENCE { SEQUENCE { [0] { INTEGER 2 }, INTEGER serial, … } }: only the start is read.
    const der = (serial: number[]): Uint8Array => {
      const tbs = [0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, serial.length, ...serial, 0x05, 0x00];
      return new Uint8Array([0x30, tbs.length + 2, 0x30, tbs.length, ...tbs]);
    };
    expect(versionAndSerial(der([0xff, 0x01]))).toEqual({ version: 2, serial: '-255' });
    expect(versionAndSerial(der([0x00, 0x80]))).toEqual({ version: 2, serial: '128' });
    expect(versionAndSerial(der([0x80]))).toEqual({ version: 2, serial: '-128' });
    const big = [0x7f, ...new Array<number>(30).fill(0xff)];
    expect(versionAndSerial(der(big))?.serial).toBe(((1n << 247n) - 1n).toString());
    expect(versionAndSerial(new Uint8Array([0x30, 0x05, 0x30]))).toBeUndefined();
    expect(signedInteger(new Uint8Array([0xff, 0xd5]))).toBe(-43n);
  });
});
