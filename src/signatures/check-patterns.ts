// `patterns` and `exclude`: lists of strings checked by the signature's match kind.
import type { ParsedNode } from 'yaml';
import { CIDR_FIELDS } from '../fields/catalogue.js';
import { parseNetwork } from '../fields/ip.js';
import type { At, Checker } from './check-context.js';
import { brandProblem, lookalikeExcludeProblem } from './check-lookalike.js';
import { checkRegex, loneSurrogateIndex } from './regex-check.js';
import type { MatchKind } from './types.js';

export const MAX_PATTERNS = 10_000;
export const MAX_PATTERN_LENGTH = 4_096;

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Check a pattern list. `match` is undefined when the signature's own `match` was invalid: the
 * patterns are then checked only as strings, since any kind-specific verdict would be a guess.
 * `exclude: []` is accepted as "no exclusions" (an exporter may write it); `patterns` needs one.
 */
export function checkPatternList(
  c: Checker,
  node: ParsedNode,
  at: At,
  match: MatchKind | undefined,
): string[] | undefined {
  const isPatterns = at.path === 'patterns';
  const items = c.list(node, at, isPatterns ? ' (write one "- pattern" line per pattern)' : '');
  if (!items) return undefined;
  if (isPatterns && items.length === 0) c.fail(at, 'must hold at least one pattern');
  if (items.length > MAX_PATTERNS) {
    c.fail(at, `has ${count(items.length)} patterns; at most ${count(MAX_PATTERNS)} are allowed`);
  }
  const out: string[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const itemAt: At = isPatterns ? { ...item.at, pattern: i } : item.at;
    const pattern = checkPattern(c, item.node, itemAt, match, isPatterns);
    if (pattern === undefined) ok = false;
    else out.push(pattern);
  });
  return ok ? out : undefined;
}

function checkPattern(c: Checker, node: ParsedNode, at: At, match: MatchKind | undefined, isPattern: boolean): string | undefined {
  const pattern = c.text(node, at);
  if (pattern === undefined) return undefined;
  // A look-alike signature's excludes are domains, not brands (docs/LOOKALIKE.md).
  const reason = match === 'lookalike' && !isPattern ? (patternProblem(pattern, undefined) ?? lookalikeExcludeProblem(pattern)) : patternProblem(pattern, match);
  if (reason === undefined) return pattern;
  c.fail(at, reason);
  return undefined;
}

/** Why a pattern string is unusable under `match`, or undefined. */
export function patternProblem(pattern: string, match: MatchKind | undefined): string | undefined {
  if (pattern === '') return 'pattern is empty';
  // Counted in code points ("characters"); the UTF-16 length is a cheap upper bound first.
  if (pattern.length > MAX_PATTERN_LENGTH) {
    const length = [...pattern].length;
    if (length > MAX_PATTERN_LENGTH) {
      return `pattern is ${count(length)} characters long; at most ${count(MAX_PATTERN_LENGTH)} are allowed`;
    }
  }
  const surrogate = loneSurrogateIndex(pattern);
  if (surrogate !== undefined) return `not well-formed Unicode: lone surrogate at character ${surrogate + 1}`;
  switch (match) {
    case 'regex':
      return checkRegex(pattern);
    case 'cidr': {
      const parsed = parseNetwork(pattern);
      return parsed.ok ? undefined : parsed.reason;
    }
    case 'lookalike':
      return brandProblem(pattern);
    case 'literal':
    case undefined:
      return undefined;
  }
}

/** `match: cidr` makes sense only on IP-valued fields. */
export function cidrFieldProblem(field: string): string | undefined {
  if (CIDR_FIELDS.has(field)) return undefined;
  const allowed = [...CIDR_FIELDS].join(' and ');
  return `cidr matches only the fields ${allowed}, not ${field}; use regex or literal for this field`;
}
