// The text of one signature file → each signature checked, with every error found.
import { extname } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, visit } from 'yaml';
import type { Alias, Document, ParsedNode } from 'yaml';
import { Checker, ErrorBudget, describe, present } from './check-context.js';
import { checkSignature } from './check-signature.js';
import { readableId } from './check-fields.js';
import { jsonDocument } from './json-nodes.js';
import { jsonSyntaxError, lineAndColumn } from './json-syntax.js';
import { prescanSignatureText } from './prescan.js';
import type { Signature, SignatureError } from './types.js';
import { MAX_DEPTH, aliasTargets, readYaml } from './yaml-source.js';

export type Format = 'yaml' | 'json';

/** One signature as read: its valid id and that id's line, its Signature when it has no error. */
export interface Entry {
  readonly file: string;
  readonly id?: { readonly id: string; readonly line: number };
  readonly signature?: Signature;
}

export interface ReadText {
  readonly entries: Entry[];
  readonly errors: SignatureError[];
}

/** By extension; otherwise JSON when the text starts like JSON, else YAML. */
export function detectFormat(file: string, text: string): Format {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** How to read: `jsonNodes: false` reads JSON through the YAML parser only (for tests). */
export interface ReadOptions {
  readonly jsonNodes?: boolean;
}

/** Check every signature of a file's text (size and duplicate ids are the caller's). */
export function readText(text: string, file: string, options: ReadOptions = {}): ReadText {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Before any parser: text too deep or with too many documents costs the parser seconds.
  const problem = prescanSignatureText(body);
  if (problem) return failed({ file, line: problem.line, message: problem.message });
  const format = detectFormat(file, body);
  if (format === 'json') {
    const bad = jsonSyntaxError(body);
    if (bad) return failed({ file, line: bad.line, message: `JSON syntax error (column ${bad.column}): ${bad.message}` });
    if (options.jsonNodes !== false && /^\s*[{[]/.test(body)) {
      // Nodes built straight from the JSON (json-nodes.ts); a file with any error is read again
      // below so that its reports are the YAML reader's, as always.
      const lines = new LineCounter();
      const out: ReadText = { entries: [], errors: [] };
      readDocument(jsonDocument(body, lines), { file, lines, budget: new ErrorBudget(MAX_ERRORS_PER_FILE) }, format, out);
      if (out.errors.length === 0) return out;
    }
  }
  const lines = new LineCounter();
  const out: ReadText = { entries: [], errors: [] };
  const budget = new ErrorBudget(MAX_ERRORS_PER_FILE);
  for (const item of readYaml(body, lines)) {
    if (item.kind === 'too-deep') {
      const { line } = lineAndColumn(body, item.offset);
      return failed({ file, line, message: `nested more than ${MAX_DEPTH} levels deep; a signature needs far fewer` });
    }
    readDocument(item.doc, { file, lines, budget }, format, out);
  }
  if (budget.dropped > 0) {
    const line = Math.max(...out.errors.map((e) => e.line)); // sorts after the errors shown
    out.errors.push({ file, line, message: `${budget.dropped.toLocaleString('en-US')} more errors not shown` });
  }
  return out;
}

/** Errors kept per file; the rest are counted in one last line (see ErrorBudget). */
export const MAX_ERRORS_PER_FILE = 1_000;

/** What every checker of one file shares. */
interface FileContext {
  readonly file: string;
  readonly lines: LineCounter;
  readonly budget: ErrorBudget;
}

function failed(error: SignatureError): ReadText {
  return { entries: [], errors: [error] };
}

function readDocument(doc: Document.Parsed, f: FileContext, format: Format, out: ReadText): void {
  const { file, lines, budget } = f;
  const aliases = aliasTargets(doc);
  const c = new Checker(file, lines, aliases, budget);
  const root = present(doc.contents);
  if (reportBrokenDocument(c, doc, aliases, lines)) {
    // The document is not what was written: checking its keys would report phantom problems.
    append(out.errors, named(c.errors, root ? peekId(c, root) : undefined));
    return;
  }
  if (!root) return; // an empty document, e.g. after a trailing `---`
  for (const node of signatureNodes(c, root, format)) {
    // One checker per signature: its own errors decide whether it is valid.
    const one = new Checker(file, lines, aliases, budget);
    const checked = checkSignature(one, node);
    out.entries.push({
      file,
      ...(checked.id === undefined ? {} : { id: checked.id }),
      ...(checked.signature ? { signature: checked.signature } : {}),
    });
    append(out.errors, named(one.errors, checked.name));
  }
  append(out.errors, c.errors);
}

/** YAML syntax errors and aliases without an anchor; true when there was any. */
function reportBrokenDocument(
  c: Checker,
  doc: Document.Parsed,
  aliases: ReadonlyMap<Alias, ParsedNode | undefined>,
  lines: LineCounter,
): boolean {
  const seen = new Set<string>();
  for (const error of doc.errors) {
    // An unclosed quote is noticed where the document ends; the analyst needs where it opened.
    const offset = error.code === 'MISSING_CHAR' ? (unclosedQuoteStart(doc, error.pos[0]) ?? error.pos[0]) : error.pos[0];
    const { line, col } = lines.linePos(offset);
    const message = `YAML syntax error (column ${col}): ${error.message}`;
    if (seen.has(`${line}:${message}`)) continue; // the parser may say the same thing twice
    seen.add(`${line}:${message}`);
    c.fail({ line, path: '' }, message);
  }
  for (const [alias, target] of aliases) {
    if (!target) c.fail({ line: c.lineOf(alias), path: '' }, `unknown alias *${alias.source}: define &${alias.source} before using it`);
  }
  return c.failures > 0;
}

/** Start of the quoted scalar that runs up to `end`, if there is one. */
function unclosedQuoteStart(doc: Document.Parsed, end: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar: (_key, node) => {
      const quoted = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE';
      if (quoted && node.range && node.range[0] < end && node.range[2] >= end) start = node.range[0];
    },
  });
  return start;
}

/** The mappings that are signatures: the document itself (YAML), or the JSON object or array. */
function signatureNodes(c: Checker, root: ParsedNode, format: Format): ParsedNode[] {
  const at = { line: c.lineOf(root), path: '' };
  const value = c.resolve(root);
  if (isMap(value)) return [root];
  if (format === 'yaml') {
    const hint = isSeq(value) ? ' (separate signatures with --- lines)' : '';
    c.fail(at, `a YAML document holds one signature, a mapping of keys such as id and title, not ${describe(value)}${hint}`);
    return [];
  }
  if (!isSeq(value)) {
    c.fail(at, `a JSON signature file holds one object or an array of objects, not ${describe(value)}`);
    return [];
  }
  return value.items.filter((item, i) => {
    if (isMap(c.resolve(item))) return true;
    c.fail({ line: c.lineOf(item), path: '' }, `array item ${i} must be a signature object, not ${describe(c.resolve(item))}`);
    return false;
  });
}

function peekId(c: Checker, root: ParsedNode): string | undefined {
  const map = c.resolve(root);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'id');
  return pair ? readableId(c, pair.value ?? undefined) : undefined;
}

/** `to.push(...from)` without the argument-count limit: one signature may have 100,000 errors. */
function append<T>(to: T[], from: readonly T[]): void {
  for (const item of from) to.push(item);
}

/** Stamp the signature's id on its errors, when it could be read. */
function named(errors: readonly SignatureError[], id: string | undefined): SignatureError[] {
  return id === undefined ? [...errors] : errors.map((e) => ({ ...e, signature: id }));
}
