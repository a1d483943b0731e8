// A retro-hunt as a queued job (`--queue`): the hunted signatures' keys cut into ranges of about
// HUNT_PART entities (store/read-many.ts keyBounds), one part each, that workers take side by
// side; each part is retroHunt() over its range, applying through the same planning as ingest
// and view. When the last part ends, what the hunted signatures' earlier versions added and they
// no longer support is withdrawn (as the in-process hunt does right after hunting), then the job
// ends. Cancelling stops every part at its next page.
import { randomBytes } from 'node:crypto';
import { withdrawSignature } from '../../store/actions.js';
import { cancelJob, createJob, jobById, jobStatus, jobsOf, partsOf, touchPart, type JobRow, type PartRow } from '../../store/jobs.js';
import { keyBounds } from '../../store/read-many.js';
import type { Store } from '../../store/store.js';
import { isoSeconds } from '../clock.js';
import type { EntityKind } from '../entity.js';
import { EvaluationContext } from '../evaluate.js';
import { evaluationNeeds, needsKind } from '../field-provider.js';
import { compile, signatureFromRow, type VersionedSignature } from '../org-matcher.js';
import { storedSource, type HuntDispatcher, type HuntJobRef } from '../org-signatures.js';
import { retroHunt, type HuntRange, type HuntReport } from '../retro-hunt.js';
import type { WorkQueue } from './queue.js';

/** Entities per part by default (WARREN_HUNT_PART). */
export const DEFAULT_HUNT_PART = 250_000;

interface HuntedSignature {
  readonly id: string;
  readonly version: number;
  /** The file object as JSON, under a placeholder id (a pack signature's id holds `/`). */
  readonly source: string;
}

interface HuntParams {
  readonly now: string;
  readonly signatures: readonly HuntedSignature[];
}

const PLACEHOLDER_ID = 'hunted';

function emptyReport(): HuntReport {
  return { scanned: {}, matched: 0, planned: { tag: 0, classify: 0, alert: 0 }, applied: { tags: 0, classifications: 0, notifications: 0 }, sample: [] };
}

function hunted(params: HuntParams): VersionedSignature[] {
  return params.signatures.map((h) => ({ signature: { ...signatureFromRow({ id: h.id, source: h.source, enabled: true }), id: h.id }, version: h.version }));
}

/** Queues a hunt with `signatures` over everything stored; answers the job. */
export async function submitHunt(store: Store, queue: WorkQueue, org: string, signatures: readonly VersionedSignature[], opts: { now: string; actor?: string; partSize: number; nowMs: number }): Promise<HuntJobRef> {
  const compiled = compile(org, signatures);
  const needs = evaluationNeeds(compiled.matcher.fields);
  const specs: HuntRange[] = [];
  for (const kind of ['domain', 'ip', 'certificate'] as const satisfies readonly EntityKind[]) {
    if (!needsKind(needs, kind)) continue;
    const bounds = await keyBounds(store.db, kind, opts.partSize);
    let after: string | undefined;
    for (const b of bounds) {
      specs.push({ kind, ...(after !== undefined ? { after } : {}), until: b });
      after = b;
    }
    specs.push({ kind, ...(after !== undefined ? { after } : {}) });
  }
  const params: HuntParams = {
    now: opts.now,
    signatures: signatures.map((s) => ({ id: s.signature.id, version: s.version, source: storedSource({ ...s.signature, id: PLACEHOLDER_ID }) })),
  };
  const id = randomBytes(12).toString('hex');
  await createJob(store.db, { id, org, kind: 'hunt', actor: opts.actor ?? '', created: opts.now, params: JSON.stringify(params), specs: specs.map((s) => JSON.stringify(s)) }, opts.nowMs);
  await queue.enqueue('hunt', id, specs.map((_, i) => i));
  return { id, parts: specs.length };
}

/** Hunts one range of a job (a worker's handler); stops at the next page once the job is cancelled. */
export async function runHuntPart(store: Store, job: JobRow, part: PartRow, clockMs: () => number): Promise<string> {
  const params = JSON.parse(job.params) as HuntParams;
  const range = JSON.parse(part.spec) as HuntRange;
  const compiled = compile(job.org, hunted(params));
  const report = await retroHunt(new EvaluationContext(store), compiled, {
    apply: true,
    now: params.now,
    range,
    stop: async () => {
      await touchPart(store.db, job.id, part.part, clockMs());
      return (await jobStatus(store.db, job.id)) !== 'running';
    },
  });
  return JSON.stringify(report);
}

/** After the last part: withdraws what the hunted signatures no longer support (idempotent). */
export async function finishHunt(store: Store, job: JobRow): Promise<void> {
  const params = JSON.parse(job.params) as HuntParams;
  for (const h of params.signatures) await withdrawSignature(store.db, job.org, h.id, h.version);
}

/** The hunt dispatcher a server with a queue gives signature changes: hunts become jobs. */
export function queuedHunts(queue: WorkQueue, settings: { partSize: number; clockMs: () => number }): HuntDispatcher {
  return {
    submit: (store, org, signatures, opts) => submitHunt(store, queue, org, signatures, { now: opts.now, ...(opts.actor !== undefined ? { actor: opts.actor } : {}), partSize: settings.partSize, nowMs: settings.clockMs() }),
  };
}

export interface HuntJobView {
  readonly id: string;
  readonly status: string;
  readonly actor: string;
  readonly created: string;
  readonly finished: string | null;
  readonly signatures: readonly string[];
  readonly progress: { readonly parts: number; readonly partsDone: number; readonly scanned: number };
  readonly report: HuntReport;
  readonly error?: string;
}

function addReport(into: HuntReport, r: HuntReport): void {
  for (const [k, n] of Object.entries(r.scanned)) into.scanned[k as EntityKind] = (into.scanned[k as EntityKind] ?? 0) + (n ?? 0);
  into.matched += r.matched;
  into.planned.tag += r.planned.tag;
  into.planned.classify += r.planned.classify;
  into.planned.alert += r.planned.alert;
  into.applied.tags += r.applied.tags;
  into.applied.classifications += r.applied.classifications;
  into.applied.notifications += r.applied.notifications;
  for (const s of r.sample) if (into.sample.length < 20) into.sample.push(s);
}

export function huntJobView(job: JobRow, parts: readonly PartRow[]): HuntJobView {
  const params = JSON.parse(job.params) as HuntParams;
  const report = emptyReport();
  let partsDone = 0;
  for (const p of parts) {
    if (p.status === 'done') {
      partsDone++;
      if (p.result !== null) addReport(report, JSON.parse(p.result) as HuntReport);
    }
  }
  const scanned = Object.values(report.scanned).reduce((a, b) => a + (b ?? 0), 0);
  const failed = parts.filter((p) => p.status === 'failed');
  const error = job.error ?? (failed.length > 0 ? `${failed.length} of ${parts.length} parts failed: ${failed[0]!.error ?? ''}` : undefined);
  return {
    id: job.id,
    status: job.status,
    actor: job.actor,
    created: job.created,
    finished: job.finished,
    signatures: params.signatures.map((s) => s.id),
    progress: { parts: parts.length, partsDone, scanned },
    report,
    ...(error !== undefined ? { error } : {}),
  };
}

export async function huntJob(store: Store, org: string, id: string): Promise<HuntJobView | undefined> {
  const job = await jobById(store.db, id);
  if (!job || job.org !== org || job.kind !== 'hunt') return undefined;
  return huntJobView(job, await partsOf(store.db, id));
}

export async function huntJobs(store: Store, org: string, limit = 100): Promise<HuntJobView[]> {
  const views: HuntJobView[] = [];
  for (const j of await jobsOf(store.db, org, 'hunt', limit)) views.push(huntJobView(j, await partsOf(store.db, j.id)));
  return views;
}

/** Cancels one of the organisation's running hunts; false when there is none such. */
export async function cancelHunt(store: Store, org: string, id: string, now: Date): Promise<boolean> {
  const job = await jobById(store.db, id);
  if (!job || job.kind !== 'hunt') return false;
  return cancelJob(store.db, org, id, isoSeconds(now));
}
