// A small MaxMind DB writer for tests: builds the databases (and the damaged ones) that the
// mmdb parser must enumerate or refuse, so its tests do not depend on the shared corpus. It
// follows the MaxMind DB spec (search tree, 16-byte separator, data section, metadata) for the
// types tests need, and lets a test splice in raw bytes (pointers, corrupt values) where it wants.
import ipaddr from 'ipaddr.js';

/** Raw encoded bytes placed as a value as they are. */
export class MmdbRaw {
  constructor(readonly bytes: Uint8Array) {}
}

export type MmdbValue = string | number | boolean | bigint | MmdbRaw | readonly MmdbValue[] | { readonly [key: string]: MmdbValue };

const MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');

function control(type: number, size: number): Buffer {
  let sizeBits: number;
  let extra: Buffer;
  if (size < 29) {
    sizeBits = size;
    extra = Buffer.alloc(0);
  } else if (size < 285) {
    sizeBits = 29;
    extra = Buffer.of(size - 29);
  } else if (size < 65821) {
    sizeBits = 30;
    extra = Buffer.alloc(2);
    extra.writeUInt16BE(size - 285);
  } else {
    sizeBits = 31;
    extra = Buffer.alloc(3);
    extra.writeUIntBE(size - 65821, 0, 3);
  }
  const head = type < 8 ? Buffer.of((type << 5) | sizeBits) : Buffer.of(sizeBits, type - 7);
  return Buffer.concat([head, extra]);
}

function unsigned(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return Buffer.from(bytes);
}

export function encodeValue(value: MmdbValue): Buffer {
  if (value instanceof MmdbRaw) return Buffer.from(value.bytes);
  if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, b.length), b]);
  }
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (typeof value === 'bigint') {
    const b = unsigned(value);
    return Buffer.concat([control(b.length > 8 ? 10 : 9, b.length), b]);
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) {
      const b = unsigned(BigInt(value));
      return Buffer.concat([control(6, b.length), b]);
    }
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value);
    return Buffer.concat([control(3, 8), b]);
  }
  if (Array.isArray(value)) {
    const items = value as readonly MmdbValue[];
    return Buffer.concat([control(11, items.length), ...items.map(encodeValue)]);
  }
  const entries = Object.entries(value as { readonly [key: string]: MmdbValue });
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)])]);
}

/** A pointer in its 4-byte form, so its length does not depend on where it points. */
export function pointer(offset: number): MmdbRaw {
  const b = Buffer.alloc(5);
  b[0] = 0x38;
  b.writeUInt32BE(offset, 1);
  return new MmdbRaw(b);
}

type Child = { readonly kind: 'empty' } | { readonly kind: 'data'; readonly value: MmdbValue } | { readonly kind: 'node'; readonly node: TrieNode };

interface TrieNode {
  children: [Child, Child];
}

const EMPTY: Child = { kind: 'empty' };

function bitAt(bytes: Uint8Array, bit: number): 0 | 1 {
  return ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) as 0 | 1;
}

/** Address bytes and prefix in the tree's bit space: IPv4 networks of an IPv6 tree sit under ::/96. */
function treeNetwork(text: string, ipVersion: 4 | 6): { bytes: Uint8Array; prefix: number } {
  const [addr, prefix] = ipaddr.parseCIDR(text);
  const bytes = Uint8Array.from(addr.toByteArray());
  if (addr.kind() === 'ipv4' && ipVersion === 6) {
    const v6 = new Uint8Array(16);
    v6.set(bytes, 12);
    return { bytes: v6, prefix: prefix + 96 };
  }
  if (addr.kind() === 'ipv6' && ipVersion === 4) throw new Error(`${text} does not fit an IPv4 tree`);
  return { bytes, prefix };
}

function nodeAt(root: TrieNode, bytes: Uint8Array, depth: number): TrieNode {
  let node = root;
  for (let bit = 0; bit < depth; bit++) {
    const side = bitAt(bytes, bit);
    const c = node.children[side];
    if (c.kind === 'node') node = c.node;
    else {
      // A shorter network already here is pushed down to both halves, as MaxMind writers do.
      const next: TrieNode = { children: [c, c] };
      node.children[side] = { kind: 'node', node: next };
      node = next;
    }
  }
  return node;
}

export interface MmdbSpec {
  readonly ipVersion: 4 | 6;
  readonly recordSize?: 24 | 28 | 32;
  /** CIDR → data record, inserted in order (later, more specific networks split earlier ones). */
  readonly networks: ReadonlyArray<readonly [string, MmdbValue]>;
  /** IPv6 networks made to point at the ::/96 IPv4 node, e.g. ::ffff:0:0/96 and 2002::/16. */
  readonly aliases?: readonly string[];
  readonly databaseType?: string;
  /** Metadata entries to add or replace. */
  readonly metadata?: { readonly [key: string]: MmdbValue };
  /** Raw metadata section bytes (after the marker) instead of the built map. */
  readonly rawMetadata?: Buffer;
}

export interface BuiltMmdb {
  readonly bytes: Buffer;
  readonly nodeCount: number;
  readonly recordSize: 24 | 28 | 32;
}

export function writeRecord(bytes: Buffer, recordSize: 24 | 28 | 32, node: number, right: boolean, value: number): void {
  const off = node * (recordSize / 4);
  if (recordSize === 24) bytes.writeUIntBE(value, right ? off + 3 : off, 3);
  else if (recordSize === 32) bytes.writeUInt32BE(value, right ? off + 4 : off);
  else {
    const low = value % 0x1000000;
    const high = Math.floor(value / 0x1000000) & 0x0f;
    bytes.writeUIntBE(low, right ? off + 4 : off, 3);
    const middle = bytes[off + 3]!;
    bytes[off + 3] = right ? (middle & 0xf0) | high : (middle & 0x0f) | (high << 4);
  }
}

export function readRecordAt(bytes: Buffer, recordSize: 24 | 28 | 32, node: number, right: boolean): number {
  const off = node * (recordSize / 4);
  if (recordSize === 24) return bytes.readUIntBE(right ? off + 3 : off, 3);
  if (recordSize === 32) return bytes.readUInt32BE(right ? off + 4 : off);
  const middle = bytes[off + 3]!;
  return right ? (middle & 0x0f) * 0x1000000 + bytes.readUIntBE(off + 4, 3) : (middle >> 4) * 0x1000000 + bytes.readUIntBE(off, 3);
}

export function buildMmdb(spec: MmdbSpec): BuiltMmdb {
  const recordSize = spec.recordSize ?? 28;
  const root: TrieNode = { children: [EMPTY, EMPTY] };
  for (const [text, value] of spec.networks) {
    const { bytes, prefix } = treeNetwork(text, spec.ipVersion);
    if (prefix === 0) throw new Error('a /0 network has no place in the tree');
    const parent = nodeAt(root, bytes, prefix - 1);
    parent.children[bitAt(bytes, prefix - 1)] = { kind: 'data', value };
  }
  if (spec.aliases && spec.aliases.length > 0) {
    const v4 = nodeAt(root, new Uint8Array(16), 96);
    for (const text of spec.aliases) {
      const { bytes, prefix } = treeNetwork(text, 6);
      const parent = nodeAt(root, bytes, prefix - 1);
      parent.children[bitAt(bytes, prefix - 1)] = { kind: 'node', node: v4 };
    }
  }

  // Number nodes in pre-order; an alias reuses the number of the node it points at.
  const numbers = new Map<TrieNode, number>();
  const order: TrieNode[] = [];
  const stack: TrieNode[] = [root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (numbers.has(n)) continue;
    numbers.set(n, order.length);
    order.push(n);
    for (const c of [n.children[1], n.children[0]]) if (c.kind === 'node' && !numbers.has(c.node)) stack.push(c.node);
  }
  const nodeCount = order.length;

  const dataParts: Buffer[] = [];
  const dataOffsets = new Map<MmdbValue, number>();
  let dataLength = 0;
  const recordOf = (c: Child): number => {
    if (c.kind === 'empty') return nodeCount;
    if (c.kind === 'node') return numbers.get(c.node)!;
    let offset = dataOffsets.get(c.value);
    if (offset === undefined) {
      const encoded = encodeValue(c.value);
      offset = dataLength;
      dataOffsets.set(c.value, offset);
      dataParts.push(encoded);
      dataLength += encoded.length;
    }
    return nodeCount + 16 + offset;
  };
  const tree = Buffer.alloc(nodeCount * (recordSize / 4));
  order.forEach((n, i) => {
    writeRecord(tree, recordSize, i, false, recordOf(n.children[0]));
    writeRecord(tree, recordSize, i, true, recordOf(n.children[1]));
  });

  const metadata =
    spec.rawMetadata ??
    encodeValue({
      binary_format_major_version: new MmdbRaw(Buffer.of(0xa1, 2)),
      binary_format_minor_version: new MmdbRaw(Buffer.of(0xa0)),
      build_epoch: 1_700_000_000n,
      database_type: spec.databaseType ?? 'Warren-Test-ASN',
      description: { en: 'Warren test database' },
      ip_version: new MmdbRaw(Buffer.of(0xa1, spec.ipVersion)),
      languages: ['en'],
      node_count: nodeCount,
      record_size: new MmdbRaw(Buffer.of(0xa1, recordSize)),
      ...spec.metadata,
    });
  const bytes = Buffer.concat([tree, Buffer.alloc(16), ...dataParts, MARKER, metadata]);
  return { bytes, nodeCount, recordSize };
}
