// A small timeline: one bar per row from first to last seen on a shared time axis, drawn as SVG
// by hand (no chart library for a few rectangles). Rows come in the order of the table beside it,
// so sorting the table reorders the chart; only the first MAX_ROWS are drawn.
import type { JSX } from 'preact';
import { formatDay, formatLocal, parseTime, timeZone } from '../dates.js';

export const MAX_ROWS = 40;
const WIDTH = 960;
const LABEL = 220;
const PAD = 12;
const ROW = 16;
const AXIS = 22;
const DAY = 86_400_000;

export interface Span {
  readonly key: string;
  readonly label: string;
  readonly first: string | null;
  readonly last: string | null;
}

interface Bar {
  readonly span: Span;
  readonly from: number;
  readonly to: number;
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function TimelineChart({ spans, title, testid }: { spans: readonly Span[]; title: string; testid: string }): JSX.Element | null {
  const bars: Bar[] = [];
  let undated = 0;
  for (const span of spans) {
    if (bars.length === MAX_ROWS) break;
    const a = parseTime(span.first) ?? parseTime(span.last);
    const b = parseTime(span.last) ?? a;
    if (a === undefined || b === undefined) undated++;
    else bars.push({ span, from: Math.min(a, b), to: Math.max(a, b) });
  }
  if (bars.length === 0) return null;
  let t0 = Math.min(...bars.map((b) => b.from));
  let t1 = Math.max(...bars.map((b) => b.to));
  // One moment is a day-wide axis, so its bar has somewhere to stand.
  if (t1 - t0 < DAY) {
    t0 -= DAY / 2;
    t1 += DAY / 2;
  }
  const plot = WIDTH - LABEL - PAD;
  const x = (t: number): number => LABEL + ((t - t0) / (t1 - t0)) * plot;
  const height = AXIS + bars.length * ROW + 4;
  const ticks = [0, 1, 2, 3, 4].map((i) => t0 + ((t1 - t0) * i) / 4);
  return (
    <figure class="chart timeline" data-testid={testid}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}: ${bars.length} rows from ${formatDay(t0)} to ${formatDay(t1)}`}>
        {ticks.map((t, i) => (
          <g key={i}>
            <line class="axis" x1={x(t)} x2={x(t)} y1={AXIS - 4} y2={height} />
            <text class="tick" x={x(t)} y={12} text-anchor={i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}>
              {formatDay(t)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const y = AXIS + i * ROW;
          return (
            <g key={b.span.key} data-row={b.span.label}>
              <text class="tick row-label" x={LABEL - 6} y={y + ROW - 5} text-anchor="end">
                {clip(b.span.label, 30)}
              </text>
              <rect class="bar" x={x(b.from)} y={y + 3} width={Math.max(3, x(b.to) - x(b.from))} height={ROW - 6} rx={2}>
                <title>{`${b.span.label}: ${b.span.first ? formatLocal(b.span.first) : '—'} → ${b.span.last ? formatLocal(b.span.last) : '—'}`}</title>
              </rect>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">
        First to last seen, {spans.length > MAX_ROWS ? `the first ${MAX_ROWS} rows` : 'every row'} in the table's order
        {undated > 0 ? ` (${undated} without times not drawn)` : ''}; dates in {timeZone()}.
      </figcaption>
    </figure>
  );
}
