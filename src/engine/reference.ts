// The naive reference matcher: every pattern of every signature tried on every value of its
// field. Obviously right and linear in the number of signatures; the fast matcher must equal it.
import type { FieldValues } from '../fields/normalise.js';
import type { Signature } from '../signatures/types.js';
import { sortHits } from './order.js';
import { anyTester, patternTester, type ValueTester } from './pattern-testers.js';
import type { Hit, Matcher } from './types.js';

interface Compiled {
  readonly id: string;
  readonly field: string;
  readonly patterns: ValueTester[];
  readonly exclude: ValueTester | undefined;
}

export class ReferenceMatcher implements Matcher {
  private readonly compiled: Compiled[];
  private readonly order: Map<string, number>;
  readonly fields: ReadonlySet<string>;

  constructor(signatures: readonly Signature[]) {
    this.compiled = signatures.map((s) => ({
      id: s.id,
      field: s.field,
      patterns: s.patterns.map((p) => patternTester(s.match, p, s.caseSensitive)),
      exclude: anyTester(s.match, s.exclude, s.caseSensitive),
    }));
    this.order = new Map(signatures.map((s, i) => [s.id, i]));
    this.fields = new Set(signatures.map((s) => s.field));
  }

  match(fields: FieldValues): Hit[] {
    const hits: Hit[] = [];
    for (const sig of this.compiled) {
      for (const value of fields.get(sig.field) ?? []) {
        const pattern = sig.patterns.findIndex((t) => t(value));
        if (pattern < 0 || sig.exclude?.(value)) continue;
        hits.push({ signature: sig.id, field: sig.field, value, pattern });
      }
    }
    return sortHits(hits, fields, this.order);
  }

  matchMany(records: readonly FieldValues[]): Hit[][] {
    return records.map((r) => this.match(r));
  }
}
