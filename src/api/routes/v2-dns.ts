// PassiveTotal v2 passive DNS: what a domain resolved to, or which names resolved to an IP, one
// record per resolve and record type with every source that saw it.
import type { FastifyInstance } from 'fastify';
import { identify } from '../../services/lookup.js';
import { liveFirst } from './v2-live.js';
import { access } from '../auth.js';
import { badRequest } from '../errors.js';
import { ptDateTime } from '../presenters/passivetotal.js';
import type { AppContext } from '../context.js';
import { PASSIVE_DNS_LIMIT, passiveDns } from '../../services/passivetotal.js';
import { PASSIVE_DNS_PARAMS, PASSIVE_DNS_RESPONSE, PT_TAG, querystring } from './v2-schemas.js';

export { PASSIVE_DNS_LIMIT } from '../../services/passivetotal.js';

/** `YYYY-MM-DD` (start of day, or end of day for `end`) or `YYYY-MM-DD HH:MM:SS` → ISO. */
function isoParam(text: string | undefined, end: boolean): string | undefined {
  if (text === undefined) return undefined;
  const day = text.slice(0, 10);
  const time = text.length > 10 ? text.slice(11, 19) : end ? '23:59:59' : '00:00:00';
  const iso = `${day}T${time}Z`;
  if (Number.isNaN(new Date(iso).getTime())) throw badRequest(`${end ? 'end' : 'start'} is not a valid time`);
  return iso;
}

export function registerV2Dns(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/dns/passive',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: `passive DNS of a domain or an IP, at most ${PASSIVE_DNS_LIMIT} records (most recently seen first)`,
        querystring: querystring(PASSIVE_DNS_PARAMS),
        response: { 200: PASSIVE_DNS_RESPONSE },
      },
    },
    async (request) => {
      const { org } = access(request);
      const q = request.query as { query: string; start?: string; end?: string };
      const ref = identify(q.query);
      if (!ref || ref.kind === 'certificate') throw badRequest(`"${q.query}" is not a domain or an IP address`);
      await liveFirst(ctx, org, ref);
      const start = isoParam(q.start, false);
      const end = isoParam(q.end, true);
      const dns = await passiveDns(ctx.store, { kind: ref.kind, id: ref.id }, { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) });
      return {
        queryValue: q.query,
        queryType: ref.kind,
        firstSeen: ptDateTime(dns.firstSeen),
        lastSeen: ptDateTime(dns.lastSeen),
        totalRecords: dns.total,
        results: dns.records.map((r) => ({
          resolve: r.resolve,
          resolveType: r.resolveType,
          recordType: r.recordType,
          firstSeen: ptDateTime(r.firstSeen),
          lastSeen: ptDateTime(r.lastSeen),
          collected: ptDateTime(r.lastSeen),
          source: r.sources,
          value: ref.id,
        })),
      };
    },
  );
}
