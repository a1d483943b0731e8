// Pivot links (issue 15): a value the entity page shows, as a link to every entity with it
// (/pivot?field=&value=), with how many there are beside it ("46313@qq.com · 4 domains").
import type { JSX } from 'preact';
import { get, PIVOT_FIELDS, type PivotCounts, type ValueCount } from './api.js';
import { href, Link } from './router.js';
import { useLoad } from './ui.js';
import { DATE_FIELDS, LocalTime } from './dates.js';

const LINKED: ReadonlySet<string> = new Set(PIVOT_FIELDS);

/** Whether the entity page links this field's values to their pivot. */
export function isPivotField(field: string): boolean {
  return LINKED.has(field);
}

export function pivotHref(field: string, value: string): string {
  return href('/pivot', { field, value });
}

const NOUNS: Record<string, [string, string]> = { domain: ['domain', 'domains'], ip: ['IP', 'IPs'], certificate: ['certificate', 'certificates'] };

/** "4 domains", "1 IP", "≥ 5,000 IPs" (a count stopped at its cap), "12 entities" (kind null: a list). */
export function countText(count: number, kind: string | null, complete = true): string {
  const [one, many] = kind ? (NOUNS[kind] ?? ['entity', 'entities']) : ['entity', 'entities'];
  return `${complete ? '' : '≥ '}${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function key(field: string, value: string): string {
  return `${field}\u0000${value}`;
}

/**
 * The counts beside an entity's values: field+value → count. Loaded once the entity's view is
 * (`view`, and again with each new view): a view may have fetched new values live, and the
 * counts, which cost a scan, never hold up the page.
 */
export function useValueCounts(entity: string, view: object | undefined): ReadonlyMap<string, ValueCount> {
  const res = useLoad(() => (view ? get<PivotCounts>('/pivot/counts', { entity }) : Promise.resolve(undefined)), [entity, view]);
  const out = new Map<string, ValueCount>();
  for (const c of res.data?.counts ?? []) out.set(key(c.field, c.value), c);
  return out;
}

export function countOf(counts: ReadonlyMap<string, ValueCount>, field: string, value: string): ValueCount | undefined {
  return counts.get(key(field, value));
}

/** A value linked to its pivot, with its count once known. */
export function PivotValue({ field, value, count }: { field: string; value: string; count: ValueCount | undefined }): JSX.Element {
  return (
    <>
      <Link href={pivotHref(field, value)} class="pivot" data-testid="pivot-link" title={`every entity with ${field} = ${value}`}>
        {DATE_FIELDS.has(field) ? <LocalTime iso={value} /> : value}
      </Link>
      {count ? (
        <span class="pivot-count" data-testid="pivot-count">
          {' '}
          · {countText(count.count, count.kind, count.complete)}
        </span>
      ) : null}
    </>
  );
}
