// JSON bodies: nesting is refused before JSON.parse runs (it spent seconds on deep brackets), and
// what fastify's parser did before still holds: bad JSON, an empty body, prototype poisoning.
import { describe, expect, it, vi } from 'vitest';
import { jsonTooDeep, MAX_JSON_DEPTH } from './json-body.js';
import { useTestApi, type TestApi } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const api = useTestApi();

const lint = (payload: string): ReturnType<TestApi['request']> =>
  api.request(api.users['a-viewer'], { method: 'POST', url: '/api/v1/signatures/lint', payload, headers: { 'content-type': 'application/json' } });

describe('JSON bodies', () => {
  it('counts nesting outside strings only', () => {
    expect(jsonTooDeep('{"text": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\\\\"[[["}')).toBeUndefined();
    expect(jsonTooDeep('['.repeat(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonTooDeep('['.repeat(MAX_JSON_DEPTH + 1))).toBe(MAX_JSON_DEPTH);
  });

  it('refuses 4 MB of nested [ with 400 before parsing it', async () => {
    const res = await lint(`${'['.repeat(2 * 1024 * 1024)}${']'.repeat(2 * 1024 * 1024)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string; message: string } }>().error).toEqual({ code: 'invalid_request', message: `the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep (at character ${MAX_JSON_DEPTH + 1})` });
  });

  it('keeps the default parser for the rest: valid, bad JSON, empty, __proto__', async () => {
    expect((await lint(JSON.stringify({ text: 'id: a\ntitle: t\nfield: domain\npatterns: [x]\nactions: [{tag: T}]\n' }))).json()).toEqual({ signatures: 1, errors: [] });
    expect((await lint('{"text": ')).statusCode).toBe(400);
    expect((await lint('')).statusCode).toBe(400);
    expect((await lint('{"text": "x", "__proto__": {"a": 1}}')).statusCode).toBe(400);
  });
});
