// The lookup box of the top bar, on every page (`/` focuses it): a domain, IP or certificate
// hash opens its entity page; `field=value` opens the search page for that field.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { looksLikeEntity } from './api.js';
import { entityHref, href, navigate } from './router.js';

export const QUICK_LOOKUP_ID = 'quick-lookup';

/** Where the text typed in the lookup box leads, or undefined when it names nothing. */
export function lookupTarget(text: string): string | undefined {
  const v = text.trim();
  if (!v) return undefined;
  const typed = /^([a-z0-9_.]+)=(.+)$/i.exec(v);
  if (typed) return href('/search', { field: typed[1]!, value: typed[2]!.trim(), mode: 'exact' });
  return looksLikeEntity(v) ? entityHref(v.toLowerCase()) : undefined;
}

export function QuickLookup(): JSX.Element {
  const [text, setText] = useState('');
  const submit = (e: Event): void => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('lookup') as HTMLInputElement;
    const to = lookupTarget(text);
    if (!to) {
      // The browser's own bubble says why, without room taken in the bar.
      input.setCustomValidity('Type a domain, an IP, a certificate hash, or field=value.');
      input.reportValidity();
      return;
    }
    setText('');
    input.blur();
    navigate(to);
  };
  return (
    <form class="quick-lookup" role="search" aria-label="look up" onSubmit={submit}>
      <input
        id={QUICK_LOOKUP_ID}
        name="lookup"
        type="search"
        aria-label="Look up a domain, IP, certificate hash or field=value (shortcut /)"
        placeholder="Look up…  /"
        autoComplete="off"
        value={text}
        onInput={(e) => {
          e.currentTarget.setCustomValidity('');
          setText(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
        data-testid="quick-lookup"
      />
    </form>
  );
}
