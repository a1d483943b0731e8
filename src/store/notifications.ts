// Notifications: one per organisation, signature, entity and matched value, however often the
// match is seen again. Creating one also queues a delivery to each of the organisation's
// channels it names (all of them by default) in the same transaction, so a notification is
// never without its deliveries and a crash never loses one (the outbox is in the store).
// Triage (migration 0014): a status, an assignee and comments. Every read and every bulk write
// goes through one filter (`NotificationFilter`), so a bulk action changes exactly the rows the
// same filter lists, never more.
import { createHash } from 'node:crypto';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
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

/** A notification as lists show it: with its triage (migration 0014). */
export interface NotificationView extends Notification {
  readonly status: NotificationStatus;
  /** When and by whom the status was last set (null while never set). */
  readonly statusAt: string | null;
  readonly statusBy: string | null;
  readonly assignee: string | null;
  /** How many comments it has. */
  readonly comments: number;
}

export const NOTIFICATION_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

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

type Row = Selectable<NotificationTable> & { comments: number | string | bigint | null };

function present(r: Row): NotificationView {
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
    status: r.status as NotificationStatus,
    statusAt: r.status_at,
    statusBy: r.status_by,
    assignee: r.assignee,
    comments: Number(r.comments ?? 0),
  };
}

/** Which notifications: every condition given must hold (none given: all of the organisation's). */
export interface NotificationFilter {
  readonly unread?: boolean;
  readonly signature?: string;
  readonly severity?: string;
  /** ISO 8601: created at or after. */
  readonly since?: string;
  readonly status?: NotificationStatus;
  /** A member's email; null: only unassigned ones. */
  readonly assignee?: string | null;
  /** Only these signatures (what a title search found); an empty list matches nothing. */
  readonly signatures?: readonly string[];
  /** Only these notifications; an empty list matches nothing. */
  readonly ids?: readonly string[];
}

export interface PageOptions {
  /** At most this many (10,000 without one). */
  readonly limit?: number;
  /** Skip this many first. */
  readonly offset?: number;
}

type NoteEb = ExpressionBuilder<Database, 'notifications'>;

/** The one WHERE of every read and write here: the organisation, then the filter. */
function matching(org: string, f: NotificationFilter) {
  return (eb: NoteEb): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = [eb('notifications.org', '=', org)];
    if (f.unread) all.push(eb('notifications.read', '=', 0));
    if (f.signature !== undefined) all.push(eb('notifications.signature', '=', f.signature));
    if (f.severity !== undefined) all.push(eb('notifications.severity', '=', f.severity));
    if (f.since !== undefined) all.push(eb('notifications.created', '>=', f.since));
    if (f.status !== undefined) all.push(eb('notifications.status', '=', f.status));
    if (f.assignee === null) all.push(eb('notifications.assignee', 'is', null));
    else if (f.assignee !== undefined) all.push(eb('notifications.assignee', '=', f.assignee));
    for (const list of [f.signatures, f.ids]) {
      if (list === undefined) continue;
      // An empty list selects nothing (never "no condition"): a bulk action on it changes nothing.
      if (list.length === 0) all.push(sql<SqlBool>`1 = 0`);
    }
    if (f.signatures !== undefined && f.signatures.length > 0) all.push(eb('notifications.signature', 'in', [...f.signatures]));
    if (f.ids !== undefined && f.ids.length > 0) all.push(eb('notifications.id', 'in', [...f.ids]));
    return eb.and(all);
  };
}

/** Newest first (then id), after `offset`, at most `limit` (10,000 without one). */
export async function listNotifications(db: Db, org: string, f: NotificationFilter & PageOptions = {}): Promise<NotificationView[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll('notifications')
    .select((eb) =>
      eb
        .selectFrom('notification_comments')
        .select((c) => c.fn.countAll().as('n'))
        .whereRef('notification_comments.org', '=', 'notifications.org')
        .whereRef('notification_comments.notification', '=', 'notifications.id')
        .as('comments'),
    )
    .where(matching(org, f))
    .orderBy('notifications.created', 'desc')
    .orderBy('notifications.id')
    .limit(f.limit ?? 10_000);
  if (f.offset !== undefined && f.offset > 0) q = q.offset(f.offset);
  return (await q.execute()).map(present);
}

/** How many notifications the filter selects. */
export async function countNotifications(db: Db, org: string, f: NotificationFilter = {}): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(matching(org, f))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function notificationById(db: Db, org: string, id: string): Promise<NotificationView | undefined> {
  return (await listNotifications(db, org, { ids: [id], limit: 1 }))[0];
}

/** The notifications the filter selects, grouped by signature. */
export interface NotificationGroup {
  readonly signature: string;
  readonly count: number;
  readonly unread: number;
  /** The newest notification's creation time. */
  readonly newest: string;
  readonly byStatus: Record<NotificationStatus, number>;
  readonly bySeverity: Record<string, number>;
}

const SEVERITY_NAMES = ['high', 'medium', 'low'] as const;

/** Groups by signature, the largest first (then by signature id), with the number of groups. */
export async function groupNotifications(db: Db, org: string, f: NotificationFilter & PageOptions = {}): Promise<{ groups: NotificationGroup[]; total: number }> {
  const when = (eb: NoteEb, cond: Expression<SqlBool>) => eb.fn.sum<number | string>(eb.case().when(cond).then(1).else(0).end());
  let q = db
    .selectFrom('notifications')
    .where(matching(org, f))
    .select((eb) => [
      'notifications.signature',
      eb.fn.countAll().as('count'),
      eb.fn.max('notifications.created').as('newest'),
      when(eb, eb('notifications.read', '=', 0)).as('unread'),
      ...NOTIFICATION_STATUSES.map((s) => when(eb, eb('notifications.status', '=', s)).as(`status_${s}`)),
      ...SEVERITY_NAMES.map((s) => when(eb, eb('notifications.severity', '=', s)).as(`severity_${s}`)),
    ])
    .groupBy('notifications.signature')
    .orderBy('count', 'desc')
    .orderBy('notifications.signature')
    .limit(f.limit ?? 10_000);
  if (f.offset !== undefined && f.offset > 0) q = q.offset(f.offset);
  const rows = (await q.execute()) as unknown as Record<string, string | number | bigint | null>[];
  const totalRow = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.count('notifications.signature').distinct().as('n'))
    .where(matching(org, f))
    .executeTakeFirst();
  const groups = rows.map((r) => ({
    signature: String(r.signature),
    count: Number(r.count),
    unread: Number(r.unread ?? 0),
    newest: String(r.newest),
    byStatus: Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, Number(r[`status_${s}`] ?? 0)])) as Record<NotificationStatus, number>,
    bySeverity: Object.fromEntries(SEVERITY_NAMES.map((s) => [s, Number(r[`severity_${s}`] ?? 0)])),
  }));
  return { groups, total: Number(totalRow?.n ?? 0) };
}

/** The signatures the organisation's notifications name (for the title search). */
export async function notificationSignatures(db: Db, org: string): Promise<string[]> {
  const rows = await db.selectFrom('notifications').select('signature').distinct().where('org', '=', org).orderBy('signature').execute();
  return rows.map((r) => r.signature);
}

/** Marks what the filter selects read (or unread); how many changed. */
export async function markReadWhere(db: Db, org: string, f: NotificationFilter, read: boolean): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ read: read ? 1 : 0 })
    .where(matching(org, f))
    .where('notifications.read', '=', read ? 0 : 1)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Marks notifications read (or unread); `ids` undefined means all of the organisation's. */
export function markRead(db: Db, org: string, ids: readonly string[] | undefined, read: boolean): Promise<number> {
  return markReadWhere(db, org, ids === undefined ? {} : { ids }, read);
}

export interface TriageChange {
  readonly status?: NotificationStatus;
  /** A member's email, or null to unassign. */
  readonly assignee?: string | null;
}

/** One notification a triage change touched: what it was and what it is now. */
export interface Triaged {
  readonly id: string;
  readonly before: { readonly status: NotificationStatus; readonly assignee: string | null };
  readonly after: { readonly status: NotificationStatus; readonly assignee: string | null };
}

/** Rows updated per statement: far below every dialect's limit on bound parameters. */
const CHUNK = 500;

/**
 * Sets the status and/or assignee of what the filter selects; rows already so are left alone.
 * The rows are read first and updated by id, so what is reported is exactly what changed; run it
 * in a transaction (the caller audits in the same one).
 */
export async function setTriage(db: Db, org: string, f: NotificationFilter, change: TriageChange, by: string, now: string): Promise<Triaged[]> {
  const rows = await db.selectFrom('notifications').select(['id', 'status', 'assignee']).where(matching(org, f)).orderBy('created', 'desc').orderBy('id').execute();
  const out: Triaged[] = [];
  for (const r of rows) {
    const before = { status: r.status as NotificationStatus, assignee: r.assignee };
    const after = { status: change.status ?? before.status, assignee: change.assignee === undefined ? before.assignee : change.assignee };
    if (after.status !== before.status || after.assignee !== before.assignee) out.push({ id: r.id, before, after });
  }
  const statusIds = out.filter((t) => t.after.status !== t.before.status).map((t) => t.id);
  const assigneeIds = out.filter((t) => t.after.assignee !== t.before.assignee).map((t) => t.id);
  for (let i = 0; i < statusIds.length; i += CHUNK) {
    await db
      .updateTable('notifications')
      .set({ status: change.status!, status_at: now, status_by: by })
      .where('org', '=', org)
      .where('id', 'in', statusIds.slice(i, i + CHUNK))
      .execute();
  }
  for (let i = 0; i < assigneeIds.length; i += CHUNK) {
    await db
      .updateTable('notifications')
      .set({ assignee: change.assignee ?? null })
      .where('org', '=', org)
      .where('id', 'in', assigneeIds.slice(i, i + CHUNK))
      .execute();
  }
  return out;
}

export interface NotificationComment {
  readonly seq: number;
  readonly author: string;
  readonly at: string;
  readonly text: string;
}

export async function addComment(db: Db, org: string, notification: string, c: Omit<NotificationComment, 'seq'>): Promise<NotificationComment> {
  const row = await db
    .insertInto('notification_comments')
    .values({ org, notification, author: c.author, at: c.at, text: c.text })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return { seq: Number(row.seq), ...c };
}

/** A notification's comments, oldest first. */
export async function commentsOf(db: Db, org: string, notification: string): Promise<NotificationComment[]> {
  const rows = await db
    .selectFrom('notification_comments')
    .select(['seq', 'author', 'at', 'text'])
    .where('org', '=', org)
    .where('notification', '=', notification)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), author: r.author, at: r.at, text: r.text }));
}

/**
 * The stored file form (JSON) of each signature named, current or, for one since removed, its
 * last version: what a notification's signature is called even after it is gone.
 */
export async function signatureSources(db: Db, org: string, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    for (const r of await db.selectFrom('signatures').select(['id', 'source']).where('org', '=', org).where('id', 'in', chunk).execute()) out.set(r.id, r.source);
    const gone = chunk.filter((id) => !out.has(id));
    if (gone.length === 0) continue;
    const versions = await db.selectFrom('signature_versions').select(['id', 'source']).where('org', '=', org).where('id', 'in', gone).orderBy('id').orderBy('version', 'desc').execute();
    for (const r of versions) if (!out.has(r.id)) out.set(r.id, r.source);
  }
  return out;
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
