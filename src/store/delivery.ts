// Delivery channels and the outbox: queries only (the rules are in services/delivery/).
// An outbox row is one notification for one channel; it stays 'pending' until the receiver
// acknowledged it ('sent') or every try failed ('dead'). Times are ISO 8601 UTC text, which
// compares as it sorts on both dialects.
//
// A deliverer claims rows before sending them (claimed_by, claimed_until), in one UPDATE that
// takes only rows nobody holds or whose lease has ended, and sends only what it got: any number
// of deliverers send each row once. On PostgreSQL the candidate rows are locked with FOR UPDATE
// SKIP LOCKED, so concurrent deliverers take different rows instead of waiting for each other;
// SQLite has one writer at a time, so the UPDATE itself is the claim. Settling a row (sent,
// retry, dead, deferred) ends its claim.
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DialectName } from './connect.js';
import type { Notification } from './notifications.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type ChannelType = 'webhook' | 'email';

export const CHANNEL_TYPES: readonly ChannelType[] = ['webhook', 'email'];

export function isChannelType(s: string): s is ChannelType {
  return (CHANNEL_TYPES as readonly string[]).includes(s);
}

export interface NewChannel {
  readonly org: string;
  readonly name: string;
  readonly type: ChannelType;
  /** Type-specific settings (URL, format, address, digest), stored as JSON. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The webhook's HMAC key. Stored as given: signing needs the key itself, not a hash of it. */
  readonly secret: string | null;
}

/** A channel as listed: never its secret, only whether it has one. */
export interface ChannelSummary {
  readonly org: string;
  readonly name: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly hasSecret: boolean;
  readonly created: string;
}

/** A channel with what sending needs, secret included: for the deliverer, never for display. */
export interface Channel extends ChannelSummary {
  readonly secret: string | null;
}

/** What a receiver is told about a notification (the JSON payload of a webhook): all but `read`. */
export type DeliveryNotification = Omit<Notification, 'read'>;

/** A pending outbox row with its channel and notification, as the deliverer needs them. */
export interface PendingDelivery {
  readonly seq: number;
  readonly org: string;
  readonly attempts: number;
  readonly channel: Channel;
  readonly notification: DeliveryNotification;
}

export interface DeadLetter {
  readonly seq: number;
  readonly org: string;
  readonly channel: string;
  readonly notification: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly created: string;
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  dead: number;
}

function parseConfig(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {}; // a damaged row lists as empty; sending it fails with a clear config error
  }
}

function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

// ---- channels -------------------------------------------------------------------------------

/** Adds a channel; false when the organisation already has one of that name. */
export async function addChannel(db: Db, c: NewChannel, now: string): Promise<boolean> {
  const r = await db
    .insertInto('channels')
    .values({ org: c.org, name: c.name, type: c.type, config: JSON.stringify(c.config), secret: c.secret, created: now })
    .onConflict((oc) => oc.columns(['org', 'name']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function listChannels(db: Db, org: string): Promise<ChannelSummary[]> {
  const rows = await db
    .selectFrom('channels')
    .select(['org', 'name', 'type', 'config', 'created'])
    .select((eb) => eb.case().when('secret', 'is not', null).then(1).else(0).end().as('has_secret'))
    .where('org', '=', org)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    org: r.org,
    name: r.name,
    type: r.type,
    config: parseConfig(r.config),
    hasSecret: Number(r.has_secret) === 1,
    created: r.created,
  }));
}

export async function channelByName(db: Db, org: string, name: string): Promise<Channel | undefined> {
  const r = await db.selectFrom('channels').selectAll().where('org', '=', org).where('name', '=', name).executeTakeFirst();
  return r
    ? { org: r.org, name: r.name, type: r.type, config: parseConfig(r.config), hasSecret: r.secret !== null, secret: r.secret, created: r.created }
    : undefined;
}

/**
 * Removes a channel and what it still had to send (sent and dead rows stay as history).
 * Undefined when there was no such channel; else the number of pending deliveries dropped.
 */
export async function removeChannel(db: Db, org: string, name: string): Promise<number | undefined> {
  return inTransaction(db, async (trx) => {
    const r = await trx.deleteFrom('channels').where('org', '=', org).where('name', '=', name).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return undefined;
    const d = await trx
      .deleteFrom('outbox')
      .where('org', '=', org)
      .where('channel', '=', name)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(d.numDeletedRows);
  });
}

// ---- outbox ---------------------------------------------------------------------------------

function pendingQuery(db: Db) {
  return db
    .selectFrom('outbox as o')
    .innerJoin('channels as c', (j) => j.onRef('c.org', '=', 'o.org').onRef('c.name', '=', 'o.channel'))
    .innerJoin('notifications as n', (j) => j.onRef('n.org', '=', 'o.org').onRef('n.id', '=', 'o.notification'))
    .select([
      'o.seq',
      'o.org',
      'o.attempts',
      'c.name as c_name',
      'c.type as c_type',
      'c.config as c_config',
      'c.secret as c_secret',
      'c.created as c_created',
      'n.id as n_id',
      'n.signature as n_signature',
      'n.entity as n_entity',
      'n.kind as n_kind',
      'n.field as n_field',
      'n.value as n_value',
      'n.severity as n_severity',
      'n.headline as n_headline',
      'n.content as n_content',
      'n.created as n_created',
    ])
    .where('o.status', '=', 'pending');
}

type PendingRow = Awaited<ReturnType<ReturnType<typeof pendingQuery>['execute']>>[number];

function presentPending(r: PendingRow): PendingDelivery {
  return {
    seq: Number(r.seq), // bigserial: text on PostgreSQL
    org: r.org,
    attempts: Number(r.attempts),
    channel: {
      org: r.org,
      name: r.c_name,
      type: r.c_type,
      config: parseConfig(r.c_config),
      hasSecret: r.c_secret !== null,
      secret: r.c_secret,
      created: r.c_created,
    },
    notification: {
      id: r.n_id,
      signature: r.n_signature,
      entity: r.n_entity,
      kind: r.n_kind,
      field: r.n_field,
      value: r.n_value,
      severity: r.n_severity,
      headline: r.n_headline,
      content: r.n_content,
      created: r.n_created,
    },
  };
}

export interface DueQuery {
  /** Rows whose next attempt is at or before this time. */
  readonly now: string;
  /** Keyset paging: only rows after this seq, so one pass sees each row at most once. */
  readonly afterSeq?: number;
  readonly limit: number;
  readonly org?: string;
  /** Only channels of these types (email is left waiting when no SMTP server is configured). */
  readonly types?: readonly ChannelType[];
}

/** Who claims, when, and until when (ISO 8601 UTC). */
export interface Claim {
  readonly owner: string;
  readonly now: string;
  readonly until: string;
}

/** A row is free for `c` when nobody holds it, the holder's lease has ended, or `c` holds it. */
function claimable(c: Claim) {
  return (eb: ExpressionBuilder<Database, 'outbox'>) =>
    eb.or([eb('outbox.claimed_until', 'is', null), eb('outbox.claimed_until', '<', c.now), eb('outbox.claimed_by', '=', c.owner)]);
}

/**
 * Claims the pending rows `candidates` selects (seqs of rows that are free for the claim) and
 * returns them, oldest first. The UPDATE re-checks status and lease, so a row another deliverer
 * claimed in between is not taken.
 */
async function claimWhere(
  db: Db,
  dialect: DialectName,
  c: Claim,
  candidates: (q: ReturnType<typeof candidateQuery>) => ReturnType<typeof candidateQuery>,
  order: 'seq' | 'created',
): Promise<PendingDelivery[]> {
  const sub = candidates(candidateQuery(db, c));
  const claimed =
    dialect === 'postgres'
      ? // The candidates are picked once, in a materialised CTE. As `seq IN (subquery … LIMIT n
        // FOR UPDATE SKIP LOCKED)`, PostgreSQL may run the subquery again for every row of a
        // nested loop, each run skipping the rows the last one locked, and one deliverer then
        // claims the whole outbox instead of one batch.
        await db
          .with((cte) => cte('picked').materialized(), () => sub.forUpdate('outbox').skipLocked())
          .updateTable('outbox')
          .from('picked')
          .set({ claimed_by: c.owner, claimed_until: c.until })
          .whereRef('outbox.seq', '=', 'picked.seq')
          .where('outbox.status', '=', 'pending')
          .where(claimable(c))
          .returning('outbox.seq')
          .execute()
      : // SQLite runs an uncorrelated IN subquery once, and one writer at a time holds the file.
        await db
          .updateTable('outbox')
          .set({ claimed_by: c.owner, claimed_until: c.until })
          .where('seq', 'in', sub)
          .where('status', '=', 'pending')
          .where(claimable(c))
          .returning('seq')
          .execute();
  if (claimed.length === 0) return [];
  const seqs = claimed.map((r) => Number(r.seq));
  let q = pendingQuery(db).where('o.seq', 'in', seqs).where('o.claimed_by', '=', c.owner);
  if (order === 'created') q = q.orderBy('n.created');
  const rows = await q.orderBy('o.seq').execute();
  return rows.map(presentPending);
}

function candidateQuery(db: Db, c: Claim) {
  return db
    .selectFrom('outbox')
    .innerJoin('channels as c', (j) => j.onRef('c.org', '=', 'outbox.org').onRef('c.name', '=', 'outbox.channel'))
    .innerJoin('notifications as n', (j) => j.onRef('n.org', '=', 'outbox.org').onRef('n.id', '=', 'outbox.notification'))
    .select('outbox.seq')
    .where('outbox.status', '=', 'pending')
    .where(claimable(c));
}

/** Claims the due rows dueDeliveries() would list (and only those free for the claim). */
export function claimDue(db: Db, dialect: DialectName, q: DueQuery, c: Claim): Promise<PendingDelivery[]> {
  if (q.types !== undefined && q.types.length === 0) return Promise.resolve([]);
  return claimWhere(
    db,
    dialect,
    c,
    (sub) => {
      let s = sub.where('outbox.next_attempt', '<=', q.now);
      if (q.afterSeq !== undefined) s = s.where('outbox.seq', '>', q.afterSeq);
      if (q.org !== undefined) s = s.where('outbox.org', '=', q.org);
      if (q.types !== undefined) s = s.where('c.type', 'in', [...q.types]);
      return s.orderBy('outbox.seq').limit(q.limit);
    },
    'seq',
  );
}

/** Claims every pending row of one channel whose notification was created in [from, to), due or not (a daily digest). */
export function claimInPeriod(db: Db, dialect: DialectName, org: string, channel: string, from: string, to: string, c: Claim): Promise<PendingDelivery[]> {
  return claimWhere(
    db,
    dialect,
    c,
    (sub) => sub.where('outbox.org', '=', org).where('outbox.channel', '=', channel).where('n.created', '>=', from).where('n.created', '<', to),
    'created',
  );
}

/** Extends the lease of rows `owner` still holds; returns the seqs it still holds. */
export async function renewClaims(db: Db, seqs: readonly number[], owner: string, until: string): Promise<number[]> {
  if (seqs.length === 0) return [];
  const rows = await db
    .updateTable('outbox')
    .set({ claimed_until: until })
    .where('seq', 'in', [...seqs])
    .where('status', '=', 'pending')
    .where('claimed_by', '=', owner)
    .returning('seq')
    .execute();
  return rows.map((r) => Number(r.seq));
}

/** Gives back what `owner` still holds (a pass that stopped early): others need not wait for the lease. */
export async function releaseClaims(db: Db, owner: string): Promise<void> {
  await db.updateTable('outbox').set({ claimed_by: null, claimed_until: null }).where('claimed_by', '=', owner).where('status', '=', 'pending').execute();
}

/** Pending rows that are due, oldest (lowest seq) first (claimed or not: for reading, not sending). */
export async function dueDeliveries(db: Db, q: DueQuery): Promise<PendingDelivery[]> {
  let query = pendingQuery(db).where('o.next_attempt', '<=', q.now);
  if (q.afterSeq !== undefined) query = query.where('o.seq', '>', q.afterSeq);
  if (q.org !== undefined) query = query.where('o.org', '=', q.org);
  if (q.types !== undefined) {
    if (q.types.length === 0) return [];
    query = query.where('c.type', 'in', [...q.types]);
  }
  const rows = await query.orderBy('o.seq').limit(q.limit).execute();
  return rows.map(presentPending);
}

/**
 * Every pending row of one channel whose notification was created in [from, to), due or not:
 * a daily digest sends them as one message.
 */
export async function pendingInPeriod(db: Db, org: string, channel: string, from: string, to: string): Promise<PendingDelivery[]> {
  const rows = await pendingQuery(db)
    .where('o.org', '=', org)
    .where('o.channel', '=', channel)
    .where('n.created', '>=', from)
    .where('n.created', '<', to)
    .orderBy('n.created')
    .orderBy('o.seq')
    .execute();
  return rows.map(presentPending);
}

/** Marks rows sent; only pending ones, so a dead row never comes back to life. */
export async function markSent(db: Db, seqs: readonly number[], now: string): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent: now, last_error: null, claimed_by: null, claimed_until: null })
    .where('seq', 'in', [...seqs])
    .where('status', '=', 'pending')
    .execute();
}

/** Counts a failed try and schedules the next one. */
export async function recordFailure(db: Db, seqs: readonly number[], nextAttempt: string, error: string): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt: nextAttempt, last_error: error, claimed_by: null, claimed_until: null }))
    .where('seq', 'in', [...seqs])
    .where('status', '=', 'pending')
    .execute();
}

/** The last try failed: the row becomes a dead letter, keeping its last error. */
export async function markDead(db: Db, seqs: readonly number[], error: string): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .updateTable('outbox')
    .set((eb) => ({ status: 'dead', attempts: eb('attempts', '+', 1), last_error: error, claimed_by: null, claimed_until: null }))
    .where('seq', 'in', [...seqs])
    .where('status', '=', 'pending')
    .execute();
}

/** Moves rows' next attempt without counting a try (a digest waiting for its day to end). */
export async function deferDeliveries(db: Db, seqs: readonly number[], nextAttempt: string): Promise<void> {
  if (seqs.length === 0) return;
  await db.updateTable('outbox').set({ next_attempt: nextAttempt, claimed_by: null, claimed_until: null }).where('seq', 'in', [...seqs]).where('status', '=', 'pending').execute();
}

export async function deadLetters(db: Db, org: string, opts: { channel?: string; limit?: number } = {}): Promise<DeadLetter[]> {
  let q = db.selectFrom('outbox').selectAll().where('org', '=', org).where('status', '=', 'dead');
  if (opts.channel !== undefined) q = q.where('channel', '=', opts.channel);
  const rows = await q.orderBy('seq').limit(opts.limit ?? 1000).execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    org: r.org,
    channel: r.channel,
    notification: r.notification,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    created: r.created,
  }));
}

/** Outbox rows by status, for one organisation (and channel) or all. */
export async function outboxCounts(db: Db, scope: { org?: string; channel?: string } = {}): Promise<OutboxCounts> {
  let q = db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number | string>().as('n')]);
  if (scope.org !== undefined) q = q.where('org', '=', scope.org);
  if (scope.channel !== undefined) q = q.where('channel', '=', scope.channel);
  const rows = await q.groupBy('status').execute();
  const counts: OutboxCounts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) {
    if (r.status === 'pending' || r.status === 'sent' || r.status === 'dead') counts[r.status] = Number(r.n);
  }
  return counts;
}

/** Pending rows per channel type (to say how many emails wait for an SMTP server). */
export async function pendingByType(db: Db, org?: string): Promise<Record<string, number>> {
  let q = db
    .selectFrom('outbox as o')
    .innerJoin('channels as c', (j) => j.onRef('c.org', '=', 'o.org').onRef('c.name', '=', 'o.channel'))
    .select(['c.type', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('o.status', '=', 'pending');
  if (org !== undefined) q = q.where('o.org', '=', org);
  const rows = await q.groupBy('c.type').execute();
  return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
}
