// Prepared statements kept per SQL text for SQLite. Kysely's SQLite driver prepares every query
// it runs; compiling the same multi-row upsert or evaluation query again for every batch cost the
// feeds and ingest about 5 % of their CPU (docs/PERFORMANCE.md). SQLite re-prepares a kept
// statement by itself when the schema changes (sqlite3_prepare_v2), so a kept one never runs
// stale SQL.
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The statements better-sqlite3 prepares, with what tells whether one is in use. */
interface BusyStatement extends SqliteStatement {
  /** True while an iterate() over it is open: it cannot run again until that ends. */
  readonly busy: boolean;
}

interface Preparer {
  prepare(sql: string): BusyStatement;
  close(): unknown;
}

/** Statements kept per connection: enough for every query shape of ingest and evaluation. */
export const KEPT_STATEMENTS = 512;

/**
 * A `SqliteDatabase` for Kysely that hands out a kept statement for SQL it has prepared before,
 * least recently used dropped first. A kept statement still iterating (a streamed query) is not
 * handed out again: that query gets a statement of its own.
 */
export function cachingDatabase(database: Preparer, keep = KEPT_STATEMENTS): SqliteDatabase & { readonly kept: number } {
  const kept = new Map<string, BusyStatement>();
  return {
    get kept() {
      return kept.size;
    },
    prepare(sql: string): SqliteStatement {
      const hit = kept.get(sql);
      if (hit !== undefined) {
        if (hit.busy) return database.prepare(sql);
        // Map order is recency: the hit moves to the end.
        kept.delete(sql);
        kept.set(sql, hit);
        return hit;
      }
      const stmt = database.prepare(sql);
      kept.set(sql, stmt);
      if (kept.size > keep) kept.delete(kept.keys().next().value!);
      return stmt;
    },
    close(): void {
      kept.clear();
      database.close();
    },
  };
}
