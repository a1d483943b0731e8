// The worker thread of an API ingest job (ingest-job.ts): opens its own connection to the
// server's store from the same URL (SQLite in WAL mode lets the server read meanwhile), runs the
// job and posts its messages to the server, then closes the connection and ends.
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../../store/store.js';
import { emptySummary } from './read.js';
import { runIngestJob, type IngestJobMessage, type IngestJobParams } from './job.js';

const port = parentPort;
if (!port) throw new Error('ingest-worker.js runs as a worker thread of the server');
const { url, params } = workerData as { url: string; params: IngestJobParams };
const post = (m: IngestJobMessage): void => port.postMessage(m);
let store: Store | undefined;
try {
  store = await Store.open(url);
  await runIngestJob(store, params, post, false);
} catch (e) {
  post({ type: 'failed', message: `ingest stopped: ${(e as Error).message}`, summary: emptySummary() });
} finally {
  await store?.close();
}
