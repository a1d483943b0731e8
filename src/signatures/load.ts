// Loading signature files (../shared/spec/signatures.md): every error of every file at once.
// The caller stores nothing when `errors` is not empty — loading is atomic.
//
// Choices where the spec is silent (also worth a line in the user docs):
// - Format by extension (.yaml/.yml, .json); otherwise JSON if the text starts with { or [.
//   A YAML document holds one signature; a top-level list in YAML is refused with a hint.
// - Wherever text is expected, a plain decimal integer (`patterns: [13335]`) is read as the
//   text it was written as; other numbers (1.5, 0x10, 013, -1) must be quoted.
// - An optional key written empty (`exclude:`) is absent; `alert:` empty is `alert: {}`.
//   `exclude: []` means no exclusions; `patterns`, `target` and `channels` must not be empty.
// - Top-level keys starting with `x-`/`x_` are free extension metadata and ignored; any other
//   unknown key, at any level, is an error with a "did you mean".
// - A repeated key is an error naming both lines. YAML 1.2 core schema: `yes` is text.
// - A later signature reusing an id is refused, naming where the id was first defined.
// - Limits: 16 MiB per file, 10,000 patterns of 4,096 characters, nesting 64 levels; past
//   1,000 errors in a file the rest are counted, not listed.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { lineAndColumn } from './json-syntax.js';
import { readText } from './read-text.js';
import type { Entry } from './read-text.js';
import type { Signature, SignatureError } from './types.js';

/** Larger files are refused unread: 16 MiB is far beyond any hand-written rule set. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface LoadResult {
  /** The valid signatures, in file order; meaningful only when `errors` is empty. */
  readonly signatures: Signature[];
  readonly errors: SignatureError[];
}

/** Check the signatures of one file's text; `file` names it in errors and picks the format. */
export function parseSignatureText(text: string, file: string): LoadResult {
  return combine([readSized(text, file)], [file]);
}

/** Read and check files; ids must be unique across all of them. Never rejects. */
export async function loadSignatureFiles(paths: readonly string[]): Promise<LoadResult> {
  // A file named twice (a glob and an explicit name) is read once, not refused as duplicates.
  const seen = new Set<string>();
  const unique = paths.filter((p) => !seen.has(resolve(p)) && seen.add(resolve(p)));
  const results = await Promise.all(unique.map(readOne));
  return combine(results, unique);
}

interface FileResult {
  readonly entries: Entry[];
  readonly errors: SignatureError[];
}

function readSized(text: string, file: string): FileResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_FILE_BYTES ? { entries: [], errors: [tooLarge(file, bytes)] } : readText(text, file);
}

function tooLarge(file: string, bytes: number): SignatureError {
  const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return { file, line: 0, message: `file is ${mib(bytes)}; at most ${mib(MAX_FILE_BYTES)} is accepted` };
}

async function readOne(file: string): Promise<FileResult> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return unreadable(file, 'is a directory');
    if (info.size > MAX_FILE_BYTES) return { entries: [], errors: [tooLarge(file, info.size)] };
    const text = decodeUtf8(await readFile(file));
    if (typeof text !== 'string') return { entries: [], errors: [{ file, line: text.line, message: 'not valid UTF-8' }] };
    return readSized(text, file);
  } catch (e) {
    // "ENOENT: no such file or directory, stat 'x'": the path is already in front of the message.
    const message = e instanceof Error ? e.message.replace(/, \w+ '.*'$/s, '') : String(e);
    return unreadable(file, message);
  }
}

function unreadable(file: string, reason: string): FileResult {
  return { entries: [], errors: [{ file, line: 0, message: `cannot read file: ${reason}` }] };
}

/** The text (BOM dropped), or the line of the first byte that is not UTF-8. */
function decodeUtf8(bytes: Buffer): string | { line: number } {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    return { line: lineAndColumn(lossy, Math.max(lossy.indexOf('\uFFFD'), 0)).line };
  }
}

/** Merge per-file results: duplicate ids across everything, errors in file and line order. */
function combine(results: readonly FileResult[], files: readonly string[]): LoadResult {
  const entries = results.flatMap((r) => r.entries);
  const { errors: duplicateErrors, duplicates } = duplicateIds(entries);
  const order = new Map(files.map((f, i) => [f, i]));
  const errors = [...results.flatMap((r) => r.errors), ...duplicateErrors].sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line,
  );
  const signatures = entries.filter((e) => !duplicates.has(e)).flatMap((e) => (e.signature ? [e.signature] : []));
  return { signatures, errors };
}

/** Every later use of an id is an error naming the first; those entries are dropped. */
function duplicateIds(entries: readonly Entry[]): { errors: SignatureError[]; duplicates: Set<Entry> } {
  const first = new Map<string, { file: string; line: number }>();
  const errors: SignatureError[] = [];
  const duplicates = new Set<Entry>();
  for (const entry of entries) {
    if (!entry.id) continue;
    const { id, line } = entry.id;
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, { file: entry.file, line });
      continue;
    }
    duplicates.add(entry);
    const message = `duplicate id ${id}, first defined at ${earlier.file}:${earlier.line}`;
    errors.push({ file: entry.file, line, signature: id, path: 'id', message });
  }
  return { errors, duplicates };
}

/** One line for a terminal: `FILE:LINE: SIGNATURE_ID: PATH: reason`, absent parts left out. */
export function formatError(e: SignatureError): string {
  const path = e.path ?? (e.pattern === undefined ? undefined : `patterns[${e.pattern}]`);
  const parts = [e.line > 0 ? `${e.file}:${e.line}` : e.file, e.signature, path, e.message];
  return oneLine(parts.filter((p) => p !== undefined && p !== '').join(': '));
}

/** Control characters and line separators from user text, escaped so one error is one line. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
