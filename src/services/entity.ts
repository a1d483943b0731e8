// What an entity is called everywhere above the store: its kind and its id (the normalised
// domain, the canonical IP, the certificate's SHA-256).
export type { EntityKind } from '../fields/catalogue.js';
import type { EntityKind } from '../fields/catalogue.js';

export interface EntityRef {
  readonly kind: EntityKind;
  readonly id: string;
}

/** One string per entity, for maps and sets. */
export function refKey(ref: EntityRef): string {
  return `${ref.kind}\0${ref.id}`;
}
