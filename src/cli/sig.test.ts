// `warren sig lint` / `sig test` through the command line, on files written by the test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-sig-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const SPEC_EXAMPLES = [join(import.meta.dirname, '../signatures/fixtures/spec-example.yaml'), join(import.meta.dirname, '../signatures/fixtures/spec-prose-examples.yaml')];

describe('warren sig test', () => {
  it('passes every example of signatures.md', async () => {
    const r = await runCli(['sig', 'test', ...SPEC_EXAMPLES]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/ in \d+ signatures: 0 failed/);
    expect(r.code).toBe(0);
  });

  it('exits 1 and names the value of each failing case', async () => {
    const f = file(
      'failing.yaml',
      [
        'id: brand',
        'title: Brand',
        'field: domain',
        'patterns: [paypal]',
        'actions: [{tag: Brand}]',
        'tests:',
        "  match: ['login-paypal.example', 'pay-pal.example']",
        "  no_match: ['example.com', 'paypal.com']",
      ].join('\n'),
    );
    const r = await runCli(['sig', 'test', f]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${f}:1: brand: tests.match[1]: "pay-pal.example" did not match`);
    expect(lines[1]).toContain('tests.no_match[1]: "paypal.com" matched pattern 0');
  });

  it('exits 2 without running tests when a file is invalid', async () => {
    const f = file('invalid.yaml', 'id: x\ntitle: X\nfield: domain\npatterns: ["(a"]\nactions: [{tag: T}]\ntests: {match: [a]}\n');
    const r = await runCli(['sig', 'test', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${f}:4: x: patterns[0]:`);
  });
});

describe('warren sig lint', () => {
  it('names every bad signature and its reason, and exits 2', async () => {
    const f = file(
      'bad.yaml',
      [
        'id: one',
        'title: One',
        'field: whois.registrant.mail',
        'patterns: [x]',
        'actions: [{tag: T}]',
        '---',
        'id: two',
        'title: Two',
        'field: domain',
        'patterns: ["ok", "(a)\\\\1"]',
        'actions: [{tag: T}]',
        '---',
        'id: three',
        'title: Three',
        'field: ip',
        'match: cidr',
        'patterns: [10.0.0.1/8]',
        'actions: [{classify: evil}]',
      ].join('\n'),
    );
    const r = await runCli(['sig', 'lint', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${f}:3: one: field: unknown field whois.registrant.mail, did you mean whois.registrant.email`);
    expect(r.stdout).toMatch(new RegExp(`${f}:10: two: patterns\\[1\\]: backreferences are not supported`));
    expect(r.stdout).toMatch(/three: patterns\[0\]: .*host bits/);
    expect(r.stdout).toMatch(/three: actions\[0\]\.classify: .*evil/);
  });

  it('exits 0 on the spec examples and prints a JSON summary on request', async () => {
    const r = await runCli(['sig', 'lint', '--json', ...SPEC_EXAMPLES]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { signatures: number; errors: unknown[] };
    expect(out.errors).toEqual([]);
    expect(out.signatures).toBeGreaterThanOrEqual(3);
  });

  it('exits 2 for a missing file, with a clear message', async () => {
    const r = await runCli(['sig', 'lint', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('nope.yaml');
  });
});

describe('warren --help', () => {
  it('documents every command and exits 0', async () => {
    for (const args of [['--help'], ['sig', '--help'], ['sig', 'lint', '--help'], ['sig', 'test', '--help'], ['scan', '--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: warren');
    }
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['scan', '--nope'])).code).toBe(2);
  });
});

describe('bundled samples', () => {
  const samples = join(import.meta.dirname, '../../samples');

  it('pass their own tests, with domain.* cases read as domain names', async () => {
    const r = await runCli(['sig', 'test', join(samples, 'signatures/seed-scenarios.yaml')]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('cover the seed scenarios when scanning the sample records', async () => {
    const r = await runCli(['scan', '--signatures', join(samples, 'signatures/seed-scenarios.yaml'), join(samples, 'records.jsonl')]);
    expect(r.code).toBe(0);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; signature: string });
    expect(hits.map((h) => `${h.id} ${h.signature}`)).toEqual([
      'whois-1 malicious-registrant-46313',
      'cert-1 known-bad-cert-lanxess-lab',
      'dns-1 brand-passivetotal',
      'dns-1 bulletproof-hosting-range',
      'dns-3 bulletproof-hosting-range',
      'dns-3 brand-paypal-lookalike',
    ]);
  });
});
