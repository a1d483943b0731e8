// `warren scan`: one JSON Lines record in, its hits out, with nothing stored. Pure per line, so
// the command streams any number of lines in bounded memory.
import { normaliseRecord } from '../fields/normalise.js';
import { describeWhy, type LookalikeWhy } from '../engine/lookalike/why.js';
import type { Matcher } from '../engine/types.js';
import type { Line } from '../io/lines.js';
import type { Action, Signature } from '../signatures/types.js';

export interface ScanHit {
  readonly id: string | number;
  readonly signature: string;
  readonly field: string;
  readonly value: string;
  readonly pattern: number;
  /** Look-alike hits: how the value imitates the brand, and the same in words. */
  readonly why?: LookalikeWhy & { readonly text: string };
  readonly actions: readonly Action[];
}

export interface ScanProblem {
  readonly line: number;
  readonly message: string;
  /** The whole line was skipped (not JSON, not an object, too long); otherwise only a field was. */
  readonly skipped: boolean;
}

export interface LineResult {
  readonly hits: ScanHit[];
  readonly problems: ScanProblem[];
}

export class Scanner {
  private readonly actions: ReadonlyMap<string, readonly Action[]>;

  constructor(
    private readonly matcher: Matcher,
    signatures: readonly Signature[],
  ) {
    this.actions = new Map(signatures.map((s) => [s.id, s.actions]));
  }

  scanLine(line: Line): LineResult {
    const skip = (message: string): LineResult => ({ hits: [], problems: [{ line: line.number, message, skipped: true }] });
    if (line.tooLong) return skip('line too long');
    if (line.text.trim() === '') return { hits: [], problems: [] };
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch (e) {
      return skip(`not JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return skip('not a JSON object (expected field name → string or array of strings)');
    }
    const input = parsed as Record<string, unknown>;
    const problems: ScanProblem[] = [];
    let id: string | number = line.number;
    if ('id' in input) {
      if (typeof input.id === 'string' || typeof input.id === 'number') id = input.id;
      else problems.push({ line: line.number, message: '"id" must be a string or a number; using the line number', skipped: false });
    }
    const record = normaliseRecord(input);
    for (const message of record.problems) problems.push({ line: line.number, message, skipped: false });
    const hits = this.matcher.match(record.fields).map((h) => ({
      id,
      signature: h.signature,
      field: h.field,
      value: h.value,
      pattern: h.pattern,
      ...(h.why ? { why: { ...h.why, text: describeWhy(h.why, h.value) } } : {}),
      actions: this.actions.get(h.signature) ?? [],
    }));
    return { hits, problems };
  }
}
