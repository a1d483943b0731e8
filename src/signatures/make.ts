// A signature built in code (tests, benchmarks, generated sets) with the file format's defaults
// for every key it does not give, as the loader fills them.
import { LOOKALIKE_DEFAULTS } from './types.js';
import type { Signature } from './types.js';

export function makeSignature(given: Partial<Signature> & Pick<Signature, 'id' | 'field' | 'patterns' | 'actions'>): Signature {
  return {
    title: given.id,
    references: [],
    labels: [],
    status: 'experimental',
    enabled: true,
    match: 'regex',
    caseSensitive: false,
    exclude: [],
    ...(given.match === 'lookalike' ? { lookalike: LOOKALIKE_DEFAULTS } : {}),
    ...given,
  };
}
