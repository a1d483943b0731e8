// The notification list's filters, all in the URL: unread, severity, status, assignee, the
// signature's title (a substring) or id (exact, from a link), since; the view (list or grouped)
// and the page. The same filter goes to the API for the list, the groups and every bulk action,
// so "all N matching" is exactly what the list counted.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { NOTIFICATION_STATUSES } from '../../generated/api.js';
import { SEVERITIES } from '../api.js';
import { href, Link, navigate } from '../router.js';
import { Options } from '../ui.js';
import { STATUS_LABEL, type Member } from './notification-row.js';

export interface Filters {
  readonly unread: boolean;
  readonly severity: string;
  readonly status: string;
  readonly assignee: string;
  readonly title: string;
  readonly signature: string;
  readonly since: string;
}

export type View = 'list' | 'groups';

export function filtersOf(query: URLSearchParams): Filters {
  const g = (k: string): string => query.get(k) ?? '';
  return { unread: g('unread') === '1', severity: g('severity'), status: g('status'), assignee: g('assignee'), title: g('title'), signature: g('signature'), since: g('since') };
}

/** The API's query for a filter (empty ones left out by the fetch helper). */
export function apiQuery(f: Filters): Record<string, string | boolean | undefined> {
  return { unread: f.unread || undefined, severity: f.severity, status: f.status, assignee: f.assignee, title: f.title, signature: f.signature, since: f.since };
}

/** The page's URL for a filter, view and page (page 1 and the list view are the defaults). */
export function notificationsHref(f: Filters, view: View, page = 1): string {
  return href('/notifications', { ...f, view: view === 'groups' ? 'groups' : undefined, page: page > 1 ? String(page) : undefined });
}

export function FilterForm({ filters, view, members }: { filters: Filters; view: View; members: readonly Member[] }): JSX.Element {
  const [title, setTitle] = useState(filters.title);
  const [since, setSince] = useState(filters.since);
  // The URL is the truth: back, forward and Clear update the form.
  useEffect(() => {
    setTitle(filters.title);
    setSince(filters.since);
  }, [filters.title, filters.since]);
  // A change of filter starts again at page 1.
  const set = (changes: Partial<Filters>): void => navigate(notificationsHref({ ...filters, ...changes }, view));
  return (
    <form
      class="filters"
      aria-label="filters"
      onSubmit={(e) => {
        e.preventDefault();
        set({ title: title.trim(), since });
      }}
    >
      <label class="check">
        <input type="checkbox" checked={filters.unread} onChange={(e) => set({ unread: e.currentTarget.checked })} data-testid="filter-unread" /> Unread only
      </label>
      <label>
        Severity
        <select value={filters.severity} onChange={(e) => set({ severity: e.currentTarget.value })} data-testid="filter-severity">
          <option value="">any</option>
          <Options values={SEVERITIES} />
        </select>
      </label>
      <label>
        Status
        <select value={filters.status} onChange={(e) => set({ status: e.currentTarget.value })} data-testid="filter-status">
          <option value="">any</option>
          {NOTIFICATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assignee
        <select value={filters.assignee} onChange={(e) => set({ assignee: e.currentTarget.value })} data-testid="filter-assignee">
          <option value="">anyone</option>
          <option value="none">nobody</option>
          {members.map((m) => (
            <option key={m.email} value={m.email}>
              {m.email}
            </option>
          ))}
        </select>
      </label>
      <label>
        Signature title
        <input type="search" value={title} onInput={(e) => setTitle(e.currentTarget.value)} placeholder="words of the title, or the id" data-testid="filter-title" />
      </label>
      <label>
        Since
        <input type="date" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
      </label>
      <button type="submit">Apply</button>
      <Link href={notificationsHref(filtersOf(new URLSearchParams()), view)} class="button">
        Clear
      </Link>
      {filters.signature ? (
        <span class="nfilter-chip">
          signature <code>{filters.signature}</code>{' '}
          <Link href={notificationsHref({ ...filters, signature: '' }, view)} aria-label={`stop filtering by signature ${filters.signature}`}>
            ×
          </Link>
        </span>
      ) : null}
    </form>
  );
}

export function ViewSwitch({ filters, view }: { filters: Filters; view: View }): JSX.Element {
  return (
    <nav class="tabs nview" aria-label="notification layout">
      <Link href={notificationsHref(filters, 'list')} class={view === 'list' ? 'active' : ''} aria-current={view === 'list' ? 'page' : undefined} data-testid="view-list">
        List
      </Link>
      <Link href={notificationsHref(filters, 'groups')} class={view === 'groups' ? 'active' : ''} aria-current={view === 'groups' ? 'page' : undefined} data-testid="view-groups">
        Grouped by signature
      </Link>
    </nav>
  );
}

/** "26–50 of 339" and Previous / Next as links, the page in the URL. */
export function PageLinks({ filters, view, page, size, total, shown }: { filters: Filters; view: View; page: number; size: number; total: number; shown: number }): JSX.Element {
  const first = total === 0 ? 0 : (page - 1) * size + 1;
  const last = (page - 1) * size + shown;
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <nav class="pager" aria-label="pages">
      <span data-testid="page-range">
        {first}–{last} of {total}
      </span>
      {page > 1 ? (
        <Link href={notificationsHref(filters, view, page - 1)} class="button">
          ← Previous
        </Link>
      ) : (
        <button type="button" disabled>
          ← Previous
        </button>
      )}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link href={notificationsHref(filters, view, page + 1)} class="button" data-testid="next-page">
          Next →
        </Link>
      ) : (
        <button type="button" disabled>
          Next →
        </button>
      )}
    </nav>
  );
}
