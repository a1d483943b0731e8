import { describe, expect, it } from 'vitest';

// web/src is outside this project's rootDir (src): the pure module is loaded at run time (vitest
// transpiles it) and typed here, as diff.test.ts does.
const MATCH = '../../web/src/route-match.js';
const { matchRoute } = (await import(/* @vite-ignore */ MATCH)) as { matchRoute: (pattern: string, path: string) => Record<string, string | undefined> | undefined };

describe('matchRoute (the UI route table patterns)', () => {
  it.each([
    ['/', '/', {}],
    ['/signatures', '/signatures', {}],
    ['/signatures/:id', '/signatures/brand-x', { id: 'brand-x' }],
    ['/ingest/:job?', '/ingest', {}],
    ['/ingest/:job?', '/ingest/abc', { job: 'abc' }],
    ['/entity/*id', '/entity/example.com', { id: 'example.com' }],
    ['/entity/*id', '/entity/2001:db8::1/extra', { id: '2001:db8::1/extra' }],
  ])('%s matches %s', (pattern, path, params) => {
    expect(matchRoute(pattern, path)).toEqual(params);
  });

  it.each([
    ['/', '/signatures'],
    ['/signatures', '/signatures/x'],
    ['/signatures/:id', '/signatures'],
    ['/ingest/:job?', '/ingest/a/b'],
    ['/entity/*id', '/entity'],
    ['/notifications/channels', '/notifications/other'],
  ])('%s does not match %s', (pattern, path) => {
    expect(matchRoute(pattern, path)).toBeUndefined();
  });
});
