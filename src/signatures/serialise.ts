// Signatures back to the file format (signatures.md): what `sig export` writes and what tests
// generate. Loading the output gives the same signatures back.
import { stringify } from 'yaml';
import type { Signature } from './types.js';

/** The file form of one signature: snake_case keys, defaults left out where they are defaults. */
export function toFileObject(s: Signature): Record<string, unknown> {
  const o: Record<string, unknown> = { id: s.id, title: s.title };
  if (s.description !== undefined) o.description = s.description;
  if (s.author !== undefined) o.author = s.author;
  if (s.references.length > 0) o.references = [...s.references];
  if (s.labels.length > 0) o.labels = [...s.labels];
  o.status = s.status;
  o.enabled = s.enabled;
  o.field = s.field;
  o.match = s.match;
  o.case_sensitive = s.caseSensitive;
  o.patterns = [...s.patterns];
  if (s.exclude.length > 0) o.exclude = [...s.exclude];
  if (s.lookalike !== undefined) {
    o.lookalike = {
      distance: s.lookalike.distance,
      families: [...s.lookalike.families],
      min_length: s.lookalike.minLength,
      ...(s.lookalike.keywords !== undefined ? { keywords: [...s.lookalike.keywords] } : {}),
    };
  }
  if (s.target !== undefined) o.target = [...s.target];
  o.actions = s.actions.map((a) => ({ ...a }));
  if (s.tests) o.tests = { match: [...s.tests.match], no_match: [...s.tests.noMatch] };
  return o;
}

/** A YAML file holding each signature as its own document. */
export function toYaml(signatures: readonly Signature[]): string {
  // Strings are always quoted-as-needed by the library; long patterns must not be folded.
  return signatures.map((s) => `---\n${stringify(toFileObject(s), { lineWidth: 0 })}`).join('');
}
