// An organisation's notifications: list (filters; pages for the API), the summary, and marking
// them read or unread. Notifications are made by evaluation (services/evaluate.ts); reading and
// marking them is not a configuration change, so nothing here is audited.
import {
  listNotifications as listRows,
  markRead,
  notificationSummary as summaryOf,
  type Notification,
  type NotificationFilter,
  type NotificationSummary,
} from '../store/notifications.js';
import type { Store } from '../store/store.js';
import { invalid } from './errors.js';

export type { Notification, NotificationFilter, NotificationSummary };

/** Newest first, at most `f.limit` (10,000 without one). */
export function listNotifications(store: Store, org: string, f: NotificationFilter = {}): Promise<Notification[]> {
  return listRows(store.db, org, f);
}

const SINCE = /^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$/;

export interface NotificationQuery {
  readonly unread?: boolean;
  readonly signature?: string;
  readonly severity?: string;
  /** `YYYY-MM-DD` (its start) or `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly since?: string;
  readonly limit: number;
  /** The `next` of the previous page. */
  readonly cursor?: string;
}

/** One page, newest first; `next` continues it (null at the end). Invalid for a bad since or cursor. */
export async function notificationsPage(store: Store, org: string, q: NotificationQuery): Promise<{ items: Notification[]; next: string | null }> {
  if (q.since !== undefined && !SINCE.test(q.since)) throw invalid('since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
  const offset = q.cursor === undefined ? 0 : Number(Buffer.from(q.cursor, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw invalid('cursor is not one this server gave');
  const all = await listRows(store.db, org, {
    ...(q.unread ? { unread: true } : {}),
    ...(q.signature !== undefined ? { signature: q.signature } : {}),
    ...(q.severity !== undefined ? { severity: q.severity } : {}),
    ...(q.since !== undefined ? { since: q.since.length === 10 ? `${q.since}T00:00:00Z` : q.since } : {}),
    limit: offset + q.limit + 1,
  });
  const items = all.slice(offset, offset + q.limit);
  const more = all.length > offset + q.limit;
  return { items, next: more ? Buffer.from(String(offset + q.limit)).toString('base64url') : null };
}

/** Unread by signature and severity, and counts per day. */
export function notificationSummary(store: Store, org: string): Promise<NotificationSummary> {
  return summaryOf(store.db, org);
}

/** Marks the notifications `ids` (undefined: all of the organisation's) read or unread; how many changed. */
export function markNotifications(store: Store, org: string, ids: readonly string[] | undefined, read: boolean): Promise<number> {
  return markRead(store.db, org, ids, read);
}
