// `warren export` and `warren sig from-misp` end to end: a list as CSV, STIX and a MISP event;
// the MISP event imported into another organisation tags the same entities on retro-hunt; the
// MISP feed written to a folder and read back through its manifest; and the usage errors.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../store/store.js';
import { bundleValidator, haveStixData } from '../services/sharing/test-support/stix-check.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-sharing-cli-'));
const db = `sqlite:${join(dir, 'w.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIG = `id: bad-registrant
title: Registrant of a known operator
field: whois.registrant.email
match: literal
patterns: ['bad@evil.example']
actions: [{tag: Bad_Registrant}, {classify: malicious}]
`;

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  const store = await Store.open(db);
  const whois = (domain: string, email: string) => ({ kind: 'whois' as const, domain, observed: '2026-01-01T00:00:00Z', source: 'test', fields: { 'whois.registrant.email': [email] } });
  await store.write([whois('one-bad.example', 'bad@evil.example'), whois('two-bad.example', 'bad@evil.example'), whois('fine.example', 'ok@fine.example')]);
  await store.close();
  const r = await runCli(['sig', 'import', '--db', db, '--org', 'acme', file('sig.yaml', SIG)]);
  expect(r.code, r.stderr).toBe(0);
});

const CSV = 'kind,id,value\r\ndomain,one-bad.example,\r\ndomain,two-bad.example,\r\n';

describe('warren export', () => {
  it('a tag as CSV, STIX 2.1 and a MISP event', async () => {
    const csv = await runCli(['export', '--db', db, '--org', 'acme', '--tag', 'Bad_Registrant']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe(CSV);
    const stix = await runCli(['export', '--db', db, '--org', 'acme', '--format', 'stix', '--pivot', 'whois.registrant.email=bad@evil.example']);
    expect(stix.code, stix.stderr).toBe(0);
    const bundle = JSON.parse(stix.stdout) as { type: string; objects: { type: string; value?: string; labels?: string[] }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((o) => o.type === 'domain-name').map((o) => o.value)).toEqual(['one-bad.example', 'two-bad.example']);
    expect(bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.labels)).toEqual([['Bad_Registrant'], ['Bad_Registrant']]);
    if (haveStixData) expect(bundleValidator()(bundle)).toBe(true);
    const misp = await runCli(['export', '--db', db, '--org', 'acme', '--format', 'misp', '--signature', 'bad-registrant']);
    expect(misp.code, misp.stderr).toBe(0);
    const event = JSON.parse(misp.stdout) as { Event: { Attribute: { type: string; value: string }[] } };
    expect(event.Event.Attribute.map((a) => `${a.type} ${a.value}`)).toEqual(['domain one-bad.example', 'whois-registrant-email bad@evil.example', 'domain two-bad.example']);
  });

  it('round trip: the MISP event imported into another organisation tags the same entities', async () => {
    const misp = await runCli(['export', '--db', db, '--org', 'acme', '--format', 'misp', '--tag', 'Bad_Registrant']);
    const event = file('event.json', misp.stdout);
    const yaml = await runCli(['sig', 'from-misp', event]);
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(yaml.stdout.match(/^id: /gm)).toHaveLength(2);
    expect(yaml.stdout).toContain('match: literal');
    const imported = await runCli(['sig', 'from-misp', '--import', '--db', db, '--org', 'other', event]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/imported into other: 2 new/);
    const csv = await runCli(['export', '--db', db, '--org', 'other', '--tag', 'Bad_Registrant']);
    expect(csv.stdout).toBe(CSV);
  });

  it('the MISP feed in a folder, read back through its manifest', async () => {
    const feed = join(dir, 'feed');
    const r = await runCli(['export', '--db', db, '--org', 'acme', '--format', 'misp', '--feed', feed]);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(feed, 'manifest.json'), 'utf8')) as Record<string, { info: string }>;
    expect(Object.values(manifest).map((m) => m.info).sort()).toEqual(['Warren acme: signature bad-registrant', 'Warren acme: tag Bad_Registrant']);
    for (const uuid of Object.keys(manifest)) expect(existsSync(join(feed, `${uuid}.json`))).toBe(true);
    const hashes = readFileSync(join(feed, 'hashes.csv'), 'utf8').trim().split('\n');
    // Each event's attributes: two domains and the registrant email.
    expect(hashes).toHaveLength(6);
    for (const line of hashes) expect(Object.keys(manifest)).toContain(line.split(',')[1]);
    const back = await runCli(['sig', 'from-misp', join(feed, 'manifest.json')]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout.match(/^id: /gm)).toHaveLength(4);
  });

  it('refuses what is not one list, or not MISP (exit 2), and reports bad attributes (exit 1)', async () => {
    for (const args of [[], ['--tag', 'a', '--signature', 'b'], ['--format', 'xml', '--tag', 'a'], ['--pivot', 'noequals'], ['--feed', dir], ['--format', 'misp', '--feed', dir, '--tag', 'a']]) {
      const r = await runCli(['export', '--db', db, '--org', 'acme', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect((await runCli(['export', '--db', db, '--org', 'acme', '--pivot', 'whois.registrant.mail=x'])).code).toBe(2);
    expect((await runCli(['sig', 'from-misp', file('not.json', '{"hello": 1}')])).code).toBe(2);
    expect((await runCli(['sig', 'from-misp', join(dir, 'missing.json')])).code).toBe(2);
    const partly = await runCli(['sig', 'from-misp', file('partly.json', JSON.stringify({ Event: { uuid: 'a1b2c3d4-0000-4000-8000-000000000001', info: 'x', Tag: [{ name: 'tlp:amber' }], Attribute: [{ type: 'domain', value: 'ok.example' }, { type: 'ip-dst', value: '999.1.1.1' }] } }))]);
    expect(partly.code).toBe(1);
    expect(partly.stderr).toMatch(/partly\.json: event a1b2c3d4-0000-4000-8000-000000000001 attribute 1: ip-dst value "999\.1\.1\.1" is not a valid ip/);
    expect(partly.stdout).toContain('tag: tlp:amber');
  });
});
