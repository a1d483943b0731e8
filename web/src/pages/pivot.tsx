// Pivot page (/pivot?field=&value=, issue 15): every entity with a value, or on one of the
// organisation's lists (tag, classification, signature), a page at a time with the total, and
// the whole list as CSV or JSON.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { get, withQuery, type PivotPage as Answer } from '../api.js';
import { countText } from '../pivot.js';
import { entityHref, Link } from '../router.js';
import { Empty, ErrorText, Pager, Section, Spinner, Table, useLoad, usePager } from '../ui.js';

const PAGE = 50;
/** The server's cap on one export (GET /pivot?format=, warren-export-limit). */
const EXPORT_LIMIT = 10_000;

function Title({ field, value }: { field: string; value: string }): JSX.Element {
  switch (field) {
    case 'tag':
      return (
        <>
          Tag <span class="chip">{value}</span>
        </>
      );
    case 'classification':
      return (
        <>
          Classified <span class={`cls cls-${value}`}>{value}</span>
        </>
      );
    case 'signature':
      return (
        <>
          Hits of signature <Link href={`/signatures/${encodeURIComponent(value)}`}>{value}</Link>
        </>
      );
    default:
      return (
        <>
          <code>{field}</code> = <span class="pivot-value">{value}</span>
        </>
      );
  }
}

const LISTS: Record<string, string> = {
  tag: 'Entities carrying this tag, by hand or by a signature.',
  classification: 'Entities whose classification is this: set by hand, else the most severe a signature gave.',
  signature: 'Entities the signature currently tags or classifies, or raised a notification on.',
};

export function PivotPage({ query }: { query: URLSearchParams }): JSX.Element {
  const field = query.get('field') ?? '';
  const value = query.get('value') ?? '';
  const pager = usePager();
  const key = `${field}\u0000${value}`;
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    pager.reset();
  }
  const res = useLoad(() => (field && value ? get<Answer>('/pivot', { field, value, limit: PAGE, cursor: pager.cursor }) : Promise.resolve(undefined)), [key, pager.cursor]);
  const d = res.data;
  const exportHref = (format: string): string => withQuery('/api/v1/pivot', { field, value, format });
  const list = field in LISTS;
  return (
    <div class="page" data-testid="page-pivot">
      <p class="crumbs">
        <Link href="/">Overview</Link> › {list && field !== 'signature' ? <Link href="/tags">Tags</Link> : 'pivot'}
      </p>
      <div class="page-head">
        <h1 class="pivot-title">{field && value ? <Title field={field} value={value} /> : 'Pivot'}</h1>
        {field && value ? (
          <div class="actions">
            <a class="button" href={exportHref('csv')} download data-testid="export-csv">
              Export CSV
            </a>
            <a class="button" href={exportHref('json')} download data-testid="export-json">
              Export JSON
            </a>
            <a class="button" href={exportHref('stix')} download data-testid="export-stix" title="STIX 2.1 bundle: observables, indicators, relationships">
              STIX
            </a>
            <a class="button" href={exportHref('misp')} download data-testid="export-misp" title="MISP event (core format)">
              MISP
            </a>
          </div>
        ) : null}
      </div>
      {!field || !value ? <ErrorText error="Give a field and a value: /pivot?field=whois.registrant.email&value=…" /> : null}
      <ErrorText error={res.error} />
      {LISTS[field] ? <p class="muted">{LISTS[field]}</p> : null}
      <Section
        title="Entities"
        actions={
          d ? (
            <span class="pivot-total" data-testid="pivot-total">
              {countText(d.total, d.kind, d.total_complete)}
              {d.total_complete ? '' : ' (counting stopped at its cap)'}
            </span>
          ) : null
        }
      >
        {!d ? (
          <Spinner on={res.loading} />
        ) : (
          <>
            {d.items.length === 0 ? (
              <Empty>{d.next ? 'None on this part of the scan; the next page may hold some.' : 'No entity.'}</Empty>
            ) : (
              <Table head={list ? ['Entity', 'Kind'] : ['Entity', 'Kind', 'Value']} testid="pivot-list">
                {d.items.map((it) => (
                  <tr key={`${it.kind}:${it.id}`}>
                    <td>
                      <Link href={entityHref(it.id)}>{it.id}</Link>
                    </td>
                    <td>{it.kind}</td>
                    {list ? null : (
                      <td>
                        <code>{it.value}</code>
                      </td>
                    )}
                  </tr>
                ))}
              </Table>
            )}
            {d.total > EXPORT_LIMIT ? <p class="muted small">An export holds the first {EXPORT_LIMIT.toLocaleString('en-US')} entities.</p> : null}
            <Pager pager={pager} shown={d} />
          </>
        )}
      </Section>
    </div>
  );
}
