// The naive reference matcher: every pattern of every signature tried on every value of its
// field. Obviously right and linear in the number of signatures; the fast matcher must equal it.
import type { FieldValues } from '../fields/normalise.js';
import type { Signature } from '../signatures/types.js';
import { sortHits } from './order.js';
import { compileLookalike, findLookalike } from './lookalike/unit.js';
import { anyTester, patternTester } from './pattern-testers.js';
import type { Hit, Matcher } from './types.js';

interface Compiled {
  readonly id: string;
  readonly field: string;
  /** The lowest matching pattern (and, for look-alikes, why), or undefined. */
  readonly find: (value: string) => Pick<Hit, 'pattern' | 'why'> | undefined;
}

function compile(s: Signature): Compiled {
  if (s.match === 'lookalike') {
    const c = compileLookalike(s);
    return { id: s.id, field: s.field, find: (v) => findLookalike(c, v) };
  }
  const patterns = s.patterns.map((p) => patternTester(s.match, p, s.caseSensitive));
  const exclude = anyTester(s.match, s.exclude, s.caseSensitive);
  return {
    id: s.id,
    field: s.field,
    find: (v) => {
      const pattern = patterns.findIndex((t) => t(v));
      return pattern < 0 || exclude?.(v) ? undefined : { pattern };
    },
  };
}

export class ReferenceMatcher implements Matcher {
  private readonly compiled: Compiled[];
  private readonly order: Map<string, number>;
  readonly fields: ReadonlySet<string>;

  constructor(signatures: readonly Signature[]) {
    this.compiled = signatures.map(compile);
    this.order = new Map(signatures.map((s, i) => [s.id, i]));
    this.fields = new Set(signatures.map((s) => s.field));
  }

  match(fields: FieldValues): Hit[] {
    const hits: Hit[] = [];
    const positions: number[] = [];
    for (const sig of this.compiled) {
      const values = fields.get(sig.field) ?? [];
      values.forEach((value, position) => {
        const found = sig.find(value);
        if (!found) return;
        hits.push({ signature: sig.id, field: sig.field, value, ...found });
        positions.push(position);
      });
    }
    return sortHits(hits, fields, this.order, positions);
  }

  matchMany(records: readonly FieldValues[]): Hit[][] {
    return records.map((r) => this.match(r));
  }
}
