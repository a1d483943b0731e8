// Tags page (/tags, issue 15): every tag of the organisation and every classification, with how
// many entities each lists; each opens its list on the pivot page.
import type { JSX } from 'preact';
import { get, type TagSummary } from '../api.js';
import { countText, pivotHref } from '../pivot.js';
import { Link } from '../router.js';
import { ErrorText, ListView, Section, Table, useLoad } from '../ui.js';

export function TagsPage(): JSX.Element {
  const res = useLoad(() => get<TagSummary>('/tags'), []);
  return (
    <div class="page" data-testid="page-tags">
      <div class="page-head">
        <h1>Tags</h1>
      </div>
      <ErrorText error={res.error} />
      <div class="grid-tags">
        <Section title="Tags of your organisation">
          <ListView res={res} items={(d) => d.tags} empty="No tags yet: a signature's tag action or a tag added by hand makes one.">
            {(tags) => (
              <Table head={['Tag', 'Entities']} testid="tag-list">
                {tags.map((t) => (
                  <tr key={t.name} data-testid={`tag-row-${t.name}`}>
                    <td>
                      <Link href={pivotHref('tag', t.name)} class="chip">
                        {t.name}
                      </Link>
                    </td>
                    <td class="num">{countText(t.entities, null)}</td>
                  </tr>
                ))}
              </Table>
            )}
          </ListView>
        </Section>
        <Section title="Classifications">
          <ListView res={res} items={(d) => d.classifications} empty="None.">
            {(classes) => (
              <Table head={['Classification', 'Entities']} testid="classification-list">
                {classes.map((c) => (
                  <tr key={c.value}>
                    <td>
                      <Link href={pivotHref('classification', c.value)} class={`cls cls-${c.value}`}>
                        {c.value}
                      </Link>
                    </td>
                    <td class="num">{countText(c.entities, null)}</td>
                  </tr>
                ))}
              </Table>
            )}
          </ListView>
        </Section>
      </div>
    </div>
  );
}
