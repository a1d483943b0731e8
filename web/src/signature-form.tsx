// The signature editor's form view: the common keys of one signature as labelled controls.
// The YAML text stays the source of truth: the form reads the parsed text and every edit
// writes the whole object back as YAML (keys the form does not show — status, author,
// references, labels, target, alert channels — are kept as they were).
import type { JSX } from 'preact';
import { parse, stringify } from 'yaml';
import { FIELDS } from '../../src/fields/catalogue.js';
import { CLASSIFICATIONS, SEVERITIES } from './api.js';
import { Options } from './ui.js';

export const FIELD_NAMES: readonly string[] = FIELDS.map((f) => f.name);
const MATCH_KINDS = ['regex', 'literal', 'cidr', 'lookalike'] as const;

type Obj = Record<string, unknown>;

/** The one signature of the text as an object, or undefined when it does not parse as one. */
export function parseSignatureObject(text: string): Obj | undefined {
  try {
    const v: unknown = parse(text.replace(/^---\n/, ''));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
  } catch {
    return undefined;
  }
}

export function toYamlText(o: Obj): string {
  return stringify(o, { lineWidth: 0 });
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : typeof v === 'string' ? [v] : []);
const lines = (t: string): string[] =>
  t
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

function actionOf(actions: unknown, key: 'tag' | 'classify' | 'alert'): Obj | undefined {
  return Array.isArray(actions) ? (actions.find((a) => a !== null && typeof a === 'object' && key in a) as Obj | undefined) : undefined;
}

export function SignatureForm({ text, onText }: { text: string; onText: (t: string) => void }): JSX.Element {
  const o = parseSignatureObject(text);
  if (!o) {
    return (
      <p class="bad" role="alert" data-testid="form-unparsable">
        The YAML does not parse as one signature; fix it in the YAML view to use the form.
      </p>
    );
  }
  const set = (key: string, value: unknown): void => {
    const next: Obj = { ...o };
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty && key !== 'patterns') delete next[key];
    else next[key] = value;
    onText(toYamlText(next));
  };
  const tag = actionOf(o.actions, 'tag');
  const classify = actionOf(o.actions, 'classify');
  const alert = actionOf(o.actions, 'alert');
  const alertSeverity = alert && alert.alert !== null && typeof alert.alert === 'object' ? str((alert.alert as Obj).severity) || 'medium' : '';
  const setActions = (t: string, c: string, a: string): void => {
    const next: Obj[] = [];
    if (t.trim()) next.push({ tag: t.trim() });
    if (c) next.push({ classify: c });
    const kept: Obj = alert && alert.alert !== null && typeof alert.alert === 'object' ? { ...alert.alert } : {};
    if (a) next.push({ alert: { ...kept, severity: a } });
    set('actions', next);
  };
  const tests = o.tests !== null && typeof o.tests === 'object' ? (o.tests as Obj) : {};
  const setTests = (key: 'match' | 'no_match', value: string[]): void => {
    const next: Obj = { ...tests };
    if (value.length === 0) delete next[key];
    else next[key] = value;
    set('tests', Object.keys(next).length === 0 ? undefined : next);
  };
  const field = str(o.field);
  return (
    <div class="sig-form" data-testid="signature-form">
      <div class="row">
        <label>
          Id
          <input type="text" value={str(o.id)} onInput={(e) => set('id', e.currentTarget.value)} data-testid="form-id" required />
        </label>
        <label>
          Title
          <input type="text" value={str(o.title)} onInput={(e) => set('title', e.currentTarget.value)} data-testid="form-title" />
        </label>
      </div>
      <label>
        Description
        <textarea rows={2} value={str(o.description)} onInput={(e) => set('description', e.currentTarget.value)} />
      </label>
      <div class="row">
        <label>
          Field
          <select value={field} onChange={(e) => set('field', e.currentTarget.value)} data-testid="form-field">
            {field && !FIELD_NAMES.includes(field) ? <option value={field}>{field} (unknown)</option> : null}
            <Options values={FIELD_NAMES} />
          </select>
        </label>
        <label>
          Match kind
          <select value={str(o.match) || 'regex'} onChange={(e) => set('match', e.currentTarget.value)} data-testid="form-match">
            <Options values={MATCH_KINDS} />
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={o.case_sensitive === true} onChange={(e) => set('case_sensitive', e.currentTarget.checked ? true : undefined)} />
          Case sensitive
        </label>
      </div>
      <div class="row">
        <label>
          Patterns (one per line)
          <textarea rows={4} value={list(o.patterns).join('\n')} onChange={(e) => set('patterns', lines(e.currentTarget.value))} data-testid="form-patterns" spellcheck={false} />
        </label>
        <label>
          Exclude (one per line)
          <textarea rows={4} value={list(o.exclude).join('\n')} onChange={(e) => set('exclude', lines(e.currentTarget.value))} spellcheck={false} />
        </label>
      </div>
      <fieldset>
        <legend>Actions</legend>
        <div class="row">
          <label>
            Tag name
            <input type="text" value={tag ? str(tag.tag) : ''} placeholder="none" onChange={(e) => setActions(e.currentTarget.value, classify ? str(classify.classify) : '', alertSeverity)} data-testid="form-tag" />
          </label>
          <label>
            Classify
            <select value={classify ? str(classify.classify) : ''} onChange={(e) => setActions(tag ? str(tag.tag) : '', e.currentTarget.value, alertSeverity)} data-testid="form-classify">
              <option value="">none</option>
              <Options values={CLASSIFICATIONS} />
            </select>
          </label>
          <label>
            Alert severity
            <select value={alertSeverity} onChange={(e) => setActions(tag ? str(tag.tag) : '', classify ? str(classify.classify) : '', e.currentTarget.value)} data-testid="form-alert">
              <option value="">no alert</option>
              <Options values={SEVERITIES} />
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Tests</legend>
        <div class="row">
          <label>
            Must match (one per line)
            <textarea rows={3} value={list(tests.match).join('\n')} onChange={(e) => setTests('match', lines(e.currentTarget.value))} data-testid="form-tests-match" spellcheck={false} />
          </label>
          <label>
            Must not match (one per line)
            <textarea rows={3} value={list(tests.no_match).join('\n')} onChange={(e) => setTests('no_match', lines(e.currentTarget.value))} spellcheck={false} />
          </label>
        </div>
      </fieldset>
    </div>
  );
}
