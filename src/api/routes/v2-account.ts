// PassiveTotal v2 account: who is calling, and their organisation's notifications.
import type { FastifyInstance } from 'fastify';
import { profile } from '../../services/accounts.js';
import { listNotifications } from '../../services/notifications.js';
import { access } from '../auth.js';
import { ptDateTime } from '../presenters/passivetotal.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';
import { ACCOUNT_RESPONSE, NOTIFICATIONS_RESPONSE, PT_TAG } from './v2-schemas.js';

/** At most this many notifications, newest first. */
export const NOTIFICATIONS_LIMIT = 1000;

export function registerV2Account(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/account',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: 'the caller: email, names, and the organisation the request acts in',
        querystring: { type: 'object', properties: ORG_QUERY },
        response: { 200: ACCOUNT_RESPONSE },
      },
    },
    async (request) => {
      const { principal, org } = access(request);
      const { firstName, lastName } = await profile(ctx.store, principal.email);
      return { username: principal.email, firstName, lastName, organization: org };
    },
  );

  app.get(
    '/account/notifications',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: `the organisation's notifications, newest first, at most ${NOTIFICATIONS_LIMIT}`,
        querystring: { type: 'object', properties: ORG_QUERY },
        response: { 200: NOTIFICATIONS_RESPONSE },
      },
    },
    async (request) => {
      const { principal, org } = access(request);
      const list = await listNotifications(ctx.store, org, { limit: NOTIFICATIONS_LIMIT });
      return {
        notifications: list.map((n) => ({ username: principal.email, headline: n.headline, generated: ptDateTime(n.created), content: n.content, type: 'alert' })),
      };
    },
  );
}
