// PassiveTotal v2 WHOIS: the newest record of a domain, and the search by field.
import type { FastifyInstance } from 'fastify';
import { deriveDomainFields } from '../../fields/domain.js';
import { identify } from '../../services/lookup.js';
import { access } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { presentWhois, whoisSearchValues, type StoredWhois, type WhoisSearchField, type WhoisView } from '../presenters/passivetotal.js';
import type { AppContext } from '../server.js';
import { newestWhoisOf, whoisCandidateDomains } from '../../store/passivetotal-queries.js';
import { PT_TAG, querystring, WHOIS_FIELD, WHOIS_RECORD, WHOIS_RESULTS } from './v2-schemas.js';

/** At most this many records per search. */
export const WHOIS_SEARCH_LIMIT = 100;
/** Candidate domains read per page, and at most in all, by one search. */
const PAGE = 200;
const MAX_CANDIDATES = 50_000;

function domainOf(query: string): string {
  const ref = identify(query);
  if (ref?.kind !== 'domain') throw badRequest(`"${query}" is not a domain name`);
  return ref.id;
}

/** The newest record of the domain, else of its registrable domain (WHOIS is kept per registration). */
async function recordFor(ctx: AppContext, domain: string): Promise<StoredWhois | undefined> {
  const own = (await newestWhoisOf(ctx.store.db, [domain])).get(domain);
  if (own) return own;
  const registered = deriveDomainFields(domain)['domain.registered'];
  if (registered === undefined || registered === domain) return undefined;
  return (await newestWhoisOf(ctx.store.db, [registered])).get(registered);
}

async function search(ctx: AppContext, field: Exclude<WhoisSearchField, 'domain'>, value: string): Promise<WhoisView[]> {
  const wanted = value.toLowerCase();
  const out: WhoisView[] = [];
  let after: string | undefined;
  for (let seen = 0; seen < MAX_CANDIDATES && out.length < WHOIS_SEARCH_LIMIT; ) {
    const domains = await whoisCandidateDomains(ctx.store.db, value, after, PAGE);
    if (domains.length === 0) break;
    seen += domains.length;
    after = domains[domains.length - 1];
    // A candidate matched in some version; only its newest version counts (fields.md).
    const newest = await newestWhoisOf(ctx.store.db, domains);
    for (const d of domains) {
      const rec = newest.get(d);
      if (rec && whoisSearchValues(rec.fields, field).has(wanted)) out.push(presentWhois(rec));
      if (out.length >= WHOIS_SEARCH_LIMIT) break;
    }
    if (domains.length < PAGE) break;
  }
  return out;
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
      access(request);
      const domain = domainOf((request.query as { query: string }).query);
      const rec = await recordFor(ctx, domain);
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
        const rec = (await newestWhoisOf(ctx.store.db, [domainOf(value)])).values().next().value;
        return { results: rec ? [presentWhois(rec)] : [] };
      }
      return { results: await search(ctx, field, field === 'nameserver' ? value.replace(/\.$/, '') : value) };
    },
  );
}
