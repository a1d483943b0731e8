// The fast matcher's hook: a field's signatures go to a FieldUnit, their look-alike ones to a
// LookalikeUnit, and a field holding both merges the two hit lists into signature order.
import type { Signature } from '../../signatures/types.js';
import { FieldUnit, type UnitStats } from '../field-unit.js';
import type { Hit } from '../types.js';
import { LookalikeUnit } from './unit.js';

export interface ValueUnit {
  matchValue(value: string, out: Hit[]): void;
  /** Starts a batch of matchInBatch calls (FieldUnit's per-batch memo of repeated values). */
  beginBatch(): void;
  /** matchValue within a batch: the same hits, possibly from the batch's memo. */
  matchInBatch(value: string, out: Hit[]): void;
  readonly stats: UnitStats;
}

export function compileFieldUnit(field: string, signatures: readonly Signature[]): ValueUnit {
  const lookalike = signatures.filter((s) => s.match === 'lookalike');
  if (lookalike.length === 0) return new FieldUnit(field, signatures);
  const unit = new LookalikeUnit(field, lookalike);
  const wrapped: ValueUnit = {
    matchValue: (v, out) => unit.matchValue(v, out),
    beginBatch: () => undefined,
    matchInBatch: (v, out) => unit.matchValue(v, out),
    stats: lookalikeStats(lookalike.length, unit.patterns),
  };
  if (lookalike.length === signatures.length) return wrapped;
  return new MixedUnit(new FieldUnit(field, signatures.filter((s) => s.match !== 'lookalike')), wrapped, signatures);
}

function lookalikeStats(signatures: number, patterns: number): UnitStats {
  return { signatures, patterns, exact: 0, literal: 0, direct: 0, candidate: 0, triggered: 0, alwaysSet: 0, cidr: 0, automatonStates: 0, trieStates: 0, qgramNeedles: 0 };
}

class MixedUnit implements ValueUnit {
  readonly stats: UnitStats;
  private readonly order: Map<string, number>;
  private readonly a: Hit[] = [];
  private readonly b: Hit[] = [];

  constructor(
    private readonly plain: FieldUnit,
    private readonly lookalike: ValueUnit,
    signatures: readonly Signature[],
  ) {
    this.order = new Map(signatures.map((s, i) => [s.id, i]));
    const p = plain.stats;
    this.stats = { ...p, signatures: p.signatures + lookalike.stats.signatures, patterns: p.patterns + lookalike.stats.patterns };
  }

  beginBatch(): void {
    this.plain.beginBatch();
    this.lookalike.beginBatch();
  }

  matchValue(value: string, out: Hit[]): void {
    this.merged(value, out, false);
  }

  matchInBatch(value: string, out: Hit[]): void {
    this.merged(value, out, true);
  }

  private merged(value: string, out: Hit[], inBatch: boolean): void {
    const { a, b } = this;
    a.length = 0;
    b.length = 0;
    if (inBatch) {
      this.plain.matchInBatch(value, a);
      this.lookalike.matchInBatch(value, b);
    } else {
      this.plain.matchValue(value, a);
      this.lookalike.matchValue(value, b);
    }
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && this.order.get(a[i]!.signature)! < this.order.get(b[j]!.signature)!)) out.push(a[i++]!);
      else out.push(b[j++]!);
    }
  }
}
