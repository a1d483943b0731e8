// What every matcher implementation offers: compile once, then match many records.
import type { FieldValues } from '../fields/normalise.js';
import type { LookalikeWhy } from './lookalike/why.js';

export interface Hit {
  /** Signature id. */
  readonly signature: string;
  readonly field: string;
  readonly value: string;
  /** Index of the first (lowest-numbered) pattern of the signature that matches the value. */
  readonly pattern: number;
  /** `match: lookalike` only: how the value imitates the pattern's brand. */
  readonly why?: LookalikeWhy;
}

export interface Matcher {
  /** Hits for one record's field values, in canonical order (see sortHits). */
  match(fields: FieldValues): Hit[];
  /**
   * `match` for each of many records, same results. Implementations may work field by field
   * across the batch, which keeps each field's compiled structures in cache.
   */
  matchMany(records: readonly FieldValues[]): Hit[][];
  /** Fields that at least one signature names: callers can skip deriving the others. */
  readonly fields: ReadonlySet<string>;
}
