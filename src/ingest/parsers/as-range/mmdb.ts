// MaxMind DB files (GeoLite2-ASN, GeoIP2-ISP, and any MaxMind-format database carrying AS
// numbers) enumerated into AS ranges.
//
// mmdb-lib answers lookups but cannot list a database's networks, so this walks the binary
// search tree itself (node layout from the MaxMind DB spec, read from the library's parsed
// metadata) and hands each data record to the library to decode, through its public lookup
// (`getWithPrefixLength` on the network's first address). The library trusts the file, so the
// walk checks what it relies on first: sizes against the buffer, every record's target, cycles,
// depth. A database that fails any check is refused as a whole with one error: a damaged tree
// cannot say which of its answers are still right.
import { Reader, type Response } from 'mmdb-lib';
import type { AsRangeRecord, Format, ParseOptions, ParseResult } from '../../records.js';
import { MAX_ASN, asRangeRecord, baseName, bytesText, parseAsn, prefixBounds } from './as-range.js';

const NAME = 'mmdb';

/** `\xAB\xCD\xEFMaxMind.com`: starts the metadata section at the end of every MaxMind DB. */
export const MMDB_METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');
const DATA_SECTION_SEPARATOR = 16;
/** libmaxminddb's limit; deeper data is how the bad-data corpus attacks recursive decoders. */
const MAX_DATA_DEPTH = 512;
/** Values the metadata may expand to; real metadata has a few dozen. */
const METADATA_VALUE_BUDGET = 100_000;

class CorruptDatabase extends Error {}

function corrupt(message: string): CorruptDatabase {
  return new CorruptDatabase(`corrupt MaxMind DB: ${message}`);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * mmdb-lib decodes the metadata without its cache, so pointers that fan out (a map of two
 * pointers to a map of two pointers to …) would expand exponentially and hang the reader. This
 * counts, without building anything, how many values that decoding would produce, following
 * pointers as the library does, and refuses before the library starts. Sizes only: values are
 * still decoded by the library.
 */
function checkMetadataExpansion(buf: Buffer, base: number): void {
  const expanded = new Map<number, number>();
  const active = new Set<number>();
  const need = (offset: number, bytes: number): void => {
    if (offset + bytes > buf.length) throw corrupt('the metadata runs past the end of the file');
  };
  const scan = (offset: number, depth: number): [end: number, values: number] => {
    if (depth > MAX_DATA_DEPTH) throw corrupt(`the metadata is nested deeper than ${MAX_DATA_DEPTH} levels`);
    need(offset, 1);
    const ctrl = buf.readUInt8(offset);
    let type = ctrl >> 5;
    let at = offset + 1;
    if (type === 1) {
      const size = (ctrl >> 3) & 3;
      need(at, size + 1);
      const target =
        base +
        (size === 0
          ? ((ctrl & 7) << 8) | buf.readUInt8(at)
          : size === 1
            ? (((ctrl & 7) << 16) | buf.readUInt16BE(at)) + 2048
            : size === 2
              ? ((ctrl & 7) * 0x1000000 + buf.readUIntBE(at, 3)) + 526336
              : buf.readUInt32BE(at));
      let values = expanded.get(target);
      if (values === undefined) {
        if (active.has(target)) throw corrupt('a pointer in the metadata leads back to itself');
        active.add(target);
        values = scan(target, depth + 1)[1];
        active.delete(target);
        expanded.set(target, values);
      }
      return [at + size + 1, values];
    }
    if (type === 0) {
      need(at, 1);
      type = buf.readUInt8(at) + 7;
      at++;
      if (type < 8) throw corrupt('the metadata holds an invalid extended type');
    }
    let size = ctrl & 0x1f;
    if (size === 29) {
      need(at, 1);
      size = 29 + buf.readUInt8(at);
      at += 1;
    } else if (size === 30) {
      need(at, 2);
      size = 285 + buf.readUInt16BE(at);
      at += 2;
    } else if (size === 31) {
      need(at, 3);
      size = 65821 + buf.readUIntBE(at, 3);
      at += 3;
    }
    if (type === 7 || type === 11) {
      const items = type === 7 ? size * 2 : size;
      let values = 1;
      for (let i = 0; i < items; i++) {
        const [end, v] = scan(at, depth + 1);
        at = end;
        values += v;
        if (values > METADATA_VALUE_BUDGET) throw corrupt('the metadata expands to an implausible size (pointer amplification)');
      }
      return [at, values];
    }
    if (type === 14) return [at, 1];
    if (type <= 1 || type === 12 || type === 13 || type > 15) throw corrupt(`the metadata holds an invalid data type (${type})`);
    need(at, size);
    return [at + size, 1];
  };
  scan(base, 0);
}

interface Tree {
  readonly buf: Buffer;
  readonly nodeCount: number;
  readonly recordSize: 24 | 28 | 32;
  readonly nodeBytes: number;
  readonly ipVersion: 4 | 6;
  readonly searchTreeSize: number;
  /** Where the metadata marker starts: the data section ends there. */
  readonly dataEnd: number;
  readonly databaseType: string;
}

function readRecord(t: Tree, node: number, right: boolean): number {
  const off = node * t.nodeBytes;
  switch (t.recordSize) {
    case 24:
      return t.buf.readUIntBE(right ? off + 3 : off, 3);
    case 28: {
      // The middle byte holds the top four bits of both records: high nibble left, low right.
      const middle = t.buf.readUInt8(off + 3);
      return right ? (middle & 0x0f) * 0x1000000 + t.buf.readUIntBE(off + 4, 3) : (middle >> 4) * 0x1000000 + t.buf.readUIntBE(off, 3);
    }
    case 32:
      return t.buf.readUInt32BE(right ? off + 4 : off);
  }
}

function openTree(buf: Buffer): { tree: Tree; reader: Reader<Response> } {
  const markerAt = buf.lastIndexOf(MMDB_METADATA_MARKER);
  if (markerAt < 0) throw new CorruptDatabase('not a MaxMind DB: the metadata marker (\\xAB\\xCD\\xEFMaxMind.com) is missing');
  checkMetadataExpansion(buf, markerAt + MMDB_METADATA_MARKER.length);
  // Shared decoded values keep pointer-heavy data linear: each pointed-to value is decoded once.
  const cache = new Map<string | number, unknown>();
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(buf, { cache: { get: (k: string | number) => cache.get(k), set: (k: string | number, v: unknown) => cache.set(k, v) } });
  } catch (e) {
    throw corrupt(`the metadata cannot be decoded (${messageOf(e)})`);
  }
  // The library's types describe well-formed metadata; these are whatever the file held.
  const m = reader.metadata as unknown as Record<string, unknown>;
  const { binaryFormatMajorVersion: major, nodeCount, recordSize, ipVersion, buildEpoch, databaseType } = m;
  if (major !== 2) throw corrupt(`binary_format_major_version is ${String(major)}, not 2`);
  if (typeof nodeCount !== 'number' || !Number.isSafeInteger(nodeCount) || nodeCount < 1) {
    throw corrupt(`node_count ${String(nodeCount)} is not a positive integer`);
  }
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) throw corrupt(`record_size ${String(recordSize)} is not 24, 28 or 32`);
  if (ipVersion !== 4 && ipVersion !== 6) throw corrupt(`ip_version ${String(ipVersion)} is not 4 or 6`);
  // Not needed for the ranges, but a build time no clock can hold means the metadata is garbage.
  if (!(buildEpoch instanceof Date) || Number.isNaN(buildEpoch.getTime())) throw corrupt('build_epoch is missing or out of range');
  const nodeBytes = recordSize / 4;
  const searchTreeSize = nodeCount * nodeBytes;
  if (searchTreeSize + DATA_SECTION_SEPARATOR > markerAt) {
    throw corrupt(`node_count ${nodeCount} needs a ${searchTreeSize}-byte search tree, but the file has ${markerAt} bytes before its metadata`);
  }
  const tree: Tree = {
    buf,
    nodeCount,
    recordSize,
    nodeBytes,
    ipVersion,
    searchTreeSize,
    dataEnd: markerAt,
    databaseType: typeof databaseType === 'string' ? databaseType : '',
  };
  return { tree, reader };
}

/**
 * The node where IPv4 lives in an IPv6 tree: 96 left turns from the root (::/96). MaxMind's
 * writers point ::ffff:0:0/96 (mapped), 2001::/32 (Teredo) and 2002::/16 (6to4) at this same
 * node, so reaching it anywhere else is an alias of IPv4, not more data.
 */
function ipv4StartNode(t: Tree): number | undefined {
  if (t.ipVersion !== 6) return undefined;
  const path = new Set<number>();
  let node = 0;
  for (let depth = 0; depth < 96 && node < t.nodeCount; depth++) {
    if (path.has(node)) throw corrupt(`search tree node ${node} is its own ancestor`);
    path.add(node);
    node = readRecord(t, node, false);
  }
  if (node >= t.nodeCount) return undefined;
  if (path.has(node)) throw corrupt(`search tree node ${node} is its own ancestor`);
  return node;
}

type Step =
  | { readonly kind: 'node'; readonly node: number; readonly depth: number; readonly addr: Uint8Array }
  | { readonly kind: 'data'; readonly record: number; readonly depth: number; readonly addr: Uint8Array };

/**
 * Every data record in address order with its network (`addr`/`depth` in the tree's own bit
 * space), skipping IPv4 aliases. Bounded: each node is expanded at most once (a node reached a
 * second time is a cycle, refused) and nothing descends past the address length.
 */
function walkTree(t: Tree, visit: (addr: Uint8Array, depth: number, record: number) => void): void {
  const bits = t.ipVersion === 6 ? 128 : 32;
  const ipv4Start = ipv4StartNode(t);
  const seen = new Uint8Array(Math.ceil(t.nodeCount / 8));
  const mark = (n: number): boolean => {
    const was = (seen[n >> 3]! >> (n & 7)) & 1;
    seen[n >> 3]! |= 1 << (n & 7);
    return was === 1;
  };
  mark(0);
  const stack: Step[] = [{ kind: 'node', node: 0, depth: 0, addr: new Uint8Array(bits / 8) }];
  const child = (record: number, depth: number, addr: Uint8Array): Step | undefined => {
    if (record === t.nodeCount) return undefined;
    if (record < t.nodeCount) {
      if (depth >= bits) throw corrupt(`the search tree goes deeper than ${bits} bits (node ${record})`);
      if (record === ipv4Start && !(depth === 96 && isZero(addr, 12))) return undefined;
      if (mark(record)) throw corrupt(`search tree node ${record} is reached twice (a cycle or shared subtree)`);
      return { kind: 'node', node: record, depth, addr };
    }
    // A data record counts from the end of the tree, separator included (spec: record -
    // node_count - 16 is the offset into the data section).
    if (record - t.nodeCount < DATA_SECTION_SEPARATOR) throw corrupt(`a search tree record (${record}) points into the data section separator`);
    if (record - t.nodeCount + t.searchTreeSize >= t.dataEnd) throw corrupt(`a search tree record (${record}) points past the data section`);
    return { kind: 'data', record, depth, addr };
  };
  for (let step = stack.pop(); step; step = stack.pop()) {
    if (step.kind === 'data') {
      visit(step.addr, step.depth, step.record);
      continue;
    }
    const { node, depth, addr } = step;
    const rightAddr = Uint8Array.from(addr);
    rightAddr[depth >> 3]! |= 1 << (7 - (depth & 7));
    // Right pushed first so the left (lower) half comes out first: records in address order.
    const right = child(readRecord(t, node, true), depth + 1, rightAddr);
    const left = child(readRecord(t, node, false), depth + 1, addr);
    if (right) stack.push(right);
    if (left) stack.push(left);
  }
}

function isZero(bytes: Uint8Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (bytes[i] !== 0) return false;
  return true;
}

function isMapped(bytes: Uint8Array): boolean {
  return isZero(bytes, 10) && bytes[10] === 0xff && bytes[11] === 0xff;
}

function dotted(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

function hexGroups(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/** How deep a decoded value nests; stops counting once past `limit`. Shared values counted once. */
function nestingDepth(value: unknown, limit: number, memo: WeakMap<object, number>, level = 0): number {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return 0;
  if (level > limit) return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  let deepest = 0;
  for (const c of Array.isArray(value) ? (value as unknown[]) : Object.values(value)) {
    deepest = Math.max(deepest, nestingDepth(c, limit, memo, level + 1));
    if (deepest > limit) break;
  }
  memo.set(value, deepest + 1);
  return deepest + 1;
}

interface AsInfo {
  readonly asn: number;
  readonly name: string | undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= MAX_ASN ? v : undefined;
  if (typeof v === 'bigint') return v >= 0n && v <= BigInt(MAX_ASN) ? Number(v) : undefined;
  // IPinfo databases write "AS13335".
  if (typeof v === 'string') return parseAsn(v.replace(/^AS/i, ''));
  return undefined;
}

function firstName(...candidates: unknown[]): string | undefined {
  for (const c of candidates) if (typeof c === 'string' && c.trim() !== '') return c.trim();
  return undefined;
}

/**
 * The AS of one data record. GeoLite2-ASN and GeoIP2-ISP keep it at the top level (the ISP
 * layout names the AS organisation, the ISP and the organisation; the AS organisation is the
 * `as.name`, the others stand in when it is missing); GeoIP2-Enterprise keeps the same keys under
 * `traits`; IPinfo databases use `asn` ("AS13335") and `as_name`. AS 0 means no AS.
 */
function asInfoOf(value: unknown): AsInfo | undefined {
  if (!isRecord(value)) return undefined;
  for (const r of [value, value['traits']]) {
    if (!isRecord(r)) continue;
    const maxmind = asNumber(r['autonomous_system_number']);
    if (maxmind !== undefined) {
      return maxmind === 0 ? undefined : { asn: maxmind, name: firstName(r['autonomous_system_organization'], r['isp'], r['organization']) };
    }
    const ipinfo = asNumber(r['asn']);
    if (ipinfo !== undefined) return ipinfo === 0 ? undefined : { asn: ipinfo, name: firstName(r['as_name']) };
  }
  return undefined;
}

const MAPPED_START = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0]);
const MAPPED_END = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const BEFORE_MAPPED = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff]);
const AFTER_MAPPED = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);

interface Piece {
  readonly first: Uint8Array;
  readonly last: Uint8Array;
  /** IPv4 found outside the ::/96 subtree, which may repeat what that subtree already gave. */
  readonly maybeRepeat?: boolean;
}

const ALL_V4: Piece = { first: Uint8Array.of(0, 0, 0, 0), last: Uint8Array.of(255, 255, 255, 255), maybeRepeat: true };

function leq(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return true;
}

/**
 * The ranges that one network of the tree stands for. An IPv4 tree's networks are IPv4. In an
 * IPv6 tree, ::/96 is where MaxMind keeps IPv4 and ::ffff:0:0/96 is IPv4-mapped space: both come
 * out as IPv4. A wider IPv6 network that covers either block also answers IPv4 lookups there, so
 * it yields the whole IPv4 range too, and the mapped block is cut out of its IPv6 part, whose
 * ends could otherwise not be written as IPv6.
 */
function networkRanges(ipVersion: 4 | 6, addr: Uint8Array, depth: number): Piece[] {
  if (ipVersion === 4) return [prefixBounds(addr, depth)];
  if (depth >= 96 && isZero(addr, 12)) return [prefixBounds(addr.subarray(12), depth - 96)];
  if (depth >= 96 && isMapped(addr)) {
    const { first, last } = prefixBounds(addr.subarray(12), depth - 96);
    return [{ first, last, maybeRepeat: true }];
  }
  const { first, last } = prefixBounds(addr, depth);
  const coversMapped = leq(first, MAPPED_START) && leq(MAPPED_END, last);
  if (!coversMapped && !isZero(first, 16)) return [{ first, last }];
  const out: Piece[] = [];
  if (coversMapped) {
    if (!leq(MAPPED_START, first)) out.push({ first, last: BEFORE_MAPPED });
    if (!leq(last, MAPPED_END)) out.push({ first: AFTER_MAPPED, last });
  } else out.push({ first, last });
  out.push(ALL_V4);
  return out;
}

export function parseMmdb(input: Buffer, options: ParseOptions = {}): ParseResult {
  const source = options.source ?? NAME;
  try {
    const { tree, reader } = openTree(input);
    const infos = new Map<number, AsInfo | null>();
    const depthMemo = new WeakMap<object, number>();
    const records: AsRangeRecord[] = [];
    // IPv4 ranges from outside the ::/96 subtree (an unaliased ::ffff:0:0/96, wide networks)
    // wait until the walk is done, then come out only where ::/96 gave nothing the same: each
    // IPv4 range once, and the subtree IPv4 lookups use wins. Aliased trees never get here.
    const later: AsRangeRecord[] = [];
    let sawAs = false;

    walkTree(tree, (addr, depth, record) => {
      let info = infos.get(record);
      if (info === undefined) {
        const inV4Subtree = tree.ipVersion === 6 && depth >= 96 && isZero(addr, 12);
        const query = tree.ipVersion === 4 ? dotted(addr) : inV4Subtree ? dotted(addr.subarray(12)) : hexGroups(addr);
        const expected = inV4Subtree ? depth - 96 : depth;
        let value: unknown;
        let prefix: number;
        try {
          [value, prefix] = reader.getWithPrefixLength(query);
        } catch (e) {
          throw corrupt(`the data record of ${query}/${expected} cannot be decoded (${messageOf(e)})`);
        }
        if (prefix !== expected) throw corrupt(`a lookup of ${query} ends at /${prefix}, but its network in the tree is /${expected}`);
        if (nestingDepth(value, MAX_DATA_DEPTH, depthMemo) > MAX_DATA_DEPTH) {
          throw corrupt(`the data record of ${query}/${expected} is nested deeper than ${MAX_DATA_DEPTH} levels`);
        }
        info = asInfoOf(value) ?? null;
        infos.set(record, info);
      }
      if (info === null) return;
      sawAs = true;
      for (const r of networkRanges(tree.ipVersion, addr, depth)) {
        const start = bytesText(r.first);
        const end = bytesText(r.last);
        if (start === undefined || end === undefined) throw corrupt(`network ${hexGroups(addr)}/${depth} has no text form`);
        (r.maybeRepeat ? later : records).push(asRangeRecord(start, end, info.asn, info.name, source));
      }
    });

    if (later.length > 0) {
      const given = new Set(records.map((r) => `${r.start}-${r.end}`));
      for (const r of later) {
        const key = `${r.start}-${r.end}`;
        if (given.has(key)) continue;
        given.add(key);
        records.push(r);
      }
    }

    if (!sawAs) {
      const type = tree.databaseType ? `"${tree.databaseType}" ` : '';
      return { records: [], errors: [{ line: 0, message: `MaxMind DB ${type}holds no autonomous system numbers: not an ASN or ISP database` }] };
    }
    return { records, errors: [] };
  } catch (e) {
    // Whatever went wrong, the file is refused whole, with one message: CorruptDatabase carries
    // a checked reason, anything else (a RangeError from a read the checks did not foresee, a
    // stack overflow in the library's recursive decoder) is still a damaged file, not a crash.
    const message = e instanceof CorruptDatabase ? e.message : `corrupt MaxMind DB: ${messageOf(e)}`;
    return { records: [], errors: [{ line: 0, message }] };
  }
}

export const mmdbFormat: Format = {
  name: NAME,
  sniff(head: Buffer, fileName?: string): number {
    // The marker sits near the end, so the head holds it only for a database under 64 KiB;
    // a larger one is known by its extension alone.
    if (head.includes(MMDB_METADATA_MARKER)) return 0.99;
    return baseName(fileName).endsWith('.mmdb') ? 0.6 : 0;
  },
  parse: parseMmdb,
};
