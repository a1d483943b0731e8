// Issue 12 acceptance on Zeek's own test baselines (../shared/data/zeek/btest, skipped when
// absent): every directory holding both an x509.log and an ssl.log is ingested as `warren ingest`
// takes files (in both orders), a signature on x509.subject.common_name that matches every common
// name tags each certificate and every IP that served it, and `warren stats` counts the
// certificates. The expectations are read from the logs themselves, not written down by hand.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run.js';

const BTEST = join(import.meta.dirname, '../../../shared/data/zeek/btest');
const dir = mkdtempSync(join(tmpdir(), 'warren-zeek-btest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIGNATURE = `
id: every-common-name
title: Any certificate with a common name
field: x509.subject.common_name
patterns: ['.']
actions:
  - tag: SeenCN
`;

/** Rows of a Zeek TSV log as field → value (the btest banner and # lines skipped). */
function rows(file: string): Record<string, string>[] {
  let fields: string[] = [];
  const out: Record<string, string>[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#fields\t')) fields = line.split('\t').slice(1);
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    out.push(Object.fromEntries(fields.map((f, i) => [f, cells[i] ?? '-'])));
  }
  return out;
}

interface Expected {
  /** SHA-256 → has a subject CN. */
  readonly certificates: Map<string, boolean>;
  /** Server IPs whose leaf certificate has a CN. */
  readonly servingIps: Set<string>;
}

function expected(dirs: readonly string[]): Expected {
  const certificates = new Map<string, boolean>();
  for (const d of dirs) {
    for (const r of rows(join(d, 'x509.log'))) {
      const fp = r.fingerprint;
      if (fp && /^[0-9a-f]{64}$/.test(fp)) certificates.set(fp, /(^|,)CN=/.test(r['certificate.subject'] ?? ''));
    }
  }
  const servingIps = new Set<string>();
  for (const d of dirs) {
    for (const r of rows(join(d, 'ssl.log'))) {
      const chain = r.cert_chain_fps;
      if (!chain || chain === '-' || chain === '(empty)') continue;
      for (const fp of chain.split(',')) if (certificates.get(fp)) servingIps.add(r['id.resp_h']!);
    }
  }
  return { certificates, servingIps };
}

const dirs = existsSync(BTEST)
  ? readdirSync(BTEST)
      .map((d) => join(BTEST, d))
      .filter((d) => existsSync(join(d, 'x509.log')) && existsSync(join(d, 'ssl.log')) && rows(join(d, 'ssl.log')).some((r) => r.cert_chain_fps !== undefined))
  : [];

describe.skipIf(dirs.length === 0)("Zeek's btest baselines through warren ingest", () => {
  it.each([
    ['x509.log before ssl.log', (d: string) => [join(d, 'x509.log'), join(d, 'ssl.log')]],
    ['ssl.log before x509.log', (d: string) => [join(d, 'ssl.log'), join(d, 'x509.log')]],
  ])('%s: a common-name signature tags every certificate and every IP that served one; stats counts them', async (name, order) => {
    const db = `sqlite:${join(dir, `${name.replace(/\W+/g, '-')}.db`)}`;
    const sig = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(sig, SIGNATURE);
    expect((await runCli(['sig', 'import', sig, '--db', db])).code).toBe(0);
    const files = dirs.flatMap((d) => order(d));
    const ingest = await runCli(['ingest', '--db', db, '--json', ...files]);
    expect(ingest.code, ingest.stderr).toBe(0);

    const want = expected(dirs);
    expect(want.certificates.size).toBeGreaterThan(10);
    expect(want.servingIps.size).toBeGreaterThan(5);
    const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout) as { certificates: number };
    expect(stats.certificates).toBe(want.certificates.size);

    for (const [sha256, hasCn] of want.certificates) {
      const view = JSON.parse((await runCli(['lookup', sha256, '--db', db, '--json'])).stdout) as { der?: boolean; tags: { name: string }[] };
      expect(view.der, sha256).toBe(false);
      expect(view.tags.some((t) => t.name === 'SeenCN'), `certificate ${sha256}`).toBe(hasCn);
    }
    for (const ip of want.servingIps) {
      const view = JSON.parse((await runCli(['lookup', ip, '--db', db, '--json'])).stdout) as { tags: { name: string }[] };
      expect(view.tags.map((t) => t.name), `ip ${ip}`).toContain('SeenCN');
    }
  }, 120_000);
});
