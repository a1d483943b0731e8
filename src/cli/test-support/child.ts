// `warren …` as a real process (bin/warren.js → dist/, built by `npm test` or `npm run build`):
// for the tests that kill it, signal it, or let it run beside the test's own servers. Output is
// collected as it comes so a test can wait for a line; every child started is killed after the
// test if it is still running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../services/delivery/test-support/receiver.js';

export const REPO_ROOT = join(import.meta.dirname, '../../..');

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface WarrenChild {
  readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;
  stdout(): string;
  stderr(): string;
  /** Whether the process is still running. */
  running(): boolean;
  /** Waits until stderr matches (the child still running or not). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, and the exit. */
  stop(): Promise<ChildExit>;
}

const started: ChildProcess[] = [];

/** Throws when dist/ has no CLI to run: the tests say how to build it rather than fail obscurely. */
export function requireBuild(): void {
  if (!existsSync(join(REPO_ROOT, 'dist/cli/commands/watch.js'))) throw new Error('dist/ has no watch command: run `npm run build` first (npm test does)');
}

/** Runs `warren ARGS…` with the test's environment plus `env` (WARREN_DB never inherited). */
export function startWarren(args: readonly string[], env: Record<string, string> = {}): WarrenChild {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.WARREN_DB;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/warren.js'), ...args], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<ChildExit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    running,
    async waitForStderr(pattern, timeoutMs = 20_000) {
      try {
        await waitUntil(() => pattern.test(stderr), timeoutMs, `stderr to match ${pattern}`);
      } catch (e) {
        throw new Error(`${(e as Error).message}; it holds:\n${stderr.slice(-2000)}`);
      }
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Kills (SIGKILL) every child still running: an afterEach. */
export function killChildren(): void {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
