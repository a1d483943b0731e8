// The web UI's view of the API, generated from the OpenAPI document the server builds from its
// route schemas: the `paths` types (openapi-typescript) and the enum lists the UI offers in its
// forms. The UI imports web/generated/api.ts (outside its hand-written src/) and never copies a shape or a list by hand; a test
// fails when the committed file and the routes disagree (`npm run gen:api` rewrites it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { Store } from '../store/store.js';
import { buildServer } from './server.js';

export const WEB_TYPES_FILE = 'web/generated/api.ts';

/** The enum lists the UI needs at run time: name → where in the OpenAPI document the enum is. */
const ENUMS: readonly { name: string; path: string; method: string; at: readonly string[] }[] = [
  { name: 'ROLES', path: '/api/v1/users', method: 'post', at: ['requestBody', 'content', 'application/json', 'schema', 'properties', 'role', 'enum'] },
  { name: 'SEVERITIES', path: '/api/v1/notifications', method: 'get', at: ['parameters', 'severity', 'schema', 'enum'] },
  { name: 'NOTIFICATION_STATUSES', path: '/api/v1/notifications', method: 'get', at: ['parameters', 'status', 'schema', 'enum'] },
  { name: 'CLASSIFICATIONS', path: '/api/v1/entities/{entity}/classification', method: 'put', at: ['requestBody', 'content', 'application/json', 'schema', 'properties', 'classification', 'enum'] },
  { name: 'FORMATS', path: '/api/v1/ingest', method: 'post', at: ['parameters', 'format', 'schema', 'enum'] },
  // The fields whose values the entity page links to their pivot, with counts.
  { name: 'PIVOT_FIELDS', path: '/api/v1/pivot/counts', method: 'get', at: ['parameters', 'field', 'schema', 'enum'] },
];

type Json = Record<string, unknown>;

function dig(node: unknown, at: readonly string[], where: string): unknown {
  let cur = node;
  for (const key of at) {
    if (Array.isArray(cur)) cur = cur.find((p: Json) => p.name === key);
    else cur = cur !== null && typeof cur === 'object' ? (cur as Json)[key] : undefined;
    if (cur === undefined) throw new Error(`the OpenAPI document has no ${where} → ${at.join(' → ')} (stopped at ${key})`);
  }
  return cur;
}

/** The OpenAPI document of a server on a throw-away store (no data needed: it is the routes). */
export async function openApiDocument(): Promise<Json> {
  const dir = mkdtempSync(join(tmpdir(), 'warren-openapi-'));
  const store = await Store.open(`sqlite:${join(dir, 'openapi.db')}`);
  try {
    const app = await buildServer({ store });
    await app.ready();
    const doc = app.swagger() as unknown as Json;
    await app.close();
    return doc;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function webTypesSource(doc?: Json): Promise<string> {
  const document = doc ?? (await openApiDocument());
  // openapi-typescript's types want its own OpenAPI3 type; the document is fastify-swagger's JSON.
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  const enums = ENUMS.map(({ name, path, method, at }) => {
    const values = dig(document, ['paths', path, method, ...at], `${method.toUpperCase()} ${path}`);
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new Error(`${name}: not a list of strings`);
    return `export const ${name} = ${JSON.stringify(values)} as const;`;
  });
  const banner = "// Generated from the API's OpenAPI document by `npm run gen:api` (src/api/web-types.ts). Do not edit.\n";
  return `${banner}${astToString(ast)}\n${enums.join('\n')}\n`;
}
