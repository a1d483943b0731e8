// Bulk triage: on the rows selected on this page, or on all N notifications matching the filter
// — never on more. The API gets the list's own filter with either the ids or `matching: true`,
// so the server changes exactly what the list counted (issue 15's "Mark all read" bug).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { NOTIFICATION_STATUSES } from '../../generated/api.js';
import { post, type Answer } from '../api.js';
import { Feedback, useMutation } from '../ui.js';
import { apiQuery, type Filters } from './notification-filters.js';
import { STATUS_LABEL, type Member, type Status } from './notification-row.js';

type Updated = Answer<'/api/v1/notifications/triage', 'post'>;

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

export function BulkBar({ filters, total, selected, members, onDone }: { filters: Filters; total: number; selected: readonly string[]; members: readonly Member[]; onDone: () => void }): JSX.Element {
  const writes = useMutation();
  const [scope, setScope] = useState<'selected' | 'all'>(selected.length > 0 ? 'selected' : 'all');
  const [status, setStatus] = useState<Status>('acknowledged');
  const [assignee, setAssignee] = useState('');
  // Selecting rows makes them the scope; clearing the selection goes back to the filter.
  useEffect(() => setScope(selected.length > 0 ? 'selected' : 'all'), [selected.length > 0]);
  const which = scope === 'selected' ? { ids: [...selected] } : { matching: true };
  const what = scope === 'selected' ? plural(selected.length, 'selected notification') : `all ${plural(total, 'notification')} matching this filter`;
  const read = (on: boolean): Promise<void> =>
    writes.run(async () => {
      const r = await post<{ updated: number }>('/notifications/read', { ...which, read: on }, apiQuery(filters));
      return `${plural(r.updated, 'notification')} marked ${on ? 'read' : 'unread'}.`;
    }, onDone);
  const triage = (change: { status?: Status; assignee?: string | null }): Promise<void> =>
    writes.run(async () => {
      const r = await post<Updated>('/notifications/triage', { ...which, ...change }, apiQuery(filters));
      return `${plural(r.updated, 'notification')} changed.`;
    }, onDone);
  return (
    <div class="nbulk" role="group" aria-label="bulk actions" data-testid="bulk-bar">
      <label>
        Apply to
        <select value={scope} onChange={(e) => setScope(e.currentTarget.value as 'selected' | 'all')} data-testid="bulk-scope">
          <option value="selected" disabled={selected.length === 0}>
            the {plural(selected.length, 'selected notification')}
          </option>
          <option value="all">all {plural(total, 'notification')} matching this filter</option>
        </select>
      </label>
      <button type="button" class="small" disabled={writes.busy || (scope === 'selected' && selected.length === 0)} onClick={() => void read(true)} aria-label={`mark ${what} read`} data-testid="bulk-read">
        Mark read
      </button>
      <button type="button" class="small" disabled={writes.busy || (scope === 'selected' && selected.length === 0)} onClick={() => void read(false)} aria-label={`mark ${what} unread`}>
        Mark unread
      </button>
      <span class="nbulk-set">
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)} aria-label="status to set" data-testid="bulk-status">
          {NOTIFICATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <button type="button" class="small" disabled={writes.busy} onClick={() => void triage({ status })} aria-label={`set the status of ${what}`} data-testid="bulk-set-status">
          Set status
        </button>
      </span>
      <span class="nbulk-set">
        <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} aria-label="member to assign">
          <option value="">nobody</option>
          {members.map((m) => (
            <option key={m.email} value={m.email}>
              {m.email}
            </option>
          ))}
        </select>
        <button type="button" class="small" disabled={writes.busy} onClick={() => void triage({ assignee: assignee || null })} aria-label={`assign ${what}`}>
          Assign
        </button>
      </span>
      <Feedback m={writes} />
    </div>
  );
}
