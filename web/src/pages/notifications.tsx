// Notifications: triage (issue 15) — filters, view (list or grouped by signature) and page in the
// URL with totals; status, assignee and comments per notification; bulk actions on the selected
// rows or on all N matching the filter, never more; the exclusion a false positive offers its
// signature. Viewers see everything and no control that writes. And the delivery channels (list,
// add, remove, test).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { currentOrg, del, get, post, type Answer, type Channel, type Me } from '../api.js';
import { Link } from '../router.js';
import { Can, ErrorText, Feedback, ListView, Section, Table, useCan, useLoad, useMutation, when } from '../ui.js';
import { BulkBar } from './notification-bulk.js';
import { apiQuery, FilterForm, filtersOf, PageLinks, ViewSwitch, type View } from './notification-filters.js';
import { GroupView } from './notification-groups.js';
import { Exclusion, TriageRow, type Member, type TriageItem } from './notification-row.js';
import './notifications.css';

type Listed = Answer<'/api/v1/notifications', 'get'>;
const PAGE_SIZE = 25;
/** What a view that is not shown loads. */
const NOTHING: Listed = { items: [], next: null, total: 0, offset: 0 };

function Tabs({ tab }: { tab: 'list' | 'channels' }): JSX.Element {
  return (
    <nav class="tabs" aria-label="notification views">
      <Link href="/notifications" class={tab === 'list' ? 'active' : ''} aria-current={tab === 'list' ? 'page' : undefined}>
        Notifications
      </Link>
      <Link href="/notifications/channels" class={tab === 'channels' ? 'active' : ''} aria-current={tab === 'channels' ? 'page' : undefined}>
        Delivery channels
      </Link>
    </nav>
  );
}

function NotificationList({ query, canWrite }: { query: URLSearchParams; canWrite: boolean }): JSX.Element {
  const filters = filtersOf(query);
  const view: View = query.get('view') === 'groups' ? 'groups' : 'list';
  const page = Math.max(1, Math.floor(Number(query.get('page'))) || 1);
  const key = JSON.stringify(filters);
  const [tick, setTick] = useState(0);
  const reload = (): void => setTick((t) => t + 1);
  const res = useLoad(() => (view === 'list' ? get<Listed>('/notifications', { ...apiQuery(filters), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }) : Promise.resolve(NOTHING)), [key, page, view, tick]);
  const members = useLoad(() => get<Member[]>('/notifications/assignees'), []);
  // Needed for "all N matching" in the grouped view too (the list's total comes with its page).
  const total = useLoad(() => (view === 'groups' ? get<Listed>('/notifications', { ...apiQuery(filters), limit: 1 }) : Promise.resolve(NOTHING)), [key, view, tick]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [shownFor, setShownFor] = useState(`${key}|${page}|${view}`);
  if (shownFor !== `${key}|${page}|${view}`) {
    // Another filter, page or view: what was selected is not on screen any more.
    setShownFor(`${key}|${page}|${view}`);
    setSelected(new Set());
  }
  const [offer, setOffer] = useState<TriageItem | undefined>(undefined);
  const writes = useMutation();
  const matching = view === 'list' ? res.data?.total : total.data?.total;
  const items = res.data?.items ?? [];
  const select = (id: string, on: boolean): void => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allOnPage = items.length > 0 && items.every((n) => selected.has(n.id));
  const markAllRead = (): Promise<void> =>
    writes.run(async () => {
      const r = await post<{ updated: number }>('/notifications/read', { matching: true, read: true }, apiQuery(filters));
      return `${r.updated} ${r.updated === 1 ? 'notification' : 'notifications'} marked read.`;
    }, reload);
  const people = members.data ?? [];
  return (
    <>
      <FilterForm filters={filters} view={view} members={people} />
      <ViewSwitch filters={filters} view={view} />
      {offer ? (
        <Section title={`False positive: ${offer.display}`} testid="exclusion-offer" actions={<button type="button" class="small" onClick={() => setOffer(undefined)}>Close</button>}>
          <Exclusion n={offer} canWrite={canWrite} onChanged={reload} />
        </Section>
      ) : null}
      <Section
        title={view === 'groups' ? 'Notifications by signature' : 'Notifications'}
        testid="notification-list"
        actions={
          canWrite && matching !== undefined && matching > 0 ? (
            <button type="button" onClick={() => void markAllRead()} disabled={writes.busy} data-testid="mark-all-read" aria-label={`mark all ${matching} notifications matching this filter read`}>
              Mark all {matching} matching read
            </button>
          ) : null
        }
      >
        <Feedback m={writes} />
        {canWrite && matching !== undefined && matching > 0 ? <BulkBar filters={filters} total={matching} selected={[...selected]} members={people} onDone={reload} /> : null}
        {view === 'groups' ? (
          <GroupView filters={filters} canWrite={canWrite} members={people} onFalsePositive={setOffer} page={page} reloadKey={tick} onChanged={reload} />
        ) : (
          <>
            <ErrorText error={res.error} />
            <ListView res={res} items={(d) => d.items} empty="No notifications match.">
              {(list) => (
                <>
                  {canWrite ? (
                    <label class="check small nselect-all">
                      <input
                        type="checkbox"
                        checked={allOnPage}
                        onChange={(e) => setSelected(e.currentTarget.checked ? new Set(list.map((n) => n.id)) : new Set())}
                        data-testid="select-page"
                      />{' '}
                      Select the {list.length} on this page
                    </label>
                  ) : null}
                  <ul class="notifs">
                    {list.map((n) => (
                      <TriageRow
                        key={n.id}
                        n={n}
                        canWrite={canWrite}
                        members={people}
                        {...(canWrite ? { selected: selected.has(n.id), onSelect: select } : {})}
                        onChanged={reload}
                        onFalsePositive={setOffer}
                      />
                    ))}
                  </ul>
                </>
              )}
            </ListView>
            {res.data ? <PageLinks filters={filters} view="list" page={page} size={PAGE_SIZE} total={res.data.total} shown={res.data.items.length} /> : null}
          </>
        )}
      </Section>
    </>
  );
}

function Channels(): JSX.Element {
  const res = useLoad(() => get<Channel[]>('/channels'), []);
  const writes = useMutation();
  // Adding, testing and removing channels are the organisation admin's (the routes' auth).
  const admin = useCan('admin');
  const [form, setForm] = useState({ name: '', type: 'webhook', url: '', secret: '', format: 'json', to: '', digest: '' });
  const add = async (e: Event): Promise<void> => {
    e.preventDefault();
    const body =
      form.type === 'webhook'
        ? { name: form.name, type: 'webhook', url: form.url, format: form.format, ...(form.secret ? { secret: form.secret } : {}) }
        : { name: form.name, type: 'email', to: form.to, ...(form.digest ? { digest: form.digest } : {}) };
    await writes.run(async () => {
      await post('/channels', body);
      setForm({ ...form, name: '', url: '', secret: '', to: '' });
      return `Channel ${body.name} added.`;
    }, res.reload);
  };
  const test = (name: string): Promise<void> =>
    writes.run(async () => {
      const r = await post<Answer<'/api/v1/channels/{name}/test', 'post'>>(`/channels/${encodeURIComponent(name)}/test`);
      return r.ok ? `Test message sent through ${name}.` : `Test through ${name} failed: ${r.message ?? r.error ?? 'unknown error'}`;
    });
  const remove = async (name: string): Promise<void> => {
    if (!window.confirm(`Remove channel ${name} and the deliveries it still has to send?`)) return;
    await writes.run(async () => {
      await del(`/channels/${encodeURIComponent(name)}`);
    }, res.reload);
  };
  return (
    <>
      <Section title="Delivery channels" testid="channels">
        <ErrorText error={res.error} />
        <Feedback m={writes} />
        <ListView res={res} items={(d) => d} empty="No channels: notifications stay in Warren.">
          {(items) => (
            <Table head={['Name', 'Type', 'Configuration', 'Outbox', 'Created', ...(admin ? [{ hidden: 'Actions' }] : [])]}>
              {items.map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td>{c.type}</td>
                  <td class="small">
                    {Object.entries(c.config)
                      .map(([k, v]) => `${k}: ${String(v)}`)
                      .join(' · ')}
                    {c.has_secret ? ' · signed' : ''}
                  </td>
                  <td class="small">{c.outbox ? `${c.outbox.pending} pending, ${c.outbox.sent} sent, ${c.outbox.dead} dead` : '—'}</td>
                  <td class="small">{when(c.created)}</td>
                  {admin ? (
                    <td>
                      <button type="button" class="small" onClick={() => void test(c.name)}>
                        Test
                      </button>{' '}
                      <button type="button" class="small danger" onClick={() => void remove(c.name)}>
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </Table>
          )}
        </ListView>
      </Section>
      <Can role="admin">
        <Section title="Add a channel">
          <form class="stack" onSubmit={(e) => void add(e)}>
            <div class="row">
              <label>
                Name
                <input type="text" required pattern="[a-z0-9][a-z0-9._-]{0,63}" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
              </label>
              <label>
                Type
                <select value={form.type} onChange={(e) => setForm({ ...form, type: e.currentTarget.value })}>
                  <option value="webhook">webhook</option>
                  <option value="email">email</option>
                </select>
              </label>
            </div>
            {form.type === 'webhook' ? (
              <div class="row">
                <label class="grow">
                  URL
                  <input type="url" required value={form.url} onInput={(e) => setForm({ ...form, url: e.currentTarget.value })} />
                </label>
                <label>
                  Format
                  <select value={form.format} onChange={(e) => setForm({ ...form, format: e.currentTarget.value })}>
                    <option value="json">json</option>
                    <option value="slack">slack</option>
                  </select>
                </label>
                <label>
                  Secret (optional, 16+ characters)
                  <input type="password" minLength={16} value={form.secret} onInput={(e) => setForm({ ...form, secret: e.currentTarget.value })} autoComplete="off" />
                </label>
              </div>
            ) : (
              <div class="row">
                <label class="grow">
                  To
                  <input type="email" required value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
                </label>
                <label>
                  Digest
                  <select value={form.digest} onChange={(e) => setForm({ ...form, digest: e.currentTarget.value })}>
                    <option value="">none (one mail per notification)</option>
                    <option value="daily">daily</option>
                  </select>
                </label>
              </div>
            )}
            <div>
              <button type="submit" class="primary">
                Add channel
              </button>
            </div>
          </form>
        </Section>
      </Can>
    </>
  );
}

export function NotificationsPage({ query, tab, me }: { query: URLSearchParams; tab: 'list' | 'channels'; me: Me }): JSX.Element {
  const role = currentOrg(me)?.role;
  const canWrite = role === 'analyst' || role === 'admin';
  return (
    <div class="page" data-testid={tab === 'list' ? 'page-notifications' : 'page-channels'}>
      <h1>Notifications</h1>
      <Tabs tab={tab} />
      {tab === 'list' ? <NotificationList query={query} canWrite={canWrite} /> : <Channels />}
    </div>
  );
}
