// The action registry as a table: for each action kind, what the file says, what checking makes
// of it (or the error it reports), and how it is described and counted.
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ACTIONS, actionKind, actionLabel, describeAction } from './actions.js';
import { parseSignatureText } from './load.js';
import type { Action } from './types.js';

function actionsOf(yamlActions: string): { actions?: readonly Action[]; errors: string[] } {
  const r = parseSignatureText(['id: a', 'title: t', 'field: domain', 'patterns: [x]', `actions:\n${yamlActions}`].join('\n'), 's.yaml');
  return { actions: r.signatures[0]?.actions, errors: r.errors.map((e) => `${e.path ?? ''}: ${e.message}`) };
}

describe('action registry', () => {
  it('has one entry per kind, under its own name', () => {
    expect(Object.keys(ACTIONS)).toEqual([...ACTION_KINDS]);
    for (const k of ACTION_KINDS) expect(ACTIONS[k].kind).toBe(k);
  });

  // kind, file text, checked action, describe, label
  const VALID: [string, string, Action, string, string][] = [
    ['tag', '  - tag: Phishing', { tag: 'Phishing' }, 'tag Phishing', 'tag:Phishing'],
    ['classify', '  - classify: malicious', { classify: 'malicious' }, 'classify malicious', 'classify:malicious'],
    ['alert', '  - alert:', { alert: { severity: 'medium' } }, 'alert medium', 'alert:medium'],
    ['alert', '  - alert: {}', { alert: { severity: 'medium' } }, 'alert medium', 'alert:medium'],
    ['alert', '  - alert: { severity: high, channels: [soc] }', { alert: { severity: 'high', channels: ['soc'] } }, 'alert high', 'alert:high'],
  ];
  it.each(VALID)('%s: %s → checked, described and counted by its entry', (kind, text, want, words, label) => {
    const { actions, errors } = actionsOf(text);
    expect(errors).toEqual([]);
    expect(actions).toEqual([want]);
    expect(actionKind(want)).toBe(kind);
    expect(describeAction(want)).toBe(words);
    expect(actionLabel(want)).toBe(label);
  });

  // kind, file text, the error (path: message)
  const INVALID: [string, string, RegExp][] = [
    ['tag', '  - tag:', /^actions\[0\]\.tag: needs a tag name$/],
    ['tag', '  - tag: "bad name!"', /^actions\[0\]\.tag: invalid tag name "bad name!"/],
    ['tag', '  - tag', /an action is a mapping: write "tag: NAME"/],
    ['classify', '  - classify:', /^actions\[0\]\.classify: needs a classification$/],
    ['classify', '  - classify: evil', /classification/],
    ['classify', '  - classify', /an action is a mapping: write "classify: malicious"/],
    ['alert', '  - alert', /an action is a mapping: write "alert: \{\}"/],
    ['alert', '  - alert: { severity: extreme }', /severity/],
    ['alert', '  - alert: { severty: high }', /^actions\[0\]\.alert\.severty: unknown alert option severty, did you mean severity/],
    ['alert', '  - alert: { channels: [] }', /needs at least one channel name/],
    ['(none)', '  - tagg: x', /^actions\[0\]\.tagg: unknown action tagg, did you mean tag /],
  ];
  it.each(INVALID)('%s: %s → refused with a clear error', (_kind, text, error) => {
    const { actions, errors } = actionsOf(text);
    expect(actions).toBeUndefined();
    expect(errors.some((e) => error.test(e)), errors.join('\n')).toBe(true);
  });
});
