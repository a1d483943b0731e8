// Keyboard shortcuts of the whole UI: `/` focuses the lookup box, `g` then a letter goes to a
// page, `j` / `k` move the selection in a list (Enter opens it), `?` lists them. None acts while
// the user types in a field, or with Ctrl, Alt or Meta held (the browser's own shortcuts).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { GO, interpretKey } from './keys.js';
import { QUICK_LOOKUP_ID } from './quick-lookup.js';
import { navigate } from './router.js';

/** True while the user types: keys belong to the field, not to the shortcuts. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

// The rows j / k walk: a page's notification rows and its table rows, in document order. Pages
// need no wiring, so a new list or table takes part by itself.
const ITEMS = '#main .notifs > li, #main table tbody tr';
const CURRENT = 'data-kbd-current';

function moveSelection(step: 1 | -1): void {
  const items = [...document.querySelectorAll<HTMLElement>(ITEMS)].filter((el) => el.offsetParent !== null);
  if (items.length === 0) return;
  const at = items.findIndex((el) => el.hasAttribute(CURRENT));
  const next = items[at === -1 ? (step === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + step))]!;
  for (const el of items) el.removeAttribute(CURRENT);
  next.setAttribute(CURRENT, '');
  // Focus the row's first link, so Enter opens it as a click would; a row without one is focused
  // itself (still shown, nothing to open).
  const link = next.querySelector<HTMLElement>('a[href]');
  if (link) link.focus();
  else {
    next.tabIndex = -1;
    next.focus();
  }
  next.scrollIntoView({ block: 'nearest' });
}

export function useShortcuts(): { help: boolean; closeHelp: () => void } {
  const [help, setHelp] = useState(false);
  const pendingG = useRef<number | undefined>(undefined);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector('dialog[open]') && e.key !== '?') return;
      const r = interpretKey(e.key, e.timeStamp, pendingG.current);
      pendingG.current = r.pendingG;
      const a = r.action;
      if (!a) return;
      e.preventDefault();
      if (a === 'lookup') document.getElementById(QUICK_LOOKUP_ID)?.focus();
      else if (a === 'next') moveSelection(1);
      else if (a === 'previous') moveSelection(-1);
      else if (a === 'help') setHelp((h) => !h);
      else {
        navigate(a.go);
        window.scrollTo(0, 0);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return { help, closeHelp: () => setHelp(false) };
}

const KEYS: readonly [string, string][] = [
  ['/', 'Look up a domain, IP, certificate hash or field=value'],
  ...Object.entries(GO).map(([k, v]): [string, string] => [`g ${k}`, `Go to ${v.label}`]),
  ['j / k', 'Next / previous row of a list'],
  ['Enter', 'Open the selected row'],
  ['?', 'Show or hide this list'],
  ['Esc', 'Close this list, or leave the lookup box'],
];

/** The list of shortcuts, as a modal dialog (Escape closes it; focus returns where it was). */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} class="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose} data-testid="shortcut-help">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl>
        {KEYS.map(([k, what]) => (
          <div key={k}>
            <dt>
              {k.split(' ').map((part, i) => (part === '/' && k !== '/' ? ' / ' : <kbd key={i}>{part}</kbd>))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">Not while typing in a field.</p>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
