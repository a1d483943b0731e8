// What a key press means to the UI's shortcuts (shortcuts.tsx), as a pure function of the key,
// its time stamp and the `g` still waiting for its letter: no DOM, so it is unit-tested.

/** `g` then one of these letters, within GO_WINDOW_MS, goes to the page. */
export const GO: Readonly<Record<string, { path: string; label: string }>> = {
  o: { path: '/', label: 'Overview' },
  s: { path: '/signatures', label: 'Signatures' },
  n: { path: '/notifications', label: 'Notifications' },
  i: { path: '/ingest', label: 'Ingest' },
};
const GO_WINDOW_MS = 1500;
const MODIFIERS: ReadonlySet<string> = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock']);

export type ShortcutAction = { readonly go: string } | 'lookup' | 'next' | 'previous' | 'help';

/** What a key press does, given when the last unanswered `g` was pressed (event time stamps). */
export function interpretKey(key: string, at: number, pendingG: number | undefined): { action?: ShortcutAction; pendingG?: number } {
  // A modifier pressed on its own (Shift on the way to `?`) is no key of a sequence.
  if (MODIFIERS.has(key)) return pendingG === undefined ? {} : { pendingG };
  if (pendingG !== undefined && at - pendingG <= GO_WINDOW_MS) {
    const to = GO[key];
    // Any other key ends the sequence, and is not taken as a shortcut of its own.
    return to ? { action: { go: to.path } } : {};
  }
  switch (key) {
    case 'g':
      return { pendingG: at };
    case '/':
      return { action: 'lookup' };
    case 'j':
      return { action: 'next' };
    case 'k':
      return { action: 'previous' };
    case '?':
      return { action: 'help' };
    default:
      return {};
  }
}
