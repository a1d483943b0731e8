// The worker thread that checks large signature texts for the server (signature-text.ts): one
// task at a time, answered by id.
import { parentPort } from 'node:worker_threads';
import { runTextTask, type TextTask } from './signature-text.js';

const port = parentPort;
if (!port) throw new Error('signature-text-worker.js runs as a worker thread of the server');
port.on('message', (m: { id: number; task: TextTask }) => {
  try {
    port.postMessage({ id: m.id, result: runTextTask(m.task) });
  } catch (e) {
    port.postMessage({ id: m.id, error: (e as Error).message });
  }
});
