// Lists cut into pieces small enough for one statement: SQLite and PostgreSQL both limit how
// many parameters a statement may bind.
export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
