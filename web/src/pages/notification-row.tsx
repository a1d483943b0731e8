// One notification under triage: its headline (the signature's title and the entity, hashes
// shortened), status chip, assignee and comments; for analysts and admins the controls that
// change them, and — once it is marked a false positive — the exclusion its signature is offered.
// Viewers see the same facts and no control that writes.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { NOTIFICATION_STATUSES } from '../../generated/api.js';
import { get, post, request, type Answer } from '../api.js';
import { DomainName } from '../domain-name.js';
import { entityHref, Link } from '../router.js';
import { ErrorText, Feedback, Severity, Spinner, useLoad, useMutation, when } from '../ui.js';

export type TriageItem = Answer<'/api/v1/notifications', 'get'>['items'][number];
export type Member = Answer<'/api/v1/notifications/assignees', 'get'>[number];
type Detail = Answer<'/api/v1/notifications/{id}', 'get'>;
type Offer = Answer<'/api/v1/notifications/{id}/exclusion', 'get'>;
type Added = Answer<'/api/v1/notifications/{id}/exclusion', 'post'>;
export type Status = (typeof NOTIFICATION_STATUSES)[number];

export const STATUS_LABEL: Record<Status, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  false_positive: 'False positive',
};

/** A hex hash as its first 8 and last 5 digits (the API's headlines do the same). */
export function shortHash(text: string): string {
  return /^[0-9a-f]{32,}$/i.test(text) ? `${text.slice(0, 8)}…${text.slice(-5)}` : text;
}

export function StatusChip({ status }: { status: Status }): JSX.Element {
  return <span class={`nstatus nstatus-${status}`}>{STATUS_LABEL[status]}</span>;
}

function Comments({ n, canWrite, onChanged }: { n: TriageItem; canWrite: boolean; onChanged: () => void }): JSX.Element {
  const detail = useLoad(() => get<Detail>(`/notifications/${encodeURIComponent(n.id)}`), [n.id]);
  const writes = useMutation();
  const [text, setText] = useState('');
  const add = (e: Event): void => {
    e.preventDefault();
    void writes.run(async () => {
      await post(`/notifications/${encodeURIComponent(n.id)}/comments`, { text });
      setText('');
    }, () => {
      detail.reload();
      onChanged();
    });
  };
  const label = `comment on ${n.display}`;
  return (
    <div class="ncomments" data-testid="comments">
      <ErrorText error={detail.error} />
      {detail.data ? (
        detail.data.comments.length === 0 ? (
          <p class="muted small">No comments yet.</p>
        ) : (
          <ol class="ncomment-list">
            {detail.data.comments.map((c) => (
              <li key={c.seq}>
                <span class="small muted">
                  {c.author} · {when(c.at)}
                </span>
                <p>{c.text}</p>
              </li>
            ))}
          </ol>
        )
      ) : (
        <Spinner on={detail.loading} />
      )}
      {canWrite ? (
        <form class="row" onSubmit={add}>
          <label class="grow">
            <span class="sr-only">{label}</span>
            <textarea aria-label={label} rows={2} maxLength={4000} required value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="comment-text" />
          </label>
          <button type="submit" class="small" disabled={writes.busy || text.trim() === ''}>
            Add comment
          </button>
        </form>
      ) : null}
      <Feedback m={writes} />
    </div>
  );
}

/** The exclude pattern signatures.md lets a false positive add to its signature. */
export function Exclusion({ n, canWrite, onChanged }: { n: TriageItem; canWrite: boolean; onChanged: () => void }): JSX.Element {
  const offer = useLoad(() => get<Offer>(`/notifications/${encodeURIComponent(n.id)}/exclusion`), [n.id]);
  const writes = useMutation();
  const sigHref = `/signatures/${encodeURIComponent(n.signature)}`;
  const add = (): Promise<void> =>
    writes.run(async () => {
      const r = await post<Added>(`/notifications/${encodeURIComponent(n.id)}/exclusion`);
      const withdrawn = r.withdrawn.tags + r.withdrawn.classifications;
      return `Signature ${r.signature} is now version ${r.version}: it no longer fires on ${shortHash(n.value)}${withdrawn > 0 ? ` (${withdrawn} of its tags and classifications withdrawn)` : ''}.`;
    }, () => {
      offer.reload();
      onChanged();
    });
  const o = offer.data;
  return (
    <div class="nexclusion" data-testid="exclusion" role="group" aria-label={`exclusion for ${n.display}`}>
      <ErrorText error={offer.error} />
      <Feedback m={writes} />
      {!o ? (
        <Spinner on={offer.loading} />
      ) : o.applicable ? (
        <>
          <p class="small">
            A false positive: signature <Link href={sigHref}>{o.signature}</Link> can exclude this {o.field} value with the {o.match} exclude pattern <code data-testid="exclusion-pattern">{o.pattern}</code>. That
            makes a new version of the signature; what it added on this value is withdrawn.
          </p>
          <div class="buttons">
            {canWrite ? (
              <button type="button" class="small primary" disabled={writes.busy} onClick={() => void add()} data-testid="add-exclusion">
                Add the exclusion to {o.signature}
              </button>
            ) : null}
            <Link href={sigHref} class="button small">
              Open {o.signature} in the editor
            </Link>
          </div>
        </>
      ) : writes.note ? null : (
        <p class="small muted">
          No exclusion to add: {o.reason}. <Link href={sigHref}>Open the signature</Link>.
        </p>
      )}
    </div>
  );
}

export interface RowProps {
  readonly n: TriageItem;
  readonly canWrite: boolean;
  readonly members: readonly Member[];
  /** Present when rows can be selected for a bulk action. */
  readonly selected?: boolean;
  readonly onSelect?: (id: string, on: boolean) => void;
  /** After any write: the list (and its totals) load again. */
  readonly onChanged: () => void;
  /**
   * Once marked a false positive: the list shows the exclusion offer where it stays in view,
   * even when the row itself leaves a filtered list.
   */
  readonly onFalsePositive: (n: TriageItem) => void;
}

export function TriageRow({ n, canWrite, members, selected, onSelect, onChanged, onFalsePositive }: RowProps): JSX.Element {
  const writes = useMutation();
  const [open, setOpen] = useState<'comments' | 'exclusion' | undefined>(undefined);
  const id = encodeURIComponent(n.id);
  const patch = (body: { status?: Status; assignee?: string | null }): Promise<void> =>
    writes.run(async () => {
      const after = await request<TriageItem>('PATCH', `/notifications/${id}`, { json: body });
      if (body.status === 'false_positive') onFalsePositive(after);
    }, onChanged);
  const markRead = (): Promise<void> =>
    writes.run(async () => {
      await post('/notifications/read', { ids: [n.id], read: !n.read });
    }, onChanged);
  const toggle = (what: 'comments' | 'exclusion'): void => setOpen(open === what ? undefined : what);
  return (
    <li class={`notif triage ${n.read ? 'read' : 'unread'}`} data-testid="notification" data-status={n.status}>
      {onSelect ? <input type="checkbox" class="nselect" checked={selected ?? false} onChange={(e) => onSelect(n.id, e.currentTarget.checked)} aria-label={`select ${n.display}`} /> : null}
      <Severity value={n.severity} />
      <div class="notif-body">
        <div class="nhead">
          <strong title={n.headline}>{n.display}</strong> <StatusChip status={n.status} />
        </div>
        <div class="muted small">
          <Link href={entityHref(n.entity)} title={n.entity}>
            {n.kind === 'domain' ? <DomainName name={n.entity} /> : shortHash(n.entity)}
          </Link>{' '}
          · {n.field} = <code title={n.value}>{shortHash(n.value)}</code> · signature{' '}
          <Link href={`/signatures/${encodeURIComponent(n.signature)}`}>{n.signature}</Link> · {when(n.created)}
          {n.assignee ? <> · assigned to {n.assignee}</> : null}
          {n.status_by && n.status_at ? (
            <>
              {' '}
              · {STATUS_LABEL[n.status].toLowerCase()} by {n.status_by}, {when(n.status_at)}
            </>
          ) : null}
        </div>
        <div class="nactions">
          {canWrite ? (
            <>
              <button type="button" class="small" disabled={writes.busy} onClick={() => void markRead()} aria-label={`mark ${n.read ? 'unread' : 'read'}: ${n.display}`}>
                {n.read ? 'Mark unread' : 'Mark read'}
              </button>
              <label class="inline small">
                Status
                <select value={n.status} disabled={writes.busy} onChange={(e) => void patch({ status: e.currentTarget.value as Status })} aria-label={`status of ${n.display}`} data-testid="row-status">
                  {NOTIFICATION_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABEL[s]}
                    </option>
                  ))}
                </select>
              </label>
              <label class="inline small">
                Assignee
                <select value={n.assignee ?? ''} disabled={writes.busy} onChange={(e) => void patch({ assignee: e.currentTarget.value || null })} aria-label={`assignee of ${n.display}`} data-testid="row-assignee">
                  <option value="">nobody</option>
                  {members.map((m) => (
                    <option key={m.email} value={m.email}>
                      {m.email}
                    </option>
                  ))}
                  {n.assignee && !members.some((m) => m.email === n.assignee) ? <option value={n.assignee}>{n.assignee} (no longer a member)</option> : null}
                </select>
              </label>
            </>
          ) : (
            <span class="muted small">{n.read ? 'read' : 'unread'}</span>
          )}
          <button type="button" class="small link" aria-expanded={open === 'comments'} onClick={() => toggle('comments')} aria-label={`comments on ${n.display} (${n.comments})`}>
            {n.comments === 1 ? '1 comment' : `${n.comments} comments`}
          </button>
          {n.status === 'false_positive' ? (
            <button type="button" class="small link" aria-expanded={open === 'exclusion'} onClick={() => toggle('exclusion')} aria-label={`exclusion for ${n.display}`}>
              Exclusion…
            </button>
          ) : null}
        </div>
        <Feedback m={writes} />
        {open === 'comments' ? <Comments n={n} canWrite={canWrite} onChanged={onChanged} /> : null}
        {open === 'exclusion' ? <Exclusion n={n} canWrite={canWrite} onChanged={onChanged} /> : null}
      </div>
    </li>
  );
}
