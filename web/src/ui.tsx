// Small shared pieces: the user's role, loading state, errors, dates, severity badges, lists,
// tables, options, pagination.
import { createContext, type ComponentChildren, type JSX } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { message, ROLES } from './api.js';

export type Role = (typeof ROLES)[number];

// The API's auth levels (config.auth of each route) are ordered: an admin may do what an analyst
// may, an analyst what a viewer may.
const RANK: Readonly<Record<Role, number>> = { viewer: 0, analyst: 1, admin: 2 };

function asRole(text: string | undefined): Role | undefined {
  return ROLES.find((r) => r === text);
}

/** The user's role in the organisation the UI acts in (main.tsx provides it from GET /me). */
export const RoleContext = createContext<Role | undefined>(undefined);

export function RoleProvider({ role, children }: { role: string | undefined; children: ComponentChildren }): JSX.Element {
  return <RoleContext.Provider value={asRole(role)}>{children}</RoleContext.Provider>;
}

export function useRole(): Role | undefined {
  return useContext(RoleContext);
}

/**
 * Whether the user may use a control whose route needs `least` (the route's `auth`): the one
 * check behind every write control, so a viewer sees no control the API would refuse them.
 */
export function useCan(least: Role): boolean {
  const role = useRole();
  return role !== undefined && RANK[role] >= RANK[least];
}

/** `children` for a user with at least `role`, else `otherwise` (nothing by default). */
export function Can({ role, children, otherwise }: { role: Role; children: ComponentChildren; otherwise?: ComponentChildren }): JSX.Element | null {
  const can = useCan(role);
  if (can) return <>{children}</>;
  return otherwise === undefined ? null : <>{otherwise}</>;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; `reload` runs it again. Keeps the last data while loading (no layout jump). */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(message(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function ErrorText({ error }: { error: string | undefined }): JSX.Element | null {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Spinner({ on }: { on: boolean }): JSX.Element {
  return (
    <span class="spinner" aria-live="polite">
      {on ? 'Loading…' : ''}
    </span>
  );
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

export function Severity({ value }: { value: string }): JSX.Element {
  return <span class={`sev sev-${value}`}>{value}</span>;
}

export function Section({ title, children, actions, testid }: { title: string; children: ComponentChildren; actions?: ComponentChildren; testid?: string }): JSX.Element {
  return (
    <section class="card" data-testid={testid} aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions ? <div class="card-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }): JSX.Element {
  return <p class="muted">{children}</p>;
}

/**
 * What a loaded list shows: a spinner until the data is there, then `empty` when the list the
 * data holds (`items`) has nothing, else what `children` makes of it.
 */
export function ListView<T, I>({ res, items, empty, children }: { res: Loaded<T>; items: (data: T) => readonly I[]; empty: ComponentChildren; children: (items: readonly I[]) => ComponentChildren }): JSX.Element {
  if (!res.data) return <Spinner on={res.loading} />;
  const list = items(res.data);
  return list.length === 0 ? <Empty>{empty}</Empty> : <>{children(list)}</>;
}

/** A column heading; `{ hidden }` is read out to screen readers only (a column of buttons). */
export type Column = string | { readonly hidden: string };

/** A table with one row of column headings; `children` are its body rows. */
export function Table({ head, class: cls = 'table', testid, children }: { head: readonly Column[]; class?: string; testid?: string; children: ComponentChildren }): JSX.Element {
  return (
    <table class={cls} data-testid={testid}>
      <thead>
        <tr>
          {head.map((c) =>
            typeof c === 'string' ? (
              <th key={c} scope="col">
                {c}
              </th>
            ) : (
              <th key={c.hidden} scope="col">
                <span class="sr-only">{c.hidden}</span>
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** One <option> a value, showing the value (the choices of a <select>). */
export function Options({ values }: { values: readonly string[] }): JSX.Element {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </>
  );
}

export interface PagerState {
  cursor: string | undefined;
  page: number;
  next: (c: string) => void;
  prev: () => void;
  reset: () => void;
}

/** Cursor pagination: pages seen so far are kept, so Previous works without the server's help. */
export function usePager(): PagerState {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (c) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

/** Previous and Next for the page `pager` is on, once that page (`shown`, with its next cursor) is loaded. */
export function Pager({ pager, shown }: { pager: PagerState; shown: { readonly next?: string | null } | undefined }): JSX.Element | null {
  if (!shown) return null;
  const next = shown.next;
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" disabled={pager.page <= 1} onClick={pager.prev}>
        ← Previous
      </button>
      <span>Page {pager.page}</span>
      <button type="button" disabled={!next} onClick={() => next && pager.next(next)}>
        Next →
      </button>
    </nav>
  );
}

/** The state of a page's writes: the last error or note, and whether one is running. */
export interface Mutation {
  readonly error: string | undefined;
  readonly note: string | undefined;
  readonly busy: boolean;
  /**
   * Runs one write: clears the last error and note; on success shows the note `write` returns
   * (if any) and calls `after` (usually a reload); on failure shows the API's message.
   */
  run(write: () => Promise<string | void>, after?: () => void): Promise<void>;
}

export function useMutation(): Mutation {
  const [error, setError] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (write: () => Promise<string | void>, after?: () => void): Promise<void> => {
    setError(undefined);
    setNote(undefined);
    setBusy(true);
    try {
      const said = await write();
      if (typeof said === 'string') setNote(said);
      after?.();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, note, busy, run };
}

/** A mutation's error (role=alert) and note (role=status), where the page shows feedback. */
export function Feedback({ m }: { m: Mutation }): JSX.Element | null {
  if (m.error) return <ErrorText error={m.error} />;
  if (!m.note) return null;
  return (
    <p class="ok" role="status">
      {m.note}
    </p>
  );
}
