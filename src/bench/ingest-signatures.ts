// bench:ingest's signature rows (issue 16): passive DNS through `warren ingest`'s path into a
// fresh SQLite store with 0 and with 10,000 active signatures — the classic analyst mix and the
// hit-heavy set — evaluated after each stored batch as ingest does. Runs alternate (0, classic,
// hit-heavy) so that load on a shared machine falls on all alike; medians are compared.
import { join } from 'node:path';
import { formatByName } from '../ingest/detect.js';
import { FORMATS } from '../ingest/formats.js';
import { bufferInput } from '../ingest/input.js';
import { EvaluationContext } from '../services/evaluate.js';
import { evaluateBatch } from '../services/ingest/evaluate-batch.js';
import { emptySummary, ingestInput } from '../services/ingest/read.js';
import { compiledOrgs } from '../services/org-matcher.js';
import { importSignatures } from '../services/org-signatures.js';
import type { Signature } from '../signatures/types.js';
import { Store } from '../store/store.js';
import { generateSignatures } from './generate.js';
import { generateHitSignatures } from './generate-hits.js';

const NOW = '2026-01-01T00:00:00Z';
const RUNS = Number(process.env.WARREN_BENCH_RUNS ?? 3);
const SIGNATURES = Number(process.env.WARREN_BENCH_SIGNATURES ?? 10_000);

interface Run {
  readonly s: number;
  readonly evalS: number;
  readonly tags: number;
  readonly stored: number;
}

async function ingestOnce(path: string, sigs: readonly Signature[], cof: Buffer): Promise<Run> {
  const cofFormat = formatByName(FORMATS, 'cof');
  if (!cofFormat) throw new Error('the cof format is not registered');
  const store = await Store.open(`sqlite:${path}`);
  try {
    if (sigs.length > 0) {
      await importSignatures(store, 'bench', sigs, { now: NOW });
      await compiledOrgs(store); // compiled once per change of signatures, not per ingest
    }
    const ctx = new EvaluationContext(store);
    let tags = 0;
    let evalMs = 0;
    const summary = emptySummary();
    const t0 = performance.now();
    await ingestInput(
      store,
      bufferInput('bench.ndjson', cof),
      cofFormat,
      {
        onReject: () => undefined,
        afterBatch: async (records) => {
          const t = performance.now();
          tags += (await evaluateBatch(ctx, records, NOW)).tags;
          evalMs += performance.now() - t;
        },
      },
      summary,
    );
    return { s: (performance.now() - t0) / 1000, evalS: evalMs / 1000, tags, stored: summary.stored.resolution ?? 0 };
  } finally {
    await store.close();
  }
}

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

/** Markdown rows: COF records/s with 0, classic and hit-heavy signature sets. */
export async function benchIngestSignatures(dir: string, cof: Buffer): Promise<string[]> {
  const sets: { name: string; sigs: Signature[] }[] = [
    { name: '0 active signatures', sigs: [] },
    { name: `${fmt(SIGNATURES)} active signatures (classic mix)`, sigs: generateSignatures(SIGNATURES, 31) },
    { name: `${fmt(SIGNATURES)} active signatures (hit-heavy set)`, sigs: generateHitSignatures(SIGNATURES) },
  ];
  const runs: Run[][] = sets.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < sets.length; k++) {
      runs[k]!.push(await ingestOnce(join(dir, `sigs-${k}-${i}.db`), sets[k]!.sigs, cof));
      process.stderr.write(`ingest with ${sets[k]!.name}: run ${i + 1} ${fmt(runs[k]!.at(-1)!.s, 2)} s\n`);
    }
  }
  const median = (rs: Run[]): Run => [...rs].sort((a, b) => a.s - b.s)[Math.floor(rs.length / 2)]!;
  const base = median(runs[0]!);
  const baseRate = base.stored / base.s;
  return [
    '| ingest (COF passive DNS into SQLite, batches of 2,000) | records | time | records/s | vs 0 signatures | of which evaluating | tags applied |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...sets.map((set, k) => {
      const m = median(runs[k]!);
      const rate = m.stored / m.s;
      return `| ${set.name} (median of ${RUNS}; runs ${runs[k]!.map((r) => fmt(r.s, 1)).join(', ')} s) | ${fmt(m.stored)} | ${fmt(m.s, 2)} s | ${fmt(rate)} | ${k === 0 ? 'baseline' : `${fmt((100 * rate) / baseRate)}%`} | ${fmt(m.evalS, 2)} s | ${fmt(m.tags)} |`;
    }),
  ];
}
