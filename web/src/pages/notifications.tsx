// Notifications: filters in the URL (unread, signature, severity, since), mark read one / all,
// links to entities; and the delivery channels (list, add, remove, test).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, SEVERITIES, type Answer, type Channel, type Notification, type Page } from '../api.js';
import { href, Link, navigate } from '../router.js';
import { Can, ErrorText, Feedback, ListView, Options, Pager, Section, Table, useCan, useLoad, useMutation, usePager, when } from '../ui.js';
import { NotificationRow } from './overview.js';

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

function NotificationList({ query }: { query: URLSearchParams }): JSX.Element {
  const unread = query.get('unread') === '1';
  const signature = query.get('signature') ?? '';
  const severity = query.get('severity') ?? '';
  const since = query.get('since') ?? '';
  const key = query.toString();
  const pager = usePager();
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    pager.reset();
  }
  const res = useLoad(() => get<Page<Notification>>('/notifications', { unread: unread || undefined, signature, severity, since, limit: 25, cursor: pager.cursor }), [key, pager.cursor]);
  const writes = useMutation();
  const [sigText, setSigText] = useState(signature);
  const [sinceText, setSinceText] = useState(since);
  // The URL is the truth: back, forward and Clear update the form.
  useEffect(() => {
    setSigText(signature);
    setSinceText(since);
  }, [signature, since]);
  const set = (changes: Record<string, string | boolean>): void => {
    const next = { unread, signature, severity, since, ...changes };
    navigate(href('/notifications', next));
  };
  const mark = (body: { ids?: string[]; all?: boolean; read: boolean }): Promise<void> =>
    writes.run(async () => {
      await post('/notifications/read', body);
    }, res.reload);
  return (
    <>
      <form
        class="filters"
        aria-label="filters"
        onSubmit={(e) => {
          e.preventDefault();
          set({ signature: sigText.trim(), since: sinceText });
        }}
      >
        <label class="check">
          <input type="checkbox" checked={unread} onChange={(e) => set({ unread: e.currentTarget.checked })} data-testid="filter-unread" /> Unread only
        </label>
        <label>
          Severity
          <select value={severity} onChange={(e) => set({ severity: e.currentTarget.value })}>
            <option value="">any</option>
            <Options values={SEVERITIES} />
          </select>
        </label>
        <label>
          Signature
          <input type="text" value={sigText} onInput={(e) => setSigText(e.currentTarget.value)} placeholder="signature id" />
        </label>
        <label>
          Since
          <input type="date" value={sinceText} onInput={(e) => setSinceText(e.currentTarget.value)} />
        </label>
        <button type="submit">Apply</button>
        <Link href="/notifications" class="button">
          Clear
        </Link>
      </form>
      <Section
        title="Notifications"
        testid="notification-list"
        actions={
          <button type="button" onClick={() => void mark({ all: true, read: true })} data-testid="mark-all-read">
            Mark all read
          </button>
        }
      >
        <ErrorText error={res.error} />
        <Feedback m={writes} />
        <ListView res={res} items={(d) => d.items} empty="No notifications match.">
          {(items) => (
            <ul class="notifs">
              {items.map((n) => (
                <NotificationRow key={n.id} n={n} onRead={(x) => void mark({ ids: [x.id], read: !x.read })} />
              ))}
            </ul>
          )}
        </ListView>
        <Pager pager={pager} shown={res.data} />
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

export function NotificationsPage({ query, tab }: { query: URLSearchParams; tab: 'list' | 'channels' }): JSX.Element {
  return (
    <div class="page" data-testid={tab === 'list' ? 'page-notifications' : 'page-channels'}>
      <h1>Notifications</h1>
      <Tabs tab={tab} />
      {tab === 'list' ? <NotificationList query={query} /> : <Channels />}
    </div>
  );
}
