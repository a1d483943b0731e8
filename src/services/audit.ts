// The audit log: every change a person makes to an organisation's configuration, written by the
// service that makes it, so a change is audited alike whether it came over the API or from the
// CLI. The actor is who did it: a user's email (API), or `cli:<OS user>` (CLI, see
// cli/store-options.ts cliActor and docs/SERVER.md).
import { appendAudit, auditLog, type AuditEntry } from '../store/accounts.js';
import type { Store } from '../store/store.js';

/** Who made a change, as the audit log names them. */
export type Actor = string;

export type { AuditEntry };

/** The database handle a row is written through: the store's, or a transaction of it. */
type AuditDb = Parameters<typeof appendAudit>[0];

/**
 * One audit row; `org` null for a change no organisation owns (an unscoped API key). Given the
 * transaction that makes the change (`trx`), the row commits with it or not at all.
 */
export async function audit(store: Store, actor: Actor, e: Omit<AuditEntry, 'actor'>, trx?: AuditDb): Promise<void> {
  await appendAudit(trx ?? store.db, { ...e, actor });
}

/** A page of the organisation's audit log, newest first; `next` continues it (null at the end). */
export async function auditPage(store: Store, org: string, opts: { before?: number; limit: number }): Promise<{ items: Omit<AuditEntry & { seq: number }, 'org'>[]; next: string | null }> {
  const rows = await auditLog(store.db, org, { ...(opts.before !== undefined ? { before: opts.before } : {}), limit: opts.limit + 1 });
  const items = rows.slice(0, opts.limit).map(({ org: _org, ...e }) => e);
  return { items, next: rows.length > opts.limit ? String(items.at(-1)!.seq) : null };
}
