// IP and network text forms: one parser for values, CIDR patterns and the prefix trie.
import ipaddr from 'ipaddr.js';

export interface Network {
  readonly family: 4 | 6;
  /** Address bytes (4 or 16), host bits cleared when `hostBitsSet` is false. */
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

function toAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const t = text.trim();
  // ipaddr.js also accepts legacy forms such as "10.1" or "0x0a.0.0.1"; analysts' data means the
  // four-part dotted quad, so only that is taken for IPv4.
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t);
  if (t.includes(':') && ipaddr.IPv6.isValid(t)) {
    const v6 = ipaddr.IPv6.parse(t);
    // An IPv4-mapped IPv6 address names an IPv4 host: one canonical form for both.
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  return undefined;
}

/** Canonical text of an IP (dotted quad; RFC 5952 compressed lower-case IPv6), or undefined. */
export function canonicalIp(text: string): string | undefined {
  const a = toAddress(text);
  if (!a) return undefined;
  return a.kind() === 'ipv4' ? a.toString() : (a as ipaddr.IPv6).toRFC5952String();
}

/** Address bytes of an IP text, or undefined. */
export function ipBytes(text: string): { family: 4 | 6; bytes: Uint8Array } | undefined {
  const quad = fastDottedQuad(text);
  if (quad) return { family: 4, bytes: quad };
  const a = toAddress(text);
  if (!a) return undefined;
  return { family: a.kind() === 'ipv4' ? 4 : 6, bytes: Uint8Array.from(a.toByteArray()) };
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * The matcher parses every IP value it sees; this accepts exactly the strict dotted quads that
 * ipaddr.js's four-part-decimal check accepts, about ten times faster. Anything else takes the
 * general path.
 */
function fastDottedQuad(text: string): Uint8Array | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  const parts = text.split('.');
  return Uint8Array.of(Number(parts[0]), Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

export type NetworkParse =
  | { readonly ok: true; readonly network: Network }
  | { readonly ok: false; readonly reason: string };

/**
 * Parse `addr/len` (or a bare address, read as a single-host network). Host bits must be clear:
 * `10.0.0.1/8` is refused because the analyst almost certainly meant something else.
 */
export function parseNetwork(text: string): NetworkParse {
  const quad = fastDottedQuad(text);
  if (quad) return { ok: true, network: { family: 4, bytes: quad, prefix: 32 } };
  const t = text.trim();
  const slash = t.indexOf('/');
  const addrText = slash < 0 ? t : t.slice(0, slash);
  const a = toAddress(addrText);
  if (!a) return { ok: false, reason: `"${text}" is not a network: "${addrText}" is not an IP address` };
  const family: 4 | 6 = a.kind() === 'ipv4' ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const lenText = t.slice(slash + 1);
    // The length counts bits of the address as written: a mapped address is 128 bits long.
    const writtenBits = addrText.includes(':') ? 128 : 32;
    if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > writtenBits) {
      return { ok: false, reason: `"${text}" is not a network: prefix length must be 0 to ${writtenBits}` };
    }
    prefix = Number(lenText);
    // A mapped IPv6 network (::ffff:1.2.3.0/120) becomes the IPv4 network it names.
    if (family === 4 && addrText.includes(':')) {
      if (prefix < 96) return { ok: false, reason: `"${text}" is not a network: IPv4-mapped prefix shorter than /96` };
      prefix -= 96;
    }
  }
  const bytes = Uint8Array.from(a.toByteArray());
  for (let bit = prefix; bit < bits; bit++) {
    if ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) {
      const base = networkText({ family, bytes: maskBytes(bytes, prefix), prefix });
      return { ok: false, reason: `"${text}" is not a network: host bits are set (did you mean ${base}?)` };
    }
  }
  return { ok: true, network: { family, bytes, prefix } };
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let bit = prefix; bit < out.length * 8; bit++) out[bit >> 3]! &= ~(1 << (7 - (bit & 7)));
  return out;
}

export function networkText(n: Network): string {
  const addr = ipaddr.fromByteArray([...n.bytes]);
  const text = addr.kind() === 'ipv4' ? addr.toString() : (addr as ipaddr.IPv6).toRFC5952String();
  return `${text}/${n.prefix}`;
}

/** Canonical CIDR text of a network value; a bare IP becomes a host network. */
export function canonicalNetwork(text: string): string | undefined {
  const p = parseNetwork(text);
  return p.ok ? networkText(p.network) : undefined;
}

/** Does network `outer` contain network (or host) `inner`? Same family only. */
export function networkContains(outer: Network, inner: Network): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const mask = 1 << (7 - (bit & 7));
    if ((outer.bytes[bit >> 3]! & mask) !== (inner.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}

function bytesToBig(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bigToBytes(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 255n);
    v >>= 8n;
  }
  return out;
}

/** First and last address of a CIDR network text (a bare IP is a host network), as integers. */
export function networkBounds(text: string): { family: 4 | 6; first: bigint; last: bigint } | undefined {
  const p = parseNetwork(text);
  if (!p.ok) return undefined;
  const bits = p.network.family === 4 ? 32 : 128;
  const first = bytesToBig(p.network.bytes);
  return { family: p.network.family, first, last: first + (1n << BigInt(bits - p.network.prefix)) - 1n };
}

/** An IP as an integer of its family's width. */
export function ipInteger(text: string): { family: 4 | 6; value: bigint } | undefined {
  const b = ipBytes(text);
  return b ? { family: b.family, value: bytesToBig(b.bytes) } : undefined;
}

/**
 * The fewest CIDR networks that cover exactly `start`–`end` (canonical CIDR texts, in address
 * order), or undefined when the two are not a range of one family. At most 2 × W networks.
 */
export function rangeToCidrs(start: string, end: string): string[] | undefined {
  const s = ipInteger(start);
  const e = ipInteger(end);
  if (!s || !e || s.family !== e.family || s.value > e.value) return undefined;
  const bits = s.family === 4 ? 32 : 128;
  const out: string[] = [];
  let cur = s.value;
  while (cur <= e.value) {
    // The largest aligned block starting at `cur` that ends by `end`.
    let host = 0;
    while (host < bits) {
      const size = 1n << BigInt(host + 1);
      if (cur % size !== 0n || cur + size - 1n > e.value) break;
      host++;
    }
    out.push(networkText({ family: s.family, bytes: bigToBytes(cur, bits / 8), prefix: bits - host }));
    cur += 1n << BigInt(host);
  }
  return out;
}
