// `warren sig lint` and `warren sig test` (cli.md, "Signatures as files").
import type { Command } from 'commander';
import { runSignatureTests } from '../../services/signature-tests.js';
import { formatError, loadSignatureFiles } from '../../signatures/load.js';
import type { SignatureError } from '../../signatures/types.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { registerFromMisp } from './from-misp.js';
import { registerOrgSig } from './org-sig.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function printErrors(ctx: CommandContext, errors: readonly SignatureError[]): Promise<void> {
  for (const e of errors) await write(ctx.io.stdout, `${formatError(e)}\n`);
}

export function registerSig(program: Command, ctx: CommandContext): void {
  const sig = program.command('sig').description('work with signature files');

  sig
    .command('lint')
    .description('validate signature files; print every error with file, line, signature id, pattern index and reason')
    .argument('<files...>', 'YAML or JSON signature files')
    .option('--json', 'print the result as one JSON object')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const { signatures, errors } = await loadSignatureFiles(files);
      if (opts.json) {
        await write(ctx.io.stdout, `${JSON.stringify({ signatures: signatures.length, errors })}\n`);
      } else {
        await printErrors(ctx, errors);
        const bad = new Set(errors.map((e) => `${e.file}\0${e.signature ?? e.line}`)).size;
        await write(
          ctx.io.stderr,
          errors.length === 0
            ? `ok: ${plural(signatures.length, 'signature')} in ${plural(files.length, 'file')}\n`
            : `${plural(errors.length, 'error')} in ${plural(bad, 'signature')}\n`,
        );
      }
      ctx.exitCode = errors.length > 0 ? EXIT_USAGE : EXIT_OK;
    });

  sig
    .command('test')
    .description("validate signature files, then run each signature's tests; print one line per failing case")
    .argument('<files...>', 'YAML or JSON signature files')
    .action(async (files: string[]) => {
      const { signatures, errors } = await loadSignatureFiles(files);
      if (errors.length > 0) {
        await printErrors(ctx, errors);
        await write(ctx.io.stderr, `${plural(errors.length, 'error')}: no tests run\n`);
        ctx.exitCode = EXIT_USAGE;
        return;
      }
      const report = runSignatureTests(signatures);
      for (const f of report.failures) {
        const where = f.signature.source ? `${f.signature.source.file}:${f.signature.source.line}: ` : '';
        await write(ctx.io.stdout, `${where}${f.signature.id}: ${f.path}: ${f.message}\n`);
      }
      await write(
        ctx.io.stderr,
        `${plural(report.cases, 'case')} in ${plural(report.signaturesWithTests, 'signature')}: ${report.failures.length} failed\n`,
      );
      ctx.exitCode = report.failures.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
    });

  registerOrgSig(sig, ctx);
  registerFromMisp(sig, ctx);
}
