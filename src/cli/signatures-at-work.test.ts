// Signatures at work, end to end through the CLI, on SQLite and (when reachable) PostgreSQL:
// the three seed scenarios, idempotent re-ingest, withdrawal, manual classification, preview,
// history, and two organisations that never see each other's work.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCertificate } from '../ingest/parsers/x509/test-support/x509-certs.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-sigs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(name: string, content: string): string {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, content);
  return p;
}

const REGISTRANT = `
id: malicious-registrant-46313
title: Registrant email of a known intrusion set
field: whois.registrant.email
match: literal
patterns: ['46313@qq.com']
actions:
  - tag: Malicious_Registrant
  - classify: malicious
`;

const BAD_CERT = `
id: known-bad-cert-lanxess-lab
title: Certificate common name used by a phishing kit
field: x509.subject.common_name
patterns: ['^www\\.lanxess-lab\\.com$']
actions:
  - tag: KnownBadCert
  - classify: suspicious
`;

const BRAND = `
id: brand-passivetotal
title: Any new domain containing our brand
field: domain
patterns: ['passivetotal']
exclude: ['(^|\\.)passivetotal\\.org$']
actions:
  - tag: Brand_PassiveTotal
  - alert: {severity: high}
`;

function whois(domain: string, email: string): string {
  return [
    `Domain Name: ${domain.toUpperCase()}`,
    'Registrar: Example Registrar, Inc.',
    'Creation Date: 2024-03-01T00:00:00Z',
    `Registrant Email: ${email}`,
    `Name Server: NS1.${domain.toUpperCase()}`,
    '',
  ].join('\n');
}

function zeekTsv(path: string, fields: string[], rows: string[][]): string {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${path}`,
    `#fields\t${fields.join('\t')}`,
    `#types\t${fields.map(() => 'string').join('\t')}`,
    ...rows.map((r) => r.join('\t')),
    '',
  ].join('\n');
}

function cof(rows: [string, string][]): string {
  return rows.map(([rrname, ip]) => JSON.stringify({ rrname, rrtype: 'A', rdata: ip, time_first: 1704067200, time_last: 1704067200, count: 1 })).join('\n') + '\n';
}

interface Tag {
  name: string;
  source: string;
  signature?: string;
  field?: string;
  value?: string;
}
interface View {
  tags: Tag[];
  known: boolean;
  classification: { value: string; source: string } | null;
}
interface Note {
  id: string;
  signature: string;
  entity: string;
  headline: string;
  read: boolean;
}

function suite(label: string, getDb: () => string): void {
  describe(label, () => {
    const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => runCli([...args, '--db', getDb()]);
    const view = async (entity: string, org = 'default'): Promise<View> => {
      const r = await cli('lookup', entity, '--json', '--org', org);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as View;
    };
    const notes = async (org = 'default', ...extra: string[]): Promise<Note[]> => {
      const r = await cli('notifications', '--json', '--org', org, ...extra);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Note[];
    };
    const tagNames = (v: View): string[] => v.tags.map((t) => t.name);

    it('registrant email → Malicious_Registrant on every domain it registered, on ingest and by retro-hunt', async () => {
      // One domain stored before the signature exists (retro-hunt), one after (ingest).
      expect((await cli('ingest', '--format', 'whois', '--domain', 'first-bad.com', file('a.txt', whois('first-bad.com', '46313@qq.com')))).code).toBe(0);
      expect((await cli('ingest', '--format', 'whois', '--domain', 'benign.com', file('b.txt', whois('benign.com', 'noc@benign.com')))).code).toBe(0);
      const imp = await cli('sig', 'import', file('registrant.yaml', REGISTRANT));
      expect(imp.code, imp.stderr).toBe(0);
      expect(imp.stdout).toMatch(/1 new/);
      expect((await cli('ingest', '--format', 'whois', '--domain', 'second-bad.net', file('c.txt', whois('second-bad.net', '46313@QQ.com')))).code).toBe(0);

      // The provenance keeps the value as the data wrote it.
      for (const [d, value] of [['first-bad.com', '46313@qq.com'], ['second-bad.net', '46313@QQ.com']] as const) {
        const v = await view(d);
        expect(v.tags).toEqual([
          expect.objectContaining({ name: 'Malicious_Registrant', source: 'signature', signature: 'malicious-registrant-46313', field: 'whois.registrant.email', value }),
        ]);
        expect(v.classification).toEqual({ value: 'malicious', source: 'signature', signature: 'malicious-registrant-46313' });
      }
      expect(tagNames(await view('benign.com'))).toEqual([]);
    });

    it('certificate CN → KnownBadCert on the certificate and every IP that served it, from Zeek logs', async () => {
      const der = await makeCertificate({ name: [{ CN: ['www.lanxess-lab.com'] }], san: [{ type: 'dns', value: 'www.lanxess-lab.com' }] });
      const other = await makeCertificate({ name: [{ CN: ['www.example.org'] }], serialNumber: '0a0b0c' });
      const sha = (d: Uint8Array): string => createHash('sha256').update(d).digest('hex');
      const x509 = zeekTsv(
        'x509',
        ['ts', 'fingerprint', 'certificate.subject', 'cert'],
        [
          ['1704067200.0', sha(der), 'CN=www.lanxess-lab.com', Buffer.from(der).toString('base64')],
          ['1704067200.0', sha(other), 'CN=www.example.org', Buffer.from(other).toString('base64')],
        ],
      );
      const ssl = zeekTsv(
        'ssl',
        ['ts', 'id.resp_h', 'id.resp_p', 'server_name', 'cert_chain_fps'],
        [
          ['1704067200.0', '198.51.100.7', '443', 'www.lanxess-lab.com', sha(der)],
          ['1704067300.0', '198.51.100.8', '8443', '-', sha(der)],
          ['1704067300.0', '198.51.100.9', '443', 'www.example.org', sha(other)],
        ],
      );
      // The signature first, then the data: evaluation on ingest.
      expect((await cli('sig', 'import', file('cert.yaml', BAD_CERT))).code).toBe(0);
      expect((await cli('ingest', file('x509.log', x509), file('ssl.log', ssl))).code).toBe(0);
      expect(tagNames(await view(sha(der)))).toEqual(['KnownBadCert']);
      expect(tagNames(await view('198.51.100.7'))).toEqual(['KnownBadCert']);
      expect(tagNames(await view('198.51.100.8'))).toEqual(['KnownBadCert']);
      expect(tagNames(await view('198.51.100.9'))).toEqual([]);
      expect(tagNames(await view(sha(other)))).toEqual([]);
      // A new server for the same certificate is reached through the new relation.
      const later = zeekTsv('ssl', ['ts', 'id.resp_h', 'id.resp_p', 'cert_chain_fps'], [['1704070000.0', '203.0.113.50', '443', sha(der)]]);
      expect((await cli('ingest', file('ssl2.log', later))).code).toBe(0);
      const ipView = await view('203.0.113.50');
      expect(ipView.tags).toEqual([expect.objectContaining({ name: 'KnownBadCert', field: 'x509.subject.common_name', value: 'www.lanxess-lab.com' })]);
      expect(ipView.classification).toEqual(expect.objectContaining({ value: 'suspicious' }));
    });

    it('brand keyword → one notification per new matching domain, none again on re-ingest', async () => {
      expect((await cli('sig', 'import', file('brand.yaml', BRAND))).code).toBe(0);
      const pdns = file(
        'pdns.json',
        cof([
          ['login-passivetotal.example.com', '192.0.2.1'],
          ['passivetotal-support.net', '192.0.2.2'],
          ['api.passivetotal.org', '192.0.2.3'],
          ['example.com', '192.0.2.4'],
        ]),
      );
      expect((await cli('ingest', pdns)).code).toBe(0);
      const first = await notes();
      const brand = first.filter((x) => x.signature === 'brand-passivetotal');
      expect(brand.map((x) => x.entity).sort()).toEqual(['login-passivetotal.example.com', 'passivetotal-support.net']);
      expect(brand.find((x) => x.entity === 'login-passivetotal.example.com')!.headline).toBe(
        'Signature brand-passivetotal matched domain login-passivetotal.example.com on field domain',
      );
      // Re-ingesting, and viewing, create nothing new.
      expect((await cli('ingest', pdns)).code).toBe(0);
      await view('login-passivetotal.example.com');
      expect(await notes()).toHaveLength(first.length);
      // Viewing a name Warren holds nothing about says so, and neither tags it nor raises an alert
      // (issue 13: no alerts on a bare name); once something is known of it, a view tags it.
      const unknown = await view('passivetotal-login.example');
      expect(unknown.known).toBe(false);
      expect(tagNames(unknown)).toEqual([]);
      expect(await notes()).toHaveLength(first.length);
      expect((await cli('ingest', file('seen.json', cof([['passivetotal-login.example', '192.0.2.9']])))).code).toBe(0);
      expect(tagNames(await view('passivetotal-login.example'))).toEqual(['Brand_PassiveTotal']);
      expect((await notes()).length).toBe(first.length + 1);
      // Read / unread, filters and the summary.
      const id = brand[0]!.id;
      expect((await cli('notifications', 'read', id)).stdout).toMatch(/1 marked read/);
      expect((await notes('default', '--unread')).some((x) => x.id === id)).toBe(false);
      const summary = JSON.parse((await cli('notifications', 'summary', '--json')).stdout) as { unread: number; unreadBySignature: Record<string, number> };
      expect(summary.unreadBySignature['brand-passivetotal']).toBe(2);
      expect((await cli('notifications', 'unread', id)).code).toBe(0);
      expect((await notes('default', '--unread', '--signature', 'brand-passivetotal')).length).toBe(3);
    });

    it('disabling withdraws automatic tags; a manual classification survives every signature; notifications stay', async () => {
      expect((await cli('classify', 'first-bad.com', 'non-malicious')).code).toBe(0);
      expect((await cli('tag', 'first-bad.com', 'Reviewed')).code).toBe(0);
      let v = await view('first-bad.com');
      expect(v.classification).toEqual({ value: 'non-malicious', source: 'manual' });
      expect(tagNames(v).sort()).toEqual(['Malicious_Registrant', 'Reviewed']);

      const before = (await notes()).length;
      const off = await cli('sig', 'disable', 'brand-passivetotal');
      expect(off.code, off.stderr).toBe(0);
      expect(tagNames(await view('login-passivetotal.example.com'))).toEqual([]);
      expect((await notes()).length).toBe(before);

      expect((await cli('sig', 'disable', 'malicious-registrant-46313')).code).toBe(0);
      v = await view('first-bad.com');
      expect(tagNames(v)).toEqual(['Reviewed']);
      expect(v.classification).toEqual({ value: 'non-malicious', source: 'manual' });
      expect(tagNames(await view('second-bad.net'))).toEqual([]);

      // Enabling retro-hunts again; the person's classification still wins.
      const on = await cli('sig', 'enable', 'malicious-registrant-46313');
      expect(on.stdout).toMatch(/retro-hunt/);
      v = await view('first-bad.com');
      expect(tagNames(v).sort()).toEqual(['Malicious_Registrant', 'Reviewed']);
      expect(v.classification).toEqual({ value: 'non-malicious', source: 'manual' });
      expect(tagNames(await view('second-bad.net'))).toEqual(['Malicious_Registrant']);
      // untag removes only what a person added.
      expect((await cli('untag', 'first-bad.com', 'Reviewed')).code).toBe(0);
      expect((await cli('untag', 'first-bad.com', 'Malicious_Registrant')).code).toBe(1);
    });

    it('a changed signature withdraws what it no longer supports, keeps a version history, and exports re-importably', async () => {
      const narrower = REGISTRANT.replace("patterns: ['46313@qq.com']", "patterns: ['nobody@example.invalid']");
      expect((await cli('sig', 'import', file('narrow.yaml', narrower))).stdout).toMatch(/1 changed/);
      expect(tagNames(await view('second-bad.net'))).toEqual([]);
      const hist = JSON.parse((await cli('sig', 'history', 'malicious-registrant-46313', '--json')).stdout) as { version: number; change: string }[];
      expect(hist.map((h) => h.change)).toEqual(['import', 'disable', 'enable', 'import']);
      const exported = await cli('sig', 'export', 'malicious-registrant-46313');
      expect(exported.stdout).toMatch(/nobody@example\.invalid/);
      const again = await cli('sig', 'import', file('again.yaml', exported.stdout));
      expect(again.stdout).toMatch(/0 new, 0 changed, 1 unchanged/);
      const list = JSON.parse((await cli('sig', 'list', '--json')).stdout) as { id: string; enabled: boolean }[];
      expect(list.map((s) => [s.id, s.enabled])).toEqual([
        ['brand-passivetotal', false],
        ['known-bad-cert-lanxess-lab', true],
        ['malicious-registrant-46313', true],
      ]);
      expect((await cli('sig', 'rm', 'brand-passivetotal')).code).toBe(0);
      expect((await cli('sig', 'enable', 'brand-passivetotal')).code).toBe(2);
    });

    it('preview reports what a signature would do and stores nothing', async () => {
      const r = await cli('sig', 'preview', file('preview.yaml', REGISTRANT.replace('malicious-registrant-46313', 'preview-46313')), '--json');
      expect(r.code, r.stderr).toBe(0);
      const p = JSON.parse(r.stdout) as { matched: number; planned: { tag: number }; sample: { target: { id: string } }[] };
      expect(p.matched).toBe(2);
      expect(p.planned.tag).toBe(2);
      expect(p.sample.map((s) => s.target.id).sort()).toContain('second-bad.net');
      expect(tagNames(await view('second-bad.net'))).toEqual([]);
      expect(JSON.parse((await cli('sig', 'list', '--json')).stdout)).toHaveLength(2);
    });

    it('an invalid file imports nothing (atomic) and exits 2', async () => {
      const bad = `${BRAND.replace('brand-passivetotal', 'brand-two')}\n---\nid: broken\ntitle: x\nfield: whois.registrant.mail\npatterns: ['(']\nactions: [{tag: X}]\n`;
      const r = await cli('sig', 'import', file('bad.yaml', bad));
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/did you mean whois\.registrant\.email/);
      expect(JSON.parse((await cli('sig', 'list', '--json')).stdout)).toHaveLength(2);
    });

    it('two organisations never see each other’s signatures, tags, classifications or notifications', async () => {
      const acme = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => cli(...args, '--org', 'acme');
      expect(JSON.parse((await acme('sig', 'list', '--json')).stdout)).toEqual([]);
      expect((await acme('sig', 'import', file('acme.yaml', BRAND.replace('brand-passivetotal', 'acme-brand')))).code).toBe(0);
      expect((await acme('classify', 'second-bad.net', 'malicious')).code).toBe(0);
      const acmeView = await view('login-passivetotal.example.com', 'acme');
      expect(acmeView.tags.map((t) => t.signature)).toEqual(['acme-brand']);
      expect((await view('second-bad.net', 'acme')).classification).toEqual({ value: 'malicious', source: 'manual' });
      // The default organisation sees none of it, and acme none of default's.
      expect((await view('second-bad.net')).classification).toBeNull();
      expect(tagNames(await view('login-passivetotal.example.com'))).toEqual([]);
      expect((await notes('default')).every((x) => x.signature !== 'acme-brand')).toBe(true);
      const acmeNotes = await notes('acme');
      expect(acmeNotes.length).toBeGreaterThan(0);
      expect(acmeNotes.every((x) => x.signature === 'acme-brand')).toBe(true);
      expect((await view('198.51.100.7', 'acme')).tags).toEqual([]);
      expect((JSON.parse((await cli('sig', 'list', '--json')).stdout) as { id: string }[]).map((s) => s.id)).not.toContain('acme-brand');
    });
  });
}

suite('SQLite', () => `sqlite:${join(dir, 'sigs.db')}`);

const pg = await createTestDatabase();
if ('skip' in pg) describe.skip(`PostgreSQL (${pg.skip})`, () => undefined);
else {
  afterAll(() => pg.drop());
  suite('PostgreSQL', () => pg.url);
}
