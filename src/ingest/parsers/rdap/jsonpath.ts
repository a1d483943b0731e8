// JSONPath, the subset RDAP registries write in RFC 9537 `redacted` members: RFC 9535 and the
// older Goessner form with `?(…)` filters (names, indexes, slices, wildcards, descendants, and
// filters comparing singular relative paths with literals), enough to find what a path points
// at. Bounded: a hostile document or path costs at most MAX_NODES locations and MAX_DESCENT
// levels, and a path over MAX_PATH_LENGTH characters is not read at all.

type JsonObject = Record<string, unknown>;
type Container = JsonObject | unknown[];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Array.isArray narrows `unknown` to `any[]`; this keeps the elements `unknown`. */
function arrayOrUndefined(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

type Selector =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number; readonly step?: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'filter'; readonly test: Expression };

export interface Segment {
  readonly descendant: boolean;
  readonly selectors: readonly Selector[];
}

type Operand =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'path'; readonly steps: readonly (string | number)[] };

type Expression =
  | { readonly kind: 'or' | 'and'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'not'; readonly operand: Expression }
  | { readonly kind: 'exists'; readonly path: Operand }
  | { readonly kind: 'compare'; readonly op: string; readonly left: Operand; readonly right: Operand };

export class PathSyntaxError extends Error {}

/** Parses one JSONPath; throws PathSyntaxError, which the caller turns into "skip this path". */
class PathParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): Segment[] {
    this.skipSpace();
    this.expect('$');
    const segments: Segment[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) return segments;
      if (this.text.startsWith('..', this.pos)) {
        this.pos += 2;
        segments.push({ descendant: true, selectors: this.peek() === '[' ? this.bracket() : [this.dotted()] });
      } else if (this.peek() === '.') {
        this.pos++;
        segments.push({ descendant: false, selectors: [this.dotted()] });
      } else if (this.peek() === '[') {
        segments.push({ descendant: false, selectors: this.bracket() });
      } else {
        throw new PathSyntaxError(`unexpected "${this.peek()}"`);
      }
    }
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private skipSpace(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  private expect(token: string): void {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) throw new PathSyntaxError(`expected "${token}"`);
    this.pos += token.length;
  }

  private dotted(): Selector {
    if (this.peek() === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    return { kind: 'name', name: this.memberName() };
  }

  private memberName(): string {
    const match = /^[A-Za-z_$\u0080-\uFFFF][\w$\u0080-\uFFFF-]*/.exec(this.text.slice(this.pos));
    if (!match) throw new PathSyntaxError('expected a member name');
    this.pos += match[0].length;
    return match[0];
  }

  private bracket(): Selector[] {
    this.expect('[');
    const selectors: Selector[] = [];
    for (;;) {
      selectors.push(this.selector());
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return selectors;
    }
  }

  private selector(): Selector {
    this.skipSpace();
    const c = this.peek();
    if (c === "'" || c === '"') return { kind: 'name', name: this.stringLiteral() };
    if (c === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    if (c === '?') {
      this.pos++;
      return { kind: 'filter', test: this.orExpression() };
    }
    const start = this.optionalInteger();
    this.skipSpace();
    if (this.peek() !== ':') {
      if (start === undefined) throw new PathSyntaxError('expected a selector');
      return { kind: 'index', index: start };
    }
    this.pos++;
    const end = this.optionalInteger();
    this.skipSpace();
    let step: number | undefined;
    if (this.peek() === ':') {
      this.pos++;
      step = this.optionalInteger();
    }
    return { kind: 'slice', start, end, step };
  }

  private optionalInteger(): number | undefined {
    this.skipSpace();
    const match = /^-?\d+/.exec(this.text.slice(this.pos));
    if (!match) return undefined;
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private stringLiteral(): string {
    const quote = this.peek();
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++] ?? '';
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
    }
    throw new PathSyntaxError('unterminated string');
  }

  private orExpression(): Expression {
    if (++this.depth > 32) throw new PathSyntaxError('filter nested too deeply');
    let left = this.andExpression();
    while (this.consume('||')) left = { kind: 'or', left, right: this.andExpression() };
    this.depth--;
    return left;
  }

  private andExpression(): Expression {
    let left = this.unary();
    while (this.consume('&&')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): Expression {
    if (this.consume('!')) {
      if (++this.depth > 32) throw new PathSyntaxError('filter nested too deeply');
      const operand = this.unary();
      this.depth--;
      return { kind: 'not', operand };
    }
    if (this.consume('(')) {
      const inner = this.orExpression();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    this.skipSpace();
    const op = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.pos))?.[0];
    if (op === undefined) return { kind: 'exists', path: left };
    this.pos += op.length;
    return { kind: 'compare', op, left, right: this.operand() };
  }

  private consume(token: string): boolean {
    this.skipSpace();
    // `!=` is a comparison, not a negation.
    if (token === '!' && this.text.startsWith('!=', this.pos)) return false;
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private operand(): Operand {
    this.skipSpace();
    const c = this.peek();
    if (c === "'" || c === '"') return { kind: 'literal', value: this.stringLiteral() };
    if (c === '@') {
      this.pos++;
      return { kind: 'path', steps: this.relativeSteps() };
    }
    const rest = this.text.slice(this.pos);
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest)?.[0];
    if (number !== undefined) {
      this.pos += number.length;
      return { kind: 'literal', value: Number(number) };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return { kind: 'literal', value };
      }
    }
    throw new PathSyntaxError('expected a value in a filter');
  }

  /** Singular relative paths (`@.roles[0]`, `@['type']`): all a filter on RDAP needs. */
  private relativeSteps(): (string | number)[] {
    const steps: (string | number)[] = [];
    for (;;) {
      if (this.peek() === '.' && !this.text.startsWith('..', this.pos)) {
        this.pos++;
        steps.push(this.memberName());
      } else if (this.peek() === '[') {
        this.pos++;
        this.skipSpace();
        const c = this.peek();
        const index = c === "'" || c === '"' ? this.stringLiteral() : this.optionalInteger();
        if (index === undefined) throw new PathSyntaxError('expected a name or index after "@["');
        steps.push(index);
        this.expect(']');
      } else {
        return steps;
      }
    }
  }
}

/** A location in the document: the value, and the container and key that hold it. */
export interface Located {
  readonly value: unknown;
  readonly parent?: Container;
  readonly key?: string | number;
}

/** Bounds on what paths may visit, so a hostile response cannot make parsing slow. */
export const MAX_NODES = 100_000;
const MAX_DESCENT = 64;
/** Real redaction paths are a line long; a longer one is not worth the work. */
export const MAX_PATH_LENGTH = 2000;

function resolveSteps(value: unknown, steps: readonly (string | number)[]): { found: boolean; value: unknown } {
  let current = value;
  for (const step of steps) {
    const list = arrayOrUndefined(current);
    if (typeof step === 'number' && list) {
      const i = step < 0 ? list.length + step : step;
      if (i < 0 || i >= list.length) return { found: false, value: undefined };
      current = list[i];
    } else if (typeof step === 'string' && isObject(current) && Object.hasOwn(current, step)) {
      current = current[step];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: current };
}

function operandValue(operand: Operand, at: unknown): { found: boolean; value: unknown } {
  return operand.kind === 'literal' ? { found: true, value: operand.value } : resolveSteps(at, operand.steps);
}

function test(expression: Expression, at: unknown): boolean {
  switch (expression.kind) {
    case 'or':
      return test(expression.left, at) || test(expression.right, at);
    case 'and':
      return test(expression.left, at) && test(expression.right, at);
    case 'not':
      return !test(expression.operand, at);
    case 'exists':
      return operandValue(expression.path, at).found;
    case 'compare': {
      const left = operandValue(expression.left, at);
      const right = operandValue(expression.right, at);
      if (!left.found || !right.found) return expression.op === '!=' && left.found !== right.found;
      const a = left.value;
      const b = right.value;
      if (expression.op === '==') return a === b;
      if (expression.op === '!=') return a !== b;
      const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
      if (!comparable) return false;
      if (expression.op === '<') return a < b;
      if (expression.op === '<=') return a <= b;
      if (expression.op === '>') return a > b;
      return a >= b;
    }
  }
}

function children(node: Located): Located[] {
  const v = node.value;
  const list = arrayOrUndefined(v);
  if (list) return list.map((value, key) => ({ value, parent: list, key }));
  if (isObject(v)) return Object.entries(v).map(([key, value]) => ({ value, parent: v, key }));
  return [];
}

function sliceIndexes(length: number, s: { start?: number; end?: number; step?: number }): number[] {
  const step = s.step ?? 1;
  if (step === 0) return [];
  const norm = (i: number): number => (i >= 0 ? i : length + i);
  const out: number[] = [];
  if (step > 0) {
    const lower = Math.min(Math.max(norm(s.start ?? 0), 0), length);
    const upper = Math.min(Math.max(norm(s.end ?? length), 0), length);
    for (let i = lower; i < upper && out.length < MAX_NODES; i += step) out.push(i);
  } else {
    const upper = Math.min(Math.max(norm(s.start ?? length - 1), -1), length - 1);
    const lower = Math.min(Math.max(norm(s.end ?? -length - 1), -1), length - 1);
    for (let i = upper; i > lower && out.length < MAX_NODES; i += step) out.push(i);
  }
  return out;
}

function select(node: Located, selector: Selector): Located[] {
  const v = node.value;
  switch (selector.kind) {
    case 'name':
      return isObject(v) && Object.hasOwn(v, selector.name) ? [{ value: v[selector.name], parent: v, key: selector.name }] : [];
    case 'index': {
      const list = arrayOrUndefined(v);
      if (!list) return [];
      const i = selector.index < 0 ? list.length + selector.index : selector.index;
      return i >= 0 && i < list.length ? [{ value: list[i], parent: list, key: i }] : [];
    }
    case 'slice': {
      const list = arrayOrUndefined(v);
      return list ? sliceIndexes(list.length, selector).map((i) => ({ value: list[i], parent: list, key: i })) : [];
    }
    case 'wildcard':
      return children(node);
    case 'filter':
      return children(node).filter((child) => test(selector.test, child.value));
  }
}

function descendants(node: Located, depth: number, out: Located[]): void {
  if (depth > MAX_DESCENT || out.length > MAX_NODES) return;
  out.push(node);
  for (const child of children(node)) descendants(child, depth + 1, out);
}

export function evaluatePath(root: unknown, segments: readonly Segment[]): Located[] {
  let nodes: Located[] = [{ value: root }];
  for (const segment of segments) {
    const from: Located[] = [];
    if (segment.descendant) for (const node of nodes) descendants(node, 0, from);
    else from.push(...nodes);
    const next: Located[] = [];
    for (const node of from) {
      for (const selector of segment.selectors) next.push(...select(node, selector));
      if (next.length > MAX_NODES) return next.slice(0, MAX_NODES);
    }
    nodes = next;
  }
  return nodes;
}

/** Parses one JSONPath into its segments; throws PathSyntaxError when it is not one. */
export function parsePath(text: string): Segment[] {
  return new PathParser(text).parse();
}

/**
 * Where `path` points in `root`: each location with the container and key holding it, so the
 * caller may replace the value. Undefined when the path is not one this reader reads (broken,
 * or over MAX_PATH_LENGTH characters).
 */
export function selectPath(root: unknown, path: string): Located[] | undefined {
  if (path.length > MAX_PATH_LENGTH) return undefined;
  let segments: Segment[];
  try {
    segments = parsePath(path);
  } catch (error) {
    if (error instanceof PathSyntaxError) return undefined;
    throw error;
  }
  return evaluatePath(root, segments);
}
