// `warren scan`: match JSON Lines records against signature files, without a store.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { FastMatcher } from '../../engine/fast-matcher.js';
import { linesOf, readPieces } from '../../io/pieces.js';
import { Scanner, type BatchResult } from '../../services/scan.js';
import { ScanPool, scanThreads } from '../../services/scan-pool.js';
import { formatError, loadSignatureFiles } from '../../signatures/load.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerScan(program: Command, ctx: CommandContext): void {
  program
    .command('scan')
    .description('match JSON Lines records (field name → string or array of strings) against signature files; one JSON line per hit')
    .requiredOption('--signatures <file>', 'signature file (repeat for more)', collect, [])
    .argument('[input]', "JSON Lines input, or '-' for standard input", '-')
    .action(async (input: string, opts: { signatures: string[] }) => {
      let threads: number;
      try {
        threads = scanThreads();
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      // A large file goes to threads, started now: they load their code while the signatures are read.
      const early = threads > 1 && input !== '-' && (await sizeOf(input)) > EARLY_POOL_BYTES ? new ScanPool(threads) : undefined;
      try {
        ctx.exitCode = await scan(ctx, input, opts.signatures, threads, early);
      } finally {
        await early?.close();
      }
    });
}

/** Files above this size start their threads before the signatures are read (a few pieces' worth). */
const EARLY_POOL_BYTES = 1024 * 1024;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // reported when the file is opened
  }
}

async function scan(ctx: CommandContext, input: string, files: string[], threads: number, early: ScanPool | undefined): Promise<number> {
  const { signatures, errors } = await loadSignatureFiles(files);
  if (errors.length > 0) {
    for (const e of errors) await write(ctx.io.stderr, `${formatError(e)}\n`);
    return EXIT_USAGE;
  }
  const enabled = signatures.filter((s) => s.enabled);
  early?.compile(enabled);
  // 256 KiB chunks: about a thousand records per piece for the matcher (scan.ts).
  const source = input === '-' ? ctx.io.stdin : createReadStream(input, { highWaterMark: 256 * 1024 });
  const opened = new Promise<void>((resolve, reject) => {
    if (input === '-') return resolve();
    source.once('open', () => resolve());
    source.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new UsageError(`cannot read ${input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const name = input === '-' ? '<stdin>' : input;
  let bad = 0;
  const emit = async ({ output, problems, badLines }: BatchResult): Promise<void> => {
    bad += badLines;
    if (problems.length > 0) {
      await write(ctx.io.stderr, problems.map((p) => `${name}:${p.line}: ${p.skipped ? 'skipped: ' : ''}${p.message}\n`).join(''));
    }
    if (output !== '') await write(ctx.io.stdout, output);
  };
  const pieces = readPieces(source)[Symbol.asyncIterator]();
  if (early) {
    await early.scanAll([], pieces, emit);
    return bad > 0 ? EXIT_PROBLEMS : EXIT_OK;
  }
  const first = await pieces.next();
  const second = first.done ? first : await pieces.next();
  if (threads === 1 || second.done) {
    // One piece (a small input) or one thread: threads would cost more to start than they save.
    const scanner = new Scanner(new FastMatcher(enabled), enabled);
    for (let next = first; !next.done; next = next === first ? second : await pieces.next()) await emit(scanner.scanLines(linesOf(next.value)));
  } else {
    const pool = new ScanPool(threads);
    try {
      pool.compile(enabled);
      await pool.scanAll([first.value, second.value], pieces, emit);
    } finally {
      await pool.close();
    }
  }
  return bad > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
