// Retro-hunts that workers run in parts (a server with a queue, docs/DEPLOY.md): each with its
// signatures, parts done, entities scanned and tags applied so far, polled while any runs; an
// analyst may cancel a running one. Without a queue there are none and nothing is shown.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, message, post, type HuntJob } from '../api.js';
import { Can, ErrorText, Section, when } from '../ui.js';

export function HuntJobs(): JSX.Element | null {
  const [hunts, setHunts] = useState<HuntJob[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void get<HuntJob[]>('/hunts')
      .then((list) => {
        if (!live) return;
        setHunts(list);
        if (list.some((h) => h.status === 'running')) timer = setTimeout(() => setTick((n) => n + 1), 1000);
      })
      .catch((e: unknown) => live && setError(message(e)));
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [tick]);
  const cancel = async (id: string): Promise<void> => {
    try {
      await post(`/hunts/${encodeURIComponent(id)}/cancel`, {});
      setTick((n) => n + 1);
    } catch (e) {
      setError(message(e));
    }
  };
  if (!hunts || hunts.length === 0) return error ? <ErrorText error={error} /> : null;
  return (
    <Section title="Retro-hunts (workers)" testid="hunt-jobs">
      <ErrorText error={error} />
      <ul class="jobs">
        {hunts.map((h) => (
          <li key={h.id} data-testid="hunt-job" data-status={h.status}>
            <div class="progress-row">
              <progress max={h.progress.parts} value={h.progress.partsDone} aria-label={`retro-hunt ${h.id} progress`} />
              <span class={`status status-${h.status}`}>{h.status}</span>
            </div>
            {when(h.created)} · {h.signatures.join(', ')} · {h.progress.partsDone} of {h.progress.parts} parts · {h.progress.scanned} scanned · {h.report.applied.tags ?? 0} tags, {h.report.applied.notifications ?? 0} notifications
            {h.status === 'running' ? (
              <Can role="analyst">
                {' '}
                <button type="button" onClick={() => void cancel(h.id)} data-testid="hunt-cancel">
                  Cancel
                </button>
              </Can>
            ) : null}
          </li>
        ))}
      </ul>
    </Section>
  );
}
