// A table sorted by the column whose heading was clicked (again: the other way). Headings are
// buttons with aria-sort on their cell, so the order is announced and reachable by keyboard.
// Missing values sort last in both directions: an unknown time is not "the oldest".
import type { ComponentChildren, JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export type SortValue = string | number | null | undefined;

export interface SortColumn<R> {
  readonly id: string;
  readonly label: string;
  /** What the column sorts by; absent: the column does not sort. */
  readonly sort?: (row: R) => SortValue;
  readonly cell: (row: R) => ComponentChildren;
  readonly class?: string;
  /** The first click sorts descending (times and counts: the newest, the most first); else ascending. */
  readonly descendingFirst?: boolean;
}

export interface SortState {
  readonly column: string;
  readonly descending: boolean;
}

function compare(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** `rows` in the order `state` asks for; ties keep their order (Array.prototype.sort is stable). */
export function sortRows<R>(rows: readonly R[], columns: readonly SortColumn<R>[], state: SortState): R[] {
  const key = columns.find((c) => c.id === state.column)?.sort;
  if (!key) return [...rows];
  const missing = (v: SortValue): boolean => v === null || v === undefined || v === '';
  return [...rows].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    if (missing(a) || missing(b)) return missing(a) === missing(b) ? 0 : missing(a) ? 1 : -1;
    const c = compare(a, b);
    return state.descending ? -c : c;
  });
}

/** The sort a table starts with, and the sorted rows for the table and whatever follows its order (a chart). */
export function useSorted<R>(rows: readonly R[], columns: readonly SortColumn<R>[], initial: SortState): { sorted: R[]; state: SortState; sortBy: (column: string) => void } {
  const [state, setState] = useState(initial);
  const sorted = useMemo(() => sortRows(rows, columns, state), [rows, columns, state]);
  const sortBy = (column: string): void =>
    setState((s) => (s.column === column ? { column, descending: !s.descending } : { column, descending: columns.find((c) => c.id === column)?.descendingFirst === true }));
  return { sorted, state, sortBy };
}

export function SortTable<R>({
  columns,
  rows,
  state,
  sortBy,
  rowKey,
  testid,
  caption,
}: {
  columns: readonly SortColumn<R>[];
  rows: readonly R[];
  state: SortState;
  sortBy: (column: string) => void;
  rowKey: (row: R) => string;
  testid?: string;
  caption?: string;
}): JSX.Element {
  return (
    <div class="table-scroll">
      <table class="table small sortable" data-testid={testid}>
        {caption ? <caption class="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => {
              const active = state.column === c.id;
              return (
                <th key={c.id} scope="col" class={c.class} aria-sort={active ? (state.descending ? 'descending' : 'ascending') : c.sort ? 'none' : undefined}>
                  {c.sort ? (
                    <button type="button" class="sort" onClick={() => sortBy(c.id)} data-testid={`sort-${c.id}`}>
                      {c.label}
                      <span aria-hidden="true" class="sort-mark">
                        {active ? (state.descending ? '▼' : '▲') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.id} class={c.class}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
