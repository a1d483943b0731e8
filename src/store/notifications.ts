// Notifications: one per organisation, signature, entity and matched value, however often the
// match is seen again. Creating one also queues a delivery to each of the organisation's
// channels it names (all of them by default) in the same transaction, so a notification is
// never without its deliveries and a crash never loses one (the outbox is in the store).
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, NotificationTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewNotification {
  readonly org: string;
  readonly signature: string;
  readonly signatureVersion: number;
  readonly kind: string;
  readonly entity: string;
  readonly field: string;
  readonly value: string;
  readonly severity: string;
  /** Channel names; undefined for every channel of the organisation. */
  readonly channels?: readonly string[];
  readonly headline: string;
  readonly content: string;
}

export interface Notification {
  readonly id: string;
  readonly signature: string;
  readonly entity: string;
  readonly kind: string;
  readonly field: string;
  readonly value: string;
  readonly severity: string;
  readonly headline: string;
  readonly content: string;
  readonly created: string;
  readonly read: boolean;
}

/** The notification's id: stable for its dedup key, so receivers can drop re-deliveries. */
export function notificationId(n: Pick<NewNotification, 'org' | 'signature' | 'kind' | 'entity' | 'value'>): string {
  return createHash('sha256').update([n.org, n.signature, n.kind, n.entity, n.value].join('\0')).digest('hex').slice(0, 32);
}

/**
 * Creates the notification unless its org/signature/entity/value already has one, and queues
 * its deliveries. True when it was new.
 */
export async function createNotification(db: Db, n: NewNotification, now: string): Promise<boolean> {
  const id = notificationId(n);
  const result = await db
    .insertInto('notifications')
    .values({
      id,
      org: n.org,
      signature: n.signature,
      signature_version: n.signatureVersion,
      kind: n.kind,
      entity: n.entity,
      field: n.field,
      value: n.value,
      severity: n.severity,
      channels: n.channels === undefined ? null : JSON.stringify(n.channels),
      headline: n.headline,
      content: n.content,
      created: now,
      read: 0,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  let channels = await db.selectFrom('channels').select('name').where('org', '=', n.org).execute();
  if (n.channels !== undefined) channels = channels.filter((c) => n.channels!.includes(c.name));
  if (channels.length > 0) {
    await db
      .insertInto('outbox')
      .values(
        channels.map((c) => ({
          org: n.org,
          channel: c.name,
          notification: id,
          status: 'pending',
          attempts: 0,
          next_attempt: now,
          last_error: null,
          created: now,
          sent: null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return true;
}

function present(r: NotificationTable): Notification {
  return {
    id: r.id,
    signature: r.signature,
    entity: r.entity,
    kind: r.kind,
    field: r.field,
    value: r.value,
    severity: r.severity,
    headline: r.headline,
    content: r.content,
    created: r.created,
    read: Number(r.read) === 1,
  };
}

export interface NotificationFilter {
  readonly unread?: boolean;
  readonly signature?: string;
  readonly severity?: string;
  /** ISO 8601: created at or after. */
  readonly since?: string;
  readonly limit?: number;
}

export async function listNotifications(db: Db, org: string, f: NotificationFilter = {}): Promise<Notification[]> {
  let q = db.selectFrom('notifications').selectAll().where('org', '=', org);
  if (f.unread) q = q.where('read', '=', 0);
  if (f.signature !== undefined) q = q.where('signature', '=', f.signature);
  if (f.severity !== undefined) q = q.where('severity', '=', f.severity);
  if (f.since !== undefined) q = q.where('created', '>=', f.since);
  const rows = await q.orderBy('created', 'desc').orderBy('id').limit(f.limit ?? 10_000).execute();
  return rows.map(present);
}

export async function notificationById(db: Db, org: string, id: string): Promise<Notification | undefined> {
  const row = await db.selectFrom('notifications').selectAll().where('org', '=', org).where('id', '=', id).executeTakeFirst();
  return row ? present(row) : undefined;
}

/** Marks notifications read (or unread); `ids` undefined means all of the organisation's. */
export async function markRead(db: Db, org: string, ids: readonly string[] | undefined, read: boolean): Promise<number> {
  let q = db.updateTable('notifications').set({ read: read ? 1 : 0 }).where('org', '=', org);
  if (ids !== undefined) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', [...ids]);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface NotificationSummary {
  readonly unread: number;
  readonly total: number;
  readonly unreadBySignature: Record<string, number>;
  readonly unreadBySeverity: Record<string, number>;
  /** Notifications created per day (UTC date → count), oldest first. */
  readonly perDay: { readonly day: string; readonly count: number }[];
}

export async function notificationSummary(db: Db, org: string): Promise<NotificationSummary> {
  const rows = await db.selectFrom('notifications').select(['signature', 'severity', 'read', 'created']).where('org', '=', org).execute();
  const bySignature: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  const perDay = new Map<string, number>();
  let unread = 0;
  for (const r of rows) {
    if (Number(r.read) === 0) {
      unread++;
      bySignature[r.signature] = (bySignature[r.signature] ?? 0) + 1;
      bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + 1;
    }
    const day = r.created.slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return {
    unread,
    total: rows.length,
    unreadBySignature: bySignature,
    unreadBySeverity: bySeverity,
    perDay: [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, count]) => ({ day, count })),
  };
}
