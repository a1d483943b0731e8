// deploy/compose.yaml and docs/DEPLOY.md against the code: the compose file runs only commands and
// flags Warren has (each checked in that command's --help) with settings Warren reads, and every
// setting DEPLOY.md's table names is read somewhere in src/. (No compose binary runs here.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './cli/test-support/run.js';

const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const code = sources(join(ROOT, 'src'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  image?: string;
}

describe('deploy/compose.yaml and docs/DEPLOY.md', () => {
  const compose = parse(readFileSync(join(ROOT, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };

  it('has PostgreSQL, Redis, two API replicas and workers', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api-1', 'api-2', 'migrate', 'postgres', 'redis', 'worker']);
    expect(compose.services['api-1']?.command?.[0]).toBe('serve');
    expect(compose.services['api-2']?.command?.[0]).toBe('serve');
    expect(compose.services.worker?.command?.[0]).toBe('worker');
    expect(compose.services.worker?.environment?.WARREN_QUEUE).toMatch(/^redis:\/\//);
    expect(compose.services['api-1']?.environment?.WARREN_DB).toMatch(/^postgres:\/\//);
  });

  it('runs only commands and flags Warren has, with settings it reads', async () => {
    for (const [name, s] of Object.entries(compose.services)) {
      // Warren's own services: those built from the Dockerfile (not postgres, redis).
      if (!s.command || s.image !== undefined) continue;
      const [command, ...rest] = s.command;
      const help = await runCli([command!, '--help']);
      expect(help.code, `${name}: warren ${command} --help`).toBe(0);
      for (const flag of rest.filter((a) => a.startsWith('--'))) expect(help.stdout, `${name}: ${flag}`).toContain(flag);
      for (const key of Object.keys(s.environment ?? {})) expect(code, `${name}: ${key}`).toContain(key);
    }
  });

  it('names in its settings table only settings the code reads', () => {
    const doc = readFileSync(join(ROOT, 'docs/DEPLOY.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## Every setting'), doc.indexOf('## Sizing'));
    const names = [...table.matchAll(/`(WARREN_[A-Z_]+)`/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(15);
    for (const n of names) expect(code, n).toContain(n);
  });
});
