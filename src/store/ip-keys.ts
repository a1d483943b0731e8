// IP addresses as fixed-width hex keys: text that sorts like the numbers, in SQLite and
// PostgreSQL alike, so an IP → AS lookup is one index range scan.
import { ipBytes } from '../fields/ip.js';

export interface HexKey {
  readonly family: 4 | 6;
  readonly hex: string;
}

export function hexKey(ip: string): HexKey | undefined {
  const b = ipBytes(ip);
  if (!b) return undefined;
  return { family: b.family, hex: Buffer.from(b.bytes).toString('hex') };
}
