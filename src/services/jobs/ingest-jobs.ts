// An API upload as a queued job (`--queue`): the server cuts the upload into parts (split.ts),
// keeps their bytes in the store (job_chunks: a worker on another machine reads them there) and
// hands the parts to the queue; any worker ingests a part through THE ingest pipeline, with the
// uploader's organisation as the scope. A part run twice stores nothing twice (upserts, actions
// deduplicated) and its actions carry the job's time, not the run's.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { formatByName } from '../../ingest/detect.js';
import { FORMATS } from '../../ingest/formats.js';
import { bufferInput, InputError, openInput, type Input } from '../../ingest/input.js';
import { addChunk, createJob, jobById, jobsOf, partProgress, partsOf, readChunk, type JobRow, type PartRow } from '../../store/jobs.js';
import type { Store } from '../../store/store.js';
import { isoSeconds } from '../clock.js';
import { IngestPipeline } from '../ingest/pipeline.js';
import { chooseFormat, emptySummary, type IngestSummary, type Reject } from '../ingest/read.js';
import type { WorkQueue } from './queue.js';
import { cutting, partText, splitInput, type Cutting } from './split.js';

/** Rejects kept per part (the job view shows the first 100 over all parts). */
const MAX_REJECTS = 100;

interface IngestParams {
  readonly name: string;
  readonly format: string;
  readonly domain?: string;
  /** The job's time (ms): every action of every part is stamped with it. */
  readonly at: number;
  /** Decompressed bytes over all parts. */
  readonly bytes: number;
  /** The header every part after the first is read after (base64), and its line count. */
  readonly preamble?: string;
  readonly preambleLines?: number;
}

interface IngestPartSpec {
  readonly firstLine: number;
  readonly bytes: number;
}

interface IngestPartResult {
  readonly summary: IngestSummary;
  readonly rejects: Reject[];
}

export interface SubmitIngest {
  readonly file: string;
  readonly name: string;
  readonly format?: string;
  readonly domain?: string;
  readonly org: string;
  readonly actor: string;
  readonly now: Date;
  readonly partBytes: number;
}

export type SubmitAnswer = { readonly job: string; readonly format: string; readonly parts: number } | { readonly refused: string };

/** Cuts the upload into parts, stores them and queues them. The file is the caller's to remove. */
export async function submitIngest(store: Store, queue: WorkQueue, s: SubmitIngest): Promise<SubmitAnswer> {
  let input: Input;
  try {
    input = await openInput(s.file, Readable.from([]));
  } catch (e) {
    return { refused: e instanceof InputError ? e.message.split(s.file).join(s.name) : `cannot read the upload: ${(e as Error).message}` };
  }
  const named = { ...input, name: s.name };
  const chosen = chooseFormat(FORMATS, named, s.format, '?format=');
  if ('error' in chosen) {
    for await (const _ of input.chunks);
    return { refused: chosen.error.replace('this input', 'this upload') };
  }
  const how = cutting(chosen.format, input.head);
  const id = randomBytes(12).toString('hex');
  const specs: IngestPartSpec[] = [];
  // Parts are written before the job row exists; a server that dies here leaves chunks no job
  // names, which nothing reads.
  for await (const part of splitInput(named, how, s.partBytes)) {
    await addChunk(store.db, id, specs.length, part.data);
    specs.push({ firstLine: part.firstLine, bytes: part.data.length });
  }
  const params: IngestParams = {
    name: s.name,
    format: chosen.format.name,
    ...(s.domain !== undefined ? { domain: s.domain } : {}),
    at: s.now.getTime(),
    bytes: specs.reduce((n, p) => n + p.bytes, 0),
    ...(how && how.preambleLines > 0 ? { preamble: how.preamble.toString('base64'), preambleLines: how.preambleLines } : {}),
  };
  await createJob(store.db, { id, org: s.org, kind: 'ingest', actor: s.actor, created: isoSeconds(s.now), params: JSON.stringify(params), specs: specs.map((p) => JSON.stringify(p)) }, s.now.getTime());
  await queue.enqueue('ingest', id, specs.map((_, i) => i));
  return { job: id, format: chosen.format.name, parts: specs.length };
}


/** Ingests one part of an upload's job (a worker's handler). */
export async function runIngestPart(store: Store, job: JobRow, part: PartRow, clockMs: () => number): Promise<string> {
  const params = JSON.parse(job.params) as IngestParams;
  const spec = JSON.parse(part.spec) as IngestPartSpec;
  const format = formatByName(FORMATS, params.format);
  const result: IngestPartResult = { summary: emptySummary(), rejects: [] };
  if (!format) throw new Error(`unknown format ${params.format}`);
  const data = await readChunk(store.db, job.id, part.part);
  // No chunk: the part ended (and dropped it) in a run that lost the race to say so.
  if (!data) return JSON.stringify(result);
  const how: Cutting | undefined = params.preambleLines ? { preamble: Buffer.from(params.preamble ?? '', 'base64'), preambleLines: params.preambleLines } : undefined;
  const { text, inputLine } = partText(part.part, data, spec.firstLine, how);
  const at = isoSeconds(new Date(params.at));
  const pipeline = new IngestPipeline(store, {
    scope: { kind: 'org', org: job.org },
    now: () => at,
    ...(params.domain !== undefined ? { domain: params.domain } : {}),
    onReject: (r) => {
      if (result.rejects.length < MAX_REJECTS) result.rejects.push({ ...r, line: inputLine(r.line) });
    },
    onBatch: async () => {
      await partProgress(store.db, job.id, part.part, JSON.stringify({ ...result, summary: pipeline.summary }), clockMs());
    },
  });
  await pipeline.ingest(bufferInput(params.name, text), format);
  return JSON.stringify({ ...result, summary: pipeline.summary });
}

export interface IngestJobView {
  readonly id: string;
  readonly status: string;
  readonly format: string;
  readonly actor: string;
  readonly created: string;
  readonly finished: string | null;
  readonly progress: { readonly records: number; readonly bytesRead: number; readonly size: number; readonly parts: number; readonly partsDone: number };
  readonly summary: IngestSummary;
  readonly rejects?: Reject[];
  readonly error?: string;
}

function add(into: IngestSummary, s: IngestSummary): void {
  into.read += s.read;
  into.rejected += s.rejected;
  for (const [k, n] of Object.entries(s.stored)) into.stored[k as keyof IngestSummary['stored']] = (into.stored[k as keyof IngestSummary['stored']] ?? 0) + (n ?? 0);
  into.actions.tags += s.actions.tags;
  into.actions.classifications += s.actions.classifications;
  into.actions.notifications += s.actions.notifications;
}

/** A job as GET /ingest/:job shows it: its parts' results summed. */
export function ingestJobView(job: JobRow, parts: readonly PartRow[], withRejects: boolean): IngestJobView {
  const params = JSON.parse(job.params) as IngestParams;
  const summary = emptySummary();
  const rejects: Reject[] = [];
  let bytesRead = 0;
  let partsDone = 0;
  for (const p of parts) {
    const spec = JSON.parse(p.spec) as IngestPartSpec;
    if (p.status === 'done') {
      partsDone++;
      bytesRead += spec.bytes;
    }
    if (p.result === null) continue;
    const r = JSON.parse(p.result) as IngestPartResult;
    add(summary, r.summary);
    for (const x of r.rejects) if (rejects.length < MAX_REJECTS) rejects.push(x);
  }
  const failed = parts.filter((p) => p.status === 'failed');
  const error = job.error ?? (failed.length > 0 ? `${failed.length} of ${parts.length} parts failed: ${failed[0]!.error ?? ''}` : undefined);
  return {
    id: job.id,
    status: job.status,
    format: params.format,
    actor: job.actor,
    created: job.created,
    finished: job.finished,
    progress: { records: summary.read, bytesRead, size: params.bytes, parts: parts.length, partsDone },
    summary,
    ...(withRejects ? { rejects } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/** One of the organisation's ingest jobs, or undefined (another organisation's is absent too). */
export async function queuedIngestJob(store: Store, org: string, id: string): Promise<IngestJobView | undefined> {
  const job = await jobById(store.db, id);
  if (!job || job.org !== org || job.kind !== 'ingest') return undefined;
  return ingestJobView(job, await partsOf(store.db, id), true);
}

export async function queuedIngestJobs(store: Store, org: string, limit = 100): Promise<IngestJobView[]> {
  const jobs = await jobsOf(store.db, org, 'ingest', limit);
  const views: IngestJobView[] = [];
  for (const j of jobs) views.push(ingestJobView(j, await partsOf(store.db, j.id), false));
  return views;
}
