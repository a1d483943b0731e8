// PassiveTotal v2 WHOIS: the newest record of a domain, and the search by field.
import type { FastifyInstance } from 'fastify';
import { identify } from '../../services/lookup.js';
import { liveFirst } from './v2-live.js';
import { access } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { presentWhois, whoisSearchValues, type WhoisSearchField } from '../presenters/passivetotal.js';
import type { AppContext } from '../context.js';
import { newestWhois, searchWhois, whoisFor } from '../../services/passivetotal.js';
import { PT_TAG, querystring, WHOIS_FIELD, WHOIS_RECORD, WHOIS_RESULTS } from './v2-schemas.js';

/** At most this many records per search. */
export const WHOIS_SEARCH_LIMIT = 100;

function domainOf(query: string): string {
  const ref = identify(query);
  if (ref?.kind !== 'domain') throw badRequest(`"${query}" is not a domain name`);
  return ref.id;
}

export function registerV2Whois(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/whois',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: "the domain's newest WHOIS record (its registrable domain's when it has none); 404 when there is none",
        querystring: querystring(),
        response: { 200: WHOIS_RECORD },
      },
    },
    async (request) => {
      const { org } = access(request);
      const domain = domainOf((request.query as { query: string }).query);
      await liveFirst(ctx, org, { kind: 'domain', id: domain });
      const rec = await whoisFor(ctx.store, domain);
      if (!rec) throw notFound(`WHOIS record for ${domain}`);
      return presentWhois(rec);
    },
  );

  app.get(
    '/whois/search',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: `domains whose newest WHOIS record has the value in the field (exact, case-insensitive, any contact), at most ${WHOIS_SEARCH_LIMIT}`,
        querystring: querystring({ field: WHOIS_FIELD }, ['query', 'field']),
        response: { 200: WHOIS_RESULTS },
      },
    },
    async (request) => {
      access(request);
      const { query, field } = request.query as { query: string; field: WhoisSearchField };
      const value = query.trim();
      if (value === '') throw badRequest('query must not be blank');
      if (field === 'domain') {
        const rec = await newestWhois(ctx.store, domainOf(value));
        return { results: rec ? [presentWhois(rec)] : [] };
      }
      const wanted = field === 'nameserver' ? value.replace(/\.$/, '') : value;
      const lower = wanted.toLowerCase();
      const found = await searchWhois(ctx.store, wanted, (rec) => whoisSearchValues(rec.fields, field).has(lower), WHOIS_SEARCH_LIMIT);
      return { results: found.map(presentWhois) };
    },
  );
}
