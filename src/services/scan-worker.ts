// A worker thread of `warren scan` (scan-pool.ts): compiles the signatures of its first message,
// then decodes, splits and scans the pieces of input it is sent and answers each with its
// BatchResult, by sequence number.
import { parentPort } from 'node:worker_threads';
import { FastMatcher } from '../engine/fast-matcher.js';
import { linesOf, type Piece } from '../io/pieces.js';
import type { Signature } from '../signatures/types.js';
import { Scanner } from './scan.js';

const port = parentPort;
if (!port) throw new Error('scan-worker.js runs as a worker thread of warren scan');
let scanner: Scanner | undefined;
port.on('message', (m: { signatures: Signature[] } | { seq: number; piece: Piece }) => {
  if ('signatures' in m) {
    scanner = new Scanner(new FastMatcher(m.signatures), m.signatures);
    return;
  }
  if (!scanner) throw new Error('a piece came before the signatures');
  port.postMessage({ seq: m.seq, result: scanner.scanLines(linesOf(m.piece)) });
});
