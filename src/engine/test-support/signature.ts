// Builds validated-looking Signature objects for engine tests without going through files.
import { makeSignature } from '../../signatures/make.js';
import type { Signature } from '../../signatures/types.js';

export function sig(partial: Partial<Signature> & Pick<Signature, 'id' | 'field' | 'patterns'>): Signature {
  return makeSignature({ actions: [{ tag: 'T' }], ...partial });
}

export function record(fields: Record<string, string | string[]>): Map<string, string[]> {
  return new Map(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}
