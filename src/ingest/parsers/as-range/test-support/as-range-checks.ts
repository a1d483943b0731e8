// What every AS-range parser promises, checked the same way in each parser's tests.
import { canonicalIp, ipBytes } from '../../../../fields/ip.js';
import type { AsRangeRecord, IngestRecord, ParseResult } from '../../../records.js';

export function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Why a record breaks the AsRangeRecord contract, or undefined when it keeps it. */
export function rangeProblem(r: IngestRecord): string | undefined {
  if (r.kind !== 'as-range') return `kind ${r.kind}`;
  if (canonicalIp(r.start) !== r.start) return `start ${r.start} is not canonical`;
  if (canonicalIp(r.end) !== r.end) return `end ${r.end} is not canonical`;
  const s = ipBytes(r.start);
  const e = ipBytes(r.end);
  if (!s || !e) return 'unparsable endpoint';
  if (s.family !== e.family) return `mixed families ${r.start} ${r.end}`;
  if (toBigInt(s.bytes) > toBigInt(e.bytes)) return `start ${r.start} after end ${r.end}`;
  if (!Number.isInteger(r.asn) || r.asn < 1 || r.asn > 4294967295) return `asn ${r.asn}`;
  if (r.name !== undefined && (r.name.trim() !== r.name || r.name === '')) return `name ${JSON.stringify(r.name)}`;
  if (r.source === '') return 'empty source';
  return undefined;
}

/** Every record valid; every error on a real line (1 … lineCount) with a message. */
export function resultProblems(result: ParseResult, lineCount: number): string[] {
  const problems: string[] = [];
  for (const r of result.records) {
    const p = rangeProblem(r);
    if (p) problems.push(p);
  }
  for (const e of result.errors) {
    if (!Number.isInteger(e.line) || e.line < 1 || e.line > Math.max(lineCount, 1)) problems.push(`error line ${e.line}`);
    if (e.message === '') problems.push('empty message');
  }
  return problems;
}

export function asRanges(result: ParseResult): AsRangeRecord[] {
  return result.records.filter((r): r is AsRangeRecord => r.kind === 'as-range');
}

/** Records as compact `start-end asn name` lines, for readable expectations. */
export function summary(result: ParseResult): string[] {
  return asRanges(result).map((r) => `${r.start}-${r.end} ${r.asn}${r.name === undefined ? '' : ` ${r.name}`}`);
}
