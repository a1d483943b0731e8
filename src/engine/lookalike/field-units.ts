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
  /** The look-alike hits of the value being matched; emptied only after a value had some. */
  private readonly found: Hit[] = [];

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

  /**
   * The plain unit's hits go straight to `out`, the look-alike ones beside them, and the two are
   * merged only when both found some. No `length = 0` per value: setting an array's length costs
   * ~50 ns even when it is empty, more than a value with no hit takes in either unit's checks.
   */
  private merged(value: string, out: Hit[], inBatch: boolean): void {
    const start = out.length;
    const found = this.found;
    if (inBatch) {
      this.plain.matchInBatch(value, out);
      this.lookalike.matchInBatch(value, found);
    } else {
      this.plain.matchValue(value, out);
      this.lookalike.matchValue(value, found);
    }
    if (found.length === 0) return;
    const plain = out.length === start ? [] : out.splice(start);
    let i = 0;
    let j = 0;
    while (i < plain.length || j < found.length) {
      if (j >= found.length || (i < plain.length && this.order.get(plain[i]!.signature)! < this.order.get(found[j]!.signature)!)) out.push(plain[i++]!);
      else out.push(found[j++]!);
    }
    found.length = 0;
  }
}
