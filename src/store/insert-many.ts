// Multi-row upserts without building and compiling the same statement for every chunk. A batch's
// write runs one statement per 200 rows and table; Kysely built and compiled each one from the
// row objects again, about 6 % of a CT feed's CPU. The SQL of a chunk depends only on its table,
// its number of rows and their columns, so it is compiled once per shape (and dialect) and then
// run with the rows' values in column order. The first compile of a shape is checked: its
// parameters must be exactly the rows' values in that order, or the shape is never reused.
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { chunks } from './chunks.js';
import type { Database } from './schema.js';

/** Rows per multi-row statement (each row binds several parameters: both dialects limit them). */
export const ROWS_PER_INSERT = 200;

type Row = Record<string, unknown>;

/** SQL by shape, per dialect adapter (a process may hold a SQLite and a PostgreSQL store). */
const compiledSql = new WeakMap<object, Map<string, string>>();

function valuesInOrder(rows: readonly Row[], columns: readonly string[]): unknown[] | undefined {
  const out: unknown[] = [];
  for (const row of rows) {
    // Kysely leaves out undefined values and fills missing columns with DEFAULT: such a chunk
    // has another statement than its shape says, so it is compiled as it is.
    let n = 0;
    for (const key in row) {
      if (row[key] === undefined) return undefined;
      n++;
    }
    if (n !== columns.length) return undefined;
    for (const c of columns) {
      if (!(c in row)) return undefined;
      out.push(row[c]);
    }
  }
  return out;
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Inserts `rows` in chunks with the statement `query` builds for a chunk (an insert with its
 * conflict clause), built and compiled only for a shape not seen before. `statement` names the
 * statement (its table and conflict rule): one name must always build the same statement.
 */
export async function insertMany<R extends Row>(db: Kysely<Database>, statement: string, rows: readonly R[], query: (chunk: R[]) => Compilable): Promise<void> {
  if (rows.length === 0) return;
  const adapter = db.getExecutor().adapter;
  let known = compiledSql.get(adapter);
  if (!known) compiledSql.set(adapter, (known = new Map<string, string>()));
  for (const chunk of chunks(rows, ROWS_PER_INSERT)) {
    const columns = Object.keys(chunk[0]!);
    const values = valuesInOrder(chunk, columns);
    const shape = `${statement}\t${chunk.length}\t${columns.join(',')}`;
    const sql = values && known.get(shape);
    if (sql && values) {
      await db.executeQuery(CompiledQuery.raw(sql, values));
      continue;
    }
    const compiled = query(chunk).compile();
    if (values && sameValues(compiled.parameters, values)) known.set(shape, compiled.sql);
    await db.executeQuery(compiled);
  }
}
