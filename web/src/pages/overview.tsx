// Overview: the notification summary, a 30-day chart, recent notifications, and the search box;
// and the search results page (any catalogue field).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { get, looksLikeEntity, type IngestJob, type Notification, type Page, type SearchItem, type Summary } from '../api.js';
import { DomainName } from '../domain-name.js';
import { entityHref, href, Link, navigate } from '../router.js';
import { FeedsPanel } from './feeds.js';
import { shortHash } from './notification-row.js';
import { Empty, ErrorText, ListView, Pager, Section, Severity, Spinner, Table, useLoad, usePager, when } from '../ui.js';

function days(n: number, end: Date): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(new Date(end.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

export function DayChart({ perDay }: { perDay: Summary['perDay'] }): JSX.Element {
  const counts = new Map(perDay.map((d) => [d.day, d.count]));
  const range = days(30, new Date());
  const max = Math.max(1, ...range.map((d) => counts.get(d) ?? 0));
  const W = 600;
  const H = 120;
  const bw = W / range.length;
  const total = range.reduce((s, d) => s + (counts.get(d) ?? 0), 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H + 18}`} role="img" aria-label={`Notifications per day, last 30 days: ${total} in all, at most ${max} a day`} data-testid="day-chart">
        <line x1="0" y1={H} x2={W} y2={H} class="axis" />
        {range.map((d, i) => {
          const c = counts.get(d) ?? 0;
          const h = (c / max) * (H - 10);
          return (
            <g key={d}>
              <rect x={i * bw + 2} y={H - h} width={bw - 4} height={h} class="bar">
                <title>{`${d}: ${c}`}</title>
              </rect>
              {(i % 7 === 0 && i < range.length - 4) || i === range.length - 1 ? (
                <text x={i === 0 ? 0 : i === range.length - 1 ? W : i * bw + bw / 2} y={H + 14} class="tick" text-anchor={i === 0 ? 'start' : i === range.length - 1 ? 'end' : 'middle'}>
                  {d.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">
        Notifications per day, last 30 days ({total} in all; busiest day {max}).
      </figcaption>
    </figure>
  );
}

const FIELD_HINTS = ['domain', 'domain.registered', 'domain.skeleton', 'ip', 'network', 'as.number', 'as.name', 'whois.registrant.email', 'whois.registrar', 'whois.name_servers', 'x509.subject.common_name', 'x509.issuer.organization', 'x509.alternative_names', 'x509.sha256'];

export function SearchBox({ initial }: { initial?: { field?: string; value?: string; mode?: string } }): JSX.Element {
  const [value, setValue] = useState(initial?.value ?? '');
  const [field, setField] = useState(initial?.field ?? '');
  const [mode, setMode] = useState(initial?.mode ?? 'exact');
  const [hint, setHint] = useState<string | undefined>();
  const submit = (e: Event): void => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    // "field=value" typed in the box is a field search too.
    const typed = /^([a-z0-9_.]+)=(.+)$/i.exec(v);
    const f = field.trim() || (typed ? typed[1]! : '');
    const val = typed && !field.trim() ? typed[2]! : v;
    if (!f && looksLikeEntity(val)) {
      navigate(entityHref(val.toLowerCase()));
      return;
    }
    if (!f) {
      setHint('That is not a domain, IP or certificate hash: choose a field to search it in.');
      return;
    }
    setHint(undefined);
    navigate(href('/search', { field: f, value: val, mode }));
  };
  return (
    <form class="search" role="search" onSubmit={submit} data-testid="search-form">
      <label class="grow">
        Search
        <input
          type="search"
          name="q"
          placeholder="domain, IP, certificate hash — or a value with a field"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          data-testid="search-input"
        />
      </label>
      <label>
        Field (optional)
        <input type="text" name="field" list="field-hints" placeholder="e.g. whois.registrant.email" value={field} onInput={(e) => setField(e.currentTarget.value)} />
        <datalist id="field-hints">
          {FIELD_HINTS.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
      </label>
      <label>
        Match
        <select value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
          <option value="exact">exact</option>
          <option value="prefix">prefix</option>
          <option value="regex">regex</option>
        </select>
      </label>
      <button type="submit" class="primary">
        Search
      </button>
      <p class="hint muted" aria-live="polite">
        {hint ?? ''}
      </p>
    </form>
  );
}

export function NotificationRow({ n, onRead }: { n: Notification; onRead?: (n: Notification) => void }): JSX.Element {
  return (
    <li class={n.read ? 'notif read' : 'notif unread'} data-testid="notification">
      <Severity value={n.severity} />
      <div class="notif-body">
        <div>
          <strong title={n.headline}>{n.display}</strong>
        </div>
        <div class="muted small">
          <Link href={entityHref(n.entity)} title={n.entity}>
            {n.kind === 'domain' ? <DomainName name={n.entity} /> : shortHash(n.entity)}
          </Link>{' '}
          · {n.field} = <code title={n.value}>{shortHash(n.value)}</code> · signature{' '}
          <Link href={`/signatures/${encodeURIComponent(n.signature)}`}>{n.signature}</Link> · {when(n.created)}
        </div>
      </div>
      {onRead ? (
        <button type="button" class="small" onClick={() => onRead(n)} aria-label={`mark ${n.read ? 'unread' : 'read'}: ${n.headline || n.entity}`}>
          {n.read ? 'Mark unread' : 'Mark read'}
        </button>
      ) : (
        <span class="muted small">{n.read ? 'read' : 'unread'}</span>
      )}
    </li>
  );
}

export function OverviewPage(): JSX.Element {
  const summary = useLoad(() => get<Summary>('/notifications/summary'), []);
  const recent = useLoad(() => get<Page<Notification>>('/notifications', { limit: 8 }), []);
  const ingest = useLoad(() => get<IngestJob[]>('/ingest'), []);
  const s = summary.data;
  return (
    <div class="page" data-testid="page-overview">
      <h1>Overview</h1>
      <SearchBox />
      <div class="grid2">
        <Section title="Notification summary" testid="summary">
          <ErrorText error={summary.error} />
          {s ? (
            <>
              <div class="stats">
                <Link href={href('/notifications', { unread: true })} class="stat" data-testid="unread-count">
                  <span class="num">{s.unread}</span> unread
                </Link>
                <span class="stat">
                  <span class="num">{s.total}</span> in all
                </span>
                {(['high', 'medium', 'low'] as const).map((sev) => (
                  <Link key={sev} href={href('/notifications', { unread: true, severity: sev })} class={`stat stat-${sev}`}>
                    <span class="num">{s.unreadBySeverity[sev] ?? 0}</span> {sev}
                  </Link>
                ))}
              </div>
              <DayChart perDay={s.perDay} />
              <h3>Unread by signature</h3>
              {Object.keys(s.unreadBySignature).length === 0 ? (
                <Empty>Nothing unread.</Empty>
              ) : (
                <ul class="bysig" data-testid="unread-by-signature">
                  {Object.entries(s.unreadBySignature)
                    .sort((a, b) => b[1] - a[1])
                    .map(([sig, n]) => (
                      <li key={sig}>
                        <Link href={href('/notifications', { unread: true, signature: sig })}>{sig}</Link>
                        <span class="count">{n}</span>
                      </li>
                    ))}
                </ul>
              )}
            </>
          ) : (
            <Spinner on={summary.loading} />
          )}
        </Section>
        <Section title="Recent notifications" testid="recent" actions={<Link href="/notifications">All notifications →</Link>}>
          <ErrorText error={recent.error} />
          <ListView res={recent} items={(d) => d.items} empty="No notifications yet.">
            {(items) => (
              <ul class="notifs">
                {items.map((n) => (
                  <NotificationRow key={n.id} n={n} />
                ))}
              </ul>
            )}
          </ListView>
        </Section>
        <Section title="Ingest activity" testid="ingest-activity" actions={<Link href="/ingest">Ingest →</Link>}>
          <ErrorText error={ingest.error} />
          <ListView res={ingest} items={(d) => d} empty="No ingest jobs since the server started.">
            {(items) => (
              <Table head={['Started', 'Format', 'Status', 'Summary']} class="table small">
                {items.slice(0, 8).map((j) => (
                  <tr key={j.id}>
                    <td>
                      <Link href={`/ingest/${encodeURIComponent(j.id)}`} aria-label={`Ingest job ${j.format} started ${when(j.created)}`}>
                        {when(j.created)}
                      </Link>
                    </td>
                    <td>{j.format}</td>
                    <td>
                      <span class={`status status-${j.status}`}>{j.status}</span>
                    </td>
                    <td>
                      {j.summary.read} read, {Object.values(j.summary.stored).reduce((a, b) => a + b, 0)} stored, {j.summary.rejected} rejected · {j.summary.actions.tags} tags, {j.summary.actions.notifications} notifications
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </ListView>
        </Section>
        <FeedsPanel />
      </div>
    </div>
  );
}

export function SearchPage({ query }: { query: URLSearchParams }): JSX.Element {
  const field = query.get('field') ?? '';
  const value = query.get('value') ?? '';
  const mode = query.get('mode') ?? 'exact';
  const pager = usePager();
  const key = `${field}\u0000${value}\u0000${mode}`;
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    pager.reset();
  }
  const res = useLoad(
    () => (value ? get<Page<SearchItem> & { scanned: number }>('/search', { field, value, mode, limit: 50, cursor: pager.cursor }) : Promise.resolve(undefined)),
    [key, pager.cursor],
  );
  return (
    <div class="page" data-testid="page-search">
      <h1>Search</h1>
      <SearchBox key={key} initial={{ field, value, mode }} />
      <Section title={value ? `${field || 'entity'} ${mode} “${value}”` : 'Results'}>
        <ErrorText error={res.error} />
        <Spinner on={res.loading} />
        {res.data ? (
          <>
            {res.data.items.length === 0 ? (
              <Empty>No entity on this page of the scan has that value{res.data.next ? '; the next page may.' : '.'}</Empty>
            ) : (
              <Table head={['Entity', 'Kind', 'Field', 'Value']}>
                {res.data.items.map((it) => (
                  <tr key={`${it.kind}:${it.id}`}>
                    <td>
                      <Link href={entityHref(it.id)}><DomainName name={it.id} /></Link>
                    </td>
                    <td>{it.kind}</td>
                    <td>{it.field}</td>
                    <td>
                      <code>{it.value}</code>
                    </td>
                  </tr>
                ))}
              </Table>
            )}
            <p class="muted small">{res.data.scanned} rows read for this page.</p>
            <Pager pager={pager} shown={res.data} />
          </>
        ) : null}
      </Section>
    </div>
  );
}
