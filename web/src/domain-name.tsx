// A domain as the UI shows it: its Unicode form with the A-label on hover, and the look-alike
// warning of an entity page.
import type { JSX } from 'preact';
import { lookalikeReasons, mixedScriptLabels, toUnicode } from './idn.js';

/** The name in Unicode; the A-label (what DNS and the API use) on hover, and a ⚠ on mixed scripts. */
export function DomainName({ name, unicode }: { name: string; unicode?: string }): JSX.Element {
  const u = unicode ?? toUnicode(name);
  if (u === name) return <>{name}</>;
  const mixed = mixedScriptLabels(u).length > 0;
  return (
    <span class="idn" title={`A-label: ${name}`} data-alabel={name}>
      {u}
      {mixed ? (
        <span class="idn-mixed" role="img" aria-label="mixes scripts">
          {' '}
          ⚠
        </span>
      ) : null}
    </span>
  );
}

/** The warning of a domain that may imitate another (nothing when none suggests it). */
export function LookalikeWarning({ name, unicode, skeleton }: { name: string; unicode: string; skeleton: string | undefined }): JSX.Element | null {
  const reasons = lookalikeReasons(unicode, skeleton);
  if (reasons.length === 0) return null;
  return (
    <p class="notice lookalike" role="note" data-testid="lookalike">
      <strong>Possible look-alike:</strong> {reasons.join('; ')}. Its A-label is <code>{name}</code>.
    </p>
  );
}
