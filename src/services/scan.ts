// `warren scan`: JSON Lines records in, their hits out, with nothing stored. Lines are taken in
// batches (a chunk of input at a time): the matcher then works field by field across the batch,
// derived domain fields are computed once per distinct name and only when a signature names
// them, and the batch's hits leave as one string written at once.
import { DOMAIN_DERIVED_FIELDS } from '../fields/catalogue.js';
import { DerivedCache, normaliseRecord } from '../fields/normalise.js';
import type { FieldValues } from '../fields/normalise.js';
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
  /** A look-alike hit's explanation (family, distance, words) and its sentence. */
  readonly why?: LookalikeWhy & { readonly text: string };
  readonly actions: readonly Action[];
}

export interface ScanProblem {
  readonly line: number;
  readonly message: string;
  /** The whole line was skipped (not JSON, not an object, too long); otherwise only a field was. */
  readonly skipped: boolean;
}

export interface BatchResult {
  /** One JSON line per hit (a ScanHit, keys in that order), lines in input order. */
  readonly output: string;
  readonly problems: ScanProblem[];
  /** How many lines had at least one problem. */
  readonly badLines: number;
}

/** A signature's parts of an output line, serialised once. */
interface SignatureJson {
  readonly id: string;
  readonly actions: string;
}

export class Scanner {
  private readonly json: ReadonlyMap<string, SignatureJson>;
  private readonly fieldJson = new Map<string, string>();
  private readonly derive: ReadonlySet<string>;
  private readonly derivedCache = new DerivedCache();

  constructor(
    private readonly matcher: Matcher,
    signatures: readonly Signature[],
  ) {
    this.json = new Map(signatures.map((s) => [s.id, { id: JSON.stringify(s.id), actions: JSON.stringify(s.actions) }]));
    this.derive = new Set(DOMAIN_DERIVED_FIELDS.filter((f) => matcher.fields.has(f)));
  }

  scanLines(lines: readonly Line[]): BatchResult {
    const problems: ScanProblem[] = [];
    const records: FieldValues[] = [];
    const ids: string[] = []; // JSON of each record's id
    let badLines = 0;
    this.derivedCache.clear();
    for (const line of lines) {
      const before = problems.length;
      const parsed = this.parseLine(line, problems);
      if (problems.length > before) badLines++;
      if (!parsed) continue;
      records.push(parsed.fields);
      ids.push(parsed.id);
    }
    const hits = this.matcher.matchMany(records);
    let output = '';
    for (let i = 0; i < hits.length; i++) {
      const list = hits[i]!;
      if (list.length === 0) continue;
      const head = `{"id":${ids[i]!},"signature":`;
      for (const h of list) {
        const sig = this.json.get(h.signature);
        const why = h.why ? `,"why":${JSON.stringify({ ...h.why, text: describeWhy(h.why, h.value) })}` : '';
        output += `${head}${sig?.id ?? JSON.stringify(h.signature)},"field":${this.fieldText(h.field)},"value":${JSON.stringify(h.value)},"pattern":${h.pattern}${why},"actions":${sig?.actions ?? '[]'}}\n`;
      }
    }
    return { output, problems, badLines };
  }

  private fieldText(field: string): string {
    let text = this.fieldJson.get(field);
    if (text === undefined) this.fieldJson.set(field, (text = JSON.stringify(field)));
    return text;
  }

  /** The record's fields and its id as JSON, or undefined when the line is skipped. */
  private parseLine(line: Line, problems: ScanProblem[]): { fields: FieldValues; id: string } | undefined {
    const skip = (message: string): undefined => {
      problems.push({ line: line.number, message, skipped: true });
      return undefined;
    };
    if (line.tooLong) return skip('line too long');
    if (line.text.trim() === '') return undefined;
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
    let id = String(line.number);
    if ('id' in input) {
      if (typeof input.id === 'string' || typeof input.id === 'number') id = JSON.stringify(input.id);
      else problems.push({ line: line.number, message: '"id" must be a string or a number; using the line number', skipped: false });
    }
    const record = normaliseRecord(input, { derive: this.derive, derivedCache: this.derivedCache });
    for (const message of record.problems) problems.push({ line: line.number, message, skipped: false });
    return { fields: record.fields, id };
  }
}
