import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { Reader, type Response } from 'mmdb-lib';
import { describe, it, expect } from 'vitest';
import { ipBytes, parseNetwork } from '../../../fields/ip.js';
import type { ParseResult } from '../../records.js';
import { ipLocationDbFormat } from './ip-location-db.js';
import { iptoasnFormat } from './iptoasn.js';
import { MMDB_METADATA_MARKER, mmdbFormat, parseMmdb } from './mmdb.js';
import { pfx2asFormat } from './pfx2as.js';
import { asRanges, rangeProblem, summary, toBigInt } from './test-support/as-range-checks.js';
import { MmdbRaw, buildMmdb, encodeValue, pointer, readRecordAt, writeRecord, type MmdbSpec, type MmdbValue } from './test-support/mmdb-writer.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const corpus = join(import.meta.dirname, '../../../../../shared/data/asn');
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));

const CLOUDFLARE = { autonomous_system_number: 13335, autonomous_system_organization: 'Cloudflare, Inc.' };
const GOOGLE = { autonomous_system_number: 15169, autonomous_system_organization: 'Google LLC' };

/** A refusal: no records, exactly one error, on line 0. */
function refusal(r: ParseResult): string {
  expect(r.records).toEqual([]);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]?.line).toBe(0);
  return r.errors[0]?.message ?? '';
}

/** Either a clean result of valid records or a refusal; never both, never a throw. */
function expectWellFormed(r: ParseResult): void {
  if (r.errors.length > 0) {
    refusal(r);
    return;
  }
  expect(r.records.map(rangeProblem).filter((p) => p !== undefined)).toEqual([]);
}

function timed(bytes: Buffer): { result: ParseResult; ms: number } {
  const t0 = performance.now();
  const result = parseMmdb(bytes, {});
  return { result, ms: performance.now() - t0 };
}

/** The specs the two .mmdb fixtures were written from (see the first test). */
const TINY_ASN: MmdbSpec = {
  ipVersion: 6,
  recordSize: 28,
  databaseType: 'Warren-Tiny-ASN',
  aliases: ['::ffff:0:0/96', '2002::/16'],
  networks: [
    ['1.0.0.0/24', CLOUDFLARE],
    ['1.1.1.0/24', CLOUDFLARE],
    ['8.8.8.0/24', GOOGLE],
    ['10.0.0.0/8', { note: 'private, no AS' }],
    ['12.81.96.0/19', { autonomous_system_number: 7018 }],
    ['2606:4700::/32', CLOUDFLARE],
    ['2001:db8::/32', { autonomous_system_number: 64496, autonomous_system_organization: 'Documentation AS' }],
  ],
};
const TINY_ISP: MmdbSpec = {
  ipVersion: 4,
  recordSize: 24,
  databaseType: 'Warren-Tiny-ISP',
  networks: [
    ['1.128.0.0/11', { autonomous_system_number: 1221, autonomous_system_organization: 'Telstra Pty Ltd', isp: 'Telstra Internet', organization: 'Telstra Internet' }],
    ['4.0.0.0/8', { isp: 'Level 3 Communications', organization: 'Level 3 Communications' }],
    ['5.145.96.0/20', { autonomous_system_number: 12345, isp: 'Finecom' }],
    ['5.146.0.0/16', { autonomous_system_number: 23456, organization: 'Only An Organisation' }],
    ['203.0.113.0/24', { autonomous_system_number: 0, isp: 'AS zero' }],
  ],
};

const tiny = (extra: Partial<MmdbSpec> = {}): Buffer =>
  buildMmdb({ ipVersion: 6, networks: [['1.0.0.0/24', CLOUDFLARE], ['2606:4700::/32', CLOUDFLARE]], ...extra }).bytes;

describe('mmdb: enumeration', () => {
  it('has fixtures that are what the test writer builds from their specs', () => {
    // To change a fixture: change its spec, then write buildMmdb(spec).bytes over the file.
    expect(buildMmdb(TINY_ASN).bytes.equals(fixture('tiny-asn.mmdb'))).toBe(true);
    expect(buildMmdb(TINY_ISP).bytes.equals(fixture('tiny-isp-v4.mmdb'))).toBe(true);
  });

  it('lists every AS network of the GeoLite2-ASN-style fixture once, IPv4 as IPv4', () => {
    const bytes = fixture('tiny-asn.mmdb');
    const r = parseMmdb(bytes, { fileName: 'tiny-asn.mmdb' });
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual([
      '1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.',
      '1.1.1.0-1.1.1.255 13335 Cloudflare, Inc.',
      '8.8.8.0-8.8.8.255 15169 Google LLC',
      '12.81.96.0-12.81.127.255 7018',
      '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff 64496 Documentation AS',
      '2606:4700::-2606:4700:ffff:ffff:ffff:ffff:ffff:ffff 13335 Cloudflare, Inc.',
    ]);
    expect(asRanges(r)[0]).toEqual({ kind: 'as-range', start: '1.0.0.0', end: '1.0.0.255', asn: 13335, name: 'Cloudflare, Inc.', source: 'mmdb' });
    // The fixture really aliases IPv4 at ::ffff:0:0/96 and 2002::/16: the library answers there,
    // and still nothing above came out twice or as IPv6.
    const reader = new Reader<Response>(bytes);
    expect(reader.get('::ffff:1.0.0.1')).toEqual(CLOUDFLARE);
    expect(reader.get('2002:101:101::')).toEqual(CLOUDFLARE);
  });

  it('skips every alias of the IPv4 subtree, Teredo included', () => {
    const bytes = buildMmdb({ ipVersion: 6, aliases: ['::ffff:0:0/96', '2001::/32', '2002::/16'], networks: [['1.0.0.0/24', CLOUDFLARE], ['2001:db8::/32', GOOGLE]] }).bytes;
    const reader = new Reader<Response>(bytes);
    expect(reader.get('2001:0:100:1::')).toEqual(CLOUDFLARE);
    const r = parseMmdb(bytes, {});
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.', '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff 15169 Google LLC']);
  });

  it('names ISP-layout ranges by AS organisation, then ISP, then organisation', () => {
    const r = parseMmdb(fixture('tiny-isp-v4.mmdb'), { source: 'geoip2-isp' });
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual([
      '1.128.0.0-1.159.255.255 1221 Telstra Pty Ltd',
      '5.145.96.0-5.145.111.255 12345 Finecom',
      '5.146.0.0-5.146.255.255 23456 Only An Organisation',
    ]);
    expect(asRanges(r).every((x) => x.source === 'geoip2-isp')).toBe(true);
  });

  it('reads all three record sizes alike, IPv4 and IPv6 trees', () => {
    const networks: MmdbSpec['networks'] = [
      ['1.0.0.0/24', CLOUDFLARE],
      ['8.8.8.0/24', GOOGLE],
      ['128.0.0.0/1', { autonomous_system_number: 64512 }],
    ];
    const expected = ['1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.', '8.8.8.0-8.8.8.255 15169 Google LLC', '128.0.0.0-255.255.255.255 64512'];
    for (const recordSize of [24, 28, 32] as const) {
      for (const ipVersion of [4, 6] as const) {
        const r = parseMmdb(buildMmdb({ ipVersion, recordSize, networks }).bytes, {});
        expect(r.errors, `${ipVersion}/${recordSize}`).toEqual([]);
        expect(summary(r), `${ipVersion}/${recordSize}`).toEqual(expected);
      }
    }
  });

  it('finds the AS under traits (GeoIP2-Enterprise) and in IPinfo layout', () => {
    const r = parseMmdb(
      buildMmdb({
        ipVersion: 6,
        networks: [
          ['1.0.0.0/24', { city: { names: { en: 'X' } }, traits: { autonomous_system_number: 13335, autonomous_system_organization: 'Cloudflare' } }],
          ['8.8.8.0/24', { asn: 'AS15169', as_name: 'Google LLC', as_domain: 'google.com' }],
          ['9.9.9.0/24', { asn: 'not an AS' }],
        ],
      }).bytes,
      {},
    );
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare', '8.8.8.0-8.8.8.255 15169 Google LLC']);
  });

  it('accepts an AS number stored as uint64 and ignores AS 0', () => {
    const r = parseMmdb(
      buildMmdb({
        ipVersion: 4,
        networks: [
          ['1.0.0.0/24', { autonomous_system_number: 13335n }],
          ['2.0.0.0/24', { autonomous_system_number: 0 }],
          ['3.0.0.0/24', { autonomous_system_number: 1n << 40n }],
        ],
      }).bytes,
      {},
    );
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335']);
  });

  it('reads an unaliased ::ffff:0:0/96 subtree as IPv4, once next to the ::/96 copy', () => {
    const r = parseMmdb(
      buildMmdb({
        ipVersion: 6,
        networks: [
          ['1.0.0.0/24', CLOUDFLARE],
          ['::ffff:1.0.0.0/120', CLOUDFLARE],
          ['::ffff:9.9.9.0/120', { autonomous_system_number: 19281 }],
          ['2002:101:100::/40', { autonomous_system_number: 64999 }],
        ],
      }).bytes,
      {},
    );
    expect(r.errors).toEqual([]);
    // 2002::/16 holding its own data (not an alias) is real IPv6 space and stays IPv6.
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.', '2002:101:100::-2002:101:1ff:ffff:ffff:ffff:ffff:ffff 64999', '9.9.9.0-9.9.9.255 19281']);
  });

  it('splits a wide IPv6 network around the IPv4-mapped block and gives IPv4 its share', () => {
    const r = parseMmdb(buildMmdb({ ipVersion: 6, networks: [['::/64', { autonomous_system_number: 64500 }]] }).bytes, {});
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual([
      '::-::fffe:ffff:ffff 64500',
      '::1:0:0:0-::ffff:ffff:ffff:ffff 64500',
      '0.0.0.0-255.255.255.255 64500',
    ]);
    for (const x of asRanges(r)) expect(rangeProblem(x)).toBeUndefined();
  });

  it('passes over networks without an AS without complaint', () => {
    const r = parseMmdb(buildMmdb({ ipVersion: 4, networks: [['1.0.0.0/24', CLOUDFLARE], ['10.0.0.0/8', { isp: 'x' }], ['11.0.0.0/8', 'a string']] }).bytes, {});
    expect(r.errors).toEqual([]);
    expect(summary(r)).toEqual(['1.0.0.0-1.0.0.255 13335 Cloudflare, Inc.']);
  });

  it('keeps pointer-heavy data linear (each pointed-to value decoded once)', () => {
    // 40 levels of "array of two pointers to the next level": 2^40 values if expanded naively.
    const levels = 40;
    const chain: Buffer[] = [];
    const base = encodeValue({ autonomous_system_number: 64500, x: pointer(0) }).length;
    for (let i = 0; i < levels; i++) {
      const next = base + (i + 1) * 12;
      chain.push(i === levels - 1 ? encodeValue('end') : encodeValue([pointer(next), pointer(next)]));
    }
    const record = new MmdbRaw(Buffer.concat([encodeValue({ autonomous_system_number: 64500, x: pointer(base) }), ...chain]));
    const { result, ms } = timed(buildMmdb({ ipVersion: 4, networks: [['1.0.0.0/24', record]] }).bytes);
    expect(result.errors).toEqual([]);
    expect(summary(result)).toEqual(['1.0.0.0-1.0.0.255 64500']);
    expect(ms).toBeLessThan(2000);
  });
});

describe('mmdb: refusals', () => {
  it('refuses a file without the metadata marker', () => {
    expect(refusal(parseMmdb(Buffer.from('hello'), {}))).toMatch(/not a MaxMind DB/);
    expect(refusal(parseMmdb(Buffer.alloc(0), {}))).toMatch(/not a MaxMind DB/);
  });

  it('refuses a database with no AS data at all', () => {
    const bytes = buildMmdb({ ipVersion: 6, databaseType: 'GeoIP2-City', networks: [['1.0.0.0/24', { city: 'X' }]] }).bytes;
    expect(refusal(parseMmdb(bytes, {}))).toMatch(/"GeoIP2-City" holds no autonomous system numbers/);
  });

  it('refuses a search tree with a cycle', () => {
    const built = buildMmdb({ ipVersion: 4, recordSize: 24, networks: [['1.0.0.0/24', CLOUDFLARE], ['200.0.0.0/8', GOOGLE]] });
    const bytes = Buffer.from(built.bytes);
    writeRecord(bytes, 24, built.nodeCount - 1, false, 0);
    expect(refusal(parseMmdb(bytes, {}))).toMatch(/reached twice/);
  });

  it('refuses records pointing into the separator or past the data', () => {
    for (const recordSize of [24, 28, 32] as const) {
      const built = buildMmdb({ ipVersion: 4, recordSize, networks: [['1.0.0.0/24', CLOUDFLARE]] });
      const into = Buffer.from(built.bytes);
      writeRecord(into, recordSize, 0, true, built.nodeCount + 5);
      expect(refusal(parseMmdb(into, {}))).toMatch(/separator/);
      const past = Buffer.from(built.bytes);
      writeRecord(past, recordSize, 0, true, built.nodeCount + 16 + 100_000);
      expect(refusal(parseMmdb(past, {}))).toMatch(/past the data section/);
    }
  });

  it('reads the high nibble of 28-bit records, left and right', () => {
    for (const right of [false, true]) {
      const built = buildMmdb({ ipVersion: 4, recordSize: 28, networks: [['1.0.0.0/24', CLOUDFLARE], ['200.0.0.0/8', GOOGLE]] });
      const bytes = Buffer.from(built.bytes);
      const value = readRecordAt(bytes, 28, 0, right);
      // The same low 24 bits with a high nibble set: a far-away record, not the original one.
      writeRecord(bytes, 28, 0, right, value + 0x3000000);
      expect(readRecordAt(bytes, 28, 0, right)).toBe(value + 0x3000000);
      expect(refusal(parseMmdb(bytes, {}))).toMatch(/past the data section|reached twice|deeper/);
    }
  });

  it('refuses a tree deeper than the address length', () => {
    const built = buildMmdb({ ipVersion: 4, recordSize: 24, networks: [['1.2.3.4/32', CLOUDFLARE], ['200.2.3.4/32', GOOGLE]] });
    const bytes = Buffer.from(built.bytes);
    // Find the node whose left record holds 1.2.3.4/32 and make that record a node pointer.
    let patched = false;
    for (let n = 0; n < built.nodeCount && !patched; n++) {
      const left = readRecordAt(bytes, 24, n, false);
      if (left > built.nodeCount) {
        writeRecord(bytes, 24, n, false, built.nodeCount - 1);
        patched = true;
      }
    }
    expect(patched).toBe(true);
    expect(refusal(parseMmdb(bytes, {}))).toMatch(/deeper than 32 bits|reached twice/);
  });

  it('refuses impossible metadata', () => {
    const cases: [Partial<MmdbSpec>, RegExp][] = [
      [{ metadata: { node_count: 1_000_000 } }, /node_count 1000000 needs/],
      [{ metadata: { node_count: 0 } }, /node_count 0/],
      [{ metadata: { record_size: 27 } }, /record size|record_size/i],
      [{ metadata: { ip_version: 5 } }, /ip_version 5/],
      [{ metadata: { binary_format_major_version: 3 } }, /binary_format_major_version is 3/],
      [{ metadata: { build_epoch: (1n << 64n) - 1n } }, /build_epoch/],
      [{ rawMetadata: Buffer.from([0xe9]) }, /metadata/],
      [{ rawMetadata: Buffer.alloc(0) }, /metadata/],
      [{ rawMetadata: encodeValue('just a string') }, /metadata|node_count|record/i],
    ];
    for (const [spec, message] of cases) expect(refusal(parseMmdb(tiny(spec), {}))).toMatch(message);
  });

  it('refuses metadata whose pointers would expand exponentially, quickly', () => {
    // The main map ends with "x": a pointer to level 0; level i is an array of two pointers to
    // level i+1. The library decodes metadata without a cache: 2^40 values if not stopped.
    const main = encodeValue({
      binary_format_major_version: new MmdbRaw(Buffer.of(0xa1, 2)),
      build_epoch: 1n,
      database_type: 'T',
      ip_version: new MmdbRaw(Buffer.of(0xa1, 4)),
      node_count: 1,
      record_size: new MmdbRaw(Buffer.of(0xa1, 24)),
      x: pointer(0),
    });
    const levels: Buffer[] = [];
    for (let i = 0; i < 40; i++) levels.push(encodeValue([pointer(main.length + (i + 1) * 12), pointer(main.length + (i + 1) * 12)]));
    levels.push(encodeValue('end'));
    const head = Buffer.from(main);
    head.writeUInt32BE(main.length, main.length - 4);
    const { result, ms } = timed(buildMmdb({ ipVersion: 4, networks: [['1.0.0.0/24', CLOUDFLARE]], rawMetadata: Buffer.concat([head, ...levels]) }).bytes);
    expect(refusal(result)).toMatch(/implausible size/);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses data that points at itself or nests too deep, and undecodable data', () => {
    const self = new MmdbRaw(pointer(0).bytes);
    expect(refusal(parseMmdb(buildMmdb({ ipVersion: 4, networks: [['1.0.0.0/24', self]] }).bytes, {}))).toMatch(/cannot be decoded/);
    let deep: MmdbValue = { autonomous_system_number: 1 };
    for (let i = 0; i < 600; i++) deep = { a: deep };
    expect(refusal(parseMmdb(buildMmdb({ ipVersion: 4, networks: [['1.0.0.0/24', deep]] }).bytes, {}))).toMatch(/nested deeper than 512/);
    const unknownType = new MmdbRaw(Buffer.of(0x00, 0x06)); // extended type 13: end marker, not a value
    expect(refusal(parseMmdb(buildMmdb({ ipVersion: 4, networks: [['1.0.0.0/24', unknownType]] }).bytes, {}))).toMatch(/cannot be decoded/);
  });

  it('refuses a truncated database', () => {
    const bytes = fixture('tiny-asn.mmdb');
    for (const cut of [1, 100, bytes.length - 10, bytes.length - 300]) {
      const r = parseMmdb(bytes.subarray(0, cut), {});
      refusal(r);
    }
  });
});

describe('mmdb: sniff', () => {
  it('is sure when the head holds the metadata marker', () => {
    expect(mmdbFormat.sniff(fixture('tiny-asn.mmdb'))).toBeGreaterThanOrEqual(0.95);
    expect(mmdbFormat.sniff(Buffer.concat([Buffer.alloc(100), MMDB_METADATA_MARKER]), 'x.bin')).toBeGreaterThanOrEqual(0.95);
  });

  it('goes by the extension for a large database whose head is only search tree', () => {
    const head = Buffer.alloc(64 * 1024, 7);
    expect(mmdbFormat.sniff(head, '/var/lib/GeoIP/GeoLite2-ASN.mmdb')).toBe(0.6);
    expect(mmdbFormat.sniff(head, 'GeoLite2-ASN.mmdb.gz')).toBe(0.6);
    expect(mmdbFormat.sniff(head, 'data.bin')).toBe(0);
  });

  it('does not claim the text tables, nor they it', () => {
    for (const name of ['ip2asn-v4.tsv', 'asn-ipv4.csv', 'routeviews-rv2-20240101-1200.pfx2as', 'conn.log']) {
      expect(mmdbFormat.sniff(fixture(name), name), name).toBe(0);
    }
    const head = fixture('tiny-asn.mmdb');
    for (const f of [iptoasnFormat, ipLocationDbFormat, pfx2asFormat]) expect(f.sniff(head, 'tiny-asn.mmdb'), f.name).toBe(0);
  });
});

describe('mmdb: fuzz', () => {
  it('never throws on random bytes, with or without a marker', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tree, meta, withMarker) => {
        const bytes = Buffer.concat([tree, withMarker ? MMDB_METADATA_MARKER : Buffer.alloc(0), meta]);
        expectWellFormed(parseMmdb(bytes, {}));
        const s = mmdbFormat.sniff(bytes);
        expect(s >= 0 && s <= 1).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, hangs or half-reads a damaged copy of a valid database', () => {
    const original = fixture('tiny-asn.mmdb');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = Buffer.from(original);
        for (const [at, value] of edits) bytes[at] = value;
        const { result, ms } = timed(bytes);
        expectWellFormed(result);
        expect(ms).toBeLessThan(2000);
      }),
      { numRuns: 400 },
    );
  });
});

// ——— the shared corpus (skipped when /work/shared/data is absent) ———

const maxmind = join(corpus, 'maxmind');

interface Expected {
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
  readonly family: 4 | 6;
  /** Undefined for a network without an AS: it still overrides the wider networks around it. */
  readonly asn: number | undefined;
  readonly name: string | undefined;
  readonly network: string;
}

/** Every network of a MaxMind source-data JSON, as ranges in our families. */
function sourceNetworks(file: string): Expected[] {
  const json = JSON.parse(readFileSync(join(maxmind, 'source-data', file), 'utf8')) as Record<string, Record<string, unknown>>[];
  const out: Expected[] = [];
  for (const entry of json) {
    for (const [network, data] of Object.entries(entry)) {
      const p = parseNetwork(network);
      if (!p.ok) throw new Error(p.reason);
      let { bytes, prefix } = p.network;
      let family = p.network.family;
      // The source writes IPv4 networks of the IPv6 tree as ::a.b.c.d/n.
      if (family === 6 && prefix >= 96 && bytes.subarray(0, 12).every((b) => b === 0)) {
        bytes = bytes.subarray(12);
        prefix -= 96;
        family = 4;
      }
      const bits = family === 4 ? 32 : 128;
      const first = toBigInt(bytes);
      const last = first | ((1n << BigInt(bits - prefix)) - 1n);
      const pick = (k: string): string | undefined => {
        const v = data[k];
        return typeof v === 'string' ? v : undefined;
      };
      const asnValue = data['autonomous_system_number'];
      const asn = typeof asnValue === 'number' ? asnValue : undefined;
      const name = asn === undefined ? undefined : (pick('autonomous_system_organization') ?? pick('isp') ?? pick('organization'));
      out.push({ first, last, prefix, family, asn, name, network });
    }
  }
  return out;
}

/**
 * Lookup equivalence with the source: at the first and last address of every source network,
 * and of every record, the record holding the address (if any) carries exactly the AS of the
 * most specific source network there. The writer merges neighbours with identical data
 * (12.84.0.0/15 and 12.86.0.0/16 become 12.84.0.0/14) and a more specific network splits a
 * wider one (23.32.32.1/32 inside 23.32.0.0/11), so records need not equal source networks.
 */
function checkAgainstSource(result: ParseResult, source: Expected[]): void {
  const ranges = asRanges(result).map((r) => {
    const s = ipBytes(r.start)!;
    return { ...r, family: s.family, first: toBigInt(s.bytes), last: toBigInt(ipBytes(r.end)!.bytes) };
  });
  const authority = (family: 4 | 6, at: bigint): Expected | undefined => {
    let best: Expected | undefined;
    for (const e of source) if (e.family === family && e.first <= at && at <= e.last && (!best || e.prefix > best.prefix)) best = e;
    return best;
  };
  const problems: string[] = [];
  const probe = (family: 4 | 6, at: bigint, what: string): void => {
    const want = authority(family, at);
    const got = ranges.filter((r) => r.family === family && r.first <= at && at <= r.last);
    if (got.length > 1) problems.push(`${what}: ${got.length} records`);
    const r = got[0];
    if (want?.asn === undefined) {
      if (r) problems.push(`${what}: record ${r.start}-${r.end} where the source has no AS`);
    } else if (!r || r.asn !== want.asn || r.name !== want.name) {
      problems.push(`${what}: want ${want.asn} ${String(want.name)} from ${want.network}, got ${r ? `${r.asn} ${String(r.name)}` : 'nothing'}`);
    }
  };
  for (const e of source) {
    probe(e.family, e.first, `${e.network} first`);
    probe(e.family, e.last, `${e.network} last`);
  }
  for (const r of ranges) {
    probe(r.family, r.first, `record ${r.start}`);
    probe(r.family, r.last, `record ${r.end}`);
  }
  expect(problems).toEqual([]);
}

function mmdbFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...mmdbFiles(path));
    else if (entry.name.endsWith('.mmdb')) out.push(path);
  }
  return out.sort();
}

describe.skipIf(!existsSync(maxmind))('mmdb corpus', () => {
  it('GeoLite2-ASN-Test: every AS network of the source data, right number and name', () => {
    const bytes = readFileSync(join(maxmind, 'test-data/GeoLite2-ASN-Test.mmdb'));
    expect(mmdbFormat.sniff(bytes.subarray(0, 64 * 1024), 'GeoLite2-ASN-Test.mmdb')).toBeGreaterThanOrEqual(0.95);
    const r = parseMmdb(bytes, {});
    expect(r.errors).toEqual([]);
    const expected = sourceNetworks('GeoLite2-ASN-Test.json');
    expect(expected.filter((e) => e.asn !== undefined)).toHaveLength(720);
    expect(r.records).toHaveLength(412);
    expect(asRanges(r).filter((x) => !x.start.includes(':'))).toHaveLength(182);
    checkAgainstSource(r, expected);
  });

  it('GeoIP2-ISP-Test: every AS network, named by AS organisation, ISP or organisation', () => {
    const r = parseMmdb(readFileSync(join(maxmind, 'test-data/GeoIP2-ISP-Test.mmdb')), {});
    expect(r.errors).toEqual([]);
    const expected = sourceNetworks('GeoIP2-ISP-Test.json');
    expect(expected.filter((e) => e.asn !== undefined)).toHaveLength(719);
    expect(r.records).toHaveLength(739);
    checkAgainstSource(r, expected);
  });

  it('GeoIP2-Enterprise-Test: AS numbers under traits', () => {
    const r = parseMmdb(readFileSync(join(maxmind, 'test-data/GeoIP2-Enterprise-Test.mmdb')), {});
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(16);
    expect(r.records.map(rangeProblem).filter((p) => p !== undefined)).toEqual([]);
  });

  it('refuses every corrupt database of bad-data/ with one error, quickly', () => {
    const files = mmdbFiles(join(maxmind, 'bad-data'));
    expect(files.length).toBeGreaterThanOrEqual(21);
    for (const file of files) {
      const { result, ms } = timed(readFileSync(file));
      const message = refusal(result);
      expect(message, relative(maxmind, file)).toMatch(/MaxMind DB/);
      expect(ms, relative(maxmind, file)).toBeLessThan(2000);
    }
  });

  it('reads or cleanly refuses every test database; refuses the deliberately broken ones', () => {
    for (const file of mmdbFiles(join(maxmind, 'test-data'))) {
      const r = parseMmdb(readFileSync(file), {});
      expectWellFormed(r);
    }
    for (const [name, message] of [
      ['GeoIP2-City-Test-Invalid-Node-Count.mmdb', /node_count 100000 needs/],
      ['MaxMind-DB-test-broken-pointers-24.mmdb', /cannot be decoded/],
      ['MaxMind-DB-test-broken-search-tree-24.mmdb', /reached twice/],
      ['GeoIP2-City-Test.mmdb', /holds no autonomous system numbers/],
    ] as const) {
      expect(refusal(parseMmdb(readFileSync(join(maxmind, 'test-data', name)), {})), name).toMatch(message);
    }
  });
});
