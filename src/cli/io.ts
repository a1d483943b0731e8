// The streams a command talks to, passed in so tests can run commands in-process.
import type { Readable, Writable } from 'node:stream';

export interface Io {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export const processIo: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** Writes and waits for drain when the stream's buffer is full, so output never piles up. */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        stream.off('drain', onDrain);
        stream.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      stream.once('drain', onDrain);
      stream.once('error', done);
    });
  }
}

/** Exit codes of cli.md. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** A usage or input error that stops the command: printed as one line, exit 2. */
export class UsageError extends Error {}

/** Resolves at the first SIGINT or SIGTERM (a long-running command's cue to finish and exit). */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const shutdown = (): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      resolve();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
