// `actions`: a list of one-key mappings, `tag: NAME`, `classify: VALUE` or `alert: {...}`.
import { isScalar } from 'yaml';
import type { ParsedNode } from 'yaml';
import { isDefined, present, short, unknownMessage } from './check-context.js';
import type { At, Checker, KeyedPair } from './check-context.js';
import { closest } from './suggest.js';
import { CLASSIFICATIONS, SEVERITIES } from './types.js';
import type { Action, Classification, Severity } from './types.js';

const ACTION_NAMES = ['tag', 'classify', 'alert'] as const;
const ALERT_OPTIONS = ['severity', 'channels'] as const;
export const TAG_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const EXAMPLES: Readonly<Record<string, string>> = { tag: 'tag: NAME', classify: 'classify: malicious', alert: 'alert: {}' };

export function checkActions(c: Checker, node: ParsedNode, at: At): Action[] | undefined {
  const items = c.list(node, at, ' (write one "- tag: NAME" style line per action)');
  if (!items) return undefined;
  if (items.length === 0) c.fail(at, 'must hold at least one action');
  const actions = items.map((item) => checkAction(c, item.node, item.at));
  return actions.every(isDefined) ? actions : undefined;
}

function checkAction(c: Checker, node: ParsedNode, at: At): Action | undefined {
  const value = c.resolve(node);
  // `- tag` or `- alert` alone: the analyst forgot the colon (or, for alert, the `{}`).
  if (isScalar(value) && typeof value.value === 'string' && (ACTION_NAMES as readonly string[]).includes(value.value)) {
    c.fail(at, `an action is a mapping: write "${EXAMPLES[value.value] ?? value.value}"`);
    return undefined;
  }
  const pairs = c.mapping(node, at, 'a mapping with one key: tag, classify or alert');
  if (!pairs) return undefined;
  if (pairs.length === 0) c.fail(at, 'is empty; an action has one key: tag, classify or alert');
  const actions = pairs.map((pair) => checkActionPair(c, pair, at.path));
  if (pairs.length > 1) {
    const names = pairs.map((p) => (isScalar(p.key) ? String(p.key.value) : '?')).join(', ');
    c.fail(at, `has ${pairs.length} keys (${short(names)}); an action has exactly one, so write each as its own "- " item`);
    return undefined;
  }
  return actions[0];
}

function checkActionPair(c: Checker, pair: KeyedPair, parent: string): Action | undefined {
  const key = c.key(pair, parent);
  if (!key) return undefined;
  const { name, at } = key;
  const value = present(pair.value);
  switch (name) {
    case 'tag':
      return value ? tagAction(c, value, at) : missingValue(c, at, 'a tag name');
    case 'classify':
      return value ? classifyAction(c, value, at) : missingValue(c, at, 'a classification');
    case 'alert':
      return alertAction(c, value, at);
    default:
      c.fail(at, unknownMessage('action', name, ACTION_NAMES, closest(name, ACTION_NAMES)));
      return undefined;
  }
}

function missingValue(c: Checker, at: At, what: string): undefined {
  c.fail(at, `needs ${what}`);
  return undefined;
}

function tagAction(c: Checker, node: ParsedNode, at: At): Action | undefined {
  const tag = c.text(node, at);
  if (tag === undefined) return undefined;
  if (TAG_NAME.test(tag)) return { tag };
  c.fail(at, `invalid tag name ${JSON.stringify(short(tag))}: use 1 to 64 letters, digits, _ - . :`);
  return undefined;
}

function classifyAction(c: Checker, node: ParsedNode, at: At): Action | undefined {
  const classify = c.oneOf<Classification>(node, at, CLASSIFICATIONS, 'classification');
  return classify === undefined ? undefined : { classify };
}

/** `alert:`, `alert: {}` and `alert: { severity, channels }`; severity defaults to medium. */
function alertAction(c: Checker, node: ParsedNode | undefined, at: At): Action | undefined {
  if (!node) return { alert: { severity: 'medium' } };
  const pairs = c.mapping(node, at, 'a mapping such as {} or { severity: high }');
  if (!pairs) return undefined;
  let ok = true;
  let severity: Severity = 'medium';
  let channels: string[] | undefined;
  for (const pair of pairs) {
    const key = c.key(pair, at.path);
    if (!key) {
      ok = false;
      continue;
    }
    const value = present(pair.value);
    if (key.name === 'severity') {
      const s = value ? c.oneOf(value, key.at, SEVERITIES, 'severity') : missingValue(c, key.at, 'low, medium or high');
      if (s === undefined) ok = false;
      else severity = s;
    } else if (key.name === 'channels') {
      channels = checkChannels(c, value, key.at);
      if (!channels) ok = false;
    } else {
      c.fail(key.at, unknownMessage('alert option', key.name, ALERT_OPTIONS, closest(key.name, ALERT_OPTIONS)));
      ok = false;
    }
  }
  if (!ok) return undefined;
  return { alert: channels ? { severity, channels } : { severity } };
}

/** Delivery channel names; an empty list would deliver nowhere, which leaving it out does not. */
function checkChannels(c: Checker, node: ParsedNode | undefined, at: At): string[] | undefined {
  const items = node ? c.list(node, at) : [];
  if (!items) return undefined;
  if (items.length === 0) return missingValue(c, at, 'at least one channel name (leave it out to use every channel)');
  const names = items.map((item) => c.line(item.node, item.at));
  return names.every(isDefined) ? names : undefined;
}
