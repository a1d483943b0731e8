// The brand page (/brands, /brands/:brand; docs/LOOKALIKE.md "The brand page"): the brands the
// organisation's look-alike signatures protect, and one brand's look-alikes found so far grouped
// by family, each with what a decision needs (registration, addresses, certificate, why) and one
// click to classify it (the entity's own classification route) or to exclude it from the
// signature that found it (a new signature version: it leaves this page).
import type { JSX } from 'preact';
import { get, post, put, type Answer } from '../api.js';
import { formatDay, parseTime } from '../dates.js';
import { DomainName } from '../domain-name.js';
import { entityHref, Link } from '../router.js';
import { Can, ErrorText, Feedback, ListView, Section, Table, useLoad, useMutation, when } from '../ui.js';
import './brands.css';

type BrandList = Answer<'/api/v1/brands', 'get'>;
type BrandView = Answer<'/api/v1/brands/{brand}', 'get'>;
type Lookalike = BrandView['families'][number]['items'][number];
type Excluded = Answer<'/api/v1/brands/{brand}/exclusion', 'post'>;

const brandPath = (brand: string): string => `/brands/${encodeURIComponent(brand)}`;

/** The day in the browser's zone; the stored time in UTC on hover. */
function Day({ iso }: { iso: string | null }): JSX.Element {
  const t = parseTime(iso);
  if (t === undefined) return <span class="muted">—</span>;
  return (
    <time dateTime={iso ?? ''} title={when(iso)}>
      {formatDay(t)}
    </time>
  );
}

export function BrandsPage(): JSX.Element {
  const res = useLoad(() => get<BrandList>('/brands'), []);
  return (
    <div class="page" data-testid="page-brands">
      <div class="page-head">
        <h1>Brands</h1>
      </div>
      <ErrorText error={res.error} />
      <Section title="Brands your look-alike signatures protect">
        <ListView res={res} items={(d) => d} empty={<>No brand yet: a signature with <code>match: lookalike</code> names its brands as patterns.</>}>
          {(brands) => (
            <Table head={['Brand', 'Signatures', 'Look-alikes found']} testid="brand-list">
              {brands.map((b) => (
                <tr key={b.brand} data-testid={`brand-${b.brand}`}>
                  <td>
                    <Link href={brandPath(b.brand)}>{b.brand}</Link>
                  </td>
                  <td>
                    {b.patterns.map((p, i) => (
                      <span key={`${p.signature}:${p.pattern}`}>
                        {i > 0 ? ', ' : ''}
                        <Link href={`/signatures/${encodeURIComponent(p.signature)}`}>{p.signature}</Link>
                        {p.pattern !== b.brand ? <span class="muted"> ({p.pattern})</span> : null}
                      </span>
                    ))}
                  </td>
                  <td class="num">{b.lookalikes}</td>
                </tr>
              ))}
            </Table>
          )}
        </ListView>
      </Section>
    </div>
  );
}

function Certificate({ c }: { c: Lookalike['certificate'] }): JSX.Element {
  if (!c) return <span class="muted">—</span>;
  return (
    <>
      <Link href={entityHref(c.sha256)} title={c.sha256}>
        <code>{c.sha256.slice(0, 12)}…</code>
      </Link>
      {c.issuer !== null ? <div class="small muted">{c.issuer}</div> : null}
    </>
  );
}

function Row({ l, busy, classify, exclude }: { l: Lookalike; busy: boolean; classify: (l: Lookalike, value: string) => void; exclude: (l: Lookalike) => void }): JSX.Element {
  return (
    <tr data-testid={`lookalike-${l.entity}`}>
      <td>
        <Link href={entityHref(l.entity)}>{l.kind === 'domain' ? <DomainName name={l.entity} /> : l.entity}</Link>
        <div class="small muted">
          by <Link href={`/signatures/${encodeURIComponent(l.signature)}`}>{l.signature}</Link>
        </div>
      </td>
      <td class="small">{l.why}</td>
      <td>
        <Day iso={l.registered} />
      </td>
      <td class="small">{l.ips.length > 0 ? l.ips.map((ip) => <div key={ip}><Link href={entityHref(ip)}>{ip}</Link></div>) : <span class="muted">—</span>}</td>
      <td class="small">
        <Certificate c={l.certificate} />
      </td>
      <td>
        <Day iso={l.found} />
      </td>
      <td>{l.classification ? <span class={`cls cls-${l.classification.value}`}>{l.classification.value}</span> : <span class="muted">—</span>}</td>
      <td>
        <Can role="analyst">
          <div class="brand-actions">
            <button type="button" class="small" disabled={busy} aria-label={`classify ${l.entity} malicious`} onClick={() => classify(l, 'malicious')}>
              Malicious
            </button>
            <button type="button" class="small" disabled={busy} aria-label={`classify ${l.entity} non-malicious`} onClick={() => classify(l, 'non-malicious')}>
              Not malicious
            </button>
            {l.signature.includes('/') ? (
              // A pack's signature runs as publisher/pack/id: only its publisher changes it.
              <span class="small muted">pack signature: its publisher excludes</span>
            ) : (
              <button type="button" class="small" disabled={busy} aria-label={`exclude ${l.value} from ${l.signature}`} onClick={() => exclude(l)}>
                Exclude
              </button>
            )}
          </div>
        </Can>
      </td>
    </tr>
  );
}

export function BrandPage({ brand }: { brand: string }): JSX.Element {
  const res = useLoad(() => get<BrandView>(brandPath(brand)), [brand]);
  const writes = useMutation();
  const classify = (l: Lookalike, value: string): void =>
    void writes.run(async () => {
      await put(`/entities/${encodeURIComponent(l.entity)}/classification`, { classification: value });
      return `${l.entity} classified ${value}`;
    }, res.reload);
  const exclude = (l: Lookalike): void =>
    void writes.run(async () => {
      const r = await post<Excluded>(`${brandPath(brand)}/exclusion`, { signature: l.signature, value: l.value });
      return `${r.signature} version ${r.version} excludes ${r.pattern}; ${r.withdrawn.tags} tags withdrawn`;
    }, res.reload);
  const v = res.data;
  return (
    <div class="page" data-testid="page-brand">
      <div class="page-head">
        <h1>Look-alikes of {brand}</h1>
        <div class="actions">
          <Link href="/brands" class="button">
            All brands
          </Link>
        </div>
      </div>
      <ErrorText error={res.error} />
      <Feedback m={writes} />
      {v ? (
        <p class="muted" data-testid="brand-summary">
          {v.total} found so far by {v.patterns.map((p) => p.signature).join(', ')}; grouped by the first (most specific) family of each hit, newest first.
        </p>
      ) : null}
      <ListView res={res} items={(d) => d.families} empty="No look-alike found yet: hits of the brand's signatures appear here as feeds and ingests bring them.">
        {(families) =>
          families.map((f) => (
            <Section key={f.family} title={`${f.family} (${f.total})`} testid={`family-${f.family}`}>
              {f.items.length < f.total ? <p class="muted small">The newest {f.items.length} of {f.total}.</p> : null}
              <Table head={['Look-alike', 'Why', 'Registered', 'Resolves to', 'Certificate', 'Found', 'Classification', { hidden: 'Actions' }]} class="table small brand-table">
                {f.items.map((l) => (
                  <Row key={`${l.kind}:${l.entity}`} l={l} busy={writes.busy} classify={classify} exclude={exclude} />
                ))}
              </Table>
            </Section>
          ))
        }
      </ListView>
    </div>
  );
}
