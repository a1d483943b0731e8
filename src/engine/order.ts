// One canonical order for hits, shared by every matcher so their outputs compare equal:
// by field (in the record's order), then by value (its position in the field), then by signature
// (in load order).
import type { FieldValues } from '../fields/normalise.js';
import type { Hit } from './types.js';

export function sortHits(hits: Hit[], fields: FieldValues, signatureOrder: ReadonlyMap<string, number>, valueIndex: readonly number[]): Hit[] {
  if (hits.length < 2) return hits;
  const fieldPos = new Map<string, number>();
  let i = 0;
  for (const f of fields.keys()) fieldPos.set(f, i++);
  // Each hit's value position comes from the caller: a value repeated in a field keeps each of its
  // places (indexOf would put every copy at the first, out of the order the fast matcher keeps).
  const at = new Map<Hit, number>(hits.map((h, k) => [h, valueIndex[k]!]));
  return hits.sort(
    (a, b) =>
      fieldPos.get(a.field)! - fieldPos.get(b.field)! ||
      at.get(a)! - at.get(b)! ||
      signatureOrder.get(a.signature)! - signatureOrder.get(b.signature)!,
  );
}
