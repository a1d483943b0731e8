// Checks of single top-level keys other than patterns and actions.
import { isScalar, isSeq } from 'yaml';
import type { ParsedNode } from 'yaml';
import { ENTITY_KINDS, isField } from '../fields/catalogue.js';
import type { EntityKind } from '../fields/catalogue.js';
import { suggestField } from '../fields/suggest.js';
import { isDefined, present, scalarText, short, unknownMessage } from './check-context.js';
import type { At, Checker } from './check-context.js';
import { closest, didYouMean } from './suggest.js';
import type { SignatureTests } from './types.js';

const ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export function checkId(c: Checker, node: ParsedNode, at: At): string | undefined {
  const id = c.text(node, at);
  if (id === undefined || ID.test(id)) return id;
  const hint = ID.test(id.toLowerCase()) ? ' (lower case only)' : '';
  c.fail(at, `invalid id ${JSON.stringify(short(id))}: use 1 to 128 of a-z 0-9 . _ -, starting with a letter or digit${hint}`);
  return undefined;
}

/** The id as far as it can be read, valid or not, to name the signature in its errors. */
export function readableId(c: Checker, node: ParsedNode | undefined): string | undefined {
  const value = node && c.resolve(node);
  const text = isScalar(value) ? scalarText(value) : undefined;
  return text !== undefined && text !== '' && text.length <= 200 && !/[\r\n]/.test(text) ? text : undefined;
}

export function checkField(c: Checker, node: ParsedNode, at: At): string | undefined {
  if (isSeq(c.resolve(node))) {
    c.fail(at, 'must be one field name, not a list (write one signature per field)');
    return undefined;
  }
  const name = c.text(node, at);
  if (name === undefined || isField(name)) return name;
  const hint = suggestField(name);
  c.fail(at, `unknown field ${short(name)}${hint === undefined ? ' (see the field catalogue, fields.md)' : didYouMean(hint)}`);
  return undefined;
}

/** A list whose items each pass `item`; undefined if the list or any item is wrong. */
export function checkList<T>(
  c: Checker,
  node: ParsedNode,
  at: At,
  item: (node: ParsedNode, at: At) => T | undefined,
): T[] | undefined {
  const items = c.list(node, at);
  if (!items) return undefined;
  const out = items.map((i) => item(i.node, i.at));
  return out.every(isDefined) ? out : undefined;
}

export function checkReference(c: Checker, node: ParsedNode, at: At): string | undefined {
  const text = c.text(node, at);
  if (text === undefined) return undefined;
  if (isHttpUrl(text)) return text;
  c.fail(at, `not an http(s) URL: ${JSON.stringify(short(text))}`);
  return undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function checkLabel(c: Checker, node: ParsedNode, at: At): string | undefined {
  return c.line(node, at);
}

/** `target`: a non-empty list of entity kinds without repeats. */
export function checkTarget(c: Checker, node: ParsedNode, at: At): EntityKind[] | undefined {
  const kinds = checkList(c, node, at, (n, a) => c.oneOf(n, a, ENTITY_KINDS, 'target'));
  if (!kinds) return undefined;
  if (kinds.length === 0) {
    c.fail(at, 'must name at least one of domain, ip, certificate (leave it out for the default targets)');
    return undefined;
  }
  const repeated = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (repeated === undefined) return kinds;
  c.fail(at, `names ${repeated} twice`);
  return undefined;
}

const TEST_KEYS = ['match', 'no_match'] as const;

/** `tests: { match: [...], no_match: [...] }`; either list may be left out. */
export function checkTests(c: Checker, node: ParsedNode, at: At): SignatureTests | undefined {
  const pairs = c.mapping(node, at, 'a mapping with match and no_match lists');
  if (!pairs) return undefined;
  const lists: Partial<Record<(typeof TEST_KEYS)[number], string[]>> = {};
  let ok = true;
  for (const pair of pairs) {
    const key = c.key(pair, at.path);
    const value = present(pair.value);
    if (!key) ok = false;
    else if (key.name !== 'match' && key.name !== 'no_match') {
      c.fail(key.at, unknownMessage('tests key', key.name, TEST_KEYS, closest(key.name, TEST_KEYS)));
      ok = false;
    } else {
      // Test values are any text, even empty: "" is a fair no_match case.
      const list = value ? checkList(c, value, key.at, (n, a) => c.text(n, a)) : [];
      if (list) lists[key.name] = list;
      else ok = false;
    }
  }
  return ok ? { match: lists.match ?? [], noMatch: lists.no_match ?? [] } : undefined;
}
