// Actions as data: one entry per action kind (tag, classify, alert) with everything the layers
// up to here need to know about it: how the file format's one-key mapping is checked, and how an
// action is described (CLI, API, UI, reports). Services add what they do with each kind
// (services/evaluate.ts, APPLY) and count it by `actionKind`. The file format and the in-memory
// shape do not change (signatures.md): an action is still `{tag}`, `{classify}` or `{alert}`.
// A new action kind is a new member of `Action` (types.ts), an entry here and one in APPLY; the
// compiler points at each place that must handle it.
import type { ParsedNode } from 'yaml';
import { isDefined, present, short, unknownMessage } from './check-context.js';
import type { At, Checker } from './check-context.js';
import { closest } from './suggest.js';
import { CLASSIFICATIONS, SEVERITIES } from './types.js';
import type { Action, Classification, Severity } from './types.js';

export type ActionKind = 'tag' | 'classify' | 'alert';
export const ACTION_KINDS: readonly ActionKind[] = ['tag', 'classify', 'alert'];

/** The action of one kind. */
export type ActionOf<K extends ActionKind> = K extends ActionKind ? Extract<Action, { readonly [P in K]: unknown }> : never;

/** The one place that reads which kind an action is. */
export function actionKind(a: Action): ActionKind {
  if ('tag' in a) return 'tag';
  if ('classify' in a) return 'classify';
  return 'alert';
}

export interface ActionSpec<K extends ActionKind> {
  readonly kind: K;
  /** How to write one, for messages: `tag: NAME`. */
  readonly example: string;
  /** Checks the value under the action's key (undefined when there is none) and reports on `c`. */
  check(c: Checker, value: ParsedNode | undefined, at: At): ActionOf<K> | undefined;
  /** Words for reports and previews: `tag Phishing`, `classify malicious`, `alert high`. */
  describe(a: ActionOf<K>): string;
  /** One token for lists: `tag:Phishing`, `classify:malicious`, `alert:high`. */
  label(a: ActionOf<K>): string;
}

export const TAG_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const ALERT_OPTIONS = ['severity', 'channels'] as const;

function missingValue(c: Checker, at: At, what: string): undefined {
  c.fail(at, `needs ${what}`);
  return undefined;
}

function checkTag(c: Checker, node: ParsedNode | undefined, at: At): ActionOf<'tag'> | undefined {
  if (!node) return missingValue(c, at, 'a tag name');
  const tag = c.text(node, at);
  if (tag === undefined) return undefined;
  if (TAG_NAME.test(tag)) return { tag };
  c.fail(at, `invalid tag name ${JSON.stringify(short(tag))}: use 1 to 64 letters, digits, _ - . :`);
  return undefined;
}

function checkClassify(c: Checker, node: ParsedNode | undefined, at: At): ActionOf<'classify'> | undefined {
  if (!node) return missingValue(c, at, 'a classification');
  const classify = c.oneOf<Classification>(node, at, CLASSIFICATIONS, 'classification');
  return classify === undefined ? undefined : { classify };
}

/** `alert:`, `alert: {}` and `alert: { severity, channels }`; severity defaults to medium. */
function checkAlert(c: Checker, node: ParsedNode | undefined, at: At): ActionOf<'alert'> | undefined {
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

export const ACTIONS: { readonly [K in ActionKind]: ActionSpec<K> } = {
  tag: {
    kind: 'tag',
    example: 'tag: NAME',
    check: checkTag,
    describe: (a) => `tag ${a.tag}`,
    label: (a) => `tag:${a.tag}`,
  },
  classify: {
    kind: 'classify',
    example: 'classify: malicious',
    check: checkClassify,
    describe: (a) => `classify ${a.classify}`,
    label: (a) => `classify:${a.classify}`,
  },
  alert: {
    kind: 'alert',
    example: 'alert: {}',
    check: checkAlert,
    describe: (a) => `alert ${a.alert.severity}`,
    label: (a) => `alert:${a.alert.severity}`,
  },
};

/**
 * The registry entry of the action's own kind. Typed for any action: the entry is chosen by the
 * key the action has (actionKind), so it is always handed an action of its kind.
 */
export function actionSpec(a: Action): ActionSpec<ActionKind> {
  return ACTIONS[actionKind(a)];
}

export function describeAction(a: Action): string {
  return actionSpec(a).describe(a);
}

export function actionLabel(a: Action): string {
  return actionSpec(a).label(a);
}
