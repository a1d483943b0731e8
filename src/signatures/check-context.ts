// The state of checking one signature document, and readers that turn YAML nodes into values
// or into errors. Readers never throw: a wrong value is reported and read as undefined, so the
// rest of the document is still checked and every reason is reported at once.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Alias, LineCounter, Pair, ParsedNode, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { closest as closestOf, didYouMean } from './suggest.js';
import type { SignatureError } from './types.js';

/** Where a value sits: its line, its path in the signature and, for `patterns`, the index. */
export interface At {
  readonly line: number;
  readonly path: string;
  readonly pattern?: number;
}

/**
 * How many more errors a file may record. Past the limit they are only counted: a generated
 * file with one systematic mistake on each of a million lines needs neither a million lines of
 * output nor their memory to be understood.
 */
export class ErrorBudget {
  dropped = 0;
  constructor(public left: number) {}
}

export class Checker {
  readonly errors: SignatureError[] = [];
  /** Errors found, kept or not: validity must not depend on the budget. */
  failures = 0;

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly aliases: ReadonlyMap<Alias, ParsedNode | undefined>,
    private readonly budget = new ErrorBudget(Infinity),
  ) {}

  /** 1-based line where `node` starts (0 when it has no position). */
  lineOf(node: { range?: readonly number[] | null } | null | undefined): number {
    const offset = node?.range?.[0];
    return offset === undefined ? 0 : this.lines.linePos(offset).line;
  }

  /** The node itself, or what an alias points at (unknown aliases were refused earlier). */
  resolve(node: ParsedNode): ParsedNode {
    return isAlias(node) ? (this.aliases.get(node) ?? node) : node;
  }

  fail(at: At, message: string): void {
    this.failures++;
    if (this.budget.left <= 0) {
      this.budget.dropped++;
      return;
    }
    this.budget.left--;
    const { line, path, pattern } = at;
    this.errors.push({
      file: this.file,
      line,
      ...(path === '' ? {} : { path }),
      ...(pattern === undefined ? {} : { pattern }),
      message,
    });
  }

  /** The items of a list, each with its own `At`; reports and returns undefined otherwise. */
  list(node: ParsedNode, at: At, hint = ''): Array<{ node: ParsedNode; at: At }> | undefined {
    const value = this.resolve(node);
    if (!isSeq(value)) {
      this.fail(at, `must be a list, not ${describe(value)}${hint}`);
      return undefined;
    }
    return (value as YAMLSeq<ParsedNode>).items.map((item, i) => ({
      node: item,
      at: { line: this.lineOf(item) || at.line, path: `${at.path}[${i}]` },
    }));
  }

  /**
   * The pairs of a mapping; reports and returns undefined otherwise. A repeated key is reported
   * with both lines and left out, rather than letting the last one silently win.
   */
  mapping(node: ParsedNode, at: At, what = 'a mapping'): KeyedPair[] | undefined {
    const value = this.resolve(node);
    if (!isMap(value)) {
      this.fail(at, `must be ${what}, not ${describe(value)}`);
      return undefined;
    }
    const firstLines = new Map<string, number>();
    return (value as YAMLMap<ParsedNode, ParsedNode | null>).items.filter((pair) => {
      const name = keyName(this.resolve(pair.key));
      if (name === undefined) return true;
      const line = this.lineOf(pair.key);
      const first = firstLines.get(name);
      if (first === undefined) {
        firstLines.set(name, line);
        return true;
      }
      this.fail({ line, path: joinPath(at.path, name) }, `duplicate key ${short(name)} (first at line ${first})`);
      return false;
    });
  }

  /** A text value. A plain decimal integer (`13335`) counts as its text: AS numbers are natural. */
  text(node: ParsedNode, at: At): string | undefined {
    const value = this.resolve(node);
    const text = isScalar(value) ? scalarText(value) : undefined;
    if (text === undefined) {
      const quote = isScalar(value) && typeof value.value === 'number' ? ' (quote it to make it text)' : '';
      this.fail(at, `must be text, not ${describe(value)}${quote}`);
    }
    return text;
  }

  /** A text value that is one non-empty line, trimmed. */
  line(node: ParsedNode, at: At): string | undefined {
    const text = this.text(node, at)?.trim();
    if (text === undefined) return undefined;
    if (text === '') this.fail(at, 'must not be empty');
    else if (/[\r\n]/.test(text)) this.fail(at, 'must be one line');
    else return text;
    return undefined;
  }

  /** The name of a mapping key, with the `At` of the key itself under `parent`. */
  key(pair: KeyedPair, parent: string): { name: string; at: At } | undefined {
    const line = this.lineOf(pair.key);
    const key = this.resolve(pair.key);
    const name = keyName(key);
    if (name === undefined) {
      this.fail({ line, path: parent }, `keys must be text, not ${describe(key)}`);
      return undefined;
    }
    return { name, at: { line, path: joinPath(parent, name) } };
  }

  bool(node: ParsedNode, at: At): boolean | undefined {
    const value = this.resolve(node);
    if (isScalar(value) && typeof value.value === 'boolean') return value.value;
    this.fail(at, `must be true or false, not ${describe(value)}`);
    return undefined;
  }

  /** One of `allowed`; the message names the thing (`what`), suggests and lists the choices. */
  oneOf<T extends string>(node: ParsedNode, at: At, allowed: readonly T[], what: string): T | undefined {
    const text = this.text(node, at);
    if (text === undefined) return undefined;
    if ((allowed as readonly string[]).includes(text)) return text as T;
    this.fail(at, unknownMessage(what, text, allowed, closestOf(text, allowed)));
    return undefined;
  }
}

export type KeyedPair = Pair<ParsedNode, ParsedNode | null>;

/** A key's name: text as is, other scalars (`1:`, `true:`) as written; collections have none. */
function keyName(key: ParsedNode): string | undefined {
  if (!isScalar(key)) return undefined;
  const v: unknown = key.value;
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? (key.source ?? String(v)) : undefined;
}

/** For `every`: narrows a list to its defined items. */
export function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** "unknown X Y, did you mean Z (one of A, B, C)" — the choice list only when it is short. */
export function unknownMessage(what: string, name: string, allowed: readonly string[], suggestion?: string): string {
  const choices = allowed.length <= 6 ? ` (one of ${allowed.join(', ')})` : '';
  return `unknown ${what} ${short(name)}${didYouMean(suggestion)}${choices}`;
}

/** The text of a scalar: strings as they are, plain decimal integers as written. */
export function scalarText(node: Scalar): string | undefined {
  if (typeof node.value === 'string') return node.value;
  // Only canonical decimal: `0x10`, `013`, `1e3` or `1.5` would not read back as typed.
  if (typeof node.value === 'number' && /^(?:0|[1-9][0-9]*)$/.test(node.source ?? '')) return node.source;
  return undefined;
}

/** The node, or undefined for an empty value (`key:` with nothing, `~`, `null`). */
export function present(node: ParsedNode | null | undefined): ParsedNode | undefined {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return undefined;
  return node;
}

/** A few words for a value in an error message. */
export function describe(node: ParsedNode): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'an alias';
  const v: unknown = node.value;
  if (v === null) return 'empty';
  if (typeof v === 'string') return `text ${JSON.stringify(short(v))}`;
  if (typeof v === 'number') return `the number ${node.source ?? String(v)}`;
  if (typeof v === 'boolean') return `the boolean ${String(v)}`;
  return `a value of type ${typeof v}`;
}

/** User text shortened for a message. */
export function short(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
