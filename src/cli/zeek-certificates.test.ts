// Issue 12: the seed's second example on Zeek logs with Zeek's default configuration (no DER in
// x509.log). A signature on x509.subject.common_name tags the certificate and every IP that
// served it, whichever order x509.log and ssl.log come in, in one ingest or two; the certificate
// is counted, looked up with "der": false, and completed (one row) when its PEM arrives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-zeek-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = join(import.meta.dirname, '../ingest/parsers/fixtures/zeek');
const fixture = (name: string): string => join(FIXTURES, name);

/** SHA-256 of fixtures/zeek/lanxess-lab.pem, as `openssl x509 -fingerprint -sha256` gives it. */
const SHA256 = 'fbfb49153fa5411a801cc344be6deb862599b371b7fb7a7f6429a133b33d93cd';
const IPS = ['203.0.113.10', '2001:db8:feed::10'];

const BAD_CERT = `
id: known-bad-cert-lanxess-lab
title: Certificate common name used by a phishing kit
field: x509.subject.common_name
patterns: ['^www\\.lanxess-lab\\.com$']
actions:
  - tag: KnownBadCert
`;

interface View {
  id: string;
  der?: boolean;
  fields: Record<string, string[]>;
  tags: { name: string }[];
  related: { ips: string[] };
}

let dbs = 0;
async function withSignature(db: string): Promise<void> {
  const sig = join(dir, `sig-${dbs}.yaml`);
  writeFileSync(sig, BAD_CERT);
  const r = await runCli(['sig', 'import', sig, '--db', db]);
  expect(r.code, r.stderr).toBe(0);
}

async function view(db: string, entity: string): Promise<View> {
  const r = await runCli(['lookup', entity, '--json', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as View;
}

async function ingest(db: string, ...files: string[]): Promise<void> {
  const r = await runCli(['ingest', '--db', db, ...files.map(fixture)]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

const ORDERS: { name: string; ingests: string[][] }[] = [
  { name: 'TSV, x509.log then ssl.log in one ingest', ingests: [['x509.log', 'ssl.log']] },
  { name: 'TSV, ssl.log then x509.log in one ingest', ingests: [['ssl.log', 'x509.log']] },
  { name: 'TSV, ssl.log and later x509.log in separate ingests', ingests: [['ssl.log'], ['x509.log']] },
  { name: 'JSON (file ids), x509 then ssl in separate ingests', ingests: [['x509.json.log'], ['ssl.json.log']] },
  { name: 'JSON (file ids), ssl then x509 in separate ingests', ingests: [['ssl.json.log'], ['x509.json.log']] },
  { name: 'JSON (file ids), ssl then x509 in one ingest', ingests: [['ssl.json.log', 'x509.json.log']] },
];

function suite(label: string, newDb: () => Promise<string>): void {
  describe(`Zeek certificates without DER on ${label}`, () => {
    for (const order of ORDERS) {
      it(`${order.name}: the signature tags the certificate and both IPs; stats count it; lookup says der false`, async () => {
        const db = await newDb();
        await withSignature(db);
        for (const files of order.ingests) await ingest(db, ...files);
        const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout) as { certificates: number; served: number };
        expect(stats.certificates).toBe(1);
        expect(stats.served).toBe(2);
        const cert = await view(db, SHA256);
        expect(cert.der).toBe(false);
        expect(cert.fields['x509.subject.common_name']).toEqual(['www.lanxess-lab.com']);
        expect(cert.fields['x509.issuer.organization']).toEqual(['Lanxess Lab Ltd']);
        expect(cert.related.ips.sort()).toEqual([...IPS].sort());
        expect(cert.tags.map((t) => t.name)).toEqual(['KnownBadCert']);
        for (const ip of IPS) expect((await view(db, ip)).tags.map((t) => t.name), ip).toEqual(['KnownBadCert']);
      });
    }

    it('the PEM of the same certificate later completes it: one row, der true, relations kept', async () => {
      const db = await newDb();
      await ingest(db, 'ssl.log', 'x509.log');
      await ingest(db, 'lanxess-lab.pem');
      const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout) as { certificates: number };
      expect(stats.certificates).toBe(1);
      const cert = await view(db, SHA256);
      expect(cert.der).toBe(true);
      expect(cert.related.ips.sort()).toEqual([...IPS].sort());
      expect(cert.fields['x509.sha1']).toHaveLength(1);
      // x509.log again after the DER: nothing of the DER's is overwritten.
      await ingest(db, 'x509.log');
      expect((await view(db, SHA256)).der).toBe(true);
      const text = await runCli(['lookup', SHA256, '--db', db]);
      expect(text.stdout).not.toMatch(/no DER/);
    });

    it('known_certs.log ties the host to the certificate named by issuer and serial', async () => {
      const db = await newDb();
      await ingest(db, 'known_certs.log');
      expect((await view(db, '203.0.113.10')).related).toMatchObject({ certificates: [] });
      await ingest(db, 'x509.log');
      expect((await view(db, '203.0.113.10')).related).toMatchObject({ certificates: [SHA256] });
      const text = await runCli(['lookup', SHA256, '--db', db]);
      expect(text.stdout.split('\n')[0]).toBe(`certificate ${SHA256}  (fields only — no DER)`);
    });
  });
}

suite('SQLite', () => Promise.resolve(`sqlite:${join(dir, `zeek-${dbs++}.db`)}`));

const scratch: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of scratch) await s.drop();
});
const probe = await createTestDatabase();
if ('skip' in probe) describe.skip(`PostgreSQL (${probe.skip})`, () => undefined);
else {
  scratch.push(probe);
  let first = true;
  suite('PostgreSQL', async () => {
    if (first) {
      first = false;
      return probe.url;
    }
    const db = await createTestDatabase();
    if ('skip' in db) throw new Error(db.skip);
    scratch.push(db);
    return db.url;
  });
}
