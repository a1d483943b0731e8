// Queued jobs through the services, on SQLite and PostgreSQL, with a queue that only records what
// it is handed (the BullMQ transport is the integration test's, src/cli/scale-out.test.ts). Every
// part is run twice and in reverse order, as at-least-once delivery and several workers may: the
// store ends as one in-process run leaves it — the same records, rejects at the input's own line
// numbers, the same tags and notifications, none twice — and the sweep hands lost parts back.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warrenFormat } from '../../ingest/parsers/warren-jsonl.js';
import { makeSignature } from '../../signatures/make.js';
import { endPart, jobById, partsOf, type JobKind } from '../../store/jobs.js';
import { postgresFactory, sqliteFactory, useStore, type StoreFactory } from '../../store/test-support/open-store.js';
import type { Store } from '../../store/store.js';
import { importSignatures } from '../org-signatures.js';
import { cancelHunt, huntJob, queuedHunts } from './hunt-jobs.js';
import { queuedIngestJob, submitIngest } from './ingest-jobs.js';
import type { QueueDepth, WorkQueue } from './queue.js';
import { runPart, sweep } from './work.js';

const T = '2026-03-01T00:00:00Z';
const AT = new Date(T);

class RecordingQueue implements WorkQueue {
  handed: { kind: JobKind; job: string; part: number }[] = [];
  enqueue(kind: JobKind, job: string, parts: readonly number[]): Promise<void> {
    for (const part of parts) this.handed.push({ kind, job, part });
    return Promise.resolve();
  }
  depth(): Promise<QueueDepth> {
    return Promise.resolve({ waiting: 0, active: 0, delayed: 0, failed: 0, oldestSeconds: 0 });
  }
  deadLetter(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** 3,000 resolutions, every 7th a lure, every 500th line broken. */
function upload(): { text: string; lures: number; badLines: number[] } {
  const lines: string[] = [];
  const badLines: number[] = [];
  let lures = 0;
  for (let i = 1; i <= 3000; i++) {
    if (i % 500 === 0) {
      lines.push(`{"kind": "resolution", "domain": "broken-${i}.example"`);
      badLines.push(i);
      continue;
    }
    const lure = i % 7 === 0;
    if (lure) lures++;
    lines.push(JSON.stringify({ kind: 'resolution', domain: `${lure ? 'lure' : 'plain'}-${i}.example`, rrtype: 'A', value: `192.0.2.${i % 250}`, first_seen: T, last_seen: T, source: 'jobs-test' }));
  }
  return { text: `${lines.join('\n')}\n`, lures, badLines };
}

async function rows(store: Store, org: string, name: string): Promise<string[]> {
  const r = await store.db.selectFrom('tags').select(['entity', 'signature_version']).where('org', '=', org).where('name', '=', name).orderBy('entity').execute();
  return r.map((x) => `${x.entity}@${x.signature_version}`);
}

async function notificationCount(store: Store, org: string): Promise<number> {
  return (await store.db.selectFrom('notifications').select('id').where('org', '=', org).execute()).length;
}

/**
 * Runs every handed part twice, last first, its own writes through the store's deferred-commit
 * sibling as `warren worker` does (on PostgreSQL another pool); answers how many runs did work.
 */
async function runAllTwice(store: Store, queue: RecordingQueue): Promise<number> {
  const handed = queue.handed.splice(0).reverse();
  const work = store.deferringCommits();
  let done = 0;
  try {
    for (const h of [...handed, ...handed]) if ((await runPart(store, h.kind, h.job, h.part, { nowMs: () => AT.getTime() }, work)) === 'done') done++;
  } finally {
    if (work !== store) await work.close();
  }
  return done;
}

function jobsSuite(dialect: string, factory: StoreFactory): void {
  describe(`queued jobs (${dialect})`, () => {
    let store: Store | undefined;
    let dir = '';
    const queue = new RecordingQueue();
    const data = upload();
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'warren-jobs-'));
      await writeFile(join(dir, 'upload.jsonl'), data.text);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    useStore(`${dialect} queued jobs`, factory, async (opened) => {
      store = opened;
      await importSignatures(opened, 'acme', [makeSignature({ id: 'lure', field: 'domain', patterns: ['^lure-'], actions: [{ tag: 'Lure' }, { alert: { severity: 'high' } }] })], { now: T });
    });

    it('ingests an upload cut into parts, each run twice in reverse order, as one in-process run would', async (t) => {
      if (!store) return t.skip();
      const answer = await submitIngest(store, queue, { file: join(dir, 'upload.jsonl'), name: 'upload.jsonl', org: 'acme', actor: 'a@acme.example', now: AT, partBytes: 16 * 1024 });
      if ('refused' in answer) throw new Error(answer.refused);
      expect(answer.format).toBe('warren');
      expect(answer.parts).toBeGreaterThan(10);
      expect(queue.handed.map((h) => h.part)).toEqual([...Array(answer.parts).keys()]);
      // Each part does its work once; the second run of each finds it done.
      expect(await runAllTwice(store, queue)).toBe(answer.parts);

      const view = await queuedIngestJob(store, 'acme', answer.job);
      const reference = warrenFormat.parse(Buffer.from(data.text), { fileName: 'upload.jsonl' });
      expect(view?.status).toBe('done');
      expect(view?.progress).toMatchObject({ parts: answer.parts, partsDone: answer.parts, size: Buffer.byteLength(data.text) });
      expect(view?.summary.read).toBe(reference.records.length + reference.errors.length);
      expect(view?.summary.stored.resolution).toBe(reference.records.filter((r) => r.kind === 'resolution').length);
      // Rejects at the input's own line numbers, whichever part they were in.
      expect(view?.rejects?.map((r) => r.line)).toEqual(data.badLines);
      expect(view?.rejects?.map((r) => r.line)).toEqual(reference.errors.map((e) => e.line));
      expect(view?.summary.actions.tags).toBe(data.lures);
      // Once each, though every part ran twice.
      expect(await rows(store, 'acme', 'Lure')).toHaveLength(data.lures);
      expect(await notificationCount(store, 'acme')).toBe(data.lures);
      // Another organisation's job is absent; the chunks are gone with their parts.
      expect(await queuedIngestJob(store, 'beta', answer.job)).toBeUndefined();
      expect(await store.db.selectFrom('job_chunks').select('part').where('job', '=', answer.job).execute()).toEqual([]);
    });

    it('refuses an upload that is no format it knows, queueing nothing', async (t) => {
      if (!store) return t.skip();
      await writeFile(join(dir, 'noise.bin'), Buffer.from([0, 1, 2, 3, 4, 5]));
      const answer = await submitIngest(store, queue, { file: join(dir, 'noise.bin'), name: 'noise.bin', org: 'acme', actor: 'a@acme.example', now: AT, partBytes: 1024 });
      expect(answer).toEqual({ refused: expect.stringContaining('cannot tell the format of this upload') as unknown });
      expect(queue.handed).toEqual([]);
    });

    it('hunts in key-range parts, each run twice, tagging what an in-process hunt tags', async (t) => {
      if (!store) return t.skip();
      const kit = makeSignature({ id: 'kit', field: 'domain', patterns: ['-(1|2)\\d*7\\.example$'], actions: [{ tag: 'Kit' }] });
      // The reference: the same signature hunted in-process in another organisation.
      const inProcess = await importSignatures(store, 'beta', [kit], { now: T });
      const queued = await importSignatures(store, 'acme', [kit], { now: T, hunts: queuedHunts(queue, { partSize: 400, clockMs: () => AT.getTime() }) });
      expect(queued.hunt).toBeUndefined();
      const parts = queued.huntJob?.parts ?? 0;
      expect(parts).toBeGreaterThan(5);
      expect(await runAllTwice(store, queue)).toBe(parts);
      const view = await huntJob(store, 'acme', queued.huntJob!.id);
      expect(view?.status).toBe('done');
      expect(view?.progress).toEqual({ parts, partsDone: parts, scanned: inProcess.hunt?.scanned.domain });
      expect(view?.report.applied.tags).toBe(inProcess.hunt?.applied.tags);
      const acme = await rows(store, 'acme', 'Kit');
      expect(acme.length).toBeGreaterThan(50);
      expect(acme).toEqual(await rows(store, 'beta', 'Kit'));
      expect(await huntJob(store, 'beta', queued.huntJob!.id)).toBeUndefined();
    });

    it('a changed signature’s queued hunt withdraws what the old version tagged, once its last part has run', async (t) => {
      if (!store) return t.skip();
      const narrower = makeSignature({ id: 'kit', field: 'domain', patterns: ['-17\\.example$'], actions: [{ tag: 'Kit' }] });
      const before = (await rows(store, 'acme', 'Kit')).length;
      const queued = await importSignatures(store, 'acme', [narrower], { now: T, hunts: queuedHunts(queue, { partSize: 400, clockMs: () => AT.getTime() }) });
      const handed = queue.handed.splice(0);
      // All but the last part: nothing withdrawn yet.
      for (const h of handed.slice(0, -1)) await runPart(store, h.kind, h.job, h.part, { nowMs: () => AT.getTime() });
      expect((await rows(store, 'acme', 'Kit')).length).toBe(before);
      const last = handed[handed.length - 1]!;
      await runPart(store, last.kind, last.job, last.part, { nowMs: () => AT.getTime() });
      expect(await rows(store, 'acme', 'Kit')).toEqual(['plain-17.example@2']);
      expect((await huntJob(store, 'acme', queued.huntJob!.id))?.status).toBe('done');
    });

    it('cancels a hunt: no part runs after it, and only its organisation can', async (t) => {
      if (!store) return t.skip();
      const wide = makeSignature({ id: 'wide', field: 'domain', patterns: ['example'], actions: [{ tag: 'Wide' }] });
      const queued = await importSignatures(store, 'acme', [wide], { now: T, hunts: queuedHunts(queue, { partSize: 400, clockMs: () => AT.getTime() }) });
      const id = queued.huntJob!.id;
      expect(await cancelHunt(store, 'beta', id, AT)).toBe(false);
      expect(await cancelHunt(store, 'acme', id, AT)).toBe(true);
      expect(await runAllTwice(store, queue)).toBe(0);
      expect(await rows(store, 'acme', 'Wide')).toEqual([]);
      expect((await huntJob(store, 'acme', id))?.status).toBe('cancelled');
    });

    it('the sweep hands back parts gone quiet (a Redis that lost them) and ends a job whose finisher died', async (t) => {
      if (!store) return t.skip();
      const answer = await submitIngest(store, queue, { file: join(dir, 'upload.jsonl'), name: 'again.jsonl', org: 'acme', actor: 'a@acme.example', now: AT, partBytes: 64 * 1024 });
      if ('refused' in answer) throw new Error(answer.refused);
      queue.handed = [];
      // Redis lost everything. Not quiet yet: nothing is handed back.
      expect(await sweep(store, queue, { nowMs: () => AT.getTime() + 1000 }, 60_000)).toBe(0);
      expect(await sweep(store, queue, { nowMs: () => AT.getTime() + 61_000 }, 60_000)).toBe(answer.parts);
      expect(queue.handed.map((h) => h.part)).toEqual([...Array(answer.parts).keys()]);
      // Handed back once: the next sweep right after finds them freshly touched.
      queue.handed = [];
      expect(await sweep(store, queue, { nowMs: () => AT.getTime() + 62_000 }, 60_000)).toBe(0);
      // Every part ends, but the job's end is never written (its worker died in between).
      for (const p of await partsOf(store.db, answer.job)) await endPart(store.db, answer.job, p.part, { status: 'done', result: JSON.stringify({ summary: { read: 0, stored: {}, rejected: 0, actions: { tags: 0, classifications: 0, notifications: 0 } }, rejects: [] }) }, AT.getTime());
      expect((await jobById(store.db, answer.job))?.status).toBe('running');
      await sweep(store, queue, { nowMs: () => AT.getTime() + 63_000 }, 60_000);
      expect((await jobById(store.db, answer.job))?.status).toBe('done');
    });
  });
}

jobsSuite('SQLite', sqliteFactory('warren-jobs-'));
jobsSuite('PostgreSQL', postgresFactory);
