// JSON request bodies: fastify's own parser (prototype poisoning refused), behind a linear scan
// that refuses bodies nested deeper than any route takes. Parsing comes before the route's schema
// is checked, and JSON.parse spends ~0.5 s on 1 MB of `[[[…]]]` (2.4 s on the 5 MB a signature
// route accepts) — a viewer could stall the server with one request.
import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.js';

/** Deepest nesting of a JSON body: no route of this API takes more than a few levels. */
export const MAX_JSON_DEPTH = 64;

/** Offset of the first `[` or `{` nested deeper than `limit` (strings skipped), or undefined. */
export function jsonTooDeep(text: string, limit = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string: to the next quote not escaped.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

/** Replaces the default JSON parser of `app` (and its children) with the guarded one. */
export function guardJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const at = jsonTooDeep(text);
    if (at !== undefined) {
      done(badRequest(`the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep (at character ${at + 1})`), undefined);
      return;
    }
    void parse(request, text, done);
  });
}
