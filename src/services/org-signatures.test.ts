// The service rules beneath `warren sig …` and evaluation, on a real SQLite store: the matcher
// compiled once per change, targets through relations, classification precedence.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestRecord } from '../ingest/records.js';
import { makeSignature } from '../signatures/make.js';
import { CLASSIFICATIONS } from '../signatures/types.js';
import type { ClassificationRow } from '../store/actions.js';
import { Store } from '../store/store.js';
import { EvaluationContext } from './evaluate.js';
import { evaluateBatch } from './ingest/evaluate-batch.js';
import { effectiveClassification, lookup } from './lookup.js';
import { compiledOrg } from './org-matcher.js';
import { changeSignature, importSignatures } from './org-signatures.js';

const NOW = '2026-01-01T00:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'warren-org-sigs-'));
let store: Store;
beforeAll(async () => {
  store = await Store.open(`sqlite:${join(dir, 'x.db')}`);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const seen = { source: 'test', firstSeen: NOW, lastSeen: NOW };

describe('the compiled matcher', () => {
  it('is compiled once per change of the organisation’s signatures, not per record or call', async () => {
    expect(await compiledOrg(store, 'm')).toBeUndefined();
    await importSignatures(store, 'm', [makeSignature({ id: 'a', field: 'domain', patterns: ['evil'], actions: [{ tag: 'A' }] })], { now: NOW });
    const first = await compiledOrg(store, 'm');
    expect(first?.signatures.has('a')).toBe(true);
    const ctx = new EvaluationContext(store);
    const records: IngestRecord[] = Array.from({ length: 50 }, (_, i) => ({ kind: 'domain', domain: `evil${i}.example`, observation: seen }));
    expect((await evaluateBatch(ctx, records, NOW)).tags).toBe(50);
    expect(await compiledOrg(store, 'm')).toBe(first);
    await changeSignature(store, 'm', 'a', 'disable', { now: NOW });
    expect(await compiledOrg(store, 'm')).toBeUndefined();
    await changeSignature(store, 'm', 'a', 'enable', { now: NOW });
    const again = await compiledOrg(store, 'm');
    expect(again).not.toBe(first);
    expect(again?.signatures.get('a')?.version).toBe(3);
  });
});

describe('targets', () => {
  it('follow a target: list through stored relations', async () => {
    await store.write([
      { kind: 'resolution', domain: 'phish.example', rrtype: 'A', value: '192.0.2.55', observation: seen },
      { kind: 'resolution', domain: 'other.example', rrtype: 'A', value: '192.0.2.56', observation: seen },
    ]);
    await importSignatures(
      store,
      't',
      [makeSignature({ id: 'ip-of-phish', field: 'domain', patterns: ['^phish\\.'], target: ['ip'], actions: [{ tag: 'PhishHost' }] })],
      { now: NOW },
    );
    const ip = await lookup(store, '192.0.2.55', { org: 't', now: NOW });
    expect(ip?.tags.map((t) => [t.name, t.signature, t.field, t.value])).toEqual([['PhishHost', 'ip-of-phish', 'domain', 'phish.example']]);
    // The owner itself is not a target when the list leaves it out; unrelated IPs get nothing.
    expect((await lookup(store, 'phish.example', { org: 't', now: NOW }))?.tags).toEqual([]);
    expect((await lookup(store, '192.0.2.56', { org: 't', now: NOW }))?.tags).toEqual([]);
  });
});

describe('classification precedence', () => {
  const row = fc.record({
    value: fc.constantFrom(...CLASSIFICATIONS),
    source: fc.constantFrom('signature' as const, 'manual' as const),
    signature: fc.constantFrom('s1', 's2', 's3'),
  });

  it("a person's classification wins; among automatic ones the most severe", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), (rows) => {
        const full: ClassificationRow[] = rows.map((r) => ({ ...r, field: 'f', matchedValue: 'v', firstMatched: NOW, lastMatched: NOW }));
        const got = effectiveClassification(full);
        const manual = full.filter((r) => r.source === 'manual');
        if (manual.length > 0) {
          expect(got).toEqual({ value: manual[0]!.value, source: 'manual' });
          return;
        }
        if (full.length === 0) {
          expect(got).toBeNull();
          return;
        }
        const best = Math.min(...full.map((r) => (CLASSIFICATIONS as readonly string[]).indexOf(r.value)));
        expect(got?.value).toBe(CLASSIFICATIONS[best]);
        expect(got?.source).toBe('signature');
      }),
    );
  });
});
