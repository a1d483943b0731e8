// Redis for the queue's tests: whether one answers on a port (tests skip, saying why, without
// one), and removing what a test's prefix left there (the machine's Redis outlives the run).
import { Socket } from 'node:net';
import { Queue } from 'bullmq';
import { QUEUE_NAMES, redisConnection } from '../queue.js';

export function redisAnswers(port = 6379): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(port, '127.0.0.1');
  });
}

/** Removes every key of the queues under `prefix`. */
export async function dropQueues(url: string, prefix: string): Promise<void> {
  for (const name of QUEUE_NAMES) {
    const q = new Queue(name, { connection: redisConnection(url), prefix });
    try {
      await q.obliterate({ force: true });
    } finally {
      await q.close();
    }
  }
}
