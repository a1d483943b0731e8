// One canonical order for hits, shared by every matcher so their outputs compare equal:
// by field (in the record's order), then by value (in the field's order), then by signature
// (in load order).
import type { FieldValues } from '../fields/normalise.js';
import type { Hit } from './types.js';

export function sortHits(hits: Hit[], fields: FieldValues, signatureOrder: ReadonlyMap<string, number>): Hit[] {
  if (hits.length < 2) return hits;
  const fieldPos = new Map<string, number>();
  let i = 0;
  for (const f of fields.keys()) fieldPos.set(f, i++);
  const valuePos = (h: Hit): number => fields.get(h.field)?.indexOf(h.value) ?? 0;
  return hits.sort(
    (a, b) =>
      fieldPos.get(a.field)! - fieldPos.get(b.field)! ||
      valuePos(a) - valuePos(b) ||
      signatureOrder.get(a.signature)! - signatureOrder.get(b.signature)!,
  );
}
