// The UI's API types are generated from the routes' schemas: the committed file must be what
// the routes generate today, so a changed route cannot leave the UI reading an old shape.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WEB_TYPES_FILE, webTypesSource } from './web-types.js';

const committed = fileURLToPath(new URL(`../../${WEB_TYPES_FILE}`, import.meta.url));

describe('web/generated/api.ts', () => {
  it('equals what the OpenAPI document generates (run `npm run gen:api` after changing a route schema)', async () => {
    expect(readFileSync(committed, 'utf8')).toBe(await webTypesSource());
  }, 30_000);

  it('refuses a document that lost an enum the UI offers', async () => {
    await expect(webTypesSource({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} })).rejects.toThrow(/ROLES|\/api\/v1\/users/);
  });
});
