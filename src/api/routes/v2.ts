// /v2: the subset of PassiveTotal's v2 API that its clients (the official Python client,
// Maltego transforms, SOAR apps) use, with its paths, parameters and JSON shapes
// (../shared/spec/passivetotal-v2.md; choices where it is silent: docs/PASSIVETOTAL.md).
// Authentication is the server's (HTTP Basic email:key); errors under /v2/ are rendered as
// {"error": {"message"}} by errors.ts.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { registerV2Account } from './v2-account.js';
import { registerV2Actions } from './v2-actions.js';
import { registerV2Dns } from './v2-dns.js';
import { registerV2Ssl } from './v2-ssl.js';
import { registerV2Whois } from './v2-whois.js';

export function registerV2(app: FastifyInstance, ctx: AppContext): void {
  registerV2Actions(app, ctx);
  registerV2Whois(app, ctx);
  registerV2Ssl(app, ctx);
  registerV2Dns(app, ctx);
  registerV2Account(app, ctx);
}
