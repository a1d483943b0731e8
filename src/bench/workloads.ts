// The engine benchmarks' two workloads by name, so the in-process and whole-process benchmarks
// measure the same records and signatures.
import type { Signature } from '../signatures/types.js';
import { generateRecords, generateSignatures } from './generate.js';
import { generateHitRecords, generateHitSignatures } from './generate-hits.js';

/** classic: 1% of records carry a keyword; hits: issue 16's hit-heavy set (~0.5 hits/record at 10,000). */
export type Workload = 'classic' | 'hits';

export function workloadData(workload: Workload, size: number, records: number): { records: Map<string, string[]>[]; sigs: Signature[] } {
  return workload === 'hits'
    ? { records: generateHitRecords(records), sigs: generateHitSignatures(size) }
    : { records: generateRecords(records), sigs: generateSignatures(size) };
}
