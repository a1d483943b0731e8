// The signature editor: YAML text (or a form) validated as you type with errors at their line,
// test cases run, preview over stored data, save, enable/disable, history with a line diff.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, get, message, post, request, type ImportReport, type LintError, type PreviewReport, type SignatureVersion, type TestReport } from '../api.js';
import { stringify } from 'yaml';
import { diffLines } from '../diff.js';
import { pivotHref } from '../pivot.js';
import { entityHref, Link, navigate } from '../router.js';
import { SignatureForm } from '../signature-form.js';
import { Can, Empty, ErrorText, Section, Spinner, Table, useLoad, when } from '../ui.js';

const TEMPLATE = `id: my-signature
title: What this signature finds
status: experimental
field: domain
patterns: ['example-brand']
actions:
  - tag: Example_Brand
  - alert: {severity: medium}
tests:
  match: ['login-example-brand.com']
  no_match: ['example.com']
`;

function lineOfPath(_e: LintError): number {
  return _e.line;
}

function Editor({ text, onText, errors }: { text: string; onText: (t: string) => void; errors: LintError[] }): JSX.Element {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = text.split('\n').length;
  const byLine = new Map<number, LintError[]>();
  for (const e of errors) byLine.set(lineOfPath(e), [...(byLine.get(lineOfPath(e)) ?? []), e]);
  return (
    <div class="editor">
      <div class="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} class={byLine.has(i + 1) ? 'ln bad' : 'ln'} title={byLine.get(i + 1)?.map((e) => e.message).join('\n')}>
            {byLine.has(i + 1) ? '● ' : ''}
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        aria-label="Signature YAML"
        data-testid="signature-text"
        spellcheck={false}
        value={text}
        rows={Math.max(18, lines + 1)}
        onInput={(e) => onText(e.currentTarget.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        onKeyDown={(e) => {
          // Tab inserts two spaces (YAML); Escape then Tab leaves the editor.
          if (e.key === 'Tab' && !e.shiftKey && !(e.currentTarget.dataset.escaped === '1')) {
            e.preventDefault();
            const t = e.currentTarget;
            const s = t.selectionStart;
            const v = t.value;
            onText(v.slice(0, s) + '  ' + v.slice(t.selectionEnd));
            requestAnimationFrame(() => t.setSelectionRange(s + 2, s + 2));
          }
          e.currentTarget.dataset.escaped = e.key === 'Escape' ? '1' : '0';
        }}
      />
    </div>
  );
}

function VersionDiff({ version, previous }: { version: SignatureVersion; previous: SignatureVersion | undefined }): JSX.Element {
  const lines = diffLines(previous ? stringify(previous.source) : '', stringify(version.source));
  const added = lines.filter((l) => l.op === 'add').length;
  const removed = lines.filter((l) => l.op === 'del').length;
  return (
    <div data-testid="version-diff">
      <p class="muted small">
        v{version.version} against {previous ? `v${previous.version}` : 'nothing (first version)'}: <span class="diff-add-count">+{added}</span> <span class="diff-del-count">−{removed}</span>
      </p>
      <pre class="source diff" aria-label={`Changes in version ${version.version}`}>
        {lines.map((l, i) => (
          <div key={i} class={`diff-${l.op}`}>
            {l.op === 'add' ? '+ ' : l.op === 'del' ? '- ' : '  '}
            {l.text}
          </div>
        ))}
      </pre>
    </div>
  );
}

export function SignatureEditor({ id }: { id: string | undefined }): JSX.Element {
  const [text, setText] = useState(id ? '' : TEMPLATE);
  const [loaded, setLoaded] = useState(!id);
  const [meta, setMeta] = useState<{ version?: number; enabled?: boolean; updated?: string } | undefined>();
  const [lint, setLint] = useState<{ errors: LintError[]; signatures: number } | undefined>();
  const [linting, setLinting] = useState(false);
  const [tests, setTests] = useState<TestReport | undefined>();
  const [preview, setPreview] = useState<PreviewReport | undefined>();
  const [saved, setSaved] = useState<ImportReport | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const historyRes = useLoad(() => (id ? get<SignatureVersion[]>(`/signatures/${encodeURIComponent(id)}/history`) : Promise.resolve([])), [id, saved]);
  const [shownVersion, setShownVersion] = useState<number | undefined>();
  const [view, setView] = useState<'yaml' | 'form'>('yaml');

  const loadMeta = async (sid: string): Promise<void> => {
    const m = await get<{ version?: number; enabled?: boolean; updated?: string }>(`/signatures/${encodeURIComponent(sid)}`);
    setMeta({ ...(m.version !== undefined ? { version: m.version } : {}), ...(m.enabled !== undefined ? { enabled: m.enabled } : {}), ...(m.updated !== undefined ? { updated: m.updated } : {}) });
  };

  // The id the editor last showed: going from a signature to "new" starts over from the template,
  // but the first render already holds it, and resetting it then would drop what was typed before
  // the effect ran.
  const shownId = useRef(id);
  useEffect(() => {
    const previous = shownId.current;
    shownId.current = id;
    if (!id) {
      if (previous !== undefined) setText(TEMPLATE);
      setLoaded(true);
      setMeta(undefined);
      return;
    }
    setLoaded(false);
    Promise.all([request<string>('GET', '/signatures/export', { query: { ids: [id] } }), loadMeta(id)]).then(
      ([yaml]) => {
        setText(typeof yaml === 'string' ? yaml.replace(/^---\n/, '') : String(yaml));
        setLoaded(true);
      },
      (e: unknown) => {
        setError(message(e));
        setLoaded(true);
      },
    );
  }, [id]);

  // Validation as you type (debounced).
  useEffect(() => {
    if (!loaded) return;
    if (!text.trim()) {
      setLint({ errors: [], signatures: 0 });
      return;
    }
    setLinting(true);
    const t = setTimeout(() => {
      post<{ signatures: number; errors: LintError[] }>('/signatures/lint', { text }).then(
        (r) => {
          setLint(r);
          setLinting(false);
        },
        (e: unknown) => {
          setError(message(e));
          setLinting(false);
        },
      );
    }, 250);
    return () => clearTimeout(t);
  }, [text, loaded]);

  const failText = (e: unknown): string => {
    if (e instanceof ApiFailure && Array.isArray(e.details)) return `${e.message}: ${(e.details as LintError[]).map((d) => `line ${d.line}: ${d.message}`).join('; ')}`;
    return message(e);
  };

  const run = async (what: 'test' | 'preview' | 'save'): Promise<void> => {
    setBusy(what);
    setError(undefined);
    try {
      if (what === 'test') setTests(await post<TestReport>('/signatures/test', { text }));
      if (what === 'preview') setPreview(await post<PreviewReport>('/signatures/preview', { text }));
      if (what === 'save') {
        const r = await post<ImportReport>('/signatures', { text });
        setSaved(r);
        const first = r.created[0] ?? r.changed[0] ?? r.unchanged[0];
        if (first && first !== id) navigate(`/signatures/${encodeURIComponent(first)}`, { replace: !id });
        else if (first) await loadMeta(first);
      }
    } catch (e) {
      setError(failText(e));
    } finally {
      setBusy(undefined);
    }
  };

  const toggle = async (): Promise<void> => {
    if (!id || !meta) return;
    try {
      await post(`/signatures/${encodeURIComponent(id)}/${meta.enabled ? 'disable' : 'enable'}`);
      await loadMeta(id);
      historyRes.reload();
    } catch (e) {
      setError(message(e));
    }
  };

  const errors = lint?.errors ?? [];
  const valid = lint !== undefined && errors.length === 0 && lint.signatures > 0;
  const shown = historyRes.data?.find((v) => v.version === shownVersion);
  // The version before the one shown (history is oldest first), to diff against.
  const previous = shown ? historyRes.data?.filter((v) => v.version < shown.version).pop() : undefined;
  return (
    <div class="page" data-testid="page-signature-editor">
      <p class="crumbs">
        <Link href="/signatures">Signatures</Link> › {id ?? 'new'}
      </p>
      <div class="page-head">
        <h1>{id ? `Signature ${id}` : 'New signature'}</h1>
        <div class="actions">
          {id && meta ? (
            <>
              <span class="muted small" data-testid="signature-meta">
                version {meta.version} · {meta.enabled ? 'enabled' : 'disabled'} · updated {when(meta.updated)}
              </span>
              <Can role="analyst">
                <button type="button" onClick={() => void toggle()} data-testid="toggle-enabled" aria-pressed={meta.enabled}>
                  {meta.enabled ? 'Disable' : 'Enable'}
                </button>
              </Can>
              <Link class="button" href={pivotHref('signature', id)} data-testid="signature-hits" title="the entities it tags, classifies or alerted on">
                Hits
              </Link>
              <a class="button" href={`/api/v1/signatures/export?ids=${encodeURIComponent(id)}`} download={`${id}.yaml`}>
                Export
              </a>
            </>
          ) : null}
        </div>
      </div>
      <div class="grid-editor">
        <Section title="Signature">
          <div class="tabs" role="tablist" aria-label="Editor view">
            {(['yaml', 'form'] as const).map((v, i, all) => (
              <button
                key={v}
                type="button"
                role="tab"
                id={`tab-${v}`}
                aria-selected={view === v}
                aria-controls={`panel-${v}`}
                tabIndex={view === v ? 0 : -1}
                data-testid={`tab-${v}`}
                onClick={() => setView(v)}
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
                  e.preventDefault();
                  const next = all[(i + (e.key === 'ArrowRight' ? 1 : all.length - 1)) % all.length]!;
                  setView(next);
                  document.getElementById(`tab-${next}`)?.focus();
                }}
              >
                {v === 'yaml' ? 'YAML' : 'Form'}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
            {!loaded ? <Spinner on={true} /> : view === 'yaml' ? <Editor text={text} onText={setText} errors={errors} /> : <SignatureForm text={text} onText={setText} />}
          </div>
          <div class="lint" aria-live="polite" data-testid="lint-status">
            {linting ? (
              <span class="muted">Checking…</span>
            ) : lint === undefined ? (
              ''
            ) : errors.length === 0 ? (
              <span class="ok">✓ Valid: {lint.signatures} signature{lint.signatures === 1 ? '' : 's'}</span>
            ) : (
              <span class="bad">
                {errors.length} error{errors.length === 1 ? '' : 's'}
              </span>
            )}
          </div>
          {errors.length > 0 ? (
            <ul class="lint-errors" data-testid="lint-errors">
              {errors.map((e, i) => (
                <li key={i}>
                  <strong>line {e.line}</strong>
                  {e.path ? (
                    <>
                      {' '}
                      <code>{e.path}</code>
                    </>
                  ) : null}
                  : {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          <div class="buttons">
            <button type="button" disabled={!valid || busy !== undefined} onClick={() => void run('test')} data-testid="run-tests">
              {busy === 'test' ? 'Running…' : 'Run tests'}
            </button>
            <button type="button" disabled={!valid || busy !== undefined} onClick={() => void run('preview')} data-testid="run-preview">
              {busy === 'preview' ? 'Previewing…' : 'Preview on stored data'}
            </button>
            <Can role="analyst" otherwise={<span class="muted small">Viewers test and preview; saving needs the analyst role.</span>}>
              <button type="button" class="primary" disabled={!valid || busy !== undefined} onClick={() => void run('save')} data-testid="save-signature">
                {busy === 'save' ? 'Saving…' : 'Save'}
              </button>
            </Can>
          </div>
          <ErrorText error={error} />
          {saved ? (
            <p class="ok" role="status" data-testid="save-result">
              Saved: {saved.created.length} created, {saved.changed.length} changed, {saved.unchanged.length} unchanged.
              {saved.huntJob ? (
                <>
                  {' '}
                  Retro-hunt queued in {saved.huntJob.parts} parts: <Link href="/ingest">follow it</Link>.
                </>
              ) : null}
            </p>
          ) : null}
        </Section>
        <div>
          <Section title="Test cases" testid="test-result">
            {tests ? (
              tests.failures.length === 0 ? (
                <p class="ok">
                  ✓ {tests.cases} case{tests.cases === 1 ? '' : 's'} passed
                </p>
              ) : (
                <>
                  <p class="bad">
                    {tests.failures.length} of {tests.cases} failed
                  </p>
                  <ul>
                    {tests.failures.map((f, i) => (
                      <li key={i}>
                        <code>{f.signature}</code> {f.path}: {f.message}
                      </li>
                    ))}
                  </ul>
                </>
              )
            ) : (
              <Empty>Run the signature's own tests (match / no_match).</Empty>
            )}
          </Section>
          <Section title="Preview on stored data" testid="preview-result">
            {preview ? (
              <>
                <p>
                  Scanned {Object.entries(preview.scanned).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing'}; <strong>{preview.matched}</strong> matched. Would add {preview.planned.tag} tag
                  {preview.planned.tag === 1 ? '' : 's'}, {preview.planned.classify} classification{preview.planned.classify === 1 ? '' : 's'}, {preview.planned.alert} alert
                  {preview.planned.alert === 1 ? '' : 's'}.
                </p>
                {preview.sample.length > 0 ? (
                  <Table head={['Entity', 'Action', 'Value']} class="table small">
                    {preview.sample.map((s, i) => (
                      <tr key={i}>
                        <td>
                          <Link href={entityHref(s.target.id)}>{s.target.id}</Link>
                        </td>
                        <td>{s.action}</td>
                        <td>
                          <code>{s.value}</code>
                        </td>
                      </tr>
                    ))}
                  </Table>
                ) : null}
              </>
            ) : (
              <Empty>See what the signature would do over what is stored; nothing is changed.</Empty>
            )}
          </Section>
          {id ? (
            <Section title="Version history" testid="history">
              {historyRes.data ? (
                <ol class="history">
                  {[...historyRes.data].reverse().map((v) => (
                    <li key={v.version}>
                      <button type="button" class="link" aria-expanded={shownVersion === v.version} onClick={() => setShownVersion(shownVersion === v.version ? undefined : v.version)}>
                        v{v.version} · {v.change} · {v.enabled ? 'enabled' : 'disabled'} · {when(v.at)}
                      </button>
                    </li>
                  ))}
                </ol>
              ) : (
                <Spinner on={historyRes.loading} />
              )}
              {shown ? <VersionDiff version={shown} previous={previous} /> : null}
            </Section>
          ) : null}
        </div>
      </div>
    </div>
  );
}
