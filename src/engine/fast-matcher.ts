// The production matcher: signatures compiled once into one FieldUnit per field; matching a
// record never builds a regex.
import type { FieldValues } from '../fields/normalise.js';
import type { Signature } from '../signatures/types.js';
import { FieldUnit, type UnitStats } from './field-unit.js';
import type { Hit, Matcher } from './types.js';

export class FastMatcher implements Matcher {
  private readonly units = new Map<string, FieldUnit>();
  private readonly ids: string[];
  readonly fields: ReadonlySet<string>;

  constructor(signatures: readonly Signature[]) {
    this.ids = signatures.map((s) => s.id);
    const byField = new Map<string, { sigs: Signature[]; index: number[] }>();
    signatures.forEach((s, i) => {
      let g = byField.get(s.field);
      if (!g) byField.set(s.field, (g = { sigs: [], index: [] }));
      g.sigs.push(s);
      g.index.push(i);
    });
    for (const [field, g] of byField) this.units.set(field, new FieldUnit(g.sigs, g.index));
    this.fields = new Set(byField.keys());
  }

  match(fields: FieldValues): Hit[] {
    const hits: Hit[] = [];
    for (const [field, values] of fields) {
      const unit = this.units.get(field);
      if (!unit) continue;
      for (const value of values) {
        unit.matchValue(value, (sig, v, pattern) => {
          hits.push({ signature: this.ids[unit.globalSig[sig]!]!, field, value: v, pattern });
        });
      }
    }
    return hits;
  }

  /** Compiled sizes per field, for benchmarks and diagnostics. */
  stats(): Record<string, UnitStats> {
    return Object.fromEntries([...this.units].map(([f, u]) => [f, u.stats]));
  }
}
