// Signature text sent to the server (lint, import, preview, test) is parsed and checked off the
// event loop: checking 3.4 MB of valid signatures takes ~7 s of CPU (YAML, RE2 syntax, every
// rule), which on the server's thread would stall every other request. Small texts (the usual
// hand-edited few signatures) are checked in place; larger ones go to one worker thread, in
// turn; when too many are waiting the caller is told to come back (429).
//
// The worker is compiled JavaScript (dist/services/signature-text-worker.js, found from both
// dist/ and src/ like the web root); without a build (tests under vitest without dist) texts are
// checked in place.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseSignatureText, type LoadResult } from '../signatures/load.js';
import { runSignatureTests, type TestReport } from './signature-tests.js';

/** Texts up to this size are checked on the caller's thread (a few ms). */
export const IN_PLACE_BYTES = 16 * 1024;
/** Texts waiting for the worker (the one it checks included) before more are refused. */
export const MAX_WAITING = 8;

export const SIGNATURE_TEXT_WORKER = fileURLToPath(new URL('../../dist/services/signature-text-worker.js', import.meta.url));

/**
 * `parse` answers the signatures and errors; `lint` only how many signatures and the errors (no
 * signatures to copy back to the server's thread); `test` adds the test report when the text loaded.
 */
export interface TextTask {
  readonly op: 'parse' | 'lint' | 'test';
  readonly text: string;
  readonly file: string;
}

export interface TextResult {
  readonly load: LoadResult;
  /** How many valid signatures the text holds (for `lint`, whose `load.signatures` is empty). */
  readonly count: number;
  readonly tests?: TestReport;
}

export class TextQueueFull extends Error {}

/** What the worker runs for one task (also the in-place path). */
export function runTextTask(task: TextTask): TextResult {
  const load = parseSignatureText(task.text, task.file);
  const count = load.signatures.length;
  switch (task.op) {
    case 'parse':
      return { load, count };
    case 'lint':
      return { load: { signatures: [], errors: load.errors }, count };
    case 'test':
      // Failures name their signature; only those cross back, not every signature read.
      return { load: { signatures: [], errors: load.errors }, count, ...(load.errors.length === 0 ? { tests: runSignatureTests(load.signatures) } : {}) };
  }
}

interface Pending {
  readonly resolve: (r: TextResult) => void;
  readonly reject: (e: Error) => void;
}

class TextWorker {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, Pending>();

  get waiting(): number {
    return this.pending.size;
  }

  run(task: TextTask): Promise<TextResult> {
    const worker = this.start();
    const id = this.next++;
    return new Promise<TextResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, task });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(SIGNATURE_TEXT_WORKER);
    worker.on('message', (m: { id: number; result?: TextResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.result) p.resolve(m.result);
      else p.reject(new Error(m.error ?? 'the signature worker failed'));
      if (this.pending.size === 0) worker.unref();
    });
    const fail = (e: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the signature worker exited (code ${code})`)));
    // Idle, it must not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

let shared: TextWorker | undefined;

/**
 * Checks signature text (and, for `test`, runs its test cases) without blocking the event loop
 * for large texts. Rejects with TextQueueFull when MAX_WAITING texts are already waiting.
 */
export async function checkSignatureText(task: TextTask): Promise<TextResult> {
  if (task.text.length <= IN_PLACE_BYTES || !existsSync(SIGNATURE_TEXT_WORKER)) return runTextTask(task);
  shared ??= new TextWorker();
  if (shared.waiting >= MAX_WAITING) throw new TextQueueFull(`${MAX_WAITING} large signature texts are being checked; try again shortly`);
  return shared.run(task);
}
