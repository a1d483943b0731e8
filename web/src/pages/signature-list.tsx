// Signatures: the organisation's list, a page at a time, with status, hits (entities: a link to
// their list on the pivot page) and last hit; each row opens the editor (signature-editor.tsx)
// and can be enabled or disabled in place.
import type { JSX } from 'preact';
import { get, post, type Page, type SignatureSummary } from '../api.js';
import { pivotHref } from '../pivot.js';
import { Link } from '../router.js';
import { Can, ErrorText, Feedback, ListView, Pager, Section, Table, useCan, useLoad, useMutation, usePager, when } from '../ui.js';

export function SignaturesPage(): JSX.Element {
  const pager = usePager();
  const res = useLoad(() => get<Page<SignatureSummary>>('/signatures', { limit: 25, cursor: pager.cursor }), [pager.cursor]);
  const writes = useMutation();
  const analyst = useCan('analyst');
  const toggle = (s: SignatureSummary): Promise<void> =>
    writes.run(async () => {
      await post(`/signatures/${encodeURIComponent(s.id)}/${s.enabled ? 'disable' : 'enable'}`);
    }, res.reload);
  return (
    <div class="page" data-testid="page-signatures">
      <div class="page-head">
        <h1>Signatures</h1>
        <div class="actions">
          <Link href="/packs" class="button" data-testid="packs-link">
            Packs
          </Link>
          <a href="/api/v1/signatures/export" download="signatures.yaml" class="button">
            Export all (YAML)
          </a>
          <Can role="analyst">
            <Link href="/signatures/new" class="button primary" data-testid="new-signature">
              New signature
            </Link>
          </Can>
        </div>
      </div>
      <ErrorText error={res.error} />
      <Feedback m={writes} />
      <Section title="Your organisation's signatures">
        <ListView res={res} items={(d) => d.items} empty="No signatures yet.">
          {(items) => (
            <Table head={['Id', 'Status', 'Field', 'Match', 'Actions', 'Hits', 'Last hit', 'Author', 'Version', 'Updated', 'Enabled']} testid="signature-list">
              {items.map((s) => (
                <tr key={s.id} data-testid={`sig-row-${s.id}`}>
                  <td>
                    <Link href={`/signatures/${encodeURIComponent(s.id)}`}>{s.id}</Link>
                    {s.title ? <div class="muted small">{s.title}</div> : null}
                  </td>
                  <td>
                    <span class={`sig-status sig-status-${s.status}`}>{s.status}</span>
                  </td>
                  <td>
                    <code>{s.field}</code>
                  </td>
                  <td>
                    {s.match} ×{s.patterns}
                  </td>
                  <td class="small">{s.actions.join(', ')}</td>
                  <td class="num" data-testid={`sig-hits-${s.id}`}>
                    {s.hits > 0 ? (
                      <Link href={pivotHref('signature', s.id)} title={`the ${s.hits} entities ${s.id} tags, classifies or alerted on`}>
                        {s.hits}
                      </Link>
                    ) : (
                      s.hits
                    )}
                  </td>
                  <td class="small">{s.last_hit ? when(s.last_hit) : <span class="muted">never</span>}</td>
                  <td class="small">{s.author ?? <span class="muted">—</span>}</td>
                  <td>{s.version}</td>
                  <td class="small">{when(s.updated)}</td>
                  <td>
                    {analyst ? (
                      <button type="button" class={s.enabled ? 'small on' : 'small off'} aria-pressed={s.enabled} aria-label={`${s.id} enabled`} onClick={() => void toggle(s)}>
                        {s.enabled ? 'Enabled' : 'Disabled'}
                      </button>
                    ) : (
                      <span class={s.enabled ? 'ok' : 'muted'}>{s.enabled ? 'Enabled' : 'Disabled'}</span>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </ListView>
        <Pager pager={pager} shown={res.data} />
      </Section>
    </div>
  );
}

