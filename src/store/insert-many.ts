// Multi-row upserts without building and compiling the same statement for every chunk. A batch's
// write runs one statement per 200 rows and table; Kysely built and compiled each one from the
// row objects again, about 6 % of a CT feed's CPU. The SQL of a chunk depends only on its table,
// its number of rows and their columns, so it is compiled once per shape (and dialect) and then
// run with the rows' values in column order. The first compile of a shape is checked: its
// parameters must be exactly the rows' values in that order, or the shape is never reused.
// On PostgreSQL a chunk of up to 2,000 rows goes as one JSON parameter instead (insertManyAsJson).
import { CompiledQuery, PostgresAdapter, type Compilable, type Kysely } from 'kysely';
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

/** Rows per statement on PostgreSQL, where a chunk is one JSON parameter (no parameter limit). */
export const ROWS_PER_JSON_INSERT = 2_000;

/**
 * Characters of values per JSON chunk, about: rows of large text (WHOIS replies, lines of up to
 * 16 MiB) are cut into smaller chunks, far below V8's longest string and PostgreSQL's 1 GB message.
 */
export const CHARS_PER_JSON_INSERT = 32 * 1024 * 1024;

/** Rows cut at ROWS_PER_JSON_INSERT or when their values pass `budget` characters; a larger row goes alone. */
export function jsonChunks<R extends Row>(rows: readonly R[], budget = CHARS_PER_JSON_INSERT): R[][] {
  const out: R[][] = [];
  let chunk: R[] = [];
  let size = 0;
  for (const row of rows) {
    let n = 0;
    for (const key in row) {
      const v = row[key];
      n += typeof v === 'string' ? v.length : v instanceof Uint8Array ? 2 * v.byteLength : 8;
    }
    if (chunk.length > 0 && (chunk.length === ROWS_PER_JSON_INSERT || size + n > budget)) {
      out.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(row);
    size += n;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/** The JSON-rows form of a statement, by statement name and columns (null: it has none). */
const jsonSql = new Map<string, string | null>();

const ONE_ROW_INSERT = /^(insert into ("[^"]+") \(([^)]*)\)) values \(([^)]*)\)(.*)$/s;

/**
 * The statement for one row, rewritten to read its rows from one JSON array parameter:
 * `insert into t (a, b) select a, b from json_populate_recordset(null::t, $1) <conflict clause>`.
 * PostgreSQL parses and plans a 200-row VALUES list of ~1,400 parameters for every chunk, which
 * cost its backend more CPU than the rows' own writes (docs/PERFORMANCE.md); one parameter of
 * JSON text costs a parse of that text. Undefined when the statement is not of that form (its
 * values must be exactly $1..$n, and nothing after them may take a parameter).
 */
function jsonRowsSql(oneRow: string, columns: number): string | undefined {
  const m = ONE_ROW_INSERT.exec(oneRow);
  if (!m) return undefined;
  const [, head, table, cols, params, rest] = m;
  const expected = Array.from({ length: columns }, (_, i) => `$${i + 1}`).join(', ');
  if (params !== expected || /\$\d/.test(rest!)) return undefined;
  return `${head} select ${cols} from json_populate_recordset(null::${table}, $1)${rest}`;
}

/**
 * The chunk as JSON for json_populate_recordset, or undefined when it cannot be said so: a row
 * whose columns differ from the shape's (Kysely would fill DEFAULT), or a string with a lone
 * surrogate (JSON escapes it and PostgreSQL refuses the escape, where a parameter's UTF-8
 * encoding replaces it).
 */
function jsonRows(rows: readonly Row[], columns: readonly string[]): string | undefined {
  let copy: Row[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let n = 0;
    let bytes = false;
    for (const key in row) {
      const v = row[key];
      if (v === undefined) return undefined;
      if (v instanceof Uint8Array) bytes = true;
      n++;
    }
    if (n !== columns.length) return undefined;
    for (const c of columns) if (!(c in row)) return undefined;
    if (bytes) {
      copy ??= rows.slice();
      const hex: Row = {};
      for (const c of columns) {
        const v = row[c];
        hex[c] = v instanceof Uint8Array ? `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}` : v;
      }
      copy[i] = hex;
    }
  }
  const text = JSON.stringify(copy ?? rows);
  return /\\u[dD][89a-fA-F]/.test(text) ? undefined : text;
}

async function insertManyAsJson<R extends Row>(db: Kysely<Database>, statement: string, rows: readonly R[], query: (chunk: R[]) => Compilable): Promise<boolean> {
  const columns = Object.keys(rows[0]!);
  const key = `${statement}\t${columns.join(',')}`;
  let text = jsonSql.get(key);
  if (text === undefined) {
    const one = query([rows[0]!]).compile();
    const values = valuesInOrder([rows[0]!], columns);
    text = (values && sameValues(one.parameters, values) && jsonRowsSql(one.sql, columns.length)) || null;
    jsonSql.set(key, text);
  }
  if (text === null) return false;
  for (const chunk of jsonChunks(rows)) {
    const json = jsonRows(chunk, columns);
    if (json === undefined) await insertChunks(db, statement, chunk, query);
    else await db.executeQuery(CompiledQuery.raw(text, [json]));
  }
  return true;
}

/**
 * Inserts `rows` in chunks with the statement `query` builds for a chunk (an insert with its
 * conflict clause), built and compiled only for a shape not seen before. `statement` names the
 * statement (its table and conflict rule): one name must always build the same statement.
 */
export async function insertMany<R extends Row>(db: Kysely<Database>, statement: string, rows: readonly R[], query: (chunk: R[]) => Compilable): Promise<void> {
  if (rows.length === 0) return;
  if (db.getExecutor().adapter instanceof PostgresAdapter && (await insertManyAsJson(db, statement, rows, query))) return;
  await insertChunks(db, statement, rows, query);
}

/**
 * insertMany as 200-row VALUES statements with parameters on either dialect: what SQLite always
 * runs, PostgreSQL a chunk JSON cannot carry; `npm run bench:pg-insert` runs it as the baseline.
 */
export async function insertChunks<R extends Row>(db: Kysely<Database>, statement: string, rows: readonly R[], query: (chunk: R[]) => Compilable): Promise<void> {
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
