// /api/v1: route groups, each a thin layer — validate (JSON schema) → authorise (access) →
// service → presenter.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { registerAccountRoutes } from './v1-accounts.js';
import { registerBrandRoutes } from './v1-brands.js';
import { registerChannelRoutes } from './v1-channels.js';
import { registerDocs } from './v1-docs.js';
import { registerEntities } from './v1-entities.js';
import { registerFeedRoutes } from './v1-feeds.js';
import { registerGraphRoutes } from './v1-graph.js';
import { registerHuntRoutes } from './v1-hunts.js';
import { registerIngestRoutes } from './v1-ingest.js';
import { registerMispFeedRoutes } from './v1-misp-feed.js';
import { registerNotificationRoutes } from './v1-notifications.js';
import { registerPackRoutes } from './v1-packs.js';
import { registerPivotRoutes } from './v1-pivot.js';
import { registerRecordRoutes } from './v1-records.js';
import { registerSearchRoutes } from './v1-search.js';
import { registerSession } from './v1-session.js';
import { registerSignatureRoutes } from './v1-signatures.js';

export function registerV1(app: FastifyInstance, ctx: AppContext): void {
  registerSession(app, ctx);
  registerEntities(app, ctx);
  registerRecordRoutes(app, ctx);
  registerGraphRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerPivotRoutes(app, ctx);
  registerMispFeedRoutes(app, ctx);
  registerSignatureRoutes(app, ctx);
  registerHuntRoutes(app, ctx);
  registerNotificationRoutes(app, ctx);
  registerPackRoutes(app, ctx);
  registerBrandRoutes(app, ctx);
  registerChannelRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerIngestRoutes(app, ctx);
  registerFeedRoutes(app, ctx);
  // The reference page reads /api/v1/openapi.json; it needs no credentials (auth: 'none').
  registerDocs(app);
}
