// `warren scan` end to end: its output equals the reference matcher's on random signature files
// and random JSON Lines, and bad lines are reported by number, skipped, and end in exit 1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceMatcher } from '../engine/reference.js';
import { normaliseRecord } from '../fields/normalise.js';
import { makeSignature } from '../signatures/make.js';
import { toYaml } from '../signatures/serialise.js';
import type { Signature } from '../signatures/types.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-scan-'));
let n = 0;
function file(text: string, ext = 'yaml'): string {
  const p = join(dir, `f${n++}.${ext}`);
  writeFileSync(p, text);
  return p;
}

function signature(id: string, field: string, patterns: string[], extra: Partial<Signature> = {}): Signature {
  return makeSignature({ id, field, patterns, actions: [{ tag: 'T' }], ...extra });
}

interface OutLine {
  id: string | number;
  signature: string;
  field: string;
  value: string;
  pattern: number;
  actions: unknown[];
}

function parseOut(stdout: string): OutLine[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as OutLine);
}

describe('warren scan', () => {
  it('prints one JSON line per hit with the input id or line number, and the actions', async () => {
    const sigs = file(
      toYaml([
        signature('brand-paypal', 'domain', ['paypal'], { actions: [{ tag: 'Brand' }, { alert: { severity: 'high' } }] }),
        signature('reg', 'domain.registered', ['^example\\.co\\.uk$']),
      ]),
    );
    const input = [JSON.stringify({ id: 'r1', domain: 'Login-PayPal.example.com.' }), JSON.stringify({ domain: 'a.b.example.co.uk' })].join('\n');
    const r = await runCli(['scan', '--signatures', sigs], input);
    expect(r.code).toBe(0);
    expect(parseOut(r.stdout)).toEqual([
      { id: 'r1', signature: 'brand-paypal', field: 'domain', value: 'login-paypal.example.com', pattern: 0, actions: [{ tag: 'Brand' }, { alert: { severity: 'high' } }] },
      { id: 2, signature: 'reg', field: 'domain.registered', value: 'example.co.uk', pattern: 0, actions: [{ tag: 'T' }] },
    ]);
  });

  it('reports bad lines with their numbers, skips them, keeps going, and exits 1', async () => {
    const sigs = file(toYaml([signature('any', 'domain', ['evil'])]));
    const input = ['{"domain": "evil.com"}', 'not json', '[1,2]', '{"domain": 42}', '{"domain": "evil.net"}', ''].join('\n');
    const r = await runCli(['scan', '--signatures', sigs, '-'], input);
    expect(r.code).toBe(1);
    expect(parseOut(r.stdout).map((h) => h.value)).toEqual(['evil.com', 'evil.net']);
    expect(r.stderr).toMatch(/^<stdin>:2: skipped: not JSON/m);
    expect(r.stderr).toMatch(/^<stdin>:3: skipped: not a JSON object/m);
    expect(r.stderr).toMatch(/^<stdin>:4: field "domain": value must be a string/m);
  });

  it('reads a file argument and exits 2 when it cannot', async () => {
    const sigs = file(toYaml([signature('any', 'domain', ['evil'])]));
    const input = file('{"domain": "evil.com"}\n', 'jsonl');
    const ok = await runCli(['scan', '--signatures', sigs, input]);
    expect(ok.code).toBe(0);
    expect(parseOut(ok.stdout)).toHaveLength(1);
    const missing = await runCli(['scan', '--signatures', sigs, join(dir, 'missing.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('refuses invalid signature files with exit 2 and reads no input', async () => {
    const sigs = file('id: x\ntitle: X\nfield: domain\npatterns: ["a(?=b)"]\nactions: [{tag: T}]\n');
    const r = await runCli(['scan', '--signatures', sigs], '{"domain": "ab.com"}');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('lookahead');
  });

  it('skips disabled signatures', async () => {
    const sigs = file(toYaml([signature('off', 'domain', ['evil'], { enabled: false })]));
    const r = await runCli(['scan', '--signatures', sigs], '{"domain": "evil.com"}');
    expect(r.stdout).toBe('');
  });

  // A small alphabet so that random patterns and values meet.
  const chars = fc.constantFrom('a', 'b', 'K', '\u212A', 'é', '.', '-', '1');
  const word = fc.array(chars, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
  const esc = (s: string): string => s.replace(/[.-]/g, (c) => `\\${c}`);
  const pattern = fc.oneof(
    word.map(esc),
    word.map((w) => `^${esc(w)}`),
    word.map((w) => `${esc(w)}$`),
    word.map((w) => `(^|\\.)${esc(w)}$`),
    fc.tuple(word, word).map(([a, b]) => `${esc(a)}[a-z1]*(${esc(b)}|x)`),
  );
  const sigArb = fc.record({
    field: fc.constantFrom('domain', 'x509.alternative_names', 'domain.skeleton', 'whois.registrant.name'),
    match: fc.constantFrom('regex' as const, 'literal' as const),
    caseSensitive: fc.boolean(),
    patterns: fc.array(pattern, { minLength: 1, maxLength: 3 }),
    exclude: fc.array(pattern, { maxLength: 1 }),
  });
  const lineArb = fc.record(
    {
      domain: fc.tuple(word, word).map(([a, b]) => `${a}x.${b}x.com`),
      'x509.alternative_names': fc.array(word, { maxLength: 3 }),
      'whois.registrant.name': word,
    },
    { requiredKeys: [] },
  );

  it('equals the reference matcher on random signature files and inputs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sigArb, { minLength: 1, maxLength: 12 }), fc.array(lineArb, { minLength: 1, maxLength: 15 }), async (gens, lines) => {
        const sigs = gens.map((g, i) => signature(`s${i}`, g.field, g.patterns, { match: g.match, caseSensitive: g.caseSensitive, exclude: g.exclude }));
        const r = await runCli(['scan', '--signatures', file(toYaml(sigs))], lines.map((l) => JSON.stringify(l)).join('\n'));
        const anyProblem = lines.some((l) => normaliseRecord(l).problems.length > 0);
        expect(r.code).toBe(anyProblem ? 1 : 0);
        const ref = new ReferenceMatcher(sigs);
        const expected = lines.flatMap((l, i) =>
          ref.match(normaliseRecord(l).fields).map((h) => ({ id: i + 1, ...h, actions: [{ tag: 'T' }] })),
        );
        expect(parseOut(r.stdout)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe('warren scan on threads', () => {
  // Records without ids (their id is the line number, so numbering across pieces shows), bad lines
  // of each kind, CRLF ends and non-ASCII names, so that every path of a line is compared.
  function input(records: number): string {
    const lines: string[] = [];
    for (let i = 0; i < records; i++) {
      if (i % 997 === 5) lines.push('{"domain": not json');
      else if (i % 1_009 === 7) lines.push('["an", "array"]');
      else if (i % 1_013 === 9) lines.push(JSON.stringify({ id: { no: 1 }, domain: `id-${i}.example.com` }));
      else lines.push(JSON.stringify({ ...(i % 3 === 0 ? { id: `r${i}` } : {}), domain: `host-${i % 50}.paypal-login${i % 7}.example.com`, ip: `10.0.${i % 256}.${i % 200}`, 'whois.email': `x${i}@qq.com`, 'whois.organization': i % 11 === 0 ? 'Bücher GmbH' : 'Example Ltd' }));
    }
    return lines.join(records % 2 === 0 ? '\r\n' : '\n');
  }

  async function both(args: string[]): Promise<[Awaited<ReturnType<typeof runCli>>, Awaited<ReturnType<typeof runCli>>]> {
    const saved = process.env.WARREN_SCAN_THREADS;
    try {
      process.env.WARREN_SCAN_THREADS = '1';
      const one = await runCli(args);
      process.env.WARREN_SCAN_THREADS = '2';
      const two = await runCli(args);
      return [one, two];
    } finally {
      if (saved === undefined) delete process.env.WARREN_SCAN_THREADS;
      else process.env.WARREN_SCAN_THREADS = saved;
    }
  }

  const sigs = () =>
    file(
      toYaml([
        signature('kw', 'domain', ['paypal-login[0-9]']),
        signature('mail', 'whois.email', ['@qq\\.com$']),
        signature('net', 'ip', ['10.0.7.0/24'], { match: 'cidr' }),
        signature('org', 'whois.organization', ['bücher']),
      ]),
    );

  it('a large file (threads started before the signatures are read) gives the same output, problems and exit code', async () => {
    const big = file(input(9_001), 'jsonl'); // > 1 MiB
    const [one, two] = await both(['scan', '--signatures', sigs(), big]);
    expect(one.stdout.split('\n').length).toBeGreaterThan(9_000);
    expect(one.stderr).toContain(':6: skipped: not JSON');
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect([one.code, two.code]).toEqual([1, 1]);
  });

  it('a file of a few pieces (threads started once a second piece is read) gives the same output', async () => {
    const mid = file(input(4_000), 'jsonl'); // two to four 256 KiB pieces
    const [one, two] = await both(['scan', '--signatures', sigs(), mid]);
    expect(one.stdout.split('\n').length).toBeGreaterThan(3_000);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(one.code);
  });

  it('refuses a WARREN_SCAN_THREADS that is not a count', async () => {
    const saved = process.env.WARREN_SCAN_THREADS;
    process.env.WARREN_SCAN_THREADS = 'many';
    try {
      const r = await runCli(['scan', '--signatures', sigs()], '{"domain": "a.example"}');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('WARREN_SCAN_THREADS must be a whole number from 1 to 64, not "many"');
    } finally {
      if (saved === undefined) delete process.env.WARREN_SCAN_THREADS;
      else process.env.WARREN_SCAN_THREADS = saved;
    }
  });
});

describe('warren scan as a process', () => {
  it('stops quietly, exit 0, when the reader of its output goes away (`warren scan … | head -1`)', async () => {
    const { spawn } = await import('node:child_process');
    const sig = file('id: a\ntitle: a\nfield: domain\npatterns: [example]\nactions: [{tag: A}]\n');
    const input = file('{"domain":"a.example"}\n'.repeat(50_000), 'jsonl');
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/warren.js'), 'scan', '--signatures', sig, input], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    // Read the first chunk, then close the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
