// Entity page: a domain, IP or certificate as an analyst reads it — fields grouped (WHOIS and its
// contacts; certificate subject, issuer, validity, SANs, conformance problems; network and AS),
// tags with their provenance, the classification (settable by hand), related entities, manual tags.
// WHOIS, certificate, AS and network values link to their pivot, with counts (pivot.tsx).
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { CLASSIFICATIONS, del, get, post, put, type EntityView, type Tag } from '../api.js';
import { DomainName, LookalikeWarning } from '../domain-name.js';
import { countOf, isPivotField, PivotValue, useValueCounts } from '../pivot.js';
import { entityHref, Link } from '../router.js';
import { Can, Empty, ErrorText, Feedback, Section, Spinner, useLoad, useMutation, when } from '../ui.js';
import { EntityGraph } from './entity-graph.js';
import { EntityTimelines } from './entity-timeline.js';
import { DATE_FIELDS, LocalTime } from '../dates.js';

interface Group {
  title: string;
  fields: [string, string[]][];
}

const CONTACT_ROLES = ['registrant', 'admin', 'tech', 'billing', 'abuse'];

function groupOf(field: string): string {
  if (field.startsWith('whois.')) {
    const role = field.split('.')[1] ?? '';
    if (CONTACT_ROLES.includes(role)) return `WHOIS ${role} contact`;
    if (field === 'whois.raw') return 'WHOIS raw';
    return 'WHOIS';
  }
  if (field.startsWith('x509.subject.')) return 'Certificate subject';
  if (field.startsWith('x509.issuer.')) return 'Certificate issuer';
  if (field === 'x509.not_before' || field === 'x509.not_after') return 'Certificate validity';
  if (field === 'x509.alternative_names') return 'Subject alternative names';
  // What the certificate breaks (a malformed extension, a bad encoding): kept, never refused.
  if (field === 'x509.problems') return 'Conformance problems';
  if (field.startsWith('x509.')) return 'Certificate';
  if (field.startsWith('network.')) return 'Network registration';
  if (field === 'ip' || field === 'network' || field.startsWith('as.')) return 'Network and AS';
  if (field === 'domain' || field.startsWith('domain.')) return 'Domain';
  return field.split('.')[0] ?? 'Other';
}

const ORDER = ['Domain', 'WHOIS', 'WHOIS registrant contact', 'WHOIS admin contact', 'WHOIS tech contact', 'WHOIS billing contact', 'WHOIS abuse contact', 'Certificate subject', 'Certificate issuer', 'Certificate validity', 'Subject alternative names', 'Certificate', 'Conformance problems', 'Network and AS', 'Network registration', 'WHOIS raw'];

function groups(fields: Record<string, string[]>): Group[] {
  const by = new Map<string, [string, string[]][]>();
  for (const [f, v] of Object.entries(fields)) {
    const g = groupOf(f);
    by.set(g, [...(by.get(g) ?? []), [f, v]]);
  }
  const rank = (g: string): number => (ORDER.includes(g) ? ORDER.indexOf(g) : ORDER.length - 1);
  return [...by.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0])).map(([title, fs]) => ({ title, fields: fs.sort((a, b) => a[0].localeCompare(b[0])) }));
}

function label(field: string, group: string): string {
  const short = field.replace(/^whois\.(registrant|admin|tech|billing|abuse)\./, '').replace(/^x509\.(subject|issuer)\./, '').replace(/^(whois|x509)\./, '');
  return group === 'Domain' || group === 'Network and AS' ? field : short.replace(/_/g, ' ');
}

function isEntityValue(field: string): boolean {
  return field === 'x509.alternative_names' || field === 'whois.name_servers' || field === 'ip' || field === 'domain.registered';
}

function TagChip({ tag, entity, onChange }: { tag: Tag; entity: string; onChange: () => void }): JSX.Element {
  const [open, setOpen] = useState(false);
  const writes = useMutation();
  const id = `prov-${tag.source}-${tag.name}-${tag.signature ?? ''}`.replace(/[^a-z0-9_-]/gi, '_');
  const remove = (): Promise<void> =>
    writes.run(async () => {
      await del(`/entities/${encodeURIComponent(entity)}/tags/${encodeURIComponent(tag.name)}`);
    }, onChange);
  return (
    <li
      class="chip-wrap"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          e.currentTarget.querySelector<HTMLButtonElement>('button.chip')?.focus();
        }
      }}
    >
      <button type="button" class={`chip chip-${tag.source}`} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} data-testid={`tag-${tag.name}`}>
        {tag.name}
        <span class="chip-src">{tag.source === 'manual' ? 'manual' : 'auto'}</span>
      </button>
      {open ? (
        <div class="provenance" id={id} role="region" aria-label={`provenance of ${tag.name}`} data-testid="provenance">
          {tag.source === 'signature' ? (
            <dl>
              <dt>Signature</dt>
              <dd>
                <Link href={`/signatures/${encodeURIComponent(tag.signature ?? '')}`}>{tag.signature}</Link>
                {tag.signature_version !== undefined ? ` (version ${tag.signature_version})` : ''}
              </dd>
              <dt>Field</dt>
              <dd>
                <code>{tag.field}</code>
              </dd>
              <dt>Value</dt>
              <dd>
                <code>{tag.value}</code>
              </dd>
              {tag.pattern !== undefined ? (
                <>
                  <dt>Pattern</dt>
                  <dd>#{tag.pattern + 1}</dd>
                </>
              ) : null}
              {tag.why !== undefined ? (
                <>
                  <dt>Why</dt>
                  <dd data-testid="provenance-why">{tag.why}</dd>
                </>
              ) : null}
              <dt>First / last matched</dt>
              <dd>
                {when(tag.first_matched)} / {when(tag.last_matched)}
              </dd>
            </dl>
          ) : (
            <>
              <p>Added by hand.</p>
              <Can role="analyst">
                <button type="button" class="small danger" onClick={() => void remove()}>
                  Remove tag {tag.name}
                </button>
              </Can>
            </>
          )}
          <Feedback m={writes} />
        </div>
      ) : null}
    </li>
  );
}

/** What each live source did for this view (live.md): status, when, and why. */
function LiveSources({ live, onRefresh, busy }: { live: EntityView['live']; onRefresh: () => void; busy: boolean }): JSX.Element {
  return (
    <Section title="Live sources" testid="live">
      {live.length === 0 ? (
        // An operator who turned live look-ups off (offline, or no traffic towards what is
        // investigated) gets no button that would fetch anyway.
        <Empty>Live look-ups are off on this server (WARREN_LIVE=off): only stored data is shown.</Empty>
      ) : (
        <table class="table small live-sources">
          <thead>
            <tr>
              <th>Source</th>
              <th>Status</th>
              <th>At</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {live.map((l) => (
              <tr key={l.source} data-testid={`live-${l.source}`}>
                <td>{l.source}</td>
                <td>
                  <span class={`status status-${l.status}`}>{l.status}</span>
                </td>
                <td class="at">{when(l.at)}</td>
                <td class="detail">{l.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {live.length > 0 ? (
        <div class="buttons">
          <button type="button" class="small" onClick={onRefresh} disabled={busy} data-testid="live-refresh">
            {busy ? 'Refreshing…' : 'Refresh from the internet'}
          </button>
        </div>
      ) : null}
    </Section>
  );
}

export function EntityPage({ id }: { id: string }): JSX.Element {
  // The refresh button asks for one view with ?live=always; every other load uses the server's mode.
  const forceLive = useRef(false);
  const res = useLoad(() => {
    const always = forceLive.current;
    forceLive.current = false;
    return get<EntityView>(`/entities/${encodeURIComponent(id)}${always ? '?live=always' : ''}`);
  }, [id]);
  const refresh = (): void => {
    forceLive.current = true;
    res.reload();
  };
  const [newTag, setNewTag] = useState('');
  const writes = useMutation();
  const [cls, setCls] = useState('');
  const e = res.data;
  const counts = useValueCounts(id, e);
  const addTag = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (!newTag.trim()) return;
    await writes.run(async () => {
      await post(`/entities/${encodeURIComponent(id)}/tags`, { tag: newTag.trim() });
      setNewTag('');
    }, res.reload);
  };
  const classify = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (!cls) return;
    await writes.run(async () => {
      await put(`/entities/${encodeURIComponent(id)}/classification`, { classification: cls });
    }, res.reload);
  };
  const related = e ? [...(e.related.domains ?? []).map((d) => ['domain', d]), ...(e.related.ips ?? []).map((d) => ['ip', d]), ...(e.related.certificates ?? []).map((d) => ['certificate', d])] : [];
  return (
    <div class="page" data-testid="page-entity">
      <p class="crumbs">
        <Link href="/">Overview</Link> › entity
      </p>
      <h1 class="entity-title">
        {e ? <span class="kind">{e.kind}</span> : null} <span data-testid="entity-id">{e?.kind === 'domain' ? <DomainName name={e.id} unicode={e.fields['domain.unicode']?.[0]} /> : (e?.id ?? id)}</span>
        {e?.kind === 'certificate' && e.der === false ? (
          <span class="kind fields-only" data-testid="no-der" title="Known from a source that gave the certificate's fields but not its bytes (a Zeek x509.log, certstream without as_der, an export); completed when its DER arrives">
            fields only — no DER
          </span>
        ) : null}
      </h1>
      {e?.kind === 'domain' ? <LookalikeWarning name={e.id} unicode={e.fields['domain.unicode']?.[0] ?? e.id} skeleton={e.fields['domain.skeleton']?.[0]} /> : null}
      <ErrorText error={res.error} />
      {e && !e.known ? (
        <p class="notice" data-testid="nothing-known">
          Nothing known about {e.id}: no stored data{e.live.length > 0 ? ' and the live sources found nothing' : ''}. No signature was evaluated on the bare name.
        </p>
      ) : null}
      {!e ? (
        <Spinner on={res.loading} />
      ) : (
        <div class="grid-entity">
          <div>
            <Section title="Tags" testid="tags">
              {e.tags.length === 0 ? (
                <Empty>No tags.</Empty>
              ) : (
                <ul class="chips">
                  {e.tags.map((t) => (
                    <TagChip key={`${t.source}:${t.name}:${t.signature ?? ''}`} tag={t} entity={id} onChange={res.reload} />
                  ))}
                </ul>
              )}
              <Can role="analyst">
                <form class="inline" onSubmit={(ev) => void addTag(ev)}>
                  <label>
                    Add a tag by hand
                    <input type="text" value={newTag} maxLength={64} onInput={(ev) => setNewTag(ev.currentTarget.value)} />
                  </label>
                  <button type="submit">Add tag</button>
                </form>
              </Can>
            </Section>
            <Section title="Classification" testid="classification">
              <p>
                {e.classification?.value ? (
                  <span class={`cls cls-${e.classification.value}`} data-testid="classification-value">
                    {e.classification.value}
                  </span>
                ) : (
                  <span class="muted">not classified</span>
                )}{' '}
                {e.classification?.source ? (
                  <span class="muted small">
                    by {e.classification.source === 'signature' && e.classification.signature ? <Link href={`/signatures/${encodeURIComponent(e.classification.signature)}`}>{e.classification.signature}</Link> : e.classification.source}
                  </span>
                ) : null}
              </p>
              <Can role="analyst">
                <form class="inline" onSubmit={(ev) => void classify(ev)}>
                  <label>
                    Set by hand
                    <select value={cls} onChange={(ev) => setCls(ev.currentTarget.value)}>
                      <option value="">choose…</option>
                      {CLASSIFICATIONS.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="submit" disabled={!cls}>
                    Classify
                  </button>
                </form>
              </Can>
            </Section>
            <Feedback m={writes} />
            {e.kind !== 'certificate' ? <LiveSources live={e.live} onRefresh={refresh} busy={res.loading} /> : null}
            <Section title="Related entities" testid="related">
              {related.length === 0 ? (
                <Empty>None stored.</Empty>
              ) : (
                <ul class="related">
                  {related.map(([k, v]) => (
                    <li key={`${k}:${v}`}>
                      <span class="kind">{k}</span> <Link href={entityHref(v!)}>{k === 'domain' ? <DomainName name={v!} /> : v}</Link>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </div>
          <div>
            {groups(e.fields).length === 0 ? (
              <Section title="Fields">
                <Empty>No stored fields.</Empty>
              </Section>
            ) : (
              groups(e.fields).map((g) => (
                <Section key={g.title} title={g.title}>
                  <dl class="fields">
                    {g.fields.map(([f, vs]) => (
                      <div class="field" key={f}>
                        <dt title={f}>{label(f, g.title)}</dt>
                        <dd>
                          {f === 'whois.raw' ? (
                            <details>
                              <summary>raw reply</summary>
                              <pre>{vs.join('\n')}</pre>
                            </details>
                          ) : (
                            vs.map((v, i) => (
                              <span key={i} class={f === 'x509.problems' ? 'value problem' : 'value'}>
                                {isPivotField(f) ? (
                                  <>
                                    <PivotValue field={f} value={v} count={countOf(counts, f, v)} />
                                    {isEntityValue(f) && v !== e.id ? (
                                      <Link href={entityHref(v)} class="entity-jump" title={`open ${v}`} aria-label={`open entity ${v}`}>
                                        ↗
                                      </Link>
                                    ) : null}
                                  </>
                                ) : isEntityValue(f) && v !== e.id ? (
                                  <Link href={entityHref(v)}>{v}</Link>
                                ) : DATE_FIELDS.has(f) ? (
                                  <LocalTime iso={v} />
                                ) : (
                                  v
                                )}
                              </span>
                            ))
                          )}
                        </dd>
                      </div>
                    ))}
                  </dl>
                </Section>
              ))
            )}
          </div>
        </div>
      )}
      {e?.known ? (
        <div class="entity-research">
          <EntityTimelines key={e.id} view={e} />
          <EntityGraph entity={e.id} />
        </div>
      ) : null}
    </div>
  );
}
