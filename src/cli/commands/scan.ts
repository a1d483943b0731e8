// `warren scan`: match JSON Lines records against signature files, without a store.
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { FastMatcher } from '../../engine/fast-matcher.js';
import { readLines } from '../../io/lines.js';
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
      const source = input === '-' ? ctx.io.stdin : createReadStream(input);
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
      for await (const line of readLines(source)) {
        const { hits, problems } = scanner.scanLine(line);
        if (problems.length > 0) bad++;
        for (const p of problems) {
          await write(ctx.io.stderr, `${name}:${p.line}: ${p.skipped ? 'skipped: ' : ''}${p.message}\n`);
        }
        if (hits.length > 0) await write(ctx.io.stdout, hits.map((h) => `${JSON.stringify(h)}\n`).join(''));
      }
      ctx.exitCode = bad > 0 ? EXIT_PROBLEMS : EXIT_OK;
    });
}
