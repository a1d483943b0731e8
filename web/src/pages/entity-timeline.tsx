// The entity page's history: its dates (a domain's age from WHOIS, a certificate's validity
// now), passive DNS (every resolution with first / last seen, type, count and source) and
// certificate history (where a certificate was served and on which port; which certificates an
// IP served or name a domain, each flagged expired / not yet valid), as sortable tables with a
// timeline chart in the table's order. Relations come from /entities/{id}/relations page by page.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { get, type Answer, type EntityView } from '../api.js';
import { ageText, daysUntil, LocalTime, parseTime, validityAt, ValidityBadge, type Validity } from '../dates.js';
import { entityHref, Link } from '../router.js';
import { SortTable, useSorted, type SortColumn } from '../sort-table.js';
import { Empty, ErrorText, Section, Spinner, useLoad } from '../ui.js';
import { TimelineChart } from './timeline-chart.js';
import './entity-research.css';

type Relation = Answer<'/api/v1/entities/{entity}/relations', 'get'>['items'][number];
type CertificateRecord = Answer<'/api/v1/certificates/{hash}', 'get'>;

const PAGE = 1000;
/** Relations read at most (pages of PAGE): a busier name says it is cut. */
const MAX_PAGES = 5;
/** Certificates whose subject and validity are read for a table, the most recently seen first. */
const MAX_CERTIFICATES = 50;
/** Certificate reads in flight at once. */
const CONCURRENCY = 4;

async function allRelations(id: string): Promise<{ items: Relation[]; cut: boolean }> {
  const items: Relation[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await get<Answer<'/api/v1/entities/{entity}/relations', 'get'>>(`/entities/${encodeURIComponent(id)}/relations`, { limit: PAGE, cursor });
    items.push(...answer.items);
    if (answer.next === null) return { items, cut: false };
    cursor = answer.next;
  }
  return { items, cut: true };
}

interface CertificateFacts {
  readonly label: string;
  readonly notBefore: string | undefined;
  readonly notAfter: string | undefined;
}

function factsOf(c: CertificateRecord): CertificateFacts {
  const f = c.fields;
  return { label: f['x509.subject.common_name']?.[0] ?? f['x509.alternative_names']?.[0] ?? '', notBefore: f['x509.not_before']?.[0], notAfter: f['x509.not_after']?.[0] };
}

/** Subject and validity of each certificate of `ids` (those not stored, or failing, are left out). */
async function certificateFacts(ids: readonly string[]): Promise<Map<string, CertificateFacts>> {
  const out = new Map<string, CertificateFacts>();
  const queue = [...ids];
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        out.set(id, factsOf(await get<CertificateRecord>(`/certificates/${id}`, { encoding: 'der' })));
      } catch {
        // A certificate that cannot be read is shown by its hash, without a validity flag.
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

const shortHash = (sha: string): string => `${sha.slice(0, 12)}…`;
const seen = (r: { last: string | null; first: string | null }): number | null => parseTime(r.last ?? r.first) ?? null;

/** An entity in a cell: a link to its page unless it is the page's own, or not an entity at all. */
function EntityCell({ id, self, entity }: { id: string; self: string; entity: boolean }): JSX.Element {
  if (id === self) return <strong>{id}</strong>;
  return entity ? <Link href={entityHref(id)}>{id}</Link> : <code>{id}</code>;
}

// ---- Dates -----------------------------------------------------------------------------------

function DateRow({ label, iso, children, testid }: { label: string; iso: string | undefined; children?: JSX.Element | string | null; testid?: string }): JSX.Element | null {
  if (!iso) return null;
  return (
    <div class="field" data-testid={testid}>
      <dt>{label}</dt>
      <dd>
        <span>
          <LocalTime iso={iso} /> {children}
        </span>
      </dd>
    </div>
  );
}

function Dates({ view, now }: { view: EntityView; now: number }): JSX.Element | null {
  const one = (f: string): string | undefined => view.fields[f]?.[0];
  if (view.kind === 'domain') {
    const created = one('whois.created');
    const expires = one('whois.expires');
    if (!created && !expires && !one('whois.updated')) return null;
    const age = created ? ageText(created, now) : undefined;
    const left = expires ? daysUntil(expires, now) : undefined;
    return (
      <Section title="Dates" testid="dates">
        <dl class="fields">
          <DateRow label="Registered" iso={created} testid="domain-created">
            {age ? (
              <span class="muted" data-testid="domain-age">
                ({age === 'in the future' ? 'in the future' : `${age} old`})
              </span>
            ) : null}
          </DateRow>
          <DateRow label="Updated" iso={one('whois.updated')} />
          <DateRow label="Expires" iso={expires}>
            {left === undefined ? null : left < 0 ? (
              <span class="flag flag-expired">expired</span>
            ) : (
              <span class="muted">(in {left} days)</span>
            )}
          </DateRow>
        </dl>
      </Section>
    );
  }
  if (view.kind === 'certificate') {
    const notBefore = one('x509.not_before');
    const notAfter = one('x509.not_after');
    if (!notBefore && !notAfter) return null;
    const validity = validityAt(notBefore, notAfter, now);
    const left = notAfter ? daysUntil(notAfter, now) : undefined;
    return (
      <Section title="Dates" testid="dates" actions={<ValidityBadge validity={validity} />}>
        <dl class="fields">
          <DateRow label="Valid from" iso={notBefore} />
          <DateRow label="Valid until" iso={notAfter}>
            {validity === 'valid' && left !== undefined ? <span class="muted">({left} days left)</span> : null}
          </DateRow>
        </dl>
      </Section>
    );
  }
  return null;
}

// ---- Passive DNS -----------------------------------------------------------------------------

interface DnsRow {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly value: string;
  /** Whether the value is an entity with a page (not TXT text or a wildcard). */
  readonly valueEntity: boolean;
  readonly first: string | null;
  readonly last: string | null;
  readonly count: number | undefined;
  readonly source: string;
}

function dnsRows(self: string, relations: readonly Relation[]): DnsRow[] {
  const rows: DnsRow[] = [];
  relations.forEach((r, i) => {
    const base = { key: `${i}`, type: r.rrtype ?? '', first: r.first_seen, last: r.last_seen, count: r.count, source: r.source };
    if (r.kind === 'resolves-to') rows.push({ ...base, name: self, value: r.id, valueEntity: r.to !== null });
    else if (r.kind === 'resolved-from') rows.push({ ...base, name: r.id, value: self, valueEntity: true });
  });
  return rows;
}

function dnsColumns(self: string): SortColumn<DnsRow>[] {
  return [
    { id: 'name', label: 'Name', sort: (r) => r.name, cell: (r) => <EntityCell id={r.name} self={self} entity /> },
    { id: 'type', label: 'Type', sort: (r) => r.type, cell: (r) => r.type },
    { id: 'value', label: 'Value', sort: (r) => r.value, cell: (r) => <EntityCell id={r.value} self={self} entity={r.valueEntity} /> },
    { id: 'first', label: 'First seen', sort: (r) => parseTime(r.first) ?? null, cell: (r) => <LocalTime iso={r.first} />, class: 'when', descendingFirst: true },
    { id: 'last', label: 'Last seen', sort: (r) => parseTime(r.last) ?? null, cell: (r) => <LocalTime iso={r.last} />, class: 'when', descendingFirst: true },
    { id: 'count', label: 'Count', sort: (r) => r.count ?? null, cell: (r) => (r.count === undefined ? '' : r.count.toLocaleString()), class: 'num', descendingFirst: true },
    { id: 'source', label: 'Source', sort: (r) => r.source, cell: (r) => r.source },
  ];
}

function PassiveDns({ self, relations }: { self: string; relations: readonly Relation[] }): JSX.Element {
  const rows = useMemo(() => dnsRows(self, relations), [self, relations]);
  const columns = useMemo(() => dnsColumns(self), [self]);
  const { sorted, state, sortBy } = useSorted(rows, columns, { column: 'last', descending: true });
  return (
    <Section title="Passive DNS" testid="pdns" actions={<span class="muted small">{rows.length.toLocaleString()} resolutions</span>}>
      {rows.length === 0 ? (
        <Empty>No resolutions stored.</Empty>
      ) : (
        <>
          <SortTable columns={columns} rows={sorted} state={state} sortBy={sortBy} rowKey={(r) => r.key} testid="pdns-table" caption={`Passive DNS of ${self}`} />
          <TimelineChart
            title="Passive DNS timeline"
            testid="pdns-chart"
            spans={sorted.map((r) => ({ key: r.key, label: r.name === self ? `${r.type} ${r.value}` : `${r.name} ${r.type}`, first: r.first, last: r.last }))}
          />
        </>
      )}
    </Section>
  );
}

// ---- Certificate history ---------------------------------------------------------------------

interface CertRow {
  readonly key: string;
  /** The certificate (SHA-256), when the row's other end is one. */
  readonly cert: string | undefined;
  /** The IP, when the row's other end is one (a certificate's page). */
  readonly ip: string | undefined;
  readonly port: number | undefined;
  readonly first: string | null;
  readonly last: string | null;
  readonly source: string;
  readonly label: string;
  readonly validity: Validity | undefined;
}

const CERT_KINDS: Record<EntityView['kind'], Relation['kind']> = { certificate: 'served-on', ip: 'serves', domain: 'named-by' };
const CERT_TITLES: Record<EntityView['kind'], string> = { certificate: 'Where it was served', ip: 'Certificates it served', domain: 'Certificates naming it' };
const VALIDITY_ORDER: Record<Validity, number> = { expired: 0, 'not-yet-valid': 1, valid: 2, unknown: 3 };

function certColumns(kind: EntityView['kind'], self: string): SortColumn<CertRow>[] {
  const times: SortColumn<CertRow>[] = [
    { id: 'first', label: 'First seen', sort: (r) => parseTime(r.first) ?? null, cell: (r) => <LocalTime iso={r.first} />, class: 'when', descendingFirst: true },
    { id: 'last', label: 'Last seen', sort: (r) => parseTime(r.last) ?? null, cell: (r) => <LocalTime iso={r.last} />, class: 'when', descendingFirst: true },
    { id: 'source', label: 'Source', sort: (r) => r.source, cell: (r) => r.source },
  ];
  const port: SortColumn<CertRow> = { id: 'port', label: 'Port', sort: (r) => r.port ?? null, cell: (r) => (r.port === undefined ? '' : String(r.port)), class: 'num' };
  if (kind === 'certificate') return [{ id: 'ip', label: 'IP', sort: (r) => r.ip ?? null, cell: (r) => <EntityCell id={r.ip ?? ''} self={self} entity /> }, port, ...times];
  const cert: SortColumn<CertRow> = {
    id: 'cert',
    label: 'Certificate',
    sort: (r) => r.label,
    cell: (r) => (
      <span class="cert-cell">
        {r.label !== shortHash(r.cert ?? '') ? <span>{r.label}</span> : null}
        <Link href={entityHref(r.cert ?? '')} title={r.cert}>
          <code>{shortHash(r.cert ?? '')}</code>
        </Link>
      </span>
    ),
  };
  const validity: SortColumn<CertRow> = { id: 'validity', label: 'Validity now', sort: (r) => (r.validity === undefined ? null : VALIDITY_ORDER[r.validity]), cell: (r) => (r.validity ? <ValidityBadge validity={r.validity} /> : <span class="muted">—</span>) };
  return kind === 'ip' ? [cert, port, ...times, validity] : [cert, ...times, validity];
}

function CertificateHistory({ view, relations, now }: { view: EntityView; relations: readonly Relation[]; now: number }): JSX.Element {
  const mine = useMemo(() => relations.filter((r) => r.kind === CERT_KINDS[view.kind]), [relations, view.kind]);
  // The subjects and validity of the certificates most recently seen (certificate pages list IPs: nothing to read).
  const certIds = useMemo(() => {
    if (view.kind === 'certificate') return [];
    const newest = [...mine].sort((a, b) => (seen({ first: b.first_seen, last: b.last_seen }) ?? 0) - (seen({ first: a.first_seen, last: a.last_seen }) ?? 0));
    return [...new Set(newest.map((r) => r.id))].slice(0, MAX_CERTIFICATES);
  }, [mine, view.kind]);
  const facts = useLoad(() => certificateFacts(certIds), [certIds.join(',')]);
  const rows = useMemo(
    (): CertRow[] =>
      mine.map((r, i) => {
        const isCert = view.kind !== 'certificate';
        const f = isCert ? facts.data?.get(r.id) : undefined;
        return {
          key: `${i}`,
          cert: isCert ? r.id : undefined,
          ip: isCert ? undefined : r.id,
          port: r.port,
          first: r.first_seen,
          last: r.last_seen,
          source: r.source,
          label: isCert ? f?.label || shortHash(r.id) : `${r.id}${r.port === undefined ? '' : `:${r.port}`}`,
          validity: f ? validityAt(f.notBefore, f.notAfter, now) : undefined,
        };
      }),
    [mine, facts.data, view.kind, now],
  );
  const columns = useMemo(() => certColumns(view.kind, view.id), [view.kind, view.id]);
  const { sorted, state, sortBy } = useSorted(rows, columns, { column: 'last', descending: true });
  const unread = view.kind !== 'certificate' ? new Set(mine.map((r) => r.id)).size - certIds.length : 0;
  return (
    <Section title={CERT_TITLES[view.kind]} testid="cert-history" actions={<span class="muted small">{rows.length.toLocaleString()} rows</span>}>
      {rows.length === 0 ? (
        <Empty>{view.kind === 'certificate' ? 'Not seen served on any IP.' : 'No certificates stored.'}</Empty>
      ) : (
        <>
          <SortTable columns={columns} rows={sorted} state={state} sortBy={sortBy} rowKey={(r) => r.key} testid="cert-table" caption={CERT_TITLES[view.kind]} />
          {unread > 0 ? <p class="muted small">Subject and validity are read for the {MAX_CERTIFICATES} most recently seen certificates; {unread} more are shown by hash.</p> : null}
          <TimelineChart title="Certificate timeline" testid="cert-chart" spans={sorted.map((r) => ({ key: r.key, label: r.label, first: r.first, last: r.last }))} />
        </>
      )}
    </Section>
  );
}

// ---- The whole history -----------------------------------------------------------------------

/** Dates, passive DNS and certificate history of the entity `view` shows. */
export function EntityTimelines({ view }: { view: EntityView }): JSX.Element {
  // One "now" per view: every flag and age on the page is computed from the same moment.
  const now = useMemo(() => Date.now(), [view.id]);
  const res = useLoad(() => allRelations(view.id), [view.id]);
  const relations = res.data?.items;
  return (
    <div class="timelines" data-testid="timelines">
      <Dates view={view} now={now} />
      <ErrorText error={res.error} />
      {!relations ? (
        <Spinner on={res.loading} />
      ) : (
        <>
          {res.data?.cut ? <p class="notice small">The first {(PAGE * MAX_PAGES).toLocaleString()} relations are shown; there are more.</p> : null}
          {view.kind !== 'certificate' ? <PassiveDns self={view.id} relations={relations} /> : null}
          <CertificateHistory view={view} relations={relations} now={now} />
        </>
      )}
    </div>
  );
}
