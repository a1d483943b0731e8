// `match: lookalike` (docs/LOOKALIKE.md): brand patterns, domain excludes, the `lookalike:`
// options and the fields it applies to.
import type { ParsedNode } from 'yaml';
import { normaliseDomain } from '../fields/domain.js';
import { present, unknownMessage } from './check-context.js';
import type { At, Checker } from './check-context.js';
import { checkList } from './check-fields.js';
import { closest } from './suggest.js';
import { LOOKALIKE_DEFAULTS, LOOKALIKE_FAMILIES, LOOKALIKE_MAX_DISTANCE } from './types.js';
import type { LookalikeFamily, LookalikeOptions } from './types.js';

/** The fields whose values are names a brand can be imitated in. */
export const LOOKALIKE_FIELDS: ReadonlySet<string> = new Set(['domain', 'domain.registered', 'x509.subject.common_name', 'x509.alternative_names']);

const MAX_BRAND = 63;
/** Letters and digits of any script, hyphens inside: one DNS label as people write brands. */
const BRAND = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;

export function lookalikeFieldProblem(field: string): string | undefined {
  if (LOOKALIKE_FIELDS.has(field)) return undefined;
  return `lookalike matches only the fields ${[...LOOKALIKE_FIELDS].join(', ')}, not ${field}`;
}

/** Why a brand pattern is unusable, or undefined. */
export function brandProblem(pattern: string): string | undefined {
  if (pattern.includes('.')) {
    return `a look-alike pattern is one brand label such as "paypal", not a domain name: write the brand's own domains (${pattern}) under exclude`;
  }
  if ([...pattern].length > MAX_BRAND) return `a brand label is at most ${MAX_BRAND} characters`;
  if (!BRAND.test(pattern)) return 'a brand label holds letters and digits, with hyphens only inside (like a DNS label)';
  return undefined;
}

/** Why a look-alike exclude is unusable, or undefined: excludes are domain names (and their subdomains). */
export function lookalikeExcludeProblem(pattern: string): string | undefined {
  if (normaliseDomain(pattern) === undefined) return `a look-alike exclude is a domain name such as paypal.com (it and its subdomains never match), not ${JSON.stringify(pattern)}`;
  return undefined;
}

const OPTION_KEYS = ['distance', 'families', 'min_length', 'keywords'] as const;
/** A keyword is one word: names are cut into words at hyphens and dots before they are compared. */
const KEYWORD = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u;
const MAX_KEYWORDS = 10_000;

/** `lookalike: { distance, families, min_length, keywords }`, each optional. */
export function checkLookalikeOptions(c: Checker, node: ParsedNode, at: At): LookalikeOptions | undefined {
  const pairs = c.mapping(node, at, 'a mapping with distance, families, min_length and keywords');
  if (!pairs) return undefined;
  let ok = true;
  let distance = LOOKALIKE_DEFAULTS.distance;
  let families = LOOKALIKE_DEFAULTS.families;
  let minLength = LOOKALIKE_DEFAULTS.minLength;
  let keywords: string[] | undefined;
  for (const pair of pairs) {
    const key = c.key(pair, at.path);
    if (!key) {
      ok = false;
      continue;
    }
    const value = present(pair.value);
    if (!value) {
      c.fail(key.at, 'must not be empty (leave the key out for its default)');
      ok = false;
      continue;
    }
    switch (key.name) {
      case 'distance': {
        const n = integer(c, value, key.at, 0, LOOKALIKE_MAX_DISTANCE);
        if (n === undefined) ok = false;
        else distance = n;
        break;
      }
      case 'min_length': {
        const n = integer(c, value, key.at, 1, MAX_BRAND);
        if (n === undefined) ok = false;
        else minLength = n;
        break;
      }
      case 'families': {
        const list = checkList(c, value, key.at, (n, a) => c.oneOf<LookalikeFamily>(n, a, LOOKALIKE_FAMILIES, 'look-alike family'));
        if (!list) ok = false;
        else if (list.length === 0) {
          c.fail(key.at, `must name at least one family (leave it out for all: ${LOOKALIKE_FAMILIES.join(', ')})`);
          ok = false;
        } else families = LOOKALIKE_FAMILIES.filter((f) => list.includes(f));
        break;
      }
      case 'keywords': {
        const list = checkList(c, value, key.at, (n, a) => keyword(c, n, a));
        if (!list) ok = false;
        else if (list.length === 0) {
          c.fail(key.at, 'must name at least one word (leave it out to allow any word)');
          ok = false;
        } else if (list.length > MAX_KEYWORDS) {
          c.fail(key.at, `at most ${MAX_KEYWORDS.toLocaleString('en-US')} words, not ${list.length.toLocaleString('en-US')}`);
          ok = false;
        } else keywords = [...new Set(list)];
        break;
      }
      default:
        c.fail(key.at, unknownMessage('lookalike option', key.name, OPTION_KEYS, closest(key.name, OPTION_KEYS)));
        ok = false;
    }
  }
  return ok ? { distance, families, minLength, ...(keywords !== undefined ? { keywords } : {}) } : undefined;
}

function keyword(c: Checker, node: ParsedNode, at: At): string | undefined {
  const text = c.text(node, at);
  if (text === undefined) return undefined;
  const word = text.toLowerCase();
  if ([...word].length <= MAX_BRAND && KEYWORD.test(word)) return word;
  c.fail(at, `a keyword is one word of letters and digits (names are cut into words at hyphens and dots), at most ${MAX_BRAND} characters, not ${JSON.stringify(text)}`);
  return undefined;
}

function integer(c: Checker, node: ParsedNode, at: At, min: number, max: number): number | undefined {
  const text = c.text(node, at);
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  c.fail(at, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return undefined;
}
