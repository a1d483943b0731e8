// `actions`: a list of one-key mappings, `tag: NAME`, `classify: VALUE` or `alert: {...}`.
// Each kind's own value is checked by its entry in the action registry (actions.ts).
import { isScalar } from 'yaml';
import type { ParsedNode } from 'yaml';
import { ACTION_KINDS, ACTIONS, type ActionKind } from './actions.js';
import { isDefined, present, short, unknownMessage } from './check-context.js';
import type { At, Checker, KeyedPair } from './check-context.js';
import { closest } from './suggest.js';
import type { Action } from './types.js';

export { TAG_NAME } from './actions.js';

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
  if (isScalar(value) && typeof value.value === 'string' && isActionKind(value.value)) {
    c.fail(at, `an action is a mapping: write "${ACTIONS[value.value].example}"`);
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
  if (!isActionKind(name)) {
    c.fail(at, unknownMessage('action', name, ACTION_KINDS, closest(name, ACTION_KINDS)));
    return undefined;
  }
  return ACTIONS[name].check(c, present(pair.value), at);
}

function isActionKind(name: string): name is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(name);
}
