// Notifications grouped by signature under the list's filter: each signature's title with its
// counts (unread, by status), the newest; a group opens in place to triage its notifications one
// by one, and analysts act on a whole group (the filter narrowed to that signature).
import { Fragment, type JSX } from 'preact';
import { useState } from 'preact/hooks';
import { get, post, type Answer } from '../api.js';
import { Link } from '../router.js';
import { ErrorText, Feedback, ListView, Spinner, Table, useLoad, useMutation, when } from '../ui.js';
import { apiQuery, notificationsHref, PageLinks, type Filters } from './notification-filters.js';
import { TriageRow, type Member, type TriageItem } from './notification-row.js';

type Groups = Answer<'/api/v1/notifications/groups', 'get'>;
type Group = Groups['groups'][number];
type Listed = Answer<'/api/v1/notifications', 'get'>;

export const GROUPS_PER_PAGE = 50;
const IN_GROUP = 25;

interface Shared {
  readonly filters: Filters;
  readonly canWrite: boolean;
  readonly members: readonly Member[];
  readonly onFalsePositive: (n: TriageItem) => void;
}

function GroupItems({ group, filters, canWrite, members, onFalsePositive, onChanged }: Shared & { group: Group; onChanged: () => void }): JSX.Element {
  const narrowed = { ...filters, signature: group.signature };
  const res = useLoad(() => get<Listed>('/notifications', { ...apiQuery(narrowed), limit: IN_GROUP }), [JSON.stringify(narrowed)]);
  const changed = (): void => {
    res.reload();
    onChanged();
  };
  return (
    <div class="ngroup-items" data-testid="group-items">
      <ErrorText error={res.error} />
      <ListView res={res} items={(d) => d.items} empty="Nothing left in this group under the filter.">
        {(items) => (
          <ul class="notifs">
            {items.map((n) => (
              <TriageRow key={n.id} n={n} canWrite={canWrite} members={members} onChanged={changed} onFalsePositive={onFalsePositive} />
            ))}
          </ul>
        )}
      </ListView>
      {res.data && res.data.total > IN_GROUP ? (
        <p class="small">
          {IN_GROUP} of {res.data.total} shown. <Link href={notificationsHref(narrowed, 'list')}>All of them as a list →</Link>
        </p>
      ) : null}
    </div>
  );
}

function GroupActions({ group, filters, onDone }: { group: Group; filters: Filters; onDone: () => void }): JSX.Element {
  const writes = useMutation();
  const query = apiQuery({ ...filters, signature: group.signature });
  const label = `${group.count} of ${group.title}`;
  return (
    <span class="nbulk-set">
      <button
        type="button"
        class="small"
        disabled={writes.busy || group.unread === 0}
        onClick={() => void writes.run(async () => void (await post('/notifications/read', { matching: true }, query)), onDone)}
        aria-label={`mark the ${label} read`}
      >
        Mark read
      </button>
      <button
        type="button"
        class="small"
        disabled={writes.busy || group.byStatus.open === 0}
        onClick={() => void writes.run(async () => void (await post('/notifications/triage', { matching: true, status: 'acknowledged' }, { ...query, status: 'open' })), onDone)}
        aria-label={`acknowledge the open ones of the ${label}`}
      >
        Acknowledge open
      </button>
      <Feedback m={writes} />
    </span>
  );
}

export function GroupView({ filters, canWrite, members, onFalsePositive, page, reloadKey, onChanged }: Shared & { page: number; reloadKey: number; onChanged: () => void }): JSX.Element {
  const res = useLoad(() => get<Groups>('/notifications/groups', { ...apiQuery(filters), limit: GROUPS_PER_PAGE, offset: (page - 1) * GROUPS_PER_PAGE }), [JSON.stringify(filters), page, reloadKey]);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const changed = (): void => {
    res.reload();
    onChanged();
  };
  const d = res.data;
  return (
    <div data-testid="notification-groups">
      <ErrorText error={res.error} />
      {d ? (
        <p class="muted small" data-testid="group-totals">
          {d.notifications} notifications in {d.total} {d.total === 1 ? 'group' : 'groups'}.
        </p>
      ) : (
        <Spinner on={res.loading} />
      )}
      <ListView res={res} items={(x) => x.groups} empty="No notifications match.">
        {(groups) => (
          <Table head={['Signature', 'Notifications', 'Unread', 'Open', 'Acknowledged', 'Resolved', 'False positive', 'Newest', { hidden: 'Actions' }]} class="table ngroups">
            {groups.map((g) => (
              <Fragment key={g.signature}>
                <tr data-testid="group" data-signature={g.signature}>
                  <td>
                    <button type="button" class="link" aria-expanded={open === g.signature} onClick={() => setOpen(open === g.signature ? undefined : g.signature)} data-testid="group-toggle">
                      {g.title}
                    </button>
                    <div class="muted small">
                      <code>{g.signature}</code>
                    </div>
                  </td>
                  <td class="num" data-testid="group-count">
                    {g.count}
                  </td>
                  <td class="num">{g.unread}</td>
                  <td class="num">{g.byStatus.open}</td>
                  <td class="num" data-testid="group-acknowledged">
                    {g.byStatus.acknowledged}
                  </td>
                  <td class="num">{g.byStatus.resolved}</td>
                  <td class="num">{g.byStatus.false_positive}</td>
                  <td class="small">{when(g.newest)}</td>
                  <td>{canWrite ? <GroupActions group={g} filters={filters} onDone={changed} /> : null}</td>
                </tr>
                {open === g.signature ? (
                  <tr class="ngroup-open">
                    <td colSpan={9}>
                      <GroupItems group={g} filters={filters} canWrite={canWrite} members={members} onFalsePositive={onFalsePositive} onChanged={changed} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </Table>
        )}
      </ListView>
      {d && d.total > GROUPS_PER_PAGE ? <PageLinks filters={filters} view="groups" page={page} size={GROUPS_PER_PAGE} total={d.total} shown={d.groups.length} /> : null}
    </div>
  );
}
