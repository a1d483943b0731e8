// Signature packs (/packs, docs/PACKS.md): the packs other organisations offer this one (subscribe,
// unsubscribe: admins) and those it publishes (publish a version, grant and revoke: admins); a
// pack opens read-only (/packs/:publisher/:pack), where analysts of a subscriber switch single
// signatures off and on. Every write is the API's, audited there.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { del, get, post, put, type PackList, type PackView } from '../api.js';
import { pivotHref } from '../pivot.js';
import { Link } from '../router.js';
import { Can, ErrorText, Feedback, ListView, Section, Table, useCan, useLoad, useMutation, when } from '../ui.js';

/** A pack's address, `publisher/name`, as its API and page path. */
const packPath = (pack: string): string => `/packs/${pack.split('/').map(encodeURIComponent).join('/')}`;

function PublishForm({ after }: { after: () => void }): JSX.Element {
  const writes = useMutation();
  const [form, setForm] = useState({ name: '', ids: '', description: '' });
  const submit = (e: Event): void => {
    e.preventDefault();
    const ids = form.ids.split(/[\s,]+/).filter((x) => x !== '');
    void writes.run(async () => {
      const r = await post<{ pack: string; version: number; unchanged: boolean; subscribers: number }>('/packs', {
        name: form.name,
        ...(ids.length > 0 ? { signatures: ids } : {}),
        ...(form.description !== '' ? { description: form.description } : {}),
      });
      return r.unchanged ? `${r.pack} is unchanged at version ${r.version}` : `${r.pack} version ${r.version} published; ${r.subscribers} subscription(s) updated`;
    }, after);
  };
  return (
    <form onSubmit={submit} data-testid="pack-publish">
      <div class="row">
        <label>
          Pack name
          <input type="text" required maxLength={64} pattern="[a-z0-9][a-z0-9._\-]{0,63}" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label class="grow">
          Signature ids (empty: the current version's, their text now)
          <input type="text" value={form.ids} onInput={(e) => setForm({ ...form, ids: e.currentTarget.value })} placeholder="brand-paypal, kit-panel" />
        </label>
        <label class="grow">
          Description
          <input type="text" maxLength={2000} value={form.description} onInput={(e) => setForm({ ...form, description: e.currentTarget.value })} />
        </label>
        <button type="submit" class="primary" disabled={writes.busy}>
          Publish version
        </button>
      </div>
      <Feedback m={writes} />
    </form>
  );
}

function GrantForm({ pack, after }: { pack: string; after: () => void }): JSX.Element {
  const writes = useMutation();
  const [org, setOrg] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void writes.run(async () => {
          await post(`${packPath(pack)}/grants`, { org });
          setOrg('');
          return `${org} may subscribe to ${pack}`;
        }, after);
      }}
    >
      <div class="row">
        <input type="text" required aria-label={`organisation allowed to subscribe to ${pack}`} placeholder="organisation" value={org} onInput={(e) => setOrg(e.currentTarget.value)} />
        <button type="submit" disabled={writes.busy}>
          Grant
        </button>
      </div>
      <Feedback m={writes} />
    </form>
  );
}

export function PacksPage(): JSX.Element {
  const res = useLoad(() => get<PackList>('/packs'), []);
  const writes = useMutation();
  const subscribe = (pack: string): Promise<void> =>
    writes.run(async () => {
      const r = await put<{ version: number; hunt?: { applied: { tags: number } } }>(`${packPath(pack)}/subscription`, {});
      return `Subscribed to ${pack} version ${r.version}; the retro-hunt tagged ${r.hunt?.applied.tags ?? 0}`;
    }, res.reload);
  const unsubscribe = (pack: string): Promise<void> =>
    writes.run(async () => {
      const r = await del<{ withdrawn: { tags: number } }>(`${packPath(pack)}/subscription`);
      return `Unsubscribed from ${pack}; ${r.withdrawn.tags} tags withdrawn`;
    }, res.reload);
  const revoke = (pack: string, org: string): Promise<void> =>
    writes.run(async () => {
      await del(`${packPath(pack)}/grants/${encodeURIComponent(org)}`);
      return `${org} may no longer subscribe to ${pack}`;
    }, res.reload);
  return (
    <div class="page" data-testid="page-packs">
      <div class="page-head">
        <h1>Signature packs</h1>
        <div class="actions">
          <Link href="/signatures" class="button">
            Your signatures
          </Link>
        </div>
      </div>
      <ErrorText error={res.error} />
      <Feedback m={writes} />
      <Section title="Offered to your organisation">
        <ListView res={res} items={(d) => d.offered} empty="No organisation offers you a pack yet.">
          {(items) => (
            <Table head={['Pack', 'Version', 'Signatures', 'Description', 'Subscription', '']} testid="packs-offered">
              {items.map((p) => (
                <tr key={p.pack} data-testid={`offered-${p.pack}`}>
                  <td>
                    <Link href={packPath(p.pack)}>{p.pack}</Link>
                  </td>
                  <td class="num">{p.version}</td>
                  <td class="num">{p.signatures}</td>
                  <td>{p.description}</td>
                  <td>{p.subscription ? `version ${p.subscription.version}${p.subscription.disabled.length > 0 ? `, ${p.subscription.disabled.length} off` : ''}` : 'not subscribed'}</td>
                  <td>
                    <Can role="admin">
                      {p.subscription ? (
                        <button type="button" disabled={writes.busy} onClick={() => void unsubscribe(p.pack)}>
                          Unsubscribe
                        </button>
                      ) : (
                        <button type="button" class="primary" disabled={writes.busy} onClick={() => void subscribe(p.pack)}>
                          Subscribe
                        </button>
                      )}
                    </Can>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </ListView>
      </Section>
      <Section title="Published by your organisation">
        <ListView res={res} items={(d) => d.published} empty="You publish no pack.">
          {(items) => (
            <Table head={['Pack', 'Version', 'Signatures', 'Allowed to subscribe', '']} testid="packs-published">
              {items.map((p) => (
                <tr key={p.pack}>
                  <td>
                    <Link href={packPath(p.pack)}>{p.pack}</Link>
                    <div class="small">{p.description}</div>
                  </td>
                  <td class="num">{p.version}</td>
                  <td>{p.signatures.join(', ')}</td>
                  <td>
                    {p.grants.length === 0 ? 'nobody' : null}
                    {p.grants.map((g) => (
                      <div key={g.org}>
                        {g.org} {g.subscribed_version === null ? '(not subscribed)' : `(subscribed, version ${g.subscribed_version})`}{' '}
                        <Can role="admin">
                          <button type="button" disabled={writes.busy} onClick={() => void revoke(p.pack, g.org)}>
                            Revoke
                          </button>
                        </Can>
                      </div>
                    ))}
                  </td>
                  <td>
                    <Can role="admin">
                      <GrantForm pack={p.pack} after={res.reload} />
                    </Can>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </ListView>
        <Can role="admin">
          <PublishForm after={res.reload} />
        </Can>
      </Section>
    </div>
  );
}

export function PackPage({ publisher, pack }: { publisher: string; pack: string }): JSX.Element {
  const url = packPath(`${publisher}/${pack}`);
  const res = useLoad(() => get<PackView>(url), [url]);
  const writes = useMutation();
  const analyst = useCan('analyst');
  const toggle = (id: string, enabled: boolean): Promise<void> =>
    writes.run(async () => {
      await post(`${url}/signatures/${encodeURIComponent(id)}/${enabled ? 'disable' : 'enable'}`);
    }, res.reload);
  const v = res.data;
  return (
    <div class="page" data-testid="page-pack">
      <div class="page-head">
        <h1>
          Pack {publisher}/{pack}
        </h1>
        <div class="actions">
          <Link href="/packs" class="button">
            All packs
          </Link>
        </div>
      </div>
      <ErrorText error={res.error} />
      <Feedback m={writes} />
      {v ? (
        <p>
          {v.description} Version {v.shown_version}
          {v.shown_version !== v.version ? ` (newest ${v.version})` : ''}; {v.subscription ? `subscribed since ${when(v.subscription.subscribed)}.` : 'read-only.'}
        </p>
      ) : null}
      <Section title="Signatures (read-only)">
        <ListView res={res} items={(d) => d.signatures} empty="None.">
          {(items) => (
            <Table head={['Id', 'Runs as', 'Field', 'Title', 'Hits here', 'Enabled']} testid="pack-signatures">
              {items.map((s) => (
                <tr key={s.id} data-testid={`pack-signature-${s.id}`}>
                  <td>
                    <code>{s.id}</code>
                  </td>
                  <td>
                    <code>{s.runs_as}</code>
                  </td>
                  <td>{s.field}</td>
                  <td>{s.title}</td>
                  <td class="num">{s.hits === null ? '' : <Link href={pivotHref('signature', s.runs_as)}>{s.hits}</Link>}</td>
                  <td>
                    {v?.subscription && analyst ? (
                      <button type="button" class={s.enabled ? 'small on' : 'small off'} aria-pressed={s.enabled} aria-label={`${s.id} enabled here`} disabled={writes.busy} onClick={() => void toggle(s.id, s.enabled)}>
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
      </Section>
      <Section title="Versions">
        <ListView res={res} items={(d) => d.versions} empty="None.">
          {(items) => (
            <Table head={['Version', 'Published', 'Signatures']}>
              {items.map((x) => (
                <tr key={x.version}>
                  <td class="num">{x.version}</td>
                  <td>{when(x.published)}</td>
                  <td class="num">{x.signatures}</td>
                </tr>
              ))}
            </Table>
          )}
        </ListView>
      </Section>
    </div>
  );
}
