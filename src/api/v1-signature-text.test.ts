// Signature text over the API: hostile text (4 MB of nested `[`, a million `---` lines) is refused
// with the line and the reason before the parser runs; large valid text is checked in a worker
// thread, so the server keeps answering meanwhile.
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { generateSignatures } from '../bench/generate.js';
import { SIGNATURE_TEXT_WORKER } from '../services/signature-text.js';
import { MAX_DOCUMENTS } from '../signatures/prescan.js';
import { toYaml } from '../signatures/serialise.js';
import { useTestApi, type TestApi } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const api = useTestApi();

interface Lint {
  signatures: number;
  errors: { file: string; line: number; message: string }[];
}

/** Runs `work` while measuring the longest the event loop was held. */
async function loopHeld<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    // The monitor samples between its own timer ticks: let it tick before and after the work.
    await new Promise((r) => setTimeout(r, 50));
    const result = await work();
    await new Promise((r) => setTimeout(r, 50));
    return { result, maxMs: delay.max / 1e6 };
  } finally {
    delay.disable();
  }
}

const lint = (text: string): Promise<Awaited<ReturnType<TestApi['request']>>> =>
  api.request(api.users['a-viewer'], { method: 'POST', url: '/api/v1/signatures/lint', payload: { text } });

describe('POST /signatures/lint with hostile text', () => {
  it('refuses 4 MB of nested [ with the line and the reason, holding the event loop briefly', async () => {
    const { result: res, maxMs } = await loopHeld(() => lint('['.repeat(4 * 1024 * 1024)));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json<Lint>()).toEqual({ signatures: 0, errors: [{ file: 'request', line: 1, message: 'nested more than 64 levels deep; a signature needs far fewer' }] });
    // Before the pre-scan the parser held the loop for tens of seconds on this text.
    expect(maxMs).toBeLessThan(1000);
  });

  it('refuses a million --- lines with the line where the limit was passed', async () => {
    const { result: res, maxMs } = await loopHeld(() => lint('---\n'.repeat(1_000_000)));
    expect(res.statusCode).toBe(200);
    expect(res.json<Lint>()).toEqual({
      signatures: 0,
      errors: [{ file: 'request', line: MAX_DOCUMENTS, message: `more than ${MAX_DOCUMENTS.toLocaleString('en-US')} YAML documents (--- lines) in one text` }],
    });
    expect(maxMs).toBeLessThan(1000);
  });

  it('refuses the same text on import, nothing stored', async () => {
    const res = await api.request(api.users['a-analyst'], { method: 'POST', url: '/api/v1/signatures', payload: { text: `id: a\n${'- '.repeat(100_000)}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string; details: { line: number; message: string }[] } }>().error).toMatchObject({ code: 'invalid_signatures', details: [{ line: 2, message: expect.stringMatching(/nested more than 64/) as unknown }] });
  });
});

describe('large valid signature text', () => {
  const text = toYaml(generateSignatures(6_000, 11));

  it.runIf(existsSync(SIGNATURE_TEXT_WORKER))('is checked in a worker thread: the server answers /healthz meanwhile', async () => {
    expect(text.length).toBeGreaterThan(1_000_000);
    const { result, maxMs } = await loopHeld(async () => {
      const pending = lint(text);
      // While the worker checks, the server answers.
      const health = await api.request(undefined, { method: 'GET', url: '/healthz' });
      return { lint: await pending, health };
    });
    expect(result.health.statusCode).toBe(200);
    expect(result.lint.statusCode).toBe(200);
    expect(result.lint.json<Lint>()).toEqual({ signatures: 6_000, errors: [] });
    // In place this text held the loop for seconds.
    expect(maxMs).toBeLessThan(1000);
  });

  it('runs test cases and reports errors the same way through the worker', async () => {
    const withTests = `${text}---\nid: tested\ntitle: t\nfield: domain\npatterns: [paypal]\nactions: [{tag: T}]\ntests:\n  match: [login-paypal.example]\n  no_match: [paypal-is-here.example, example.com]\n`;
    const res = await api.request(api.users['a-viewer'], { method: 'POST', url: '/api/v1/signatures/test', payload: { text: withTests } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json<{ cases: number; failures: { signature: string; path: string }[] }>().failures).toEqual([expect.objectContaining({ signature: 'tested', path: 'tests.no_match[0]' })]);
    const bad = await api.request(api.users['a-viewer'], { method: 'POST', url: '/api/v1/signatures/test', payload: { text: `${text}---\nid: broken\nfield: nope\n` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('invalid_signatures');
  });
});
