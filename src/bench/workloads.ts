// The engine benchmarks' two workloads by name, so the in-process and whole-process benchmarks
// measure the same records and signatures.
import type { Signature } from '../signatures/types.js';
import { generateRecords, generateSignatures } from './generate.js';
import { generateHitRecords, generateHitSignatures, hitPoolScale } from './generate-hits.js';

/**
 * classic: 1% of records carry a keyword; hits: issue 16's hit-heavy set (~0.5 hits/record at
 * 10,000 signatures; one fixed vocabulary, so hits grow ~100× from 1,000 to 100,000); hits-scaled:
 * the same shapes with the vocabulary grown in step with the signatures, so hits grow only as the
 * larger vocabulary occurs by chance (~6.5×; at 10,000 it is the hits set).
 */
export type Workload = 'classic' | 'hits' | 'hits-scaled';

export function workloadData(workload: Workload, size: number, records: number): { records: Map<string, string[]>[]; sigs: Signature[] } {
  switch (workload) {
    case 'hits':
      return { records: generateHitRecords(records), sigs: generateHitSignatures(size) };
    case 'hits-scaled': {
      const scale = hitPoolScale(size);
      return { records: generateHitRecords(records, undefined, scale), sigs: generateHitSignatures(size, undefined, scale) };
    }
    case 'classic':
      return { records: generateRecords(records), sigs: generateSignatures(size) };
  }
}
