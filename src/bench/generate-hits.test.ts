import { describe, expect, it } from 'vitest';
import { FastMatcher } from '../engine/fast-matcher.js';
import { parseSignatureText } from '../signatures/load.js';
import { HIT_FIELDS, generateHitRecords, generateHitSignatures } from './generate-hits.js';
import { fileForm } from './scan-process.js';

describe('hit-heavy workload', () => {
  it('is repeatable from its seeds', () => {
    expect(generateHitSignatures(50)).toEqual(generateHitSignatures(50));
    expect(generateHitRecords(50)).toEqual(generateHitRecords(50));
  });

  it('gives every record the six fields, one value each', () => {
    for (const r of generateHitRecords(200)) {
      expect([...r.keys()]).toEqual([...HIT_FIELDS]);
      for (const v of r.values()) expect(v).toHaveLength(1);
    }
  });

  it('writes signature files that warren scan loads unchanged', () => {
    const sigs = generateHitSignatures(500);
    const { signatures, errors } = parseSignatureText(JSON.stringify(sigs.map(fileForm)), 'bench.json');
    expect(errors).toEqual([]);
    expect(signatures.map((s) => [s.id, s.field, s.match, s.patterns, s.exclude])).toEqual(
      sigs.map((s) => [s.id, s.field, s.match, s.patterns, s.exclude]),
    );
  });

  it('is hit-heavy at 10,000 signatures: between 0.3 and 0.7 hits per record', () => {
    const matcher = new FastMatcher(generateHitSignatures(10_000));
    const records = generateHitRecords(5_000);
    const hits = matcher.matchMany(records).reduce((n, h) => n + h.length, 0);
    expect(hits / records.length).toBeGreaterThan(0.3);
    expect(hits / records.length).toBeLessThan(0.7);
  });
});
