// The relationship graph of an entity (the entity page's graph): nodes and edges of its
// neighbourhood with the viewer's organisation's tags. The building is services/graph.ts.
import type { FastifyInstance } from 'fastify';
import { entityGraph, GRAPH_DEPTH, GRAPH_LIMIT } from '../../services/graph.js';
import { access } from '../auth.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const GRAPH_VIEW = {
  type: 'object',
  properties: {
    nodes: {
      type: 'array',
      description: 'the named entity first, then its neighbours in the order they were met',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'domain, IP, certificate SHA-256, or email address (lower case)' },
          kind: { type: 'string', enum: ['domain', 'ip', 'certificate', 'email'] },
          label: { type: 'string', description: "what to show: the id; a certificate's subject CN (else its first SAN)" },
          tags: { type: 'array', items: { type: 'string' }, description: "the organisation's tag names on the entity" },
        },
        required: ['id', 'kind', 'label', 'tags'],
      },
    },
    edges: {
      type: 'array',
      description: 'domain → IP or domain (resolves-to), certificate → IP (served-on), certificate → domain (names), domain → email (registrant)',
      items: {
        type: 'object',
        properties: {
          from: { type: 'string' },
          to: { type: 'string' },
          kind: { type: 'string', enum: ['resolves-to', 'served-on', 'names', 'registrant'] },
        },
        required: ['from', 'to', 'kind'],
      },
    },
    capped: { type: 'boolean', description: 'true when neighbours were left out (the limit was reached, or a node has more relations than are read)' },
  },
  required: ['nodes', 'edges', 'capped'],
} as const;

export function registerGraphRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/graph/:entity',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['graph'],
        summary: "an entity's neighbourhood as a graph: domains, IPs, certificates and registrant emails, with the organisation's tags",
        params: {
          type: 'object',
          properties: { entity: { type: 'string', minLength: 1, maxLength: 300, description: 'domain, IP, certificate SHA-1 / SHA-256, or a registrant email address' } },
          required: ['entity'],
        },
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            depth: { type: 'integer', minimum: 1, maximum: GRAPH_DEPTH.max, default: GRAPH_DEPTH.default, description: 'hops from the entity' },
            limit: { type: 'integer', minimum: 1, maximum: GRAPH_LIMIT.max, default: GRAPH_LIMIT.default, description: 'nodes at most (the entity included)' },
          },
          additionalProperties: false,
        },
        response: { 200: GRAPH_VIEW },
      },
    },
    async (request) => {
      const { org } = access(request);
      const { entity } = request.params as { entity: string };
      const { depth, limit } = request.query as { depth: number; limit: number };
      return entityGraph(ctx.store, org, entity, { depth, limit });
    },
  );
}
