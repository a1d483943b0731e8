// The production matcher: signatures compiled once into one FieldUnit per field; matching a
// record never builds a regex.
import type { FieldValues } from '../fields/normalise.js';
import type { Signature } from '../signatures/types.js';
import { FieldUnit, type UnitStats } from './field-unit.js';
import type { Hit, Matcher } from './types.js';

export class FastMatcher implements Matcher {
  private readonly units = new Map<string, FieldUnit>();
  readonly fields: ReadonlySet<string>;

  constructor(signatures: readonly Signature[]) {
    const byField = new Map<string, Signature[]>();
    for (const s of signatures) {
      let list = byField.get(s.field);
      if (!list) byField.set(s.field, (list = []));
      list.push(s);
    }
    for (const [field, list] of byField) this.units.set(field, new FieldUnit(field, list));
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

  /** Compiled sizes per field, for benchmarks and diagnostics. */
  stats(): Record<string, UnitStats> {
    return Object.fromEntries([...this.units].map(([f, u]) => [f, u.stats]));
  }
}
