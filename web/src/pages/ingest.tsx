// Ingest: upload a file (the raw body), follow the job (/ingest/:job polls for progress and the
// summary), see its rejects; and the jobs this server remembers.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { FORMATS, get, message, request, type IngestJob } from '../api.js';
import { HuntJobs } from './hunts.js';
import { Link, navigate } from '../router.js';
import { Can, Empty, ErrorText, Options, Section, Spinner, Table, useLoad, when } from '../ui.js';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function JobView({ id }: { id: string }): JSX.Element {
  const [job, setJob] = useState<IngestJob | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const j = await get<IngestJob>(`/ingest/${encodeURIComponent(id)}`);
        if (!live) return;
        setJob(j);
        if (j.status === 'running') timer = setTimeout(() => void poll(), 400);
      } catch (e) {
        if (live) setError(message(e));
      }
    };
    setJob(undefined);
    setError(undefined);
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [id]);
  if (error) return <ErrorText error={error} />;
  if (!job) return <Spinner on={true} />;
  const pct = job.progress.size > 0 ? Math.min(100, Math.round((job.progress.bytesRead / job.progress.size) * 100)) : 0;
  return (
    <div data-testid="ingest-job" data-status={job.status}>
      <p>
        Job <code>{job.id}</code> · format <strong>{job.format}</strong> · by {job.actor} · started {when(job.created)}
        {job.finished ? ` · finished ${when(job.finished)}` : ''}
      </p>
      <div class="progress-row">
        <progress max={100} value={job.status === 'running' ? pct : 100} aria-label="ingest progress" />
        <span class={`status status-${job.status}`} data-testid="ingest-status">
          {job.status}
        </span>
      </div>
      <p class="muted small">
        {job.progress.records} records · {bytes(job.progress.bytesRead)} of {bytes(job.progress.size)}
        {job.progress.parts !== undefined ? ` · ${job.progress.partsDone ?? 0} of ${job.progress.parts} parts (workers)` : ''}
      </p>
      {job.error ? (
        <p class="error" role="alert">
          {job.error}
        </p>
      ) : null}
      <dl class="summary" data-testid="ingest-summary">
        <div>
          <dt>Read</dt>
          <dd>{job.summary.read}</dd>
        </div>
        <div>
          <dt>Stored</dt>
          <dd>
            {Object.entries(job.summary.stored)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ') || '0'}
          </dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd>{job.summary.rejected}</dd>
        </div>
        <div>
          <dt>Tags</dt>
          <dd data-testid="ingest-tags">{job.summary.actions.tags}</dd>
        </div>
        <div>
          <dt>Classifications</dt>
          <dd>{job.summary.actions.classifications}</dd>
        </div>
        <div>
          <dt>Notifications</dt>
          <dd>{job.summary.actions.notifications}</dd>
        </div>
      </dl>
      {job.rejects && job.rejects.length > 0 ? (
        <>
          <h3>Rejected records{job.summary.rejected > job.rejects.length ? ` (first ${job.rejects.length} of ${job.summary.rejected})` : ''}</h3>
          <RejectsDownload job={job} />
          <Table head={['Input', 'Line', 'Why']} class="table small" testid="ingest-rejects">
            {job.rejects.map((r, i) => (
              <tr key={i}>
                <td>{r.input}</td>
                <td>{r.line}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
      {job.status !== 'running' ? (
        <p>
          <Link href="/notifications?unread=1">Unread notifications →</Link>
        </p>
      ) : null}
    </div>
  );
}

/** The rejects this job reports, as `input:line: reason` lines in a text file. */
export function rejectsText(rejects: NonNullable<IngestJob['rejects']>): string {
  return rejects.map((r) => `${r.input}:${r.line}: ${r.message}\n`).join('');
}

function RejectsDownload({ job }: { job: IngestJob }): JSX.Element | null {
  const rejects = job.rejects ?? [];
  const url = useMemo(() => URL.createObjectURL(new Blob([rejectsText(rejects)], { type: 'text/plain' })), [job.id, rejects.length, job.status]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const partial = job.summary.rejected > rejects.length;
  return (
    <p>
      <a class="button small" href={url} download={`ingest-${job.id}-rejects.txt`} data-testid="ingest-rejects-download">
        Download rejects{partial ? ` (the first ${rejects.length})` : ''}
      </a>
    </p>
  );
}

export function IngestPage({ job }: { job: string | undefined }): JSX.Element {
  const [file, setFile] = useState<File | undefined>();
  const [format, setFormat] = useState('');
  const [domain, setDomain] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const jobs = useLoad(() => get<IngestJob[]>('/ingest'), [job]);
  const upload = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await request<{ job: string }>('POST', '/ingest', {
        query: { name: file.name, format: format || undefined, domain: domain.trim() || undefined },
        body: file,
        contentType: file.name.endsWith('.gz') ? 'application/gzip' : 'application/octet-stream',
      });
      navigate(`/ingest/${r.job}`);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="page" data-testid="page-ingest">
      <h1>Ingest</h1>
      <div class="grid2">
        <Can role="analyst" otherwise={<Section title="Upload a data file"><p class="muted">Uploading data needs the analyst role.</p></Section>}>
          <Section title="Upload a data file">
            <form class="stack" onSubmit={(e) => void upload(e)}>
              <label>
                File (raw or gzip)
                <input type="file" name="file" required onChange={(e) => setFile(e.currentTarget.files?.[0])} data-testid="ingest-file" />
              </label>
              <div class="row">
                <label>
                  Format
                  <select value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
                    <option value="">detect from the content</option>
                    <Options values={FORMATS} />
                  </select>
                </label>
                <label>
                  Domain (WHOIS replies that do not name it)
                  <input type="text" value={domain} onInput={(e) => setDomain(e.currentTarget.value)} />
                </label>
              </div>
              <div>
                <button type="submit" class="primary" disabled={!file || busy} data-testid="ingest-upload">
                  {busy ? 'Uploading…' : 'Upload and ingest'}
                </button>
              </div>
              <ErrorText error={error} />
            </form>
          </Section>
        </Can>
        <Section title={job ? 'Job' : 'Recent jobs'} testid="ingest-jobs">
          {job ? <JobView id={job} /> : null}
          {!job ? (
            jobs.data ? (
              jobs.data.length === 0 ? (
                <Empty>No jobs since the server started.</Empty>
              ) : (
                <ul class="jobs">
                  {jobs.data.map((j) => (
                    <li key={j.id}>
                      <Link href={`/ingest/${j.id}`}>{when(j.created)}</Link> · {j.format} · <span class={`status status-${j.status}`}>{j.status}</span> · {j.summary.read} read, {j.summary.rejected} rejected
                    </li>
                  ))}
                </ul>
              )
            ) : (
              <Spinner on={jobs.loading} />
            )
          ) : (
            <p>
              <Link href="/ingest">All jobs</Link>
            </p>
          )}
        </Section>
        {!job ? <HuntJobs /> : null}
      </div>
    </div>
  );
}
