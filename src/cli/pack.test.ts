// `warren pack …` through the CLI: acme publishes and grants, beta subscribes and retro-hunts,
// a new version reaches beta, a signature is switched off, beta unsubscribes; usage errors exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-pack-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'p.db')}`;

const sigs = (pattern: string): string => `id: lure
title: Login lures
field: domain
patterns: ['${pattern}']
actions: [{tag: Lure}]
---
id: kit
title: Kits
field: domain
patterns: ['kit']
actions: [{tag: Kit}]
`;

async function lookupTags(org: string, entity: string): Promise<string[]> {
  const r = await runCli(['lookup', entity, '--json', '--org', org, '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { tags: { name: string; signature: string }[] }).tags.map((t) => `${t.name}:${t.signature}`);
}

describe('warren pack', () => {
  it('publishes, grants, subscribes with a retro-hunt, updates, disables and unsubscribes', async () => {
    const data = join(dir, 'd.jsonl');
    writeFileSync(data, ['lure-one.example', 'kit-one.example'].map((d) => JSON.stringify({ kind: 'domain', domain: d })).join('\n') + '\n');
    expect((await runCli(['ingest', '--format', 'warren', data, '--db', db])).code).toBe(0);
    const file = join(dir, 's.yaml');
    writeFileSync(file, sigs('lure'));
    expect((await runCli(['sig', 'import', file, '--org', 'acme', '--db', db])).code).toBe(0);

    const published = await runCli(['pack', 'publish', 'phish', 'lure', 'kit', '--description', 'lures', '--org', 'acme', '--db', db]);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toBe('acme/phish: version 1 (kit, lure); 0 subscriptions updated\n');
    const refused = await runCli(['pack', 'subscribe', 'acme/phish', '--org', 'beta', '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pack acme/phish not found');
    expect((await runCli(['pack', 'grant', 'phish', 'beta', '--org', 'acme', '--db', db])).stdout).toBe('beta may subscribe to acme/phish\n');

    const sub = await runCli(['pack', 'subscribe', 'acme/phish', '--json', '--org', 'beta', '--db', db]);
    expect(sub.code, sub.stderr).toBe(0);
    expect(JSON.parse(sub.stdout)).toMatchObject({ pack: 'acme/phish', version: 1, added: ['kit', 'lure'], hunt: { applied: { tags: 2 } } });
    expect(await lookupTags('beta', 'lure-one.example')).toEqual(['Lure:acme/phish/lure']);

    writeFileSync(file, sigs('^nothing-'));
    expect((await runCli(['sig', 'import', file, '--org', 'acme', '--db', db])).code).toBe(0);
    expect((await runCli(['pack', 'publish', 'phish', '--org', 'acme', '--db', db])).stdout).toBe('acme/phish: version 2 (kit, lure); 1 subscription updated\n');
    expect(await lookupTags('beta', 'lure-one.example')).toEqual([]);

    expect((await runCli(['pack', 'disable', 'acme/phish', 'kit', '--org', 'beta', '--db', db])).stdout).toBe('acme/phish/kit disabled; withdrawn 1 tags\n');
    expect(await lookupTags('beta', 'kit-one.example')).toEqual([]);
    const shown = await runCli(['pack', 'show', 'acme/phish', '--org', 'beta', '--db', db]);
    expect(shown.stdout).toBe('acme/phish v2: lures\noff  acme/phish/kit  domain  0 hits  Kits\non   acme/phish/lure  domain  0 hits  Login lures\n');
    expect((await runCli(['pack', 'list', '--org', 'acme', '--db', db])).stdout).toBe('published  acme/phish  v2  2 signatures  granted: beta (subscribed v2)\n');
    expect((await runCli(['pack', 'list', '--org', 'beta', '--db', db])).stdout).toBe('offered    acme/phish  v2  2 signatures  subscribed v2, off: kit\n');

    expect((await runCli(['pack', 'enable', 'acme/phish', 'kit', '--org', 'beta', '--db', db])).code).toBe(0);
    expect(await lookupTags('beta', 'kit-one.example')).toEqual(['Kit:acme/phish/kit']);
    const gone = await runCli(['pack', 'unsubscribe', 'acme/phish', '--org', 'beta', '--db', db]);
    expect(gone.stdout).toBe('unsubscribed from acme/phish; withdrawn: 1 tags, 0 classifications\n');
    expect(await lookupTags('beta', 'kit-one.example')).toEqual([]);
  });

  it('refuses a malformed pack and a pack of nobody with exit 2', async () => {
    const bad = await runCli(['pack', 'subscribe', 'no-slash', '--org', 'beta', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PUBLISHER/NAME');
    expect((await runCli(['pack', 'unsubscribe', 'acme/phish', '--org', 'beta', '--db', db])).code).toBe(2);
    expect((await runCli(['pack', 'publish', 'Bad Name', 'lure', '--org', 'acme', '--db', db])).code).toBe(2);
  });
});
