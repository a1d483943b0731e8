// One ingest job of the API: an uploaded file (already on disk) → format → parser → store →
// evaluation, reporting as it goes by messages. The same function runs in a worker thread (the
// normal case: parsing, writing and matching never touch the server's event loop) or, for a
// SQLite store in memory that no other thread can open, in the server's own thread, yielding to
// the event loop after every batch.
//
// Times: a job's actions are stamped with the server's clock when the job started plus the time
// the job has run (a monotonic timer), so a worker needs no clock of its own and tests that fix
// the server's clock get the same times from a job.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FORMATS } from '../../ingest/formats.js';
import { InputError, openInput, type Input } from '../../ingest/input.js';
import type { Store } from '../../store/store.js';
import { audit, type Actor } from '../audit.js';
import { isoSeconds } from '../clock.js';
import type { Applied } from '../evaluate.js';
import type { EvaluationScope } from './evaluate-batch.js';
import { IngestPipeline } from './pipeline.js';
import { chooseFormat, emptySummary, type IngestSummary, type Reject } from './read.js';

export interface IngestJobParams {
  /** The uploaded file on disk (raw or gzip). */
  readonly file: string;
  /** The name messages and detection use (the upload's name, not the temporary file's). */
  readonly name: string;
  readonly format?: string;
  readonly domain?: string;
  /** Whose signatures the stored records meet (see evaluate-records.ts). */
  readonly scope: EvaluationScope;
  /** The server's clock when the job started, in ms since the epoch. */
  readonly startedAt: number;
  /** Rejects reported one by one; the rest are only counted. */
  readonly maxRejects: number;
}

export type IngestJobMessage =
  /** The input opened and its format is known: the job runs. */
  | { readonly type: 'ready'; readonly format: string }
  /** Nothing was read: the upload is not something to ingest (a 400 for the uploader). */
  | { readonly type: 'refused'; readonly message: string }
  | { readonly type: 'progress'; readonly records: number; readonly bytesRead: number; readonly summary: IngestSummary }
  | { readonly type: 'reject'; readonly reject: Reject }
  | { readonly type: 'batch'; readonly byKind: Readonly<Record<string, number>>; readonly applied: Applied; readonly summary: IngestSummary }
  | { readonly type: 'done'; readonly summary: IngestSummary }
  | { readonly type: 'failed'; readonly message: string; readonly summary: IngestSummary };

/** An upload whose job has started, as the audit log records it. */
export interface IngestStart {
  readonly id: string;
  readonly at: string;
  readonly format: string;
  readonly name: string;
  readonly bytes: number;
}

/** The `ingest.start` row of the organisation's audit log: who uploaded what, once the job runs. */
export async function auditIngestStart(store: Store, actor: Actor, org: string, job: IngestStart): Promise<void> {
  await audit(store, actor, { at: job.at, org, action: 'ingest.start', target: `ingest:${job.id}`, after: { format: job.format, name: job.name, bytes: job.bytes } });
}

const copy = (s: IngestSummary): IngestSummary => ({ read: s.read, stored: { ...s.stored }, rejected: s.rejected, actions: { ...s.actions } });

/** Runs one job on an open store; every outcome is a message, it never rejects. */
export async function runIngestJob(store: Store, params: IngestJobParams, post: (m: IngestJobMessage) => void, inServerThread: boolean): Promise<void> {
  const t0 = performance.now();
  const now = (): string => isoSeconds(new Date(params.startedAt + (performance.now() - t0)));
  let input: Input;
  try {
    input = await openInput(params.file, Readable.from([]));
  } catch (e) {
    const message = e instanceof InputError ? e.message.split(params.file).join(params.name) : `cannot read the upload: ${(e as Error).message}`;
    post({ type: 'refused', message });
    return;
  }
  const named = { ...input, name: params.name };
  const chosen = chooseFormat(FORMATS, named, params.format, '?format=');
  if ('error' in chosen) {
    post({ type: 'refused', message: chosen.error.replace('this input', 'this upload') });
    // Read to the end so the file is closed; a worker simply ends.
    if (inServerThread) for await (const _ of input.chunks);
    return;
  }
  post({ type: 'ready', format: chosen.format.name });
  let rejects = 0;
  const pipeline = new IngestPipeline(store, {
    scope: params.scope,
    now,
    ...(params.domain !== undefined ? { domain: params.domain } : {}),
    onReject: (r) => {
      if (rejects++ < params.maxRejects) post({ type: 'reject', reject: r });
    },
    onProgress: (p) => post({ type: 'progress', records: p.records, bytesRead: p.bytesRead, summary: copy(pipeline.summary) }),
    onBatch: async ({ byKind, applied }) => {
      post({ type: 'batch', byKind, applied, summary: copy(pipeline.summary) });
      // In the server's thread, let requests in between batches.
      if (inServerThread) await nextTurn();
    },
  });
  try {
    await pipeline.ingest(named, chosen.format);
    post({ type: 'done', summary: copy(pipeline.summary) });
  } catch (e) {
    // The store failed (or a bug): what was stored stays stored; the job says why it stopped.
    post({ type: 'failed', message: e instanceof InputError ? e.message : `ingest stopped: ${(e as Error).message}`, summary: copy(pipeline.summary) });
  }
}

/**
 * The worker's entry, compiled: dist/services/ingest/worker.js, found from both dist/services/ingest
 * (the server) and src/services (tests under vitest, which cannot start a .ts worker on Node 20).
 */
export const INGEST_WORKER = fileURLToPath(new URL('../../../dist/services/ingest/worker.js', import.meta.url));

/** Whether jobs on this store run in a worker thread (else in the server's thread, yielding). */
export function ingestRunsInWorker(store: Store): boolean {
  return !store.inMemory && existsSync(INGEST_WORKER);
}

export type StartAnswer = { readonly format: string } | { readonly refused: string } | { readonly failed: string };

export interface StartedJob {
  /**
   * The first answer: the format (the job runs), why the upload was refused (the uploader's
   * problem), or why the job could not start (the server's: the worker or the store failed).
   */
  readonly started: Promise<StartAnswer>;
  /** Settles when the job has ended, its worker stopped and its file removed. */
  readonly finished: Promise<void>;
}

/**
 * Starts a job on `params.file`, which it removes (with `removeDir`, the folder it was put in)
 * once the job has ended. `onMessage` gets every message after `ready`.
 */
export function startIngestJob(store: Store, params: IngestJobParams, removeDir: string, onMessage: (m: IngestJobMessage) => void): StartedJob {
  let settleStart!: (v: StartAnswer) => void;
  const started = new Promise<StartAnswer>((resolve) => (settleStart = resolve));
  let isStarted = false;
  let ended = false;
  const handle = (m: IngestJobMessage): void => {
    if (!isStarted) {
      if (m.type === 'ready') {
        isStarted = true;
        settleStart({ format: m.format });
      } else if (m.type === 'refused') {
        ended = true;
        settleStart({ refused: m.message });
      } else if (m.type === 'failed') {
        ended = true;
        settleStart({ failed: m.message });
      }
      return;
    }
    if (m.type === 'done' || m.type === 'failed') ended = true;
    onMessage(m);
  };
  const stopped = (why: string): void => {
    if (ended) return;
    handle({ type: 'failed', message: why, summary: emptySummary() });
  };

  let run: Promise<void>;
  if (ingestRunsInWorker(store)) {
    run = new Promise<void>((resolve) => {
      const worker = new Worker(INGEST_WORKER, { workerData: { url: store.url, params } });
      worker.on('message', (m: IngestJobMessage) => handle(m));
      worker.on('error', (e) => stopped(`ingest stopped: ${e.message}`));
      worker.on('exit', (code) => {
        stopped(`ingest stopped: its worker exited (code ${code})`);
        resolve();
      });
    });
  } else {
    run = runIngestJob(store, params, handle, true).catch((e: unknown) => stopped(`ingest stopped: ${(e as Error).message}`));
  }
  const finished = run.finally(() => rm(removeDir, { recursive: true, force: true }));
  return { started, finished };
}
