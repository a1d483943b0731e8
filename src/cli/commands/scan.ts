// `warren scan`: match JSON Lines records against signature files, without a store.
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { FastMatcher } from '../../engine/fast-matcher.js';
import { readLineBatches } from '../../io/lines.js';
import { Scanner } from '../../services/scan.js';
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
      const { signatures, errors } = await loadSignatureFiles(opts.signatures);
      if (errors.length > 0) {
        for (const e of errors) await write(ctx.io.stderr, `${formatError(e)}\n`);
        ctx.exitCode = EXIT_USAGE;
        return;
      }
      const enabled = signatures.filter((s) => s.enabled);
      const scanner = new Scanner(new FastMatcher(enabled), enabled);
      // 256 KiB chunks: about a thousand records per batch for the matcher (scan.ts).
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
      for await (const lines of readLineBatches(source)) {
        const { output, problems, badLines } = scanner.scanLines(lines);
        bad += badLines;
        if (problems.length > 0) {
          await write(ctx.io.stderr, problems.map((p) => `${name}:${p.line}: ${p.skipped ? 'skipped: ' : ''}${p.message}\n`).join(''));
        }
        if (output !== '') await write(ctx.io.stdout, output);
      }
      ctx.exitCode = bad > 0 ? EXIT_PROBLEMS : EXIT_OK;
    });
}
