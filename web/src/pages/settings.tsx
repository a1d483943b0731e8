// Settings: users and roles (admins invite; a server admin adds directly), invitations (pending
// ones of the organisation; yours to accept or decline), API keys (a new key is shown once), the
// audit log.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { currentOrg, del, get, message, post, put, ROLES, type ApiKey, type AuditEntry, type Invitation, type Me, type Member, type Page } from '../api.js';
import { Link } from '../router.js';
import { ErrorText, ListView, Options, Pager, Section, Spinner, Table, useCan, useLoad, usePager, when } from '../ui.js';

function Users({ me }: { me: Me }): JSX.Element {
  const res = useLoad(() => get<Member[]>('/users'), []);
  const [form, setForm] = useState({ email: '', role: 'viewer', password: '' });
  const [error, setError] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const pending = useLoad(() => get<Invitation[]>('/users/invitations'), []);
  const save = async (email: string, role: string, password?: string): Promise<void> => {
    setError(undefined);
    try {
      const r = await post<{ status: 'member' | 'invited' }>('/users', { email, role, ...(password ? { password } : {}) });
      setNote(r.status === 'invited' ? `${email} is invited as ${role}: they become a member once they accept.` : `${email} is ${role}.`);
      res.reload();
      pending.reload();
    } catch (e) {
      setError(message(e));
    }
  };
  const withdraw = async (i: Invitation): Promise<void> => {
    setError(undefined);
    try {
      await del(`/users/invitations/${encodeURIComponent(i.id)}`);
      pending.reload();
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <>
      <Section title="Members and roles" testid="users">
        <ErrorText error={res.error ?? error} />
        {note ? (
          <p class="ok" role="status">
            {note}
          </p>
        ) : null}
        {res.data ? (
          <Table head={['Email', 'Role']}>
            {res.data.map((m) => (
              <tr key={m.email}>
                <td>{m.email}</td>
                <td>
                  {m.email === me.email ? (
                    <span>{m.role} (you)</span>
                  ) : (
                    <select aria-label={`role of ${m.email}`} value={m.role} onChange={(e) => void save(m.email, e.currentTarget.value)}>
                      <Options values={ROLES} />
                    </select>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        ) : (
          <Spinner on={res.loading} />
        )}
      </Section>
      <Section title="Pending invitations" testid="pending-invitations">
        <ErrorText error={pending.error} />
        <ListView res={pending} items={(d) => d} empty="No pending invitations.">
          {(items) => (
            <Table head={['Email', 'Role', 'Invited by', 'Since', { hidden: 'Withdraw' }]}>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>{i.invited_by}</td>
                  <td class="small">{when(i.created)}</td>
                  <td>
                    <button type="button" class="small danger" aria-label={`withdraw the invitation of ${i.email}`} onClick={() => void withdraw(i)}>
                      Withdraw
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </ListView>
      </Section>
      <Section title={me.server_admin ? 'Add a user (server admin)' : 'Invite a user'}>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void save(form.email.trim(), form.role, form.password || undefined).then(() => setForm({ email: '', role: 'viewer', password: '' }));
          }}
        >
          <label class="grow">
            Email
            <input type="email" required value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
          </label>
          <label>
            Role
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
              <Options values={ROLES} />
            </select>
          </label>
          {me.server_admin ? (
            <label>
              Password (new users; for browser sign-in)
              <input type="password" autoComplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
            </label>
          ) : null}
          <button type="submit" class="primary">
            {me.server_admin ? 'Add' : 'Invite'}
          </button>
        </form>
      </Section>
    </>
  );
}

/** Your invitations (accept or decline), and where your requests act by default. */
function Mine({ me }: { me: Me }): JSX.Element {
  const res = useLoad(() => get<Invitation[]>('/invitations'), []);
  const [error, setError] = useState<string | undefined>();
  const answer = async (i: Invitation, accept: boolean): Promise<void> => {
    setError(undefined);
    try {
      await post(`/invitations/${encodeURIComponent(i.id)}/${accept ? 'accept' : 'decline'}`);
      // Memberships changed: the whole app reads them from /me.
      if (accept) window.location.reload();
      else res.reload();
    } catch (e) {
      setError(message(e));
    }
  };
  const setDefault = async (org: string): Promise<void> => {
    setError(undefined);
    try {
      await put('/me/default-org', { org });
      window.location.reload();
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <Section title="Your invitations" testid="my-invitations">
      <ErrorText error={res.error ?? error} />
      <ListView res={res} items={(d) => d} empty="No invitations for you.">
        {(items) => (
          <ul>
            {items.map((i) => (
              <li key={i.id}>
                {i.org} invites you as {i.role} ({i.invited_by}){' '}
                <button type="button" class="small primary" aria-label={`accept the invitation to ${i.org}`} onClick={() => void answer(i, true)}>
                  Accept
                </button>{' '}
                <button type="button" class="small" aria-label={`decline the invitation to ${i.org}`} onClick={() => void answer(i, false)}>
                  Decline
                </button>
              </li>
            ))}
          </ul>
        )}
      </ListView>
      {me.organisations.length > 1 ? (
        <label>
          Default organisation
          <select value={currentOrg(me)?.org ?? ''} onChange={(e) => void setDefault(e.currentTarget.value)}>
            {currentOrg(me) ? null : <option value="">(choose)</option>}
            {me.organisations.map((m) => (
              <option key={m.org} value={m.org}>
                {m.org} ({m.role})
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </Section>
  );
}

function Keys(): JSX.Element {
  const res = useLoad(() => get<ApiKey[]>('/apikeys'), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKey | undefined>();
  const [error, setError] = useState<string | undefined>();
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      setCreated(await post<ApiKey>('/apikeys', { name: name.trim() }));
      setName('');
      res.reload();
    } catch (err) {
      setError(message(err));
    }
  };
  const revoke = async (k: ApiKey): Promise<void> => {
    if (!window.confirm(`Revoke API key ${k.name}? Clients using it stop working.`)) return;
    try {
      await del(`/apikeys/${encodeURIComponent(k.id)}`);
      res.reload();
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <>
      <Section title="Create an API key">
        <form class="row" onSubmit={(e) => void create(e)}>
          <label class="grow">
            Name
            <input type="text" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. SOAR integration" />
          </label>
          <button type="submit" class="primary">
            Create key
          </button>
        </form>
        {created?.key ? (
          <div class="once" role="status" data-testid="new-key">
            <p>
              <strong>Copy this key now:</strong> it is shown once.
            </p>
            <input type="text" readOnly value={created.key} aria-label="new API key" onFocus={(e) => e.currentTarget.select()} />
          </div>
        ) : null}
        <ErrorText error={error} />
      </Section>
      <Section title="Your API keys" testid="apikeys">
        <ErrorText error={res.error} />
        <ListView res={res} items={(d) => d} empty="No API keys.">
          {(items) => (
            <Table head={['Name', 'Id', 'Created', 'Last used', 'State']}>
              {items.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.id}</code>
                  </td>
                  <td class="small">{when(k.created)}</td>
                  <td class="small">{when(k.last_used)}</td>
                  <td>
                    {k.revoked ? (
                      <span class="muted">revoked {when(k.revoked)}</span>
                    ) : (
                      <button type="button" class="small danger" onClick={() => void revoke(k)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </ListView>
      </Section>
    </>
  );
}

function Audit(): JSX.Element {
  const pager = usePager();
  const res = useLoad(() => get<Page<AuditEntry>>('/audit', { limit: 50, cursor: pager.cursor }), [pager.cursor]);
  return (
    <Section title="Audit log" testid="audit">
      <ErrorText error={res.error} />
      <ListView res={res} items={(d) => d.items} empty="Nothing recorded yet.">
        {(items) => (
          <Table head={['#', 'When', 'Who', 'Action', 'Target', 'Change']} class="table small">
            {items.map((a) => (
              <tr key={a.seq}>
                <td>{a.seq}</td>
                <td>{when(a.at)}</td>
                <td>{a.actor}</td>
                <td>{a.action}</td>
                <td>
                  <code>{a.target}</code>
                </td>
                <td class="clip" title={JSON.stringify({ before: a.before, after: a.after })}>
                  {a.after !== undefined ? JSON.stringify(a.after) : a.before !== undefined ? `was ${JSON.stringify(a.before)}` : ''}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </ListView>
      <Pager pager={pager} shown={res.data} />
    </Section>
  );
}

const TABS: [string, string][] = [
  ['users', 'Users and roles'],
  ['keys', 'API keys'],
  ['audit', 'Audit log'],
];

export function SettingsPage({ tab, me }: { tab: string; me: Me }): JSX.Element {
  const admin = useCan('admin');
  const t = TABS.some(([k]) => k === tab) ? tab : 'users';
  return (
    <div class="page" data-testid="page-settings">
      <h1>Settings</h1>
      <nav class="tabs" aria-label="settings">
        {TABS.map(([k, label]) => (
          <Link key={k} href={`/settings/${k}`} class={t === k ? 'active' : ''} aria-current={t === k ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {t === 'users' ? <Mine me={me} /> : null}
      {t === 'keys' ? <Keys /> : !admin ? <Section title={t === 'audit' ? 'Audit log' : 'Users and roles'}>
        <p class="muted">Only an administrator of the organisation sees this.</p>
      </Section> : t === 'audit' ? <Audit /> : <Users me={me} />}
    </div>
  );
}
