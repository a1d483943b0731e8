// Small shared pieces: loading state, errors, dates, severity badges, pagination.
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { message } from './api.js';

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

/** Cursor pagination: pages seen so far are kept, so Previous works without the server's help. */
export function usePager(): { cursor: string | undefined; page: number; next: (c: string) => void; prev: () => void; reset: () => void } {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (c) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

export function Pager({ page, next, onNext, onPrev }: { page: number; next: string | null | undefined; onNext: (c: string) => void; onPrev: () => void }): JSX.Element {
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" disabled={page <= 1} onClick={onPrev}>
        ← Previous
      </button>
      <span>Page {page}</span>
      <button type="button" disabled={!next} onClick={() => next && onNext(next)}>
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
