// One signature mapping → a fully defaulted Signature, or every reason it is refused.
import { isScalar } from 'yaml';
import type { ParsedNode } from 'yaml';
import { checkActions } from './check-actions.js';
import { present, unknownMessage } from './check-context.js';
import type { At, Checker } from './check-context.js';
import { checkField, checkId, checkLabel, checkList, checkReference, checkTarget, checkTests, readableId } from './check-fields.js';
import { checkLookalikeOptions, lookalikeFieldProblem } from './check-lookalike.js';
import { checkPatternList, cidrFieldProblem } from './check-patterns.js';
import { closest } from './suggest.js';
import { LOOKALIKE_DEFAULTS, MATCH_KINDS, STATUSES } from './types.js';
import type { MatchKind, Signature } from './types.js';

export const KEYS = [
  'id',
  'title',
  'description',
  'author',
  'references',
  'labels',
  'status',
  'enabled',
  'field',
  'match',
  'case_sensitive',
  'patterns',
  'exclude',
  'lookalike',
  'target',
  'actions',
  'tests',
] as const;
type Key = (typeof KEYS)[number];

const REQUIRED: readonly Key[] = ['id', 'title', 'field', 'patterns', 'actions'];

/**
 * Keys starting with `x-` or `x_` are extension metadata (a team's ticket number, a review
 * date): accepted and ignored, so that a typo such as `pattern:` can still be refused.
 */
const EXTENSION_KEY = /^x[-_]/;

/** A top-level key's value (undefined when written empty) and where the key is. */
interface Entry {
  readonly value: ParsedNode | undefined;
  readonly at: At;
}

export interface CheckedSignature {
  /** Present only when the signature has no error. */
  readonly signature?: Signature;
  /** The id as written, when it is valid, and its line: for the duplicate check across files. */
  readonly id?: { readonly id: string; readonly line: number };
  /** The id as far as readable, to name the signature in messages. */
  readonly name?: string;
}

/** Check one signature mapping; errors go to `c.errors`. */
export function checkSignature(c: Checker, node: ParsedNode): CheckedSignature {
  const line = c.lineOf(node);
  const entries = collectEntries(c, node, line);
  if (!entries) return {};
  const name = readableId(c, entries.get('id')?.value);
  const draft = readEntries(c, entries);
  const signature = c.failures === 0 ? assemble(draft, c.file, line) : undefined;
  const id = draft.id === undefined ? undefined : { id: draft.id, line: entries.get('id')?.at.line ?? line };
  return { ...(signature ? { signature } : {}), ...(id ? { id } : {}), ...(name ? { name } : {}) };
}

/** Known keys by name; unknown ones and missing required ones are reported. */
function collectEntries(c: Checker, node: ParsedNode, line: number): Map<Key, Entry> | undefined {
  const pairs = c.mapping(node, { line, path: '' }, 'a mapping of keys such as id, title, field, patterns');
  if (!pairs) return undefined;
  const entries = new Map<Key, Entry>();
  for (const pair of pairs) {
    const key = c.key(pair, '');
    if (!key || EXTENSION_KEY.test(key.name)) continue;
    if ((KEYS as readonly string[]).includes(key.name)) {
      entries.set(key.name as Key, { value: present(pair.value), at: key.at });
    } else {
      c.fail(key.at, unknownMessage('key', key.name, KEYS, closest(key.name, KEYS)));
    }
  }
  for (const key of REQUIRED) {
    const entry = entries.get(key);
    if (!entry) c.fail({ line, path: key }, 'required key missing');
    else if (!entry.value) c.fail(entry.at, 'required, must not be empty');
  }
  return entries;
}

/** Every key's checked value, undefined where absent or wrong. */
type Draft = Partial<Omit<Signature, 'source'>>;

function readEntries(c: Checker, entries: ReadonlyMap<Key, Entry>): Draft {
  /** Run `check` on a key's value when it is given and not empty (empty optional = absent). */
  function read<T>(key: Key, check: (node: ParsedNode, at: At) => T | undefined): T | undefined {
    const entry = entries.get(key);
    return entry?.value ? check(entry.value, entry.at) : undefined;
  }
  const field = read('field', (n, at) => checkField(c, n, at));
  const matchEntry = entries.get('match');
  const match = read('match', (n, at) => c.oneOf<MatchKind>(n, at, MATCH_KINDS, 'match kind'));
  // An invalid `match` leaves patterns checked as plain strings (see checkPatternList).
  const effectiveMatch = matchEntry?.value ? match : 'regex';
  if (matchEntry && match === 'cidr' && field !== undefined) cidrCheck(c, matchEntry.at, field);
  const lookalike = lookalikeCheck(c, entries, match, field);
  return {
    id: read('id', (n, at) => checkId(c, n, at)),
    title: read('title', (n, at) => c.line(n, at)),
    description: read('description', (n, at) => c.text(n, at)),
    author: read('author', (n, at) => c.text(n, at)),
    references: read('references', (n, at) => checkList(c, n, at, (i, a) => checkReference(c, i, a))),
    labels: read('labels', (n, at) => checkList(c, n, at, (i, a) => checkLabel(c, i, a))),
    status: read('status', (n, at) => c.oneOf(n, at, STATUSES, 'status')),
    enabled: read('enabled', (n, at) => c.bool(n, at)),
    field,
    match,
    caseSensitive: read('case_sensitive', (n, at) => c.bool(n, at)),
    patterns: read('patterns', (n, at) => checkPatternList(c, n, at, effectiveMatch)),
    exclude: read('exclude', (n, at) => checkPatternList(c, n, at, effectiveMatch)),
    ...(lookalike === undefined ? {} : { lookalike }),
    target: read('target', (n, at) => checkTarget(c, n, at)),
    actions: read('actions', (n, at) => checkActions(c, n, at)),
    tests: read('tests', (n, at) => checkTests(c, n, at)),
  };
}

function cidrCheck(c: Checker, at: At, field: string): void {
  const problem = cidrFieldProblem(field);
  if (problem !== undefined) c.fail(at, problem);
}

/**
 * `match: lookalike`: the field must hold names, case is always folded, and the `lookalike:`
 * options (defaulted) belong to it alone.
 */
function lookalikeCheck(c: Checker, entries: ReadonlyMap<Key, Entry>, match: MatchKind | undefined, field: string | undefined): Draft['lookalike'] {
  const options = entries.get('lookalike');
  if (match !== 'lookalike') {
    if (options) c.fail(options.at, 'lookalike options apply only to match: lookalike');
    return undefined;
  }
  const at = entries.get('match')!.at;
  if (field !== undefined) {
    const problem = lookalikeFieldProblem(field);
    if (problem !== undefined) c.fail(at, problem);
  }
  const caseSensitive = entries.get('case_sensitive');
  const sensitive = caseSensitive?.value && c.resolve(caseSensitive.value);
  if (sensitive && isScalar(sensitive) && sensitive.value === true) {
    c.fail(caseSensitive.at, 'lookalike always folds case (and confusable characters); case_sensitive: true does not apply');
  }
  return options?.value ? checkLookalikeOptions(c, options.value, options.at) : LOOKALIKE_DEFAULTS;
}

/** The defaulted Signature; called only when nothing was refused, so required parts are set. */
function assemble(d: Draft, file: string, line: number): Signature | undefined {
  if (d.id === undefined || d.title === undefined || d.field === undefined || !d.patterns || !d.actions) return undefined;
  return {
    id: d.id,
    title: d.title,
    ...(d.description === undefined ? {} : { description: d.description }),
    ...(d.author === undefined ? {} : { author: d.author }),
    references: d.references ?? [],
    labels: d.labels ?? [],
    status: d.status ?? 'experimental',
    enabled: d.enabled ?? true,
    field: d.field,
    match: d.match ?? 'regex',
    caseSensitive: d.caseSensitive ?? false,
    patterns: d.patterns,
    exclude: d.exclude ?? [],
    ...(d.lookalike === undefined ? {} : { lookalike: d.lookalike }),
    ...(d.target === undefined ? {} : { target: d.target }),
    actions: d.actions,
    ...(d.tests === undefined ? {} : { tests: d.tests }),
    source: { file, line },
  };
}
