// An organisation's notifications: list (filters, pages with totals), groups by signature, the
// summary, marking read or unread, and triage — status, assignee and comments. Notifications are
// made by evaluation (services/evaluate.ts). Every bulk action names its rows the way the list
// does (the same query), or by ids: it never reaches past what the caller was shown. Marking read
// is not a configuration change and is not audited; triage is, here, in the transaction that
// makes it (notification.status, notification.assign, notification.comment).
import {
  addComment,
  commentsOf,
  countNotifications,
  groupNotifications,
  listNotifications as listRows,
  markReadWhere,
  notificationById,
  notificationSignatures,
  notificationSummary as summaryOf,
  NOTIFICATION_STATUSES,
  setTriage,
  type Notification,
  type NotificationComment,
  type NotificationFilter,
  type NotificationGroup,
  type NotificationStatus,
  type NotificationSummary,
  type NotificationView,
  type PageOptions,
  type TriageChange,
} from '../store/notifications.js';
import type { Store } from '../store/store.js';
import { members, normaliseEmail, type Role } from './accounts.js';
import { audit, type Actor } from './audit.js';
import { invalid, notFound } from './errors.js';
import { displayHeadline, signatureTitles } from './notification-titles.js';

export { NOTIFICATION_STATUSES };
export type { Notification, NotificationComment, NotificationFilter, NotificationStatus, NotificationSummary, NotificationView, TriageChange };

/** Newest first, at most `f.limit` (10,000 without one). */
export function listNotifications(store: Store, org: string, f: NotificationFilter & PageOptions = {}): Promise<NotificationView[]> {
  return listRows(store.db, org, f);
}

const SINCE = /^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$/;
/** The assignee filter's word for "nobody": an email always has an @, so it never clashes. */
export const UNASSIGNED = 'none';
export const MAX_COMMENT = 4000;

/** The list's filter as the API and the UI's URL give it (every bulk action takes the same). */
export interface NotificationQuery {
  readonly unread?: boolean;
  readonly signature?: string;
  readonly severity?: string;
  /** `YYYY-MM-DD` (its start) or `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly since?: string;
  readonly status?: string;
  /** A member's email, or `none` for unassigned ones. */
  readonly assignee?: string;
  /** A substring of the signature's title or id, any case. */
  readonly title?: string;
}

function isStatus(s: string): s is NotificationStatus {
  return (NOTIFICATION_STATUSES as readonly string[]).includes(s);
}

/** The store's filter for a query; invalid for a bad since or status. */
export async function filterOf(store: Store, org: string, q: NotificationQuery): Promise<NotificationFilter> {
  if (q.since !== undefined && q.since !== '' && !SINCE.test(q.since)) throw invalid('since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
  if (q.status !== undefined && q.status !== '' && !isStatus(q.status)) throw invalid(`status must be one of ${NOTIFICATION_STATUSES.join(', ')}`);
  const f: { -readonly [K in keyof NotificationFilter]: NotificationFilter[K] } = {};
  if (q.unread) f.unread = true;
  if (q.signature) f.signature = q.signature;
  if (q.severity) f.severity = q.severity;
  if (q.since) f.since = q.since.length === 10 ? `${q.since}T00:00:00Z` : q.since;
  if (q.status) f.status = q.status;
  if (q.assignee) f.assignee = q.assignee === UNASSIGNED ? null : normaliseEmail(q.assignee);
  const title = q.title?.trim().toLowerCase();
  if (title) {
    const ids = await notificationSignatures(store.db, org);
    const titles = await signatureTitles(store, org, ids);
    f.signatures = ids.filter((id) => id.toLowerCase().includes(title) || titles.get(id)!.toLowerCase().includes(title));
  }
  return f;
}

/** A notification as the API lists it: with its signature's title and a headline naming it. */
export interface ListedNotification extends NotificationView {
  readonly title: string;
  readonly display: string;
}

async function withTitles(store: Store, org: string, items: readonly NotificationView[]): Promise<ListedNotification[]> {
  const titles = await signatureTitles(store, org, [...new Set(items.map((n) => n.signature))]);
  return items.map((n) => {
    const title = titles.get(n.signature) ?? n.signature;
    return { ...n, title, display: displayHeadline(title, n.kind, n.entity) };
  });
}

export interface PageQuery {
  readonly limit: number;
  /** Skip this many (a page kept in a URL); or the `next` of the previous page. */
  readonly offset?: number;
  readonly cursor?: string;
}

function offsetOf(p: PageQuery): number {
  if (p.cursor === undefined) return p.offset ?? 0;
  const text = Buffer.from(p.cursor, 'base64url').toString();
  if (!/^\d{1,9}$/.test(text)) throw invalid('cursor is not one this server gave');
  return Number(text);
}

export interface NotificationsPage {
  readonly items: ListedNotification[];
  /** Continues the list (null at the end). */
  readonly next: string | null;
  /** How many notifications the filter selects in all. */
  readonly total: number;
  readonly offset: number;
}

/** One page, newest first, with the filter's total. Invalid for a bad since, status or cursor. */
export async function notificationsPage(store: Store, org: string, q: NotificationQuery & PageQuery): Promise<NotificationsPage> {
  const offset = offsetOf(q);
  const f = await filterOf(store, org, q);
  const [rows, total] = await Promise.all([listRows(store.db, org, { ...f, limit: q.limit, offset }), countNotifications(store.db, org, f)]);
  const more = offset + rows.length < total;
  return { items: await withTitles(store, org, rows), next: more ? Buffer.from(String(offset + q.limit)).toString('base64url') : null, total, offset };
}

export interface TitledGroup extends NotificationGroup {
  readonly title: string;
}

/** The filter's notifications grouped by signature, the largest group first, with totals. */
export async function notificationGroups(
  store: Store,
  org: string,
  q: NotificationQuery & { limit: number; offset?: number },
): Promise<{ groups: TitledGroup[]; total: number; notifications: number; offset: number }> {
  const f = await filterOf(store, org, q);
  const offset = q.offset ?? 0;
  const [{ groups, total }, notifications] = await Promise.all([groupNotifications(store.db, org, { ...f, limit: q.limit, offset }), countNotifications(store.db, org, f)]);
  const titles = await signatureTitles(store, org, groups.map((g) => g.signature));
  return { groups: groups.map((g) => ({ ...g, title: titles.get(g.signature) ?? g.signature })), total, notifications, offset };
}

/** Unread by signature and severity, and counts per day. */
export function notificationSummary(store: Store, org: string): Promise<NotificationSummary> {
  return summaryOf(store.db, org);
}

/**
 * What a bulk action acts on: the notifications `ids` (and only those of them the query also
 * selects, when one is given), or everything the query selects (`{ matching }`, the list's own
 * filter; `{}` is every notification of the organisation).
 */
export type Target = { readonly ids: readonly string[]; readonly matching?: NotificationQuery } | { readonly matching: NotificationQuery };

async function targetFilter(store: Store, org: string, t: Target): Promise<NotificationFilter> {
  const f = await filterOf(store, org, t.matching ?? {});
  return 'ids' in t ? { ...f, ids: t.ids } : f;
}

/** Marks the target read or unread; how many changed. */
export async function markNotifications(store: Store, org: string, target: Target, read: boolean): Promise<number> {
  return markReadWhere(store.db, org, await targetFilter(store, org, target), read);
}

/** The members a notification may be assigned to. */
export function assignableMembers(store: Store, org: string): Promise<{ email: string; role: Role }[]> {
  return members(store, org);
}

/** The change with its assignee checked: a member of the organisation (normalised), or null. */
async function checkedChange(store: Store, org: string, change: TriageChange): Promise<TriageChange> {
  if (change.status !== undefined && !isStatus(change.status)) throw invalid(`status must be one of ${NOTIFICATION_STATUSES.join(', ')}`);
  if (change.status === undefined && change.assignee === undefined) throw invalid('give a status, an assignee, or both');
  if (change.assignee === undefined || change.assignee === null) return change;
  const email = normaliseEmail(change.assignee);
  if (!(await members(store, org)).some((m) => m.email === email)) throw invalid(`${change.assignee} is not a member of ${org}`);
  return { ...change, assignee: email };
}

/**
 * Sets the status and/or assignee of the target; audited per notification changed
 * (notification.status, notification.assign) in the same transaction. The notifications changed.
 */
export async function triageNotifications(store: Store, actor: Actor, org: string, target: Target, change: TriageChange, now: string): Promise<{ updated: number; ids: string[] }> {
  const checked = await checkedChange(store, org, change);
  const f = await targetFilter(store, org, target);
  const changed = await store.db.transaction().execute(async (trx) => {
    const rows = await setTriage(trx, org, f, checked, actor, now);
    for (const r of rows) {
      const target = `notification:${r.id}`;
      if (r.before.status !== r.after.status) await audit(store, actor, { at: now, org, action: 'notification.status', target, before: { status: r.before.status }, after: { status: r.after.status } }, trx);
      if (r.before.assignee !== r.after.assignee) await audit(store, actor, { at: now, org, action: 'notification.assign', target, before: { assignee: r.before.assignee }, after: { assignee: r.after.assignee } }, trx);
    }
    return rows;
  });
  return { updated: changed.length, ids: changed.map((r) => r.id) };
}

async function listed(store: Store, org: string, id: string): Promise<ListedNotification> {
  const n = await notificationById(store.db, org, id);
  if (!n) throw notFound(`notification ${id}`);
  return (await withTitles(store, org, [n]))[0]!;
}

/** One notification and its comments (oldest first). */
export async function notificationDetail(store: Store, org: string, id: string): Promise<{ notification: ListedNotification; comments: NotificationComment[] }> {
  const notification = await listed(store, org, id);
  return { notification, comments: await commentsOf(store.db, org, id) };
}

/** Triage of one notification (not found when the organisation has none with that id). */
export async function triageNotification(store: Store, actor: Actor, org: string, id: string, change: TriageChange, now: string): Promise<ListedNotification> {
  await listed(store, org, id);
  await triageNotifications(store, actor, org, { ids: [id] }, change, now);
  return listed(store, org, id);
}

/** Adds a comment (audited as notification.comment, with its text). */
export async function commentOnNotification(store: Store, actor: Actor, org: string, id: string, text: string, now: string): Promise<NotificationComment> {
  const body = text.trim();
  if (body === '') throw invalid('a comment needs some text');
  if (body.length > MAX_COMMENT) throw invalid(`a comment has at most ${MAX_COMMENT} characters`);
  await listed(store, org, id);
  return store.db.transaction().execute(async (trx) => {
    const c = await addComment(trx, org, id, { author: actor, at: now, text: body });
    await audit(store, actor, { at: now, org, action: 'notification.comment', target: `notification:${id}`, after: { text: body } }, trx);
    return c;
  });
}
