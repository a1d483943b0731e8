// /api/v1: route groups, each a thin layer — validate (JSON schema) → authorise (access) →
// service → presenter.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server.js';
import { registerEntities } from './v1-entities.js';
import { registerNotificationRoutes } from './v1-notifications.js';
import { registerSession } from './v1-session.js';
import { registerSignatureRoutes } from './v1-signatures.js';

export function registerV1(app: FastifyInstance, ctx: AppContext): void {
  registerSession(app, ctx);
  registerEntities(app, ctx);
  registerSignatureRoutes(app, ctx);
  registerNotificationRoutes(app, ctx);
}
