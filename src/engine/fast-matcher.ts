// The production matcher: signatures compiled once into one FieldUnit per field; matching a
// record never builds a regex.
import type { FieldValues } from '../fields/normalise.js';
import type { Signature } from '../signatures/types.js';
import type { UnitStats } from './field-unit.js';
import { compileFieldUnit, type ValueUnit } from './lookalike/field-units.js';
import type { Hit, Matcher } from './types.js';

export class FastMatcher implements Matcher {
  private readonly units = new Map<string, ValueUnit>();
  readonly fields: ReadonlySet<string>;

  constructor(signatures: readonly Signature[]) {
    const byField = new Map<string, Signature[]>();
    for (const s of signatures) {
      let list = byField.get(s.field);
      if (!list) byField.set(s.field, (list = []));
      list.push(s);
    }
    for (const [field, list] of byField) this.units.set(field, compileFieldUnit(field, list));
    this.fields = new Set(byField.keys());
  }

  match(fields: FieldValues): Hit[] {
    const hits: Hit[] = [];
    for (const [field, values] of fields) {
      const unit = this.units.get(field);
      if (!unit) continue;
      for (const value of values) unit.matchValue(value, hits);
    }
    return hits;
  }

  matchMany(records: readonly FieldValues[]): Hit[][] {
    const out: Hit[][] = records.map(() => []);
    // Field by field across the batch: with 100,000 signatures the per-field structures are
    // large, and visiting them in turn per record evicts each from cache (measured: ~1.5x).
    let multiField: Set<number> | undefined;
    for (const [field, unit] of this.units) {
      unit.beginBatch();
      for (let i = 0; i < records.length; i++) {
        const values = records[i]!.get(field);
        if (!values) continue;
        const hits = out[i]!;
        const before = hits.length;
        for (const value of values) unit.matchInBatch(value, hits);
        if (hits.length > before && before > 0) (multiField ??= new Set()).add(i);
      }
    }
    // Restore the canonical order (the record's field order) where hits came from several fields.
    for (const i of multiField ?? []) out[i] = inFieldOrder(out[i]!, records[i]!);
    return out;
  }

  /** Compiled sizes per field, for benchmarks and diagnostics. */
  stats(): Record<string, UnitStats> {
    return Object.fromEntries([...this.units].map(([f, u]) => [f, u.stats]));
  }
}

/**
 * `hits` in the order of `record`'s fields. Each field's hits are one run (a field's pass appends
 * them together), so the runs are moved as wholes: no sort, and no map of positions per record,
 * which with ~5 hits a record cost a tenth of a hit-heavy batch.
 */
function inFieldOrder(hits: readonly Hit[], record: FieldValues): Hit[] {
  const ordered: Hit[] = [];
  for (const field of record.keys()) {
    const start = hits.findIndex((h) => h.field === field);
    if (start < 0) continue;
    let end = start + 1;
    while (end < hits.length && hits[end]!.field === field) end++;
    for (let k = start; k < end; k++) ordered.push(hits[k]!);
  }
  return ordered;
}
