// The one ingest pipeline: every way data comes in (`warren ingest`, an API upload's job, the
// demo; later live look-ups, feeds and workers) runs an input through here. The format is chosen
// once; the input is parsed and stored in batches; each stored batch is evaluated against the
// signatures of the pipeline's scope, with what the batch itself says taken from memory
// (evaluate-batch.ts); the actions are applied; and one summary counts it all.
import type { Input } from '../../ingest/input.js';
import type { Format, IngestRecord } from '../../ingest/records.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import { EvaluationContext, type Applied } from '../evaluate.js';
import { evaluateBatch, type EvaluationScope } from './evaluate-batch.js';
import { Batcher, DEFAULT_BATCH, emptySummary, ingestInput, type IngestSummary, type Progress, type Reject } from './read.js';

export interface BatchDone {
  /** Records of the batch by kind. */
  readonly byKind: Readonly<Record<string, number>>;
  /** What the scope's signatures did with it. */
  readonly applied: Applied;
}

export interface PipelineOptions {
  /** Whose signatures the stored records meet. */
  readonly scope: EvaluationScope;
  /** The time actions are stamped with (the data gives no time for them). */
  readonly now: () => string;
  /** The domain of WHOIS replies that do not name it. */
  readonly domain?: string;
  readonly batchSize?: number;
  readonly onReject: (r: Reject) => void | Promise<void>;
  readonly onProgress?: (p: Progress) => void;
  /** After each batch is stored and evaluated: metrics, job messages, yielding to other work. */
  readonly onBatch?: (b: BatchDone) => void | Promise<void>;
}

export class IngestPipeline {
  /** Everything this pipeline did so far, over every input. */
  readonly summary: IngestSummary = emptySummary();
  private readonly evaluation: EvaluationContext;

  constructor(
    private readonly store: Store,
    private readonly opts: PipelineOptions,
  ) {
    this.evaluation = new EvaluationContext(store);
  }

  /** Parses, stores and evaluates one opened input in its chosen format (read.ts chooseFormat). */
  async ingest(input: Input, format: Format): Promise<void> {
    const { summary, opts } = this;
    await ingestInput(
      this.store,
      input,
      format,
      {
        ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        onReject: opts.onReject,
        afterBatch: (records) => this.afterBatch(records),
      },
      summary,
    );
  }

  /**
   * Records a source produced already parsed (a live look-up's fetches, a feed's entries): stored
   * and evaluated in batches exactly as an input's records are.
   */
  async ingestRecords(records: readonly IngestRecord[]): Promise<void> {
    const batcher = new Batcher(this.store, this.opts.batchSize ?? DEFAULT_BATCH, this.summary, (b) => this.afterBatch(b));
    await batcher.add(records);
    await batcher.flush();
  }

  /**
   * One batch stored in ONE transaction whatever its size, with `also` run inside it (a feed's
   * position, committed exactly with the records that lead to it). A feed's batch is already
   * bounded by its source, so it is not cut into the pipeline's batches: a cut would store part
   * of it without its position. Returns what evaluateStored() takes: the batch and the relations
   * its write tied from pending certificate keys.
   */
  async storeBatch(records: readonly IngestRecord[], also: (trx: Kysely<Database>) => Promise<void>): Promise<readonly IngestRecord[]> {
    const summary = this.summary;
    for (const r of records) {
      summary.read++;
      summary.stored[r.kind] = (summary.stored[r.kind] ?? 0) + 1;
    }
    const resolved = await this.store.write(records, also);
    return resolved.length === 0 ? records : [...records, ...resolved];
  }

  /** Evaluates a batch storeBatch() stored (its actions applied, in their own transaction). */
  async evaluateStored(stored: readonly IngestRecord[]): Promise<void> {
    if (stored.length > 0) await this.afterBatch(stored);
  }

  /** An input that could not be opened or has no format: counted and reported as one reject. */
  async refuse(input: string, message: string): Promise<void> {
    this.summary.read++;
    this.summary.rejected++;
    await this.opts.onReject({ input, line: 0, message });
  }

  private async afterBatch(records: readonly IngestRecord[]): Promise<void> {
    const applied = await evaluateBatch(this.evaluation, records, this.opts.now(), this.opts.scope);
    const actions = this.summary.actions;
    actions.tags += applied.tags;
    actions.classifications += applied.classifications;
    actions.notifications += applied.notifications;
    if (this.opts.onBatch) {
      const byKind: Record<string, number> = {};
      for (const r of records) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
      await this.opts.onBatch({ byKind, applied });
    }
  }
}
