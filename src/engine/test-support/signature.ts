// Builds validated-looking Signature objects for engine tests without going through files.
import type { Signature } from '../../signatures/types.js';

export function sig(partial: Partial<Signature> & Pick<Signature, 'id' | 'field' | 'patterns'>): Signature {
  return {
    title: partial.id,
    references: [],
    labels: [],
    status: 'experimental',
    enabled: true,
    match: 'regex',
    caseSensitive: false,
    exclude: [],
    actions: [{ tag: 'T' }],
    ...partial,
  };
}

export function record(fields: Record<string, string | string[]>): Map<string, string[]> {
  return new Map(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}
