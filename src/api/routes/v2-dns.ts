// PassiveTotal v2 passive DNS: what a domain resolved to, or which names resolved to an IP, one
// record per resolve and record type with every source that saw it.
import type { FastifyInstance } from 'fastify';
import { identify } from '../../services/lookup.js';
import { access } from '../auth.js';
import { badRequest } from '../errors.js';
import { ptDateTime } from '../presenters/passivetotal.js';
import type { AppContext } from '../server.js';
import { passiveDnsRows, passiveDnsSummary, type PassiveDnsQuery } from '../../store/passivetotal-queries.js';
import { PASSIVE_DNS_PARAMS, PASSIVE_DNS_RESPONSE, PT_TAG, querystring } from './v2-schemas.js';

/** At most this many records per answer (the most recently seen); totalRecords counts them all. */
export const PASSIVE_DNS_LIMIT = 1000;
/** Rows read to build them (one row per source). */
const ROWS = 10_000;

interface PassiveDnsRecord {
  resolve: string;
  resolveType: 'ip' | 'domain';
  recordType: string;
  firstSeen: string | null;
  lastSeen: string | null;
  sources: Set<string>;
}

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
      access(request);
      const q = request.query as { query: string; start?: string; end?: string };
      const ref = identify(q.query);
      if (!ref || ref.kind === 'certificate') throw badRequest(`"${q.query}" is not a domain or an IP address`);
      const start = isoParam(q.start, false);
      const end = isoParam(q.end, true);
      const p: PassiveDnsQuery = {
        column: ref.kind === 'domain' ? 'domain' : 'value',
        key: ref.id,
        ...(start !== undefined ? { start } : {}),
        ...(end !== undefined ? { end } : {}),
      };
      const records = new Map<string, PassiveDnsRecord>();
      for (const r of await passiveDnsRows(ctx.store.db, p, ROWS)) {
        const resolve = ref.kind === 'domain' ? r.value : r.domain;
        const key = `${r.rrtype}\0${resolve}`;
        let rec = records.get(key);
        if (!rec) {
          rec = {
            resolve,
            resolveType: ref.kind === 'ip' || (r.rrtype !== 'A' && r.rrtype !== 'AAAA') ? 'domain' : 'ip',
            recordType: r.rrtype,
            firstSeen: r.firstSeen,
            lastSeen: r.lastSeen,
            sources: new Set(),
          };
          records.set(key, rec);
        }
        if (r.firstSeen !== null && (rec.firstSeen === null || r.firstSeen < rec.firstSeen)) rec.firstSeen = r.firstSeen;
        if (r.lastSeen !== null && (rec.lastSeen === null || r.lastSeen > rec.lastSeen)) rec.lastSeen = r.lastSeen;
        rec.sources.add(r.source);
      }
      const sorted = [...records.values()].sort((a, b) => {
        if (a.lastSeen !== b.lastSeen) {
          if (a.lastSeen === null) return 1;
          if (b.lastSeen === null) return -1;
          return a.lastSeen > b.lastSeen ? -1 : 1;
        }
        const x = `${a.resolve}\0${a.recordType}`;
        const y = `${b.resolve}\0${b.recordType}`;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      const summary = await passiveDnsSummary(ctx.store.db, p);
      return {
        queryValue: q.query,
        queryType: ref.kind,
        firstSeen: ptDateTime(summary.firstSeen),
        lastSeen: ptDateTime(summary.lastSeen),
        totalRecords: summary.total,
        results: sorted.slice(0, PASSIVE_DNS_LIMIT).map((r) => ({
          resolve: r.resolve,
          resolveType: r.resolveType,
          recordType: r.recordType,
          firstSeen: ptDateTime(r.firstSeen),
          lastSeen: ptDateTime(r.lastSeen),
          collected: ptDateTime(r.lastSeen),
          source: [...r.sources].sort(),
          value: ref.id,
        })),
      };
    },
  );
}
