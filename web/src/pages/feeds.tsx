// The Feeds panel of the overview: each feed the server knows (warren watch, serve --watch) with
// its position, size, lag, entries/s and last error. Feeds are the server's, so every
// organisation sees the same list.
import type { JSX } from 'preact';
import { get, type FeedStatus } from '../api.js';
import { ErrorText, ListView, Section, Table, useLoad, when } from '../ui.js';

const count = (v: number | null): string => (v === null ? '—' : v.toLocaleString('en-US'));

function position(f: FeedStatus): string {
  if (f.index !== null) return count(f.index);
  return f.position === null ? '—' : JSON.stringify(f.position);
}

export function FeedsPanel(): JSX.Element {
  const feeds = useLoad(() => get<FeedStatus[]>('/feeds'), []);
  return (
    <Section title="Feeds" testid="feeds" actions={<button type="button" class="small" onClick={feeds.reload}>Refresh</button>}>
      <ErrorText error={feeds.error} />
      <ListView res={feeds} items={(d) => d} empty="No feeds followed. Start one with warren watch or warren serve --watch.">
        {(items) => (
          <Table head={['Feed', 'Position', 'Size', 'Lag', 'Entries/s', 'Last error']} class="table small">
            {items.map((f) => (
              <tr key={f.feed} data-testid="feed-row">
                <td>
                  <code>{f.feed}</code>
                </td>
                <td class="num">{position(f)}</td>
                <td class="num">{count(f.size)}</td>
                <td class="num">{count(f.lag)}</td>
                <td class="num">{f.rate.toLocaleString('en-US')}</td>
                <td>{f.lastError === null ? '—' : <span class="status-failed" title={`${f.errors} failures in all`}>{`${when(f.lastErrorAt)}: ${f.lastError}`}</span>}</td>
              </tr>
            ))}
          </Table>
        )}
      </ListView>
    </Section>
  );
}
