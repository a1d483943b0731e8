// `warren ingest`, `stats` and `lookup` end to end, on SQLite and (when reachable) PostgreSQL.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-ingest-'));
const data = join(import.meta.dirname, '../../../shared/data');
let n = 0;
function file(name: string, content: string | Buffer): string {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, content);
  return p;
}

const COF = [
  { rrname: 'evil.example.', rrtype: 'A', rdata: '192.0.2.10', time_first: 1577836800, time_last: 1580515200, count: 5 },
  { rrname: 'evil.example', rrtype: 'AAAA', rdata: ['2001:db8::10'], time_first: 1577836800, time_last: 1577836800, count: 1 },
  { rrname: 'www.evil.example', rrtype: 'CNAME', rdata: 'evil.example.', time_first: 1577836800, time_last: 1577836800, count: 2 },
]
  .map((o) => JSON.stringify(o))
  .join('\n');

const WARREN_JSONL = [
  { kind: 'as-range', network: '192.0.2.0/24', asn: 64500, name: 'EXAMPLE-NET', source: 'test' },
  { kind: 'served', sha256: 'c'.repeat(64), ip: '192.0.2.10', port: 443, first_seen: '2021-01-01T00:00:00Z' },
]
  .map((o) => JSON.stringify(o))
  .join('\n');

interface Summary {
  read: number;
  stored: Record<string, number>;
  rejected: number;
}

function suite(label: string, db: string): void {
  describe(`warren ingest on ${label}`, () => {
    it('detects formats, reads gzip, stores, and prints a JSON summary', async () => {
      const r = await runCli(['ingest', '--db', db, '--json', file('pdns.ndjson.gz', gzipSync(COF)), file('relations.jsonl', WARREN_JSONL)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout) as Summary;
      // cli.md's keys, plus what signatures did to the stored records (none here: no signatures).
      expect(s).toEqual({ read: 5, stored: { resolution: 3, 'as-range': 1, served: 1 }, rejected: 0, actions: { tags: 0, classifications: 0, notifications: 0 } });
    });

    it('leaves the store unchanged when the same input is ingested again', async () => {
      const before = (await runCli(['stats', '--db', db, '--json'])).stdout;
      await runCli(['ingest', '--db', db, file('again.ndjson', COF)]);
      await runCli(['ingest', '--db', db, file('again.jsonl', WARREN_JSONL)]);
      const after = (await runCli(['stats', '--db', db, '--json'])).stdout;
      expect(JSON.parse(after)).toEqual(JSON.parse(before));
      expect(JSON.parse(after)).toMatchObject({ domains: 2, ips: 2, resolutions: 3, served: 1, as_ranges: 1 });
    });

    it('looks up a domain and an IP with their fields and relations', async () => {
      const d = JSON.parse((await runCli(['lookup', '--db', db, '--json', 'EVIL.example.'])).stdout) as {
        kind: string;
        id: string;
        fields: Record<string, string[]>;
        related: { ips: string[]; domains: string[] };
        tags: unknown[];
        classification: unknown;
      };
      expect(d).toMatchObject({ kind: 'domain', id: 'evil.example', tags: [], classification: null });
      expect(d.fields['domain.registered']).toEqual(['evil.example']);
      expect(d.related.ips.sort()).toEqual(['192.0.2.10', '2001:db8::10']);
      expect(d.related.domains).toEqual(['www.evil.example']);
      const ip = JSON.parse((await runCli(['lookup', '--db', db, '--json', '192.0.2.10'])).stdout) as { fields: Record<string, string[]>; related: { domains: string[]; certificates: string[] } };
      expect(ip.fields).toEqual({ ip: ['192.0.2.10'], network: ['192.0.2.0/24'], 'as.number': ['64500'], 'as.name': ['EXAMPLE-NET'] });
      expect(ip.related.domains).toEqual(['evil.example']);
      expect(ip.related.certificates).toEqual(['c'.repeat(64)]);
    });

    it('reports bad records with input and line, stores the good ones, writes --rejects, exits 1', async () => {
      const input = file('mixed.ndjson', `${COF.split('\n')[0]}\nnot json\n{"rrname": "ok.example", "rrtype": "A", "rdata": "999.1.1.1", "time_first": 1, "time_last": 2}\n`);
      const rejects = join(dir, 'rejects.txt');
      const r = await runCli(['ingest', '--db', db, '--format', 'cof', '--rejects', rejects, '--json', input]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`${input}:2: `));
      expect(r.stderr).toMatch(new RegExp(`${input}:3: `));
      expect(readFileSync(rejects, 'utf8').trim().split('\n')).toHaveLength(2);
      expect((JSON.parse(r.stdout) as Summary).stored).toEqual({ resolution: 1 });
    });

    it('refuses unreadable inputs and unknown formats cleanly', async () => {
      const missing = await runCli(['ingest', '--db', db, join(dir, 'missing.ndjson')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('cannot read');
      const unknown = await runCli(['ingest', '--db', db, '--format', 'nope', file('x.txt', 'hello')]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('unknown format "nope"');
      const undetectable = await runCli(['ingest', '--db', db, file('x.bin', Buffer.from([1, 2, 3, 4]))]);
      expect(undetectable.code).toBe(1);
      expect(undetectable.stderr).toContain('--format');
    });

    it('looks up 32.240.185.39 in 32.0.0.0/8 → AS2686 past 32.10.0.0/18 → AS8030 and many more specific prefixes (issue 12)', async () => {
      const more = Array.from({ length: 300 }, (_, i) => `32.${100 + (i >> 8)}.${i & 255}.0\t24\t${64_000 + i}`);
      const table = file('routeviews-rv2-20250101-1200.pfx2as', `32.0.0.0\t8\t2686\n32.10.0.0\t18\t8030\n${more.join('\n')}\n`);
      const r = await runCli(['ingest', '--db', db, '--json', table]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ stored: { 'as-range': 302 }, rejected: 0 });
      const ip = JSON.parse((await runCli(['lookup', '--db', db, '--json', '32.240.185.39'])).stdout) as { fields: Record<string, string[]> };
      expect(ip.fields).toEqual({ ip: ['32.240.185.39'], network: ['32.0.0.0/8'], 'as.number': ['2686'] });
      const inner = JSON.parse((await runCli(['lookup', '--db', db, '--json', '32.10.63.1'])).stdout) as { fields: Record<string, string[]> };
      expect(inner.fields).toMatchObject({ network: ['32.10.0.0/18'], 'as.number': ['8030'] });
    });
  });
}

const sqliteDb = `sqlite:${join(dir, 'warren.db')}`;
suite('SQLite', sqliteDb);

const pg = await createTestDatabase();
if ('skip' in pg) {
  describe.skip(`warren ingest on PostgreSQL (${pg.skip})`, () => undefined);
} else {
  afterAll(() => pg.drop());
  suite('PostgreSQL', pg.url);
}

const invalidCerts = join(data, 'certs/google-ct-go/x509/testdata/invalid');
const BROKEN_EKU = `
id: broken-eku
title: Certificates with a malformed extended key usage
field: x509.problems
patterns: ['^extension 2\\.5\\.29\\.37 ']
actions:
  - tag: BrokenEKU
`;

describe.skipIf(!existsSync(invalidCerts))('malformed certificates', () => {
  it('are each stored with their problems as x509.problems, shown in lookups and matched by signatures', async () => {
    const db = `sqlite:${join(dir, 'malformed.db')}`;
    const imp = await runCli(['sig', 'import', '--db', db, file('broken-eku.yaml', BROKEN_EKU)]);
    expect(imp.code, imp.stderr).toBe(0);
    const files = readdirSync(invalidCerts).map((f) => join(invalidCerts, f));
    const r = await runCli(['ingest', '--db', db, '--format', 'pem', '--json', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary & { actions: { tags: number } };
    expect(summary).toMatchObject({ read: files.length, stored: { certificate: files.length }, rejected: 0 });
    // Two of the ten break the extended key usage extension.
    expect(summary.actions.tags).toBe(2);
    expect(JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout)).toMatchObject({ certificates: files.length });
    const pem = readFileSync(join(invalidCerts, 'xf-ext-extended-key-usage-empty.pem'), 'utf8');
    const sha256 = new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
    const view = JSON.parse((await runCli(['lookup', '--db', db, '--json', sha256])).stdout) as { fields: Record<string, string[]>; tags: { name: string }[] };
    expect(view.fields['x509.problems']).toEqual(['extension 2.5.29.37 (extendedKeyUsage): empty value']);
    expect(view.fields['x509.subject.common_name']).toEqual(['*.google.com']);
    expect(view.tags.map((t) => t.name)).toEqual(['BrokenEKU']);
  });

  it('are rejected with a clear reason, never a stack trace, only when they are not certificates', async () => {
    const corrupted = join(data, 'certs/google-ct/test/testdata/test-corrupted.pem');
    const r = await runCli(['ingest', '--db', sqliteDb, '--format', 'pem', '--json', corrupted]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(r.stderr).toContain(`${corrupted}:1: not a valid certificate: `);
  });
});

const badMmdb = join(data, 'asn/maxmind/bad-data');
describe.skipIf(!existsSync(badMmdb))('corrupt MaxMind databases', () => {
  it('are each refused cleanly', async () => {
    const files = readdirSync(badMmdb, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    const r = await runCli(['ingest', '--db', sqliteDb, '--format', 'mmdb', '--json', ...files]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(r.stderr).not.toContain('internal error');
    for (const f of files) expect(r.stderr).toContain(f);
  });
});
