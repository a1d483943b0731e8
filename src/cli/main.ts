// `warren`: the command-line contract of ../shared/spec/cli.md. Each command returns its exit
// code; nothing below calls process.exit, so commands run in-process in tests.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerAccounts } from './commands/accounts.js';
import { registerChannel } from './commands/channel.js';
import { registerData } from './commands/data.js';
import { registerDeliver } from './commands/deliver.js';
import { registerDemo } from './commands/demo.js';
import { registerExport } from './commands/export.js';
import { registerManual } from './commands/manual.js';
import { registerNotifications } from './commands/notifications.js';
import { registerPack } from './commands/pack.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerSig } from './commands/sig.js';
import { registerWatch } from './commands/watch.js';
import { registerWorker } from './commands/worker.js';
import type { CommandContext } from './context.js';
import { EXIT_USAGE, processIo, UsageError, type Io } from './io.js';

export type { CommandContext } from './context.js';

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('warren')
    .description('Threat-infrastructure signature engine: tag, classify and alert on what matches your signatures.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .showSuggestionAfterError(true);
  registerSig(program, ctx);
  registerScan(program, ctx);
  registerData(program, ctx);
  registerManual(program, ctx);
  registerExport(program, ctx);
  registerNotifications(program, ctx);
  registerDemo(program, ctx);
  registerChannel(program, ctx);
  registerPack(program, ctx);
  registerDeliver(program, ctx);
  registerAccounts(program, ctx);
  registerServe(program, ctx);
  registerWatch(program, ctx);
  registerWorker(program, ctx);
  // Every subcommand inherits the same error handling and output.
  for (const c of program.commands) applyDefaults(c, ctx);
  return program;
}

function applyDefaults(cmd: Command, ctx: CommandContext): void {
  cmd.exitOverride().configureOutput({
    writeOut: (s) => ctx.io.stdout.write(s),
    writeErr: (s) => ctx.io.stderr.write(s),
  });
  for (const c of cmd.commands) applyDefaults(c, ctx);
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const ctx: CommandContext = { io, exitCode: 0 };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv]);
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`warren: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // The reader of our output went away (`warren scan … | head`): nothing is wrong, and nothing
    // more can be said to it; as other Unix tools, stop quietly.
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return ctx.exitCode;
    // An unexpected failure: one clear line, no stack trace unless asked for.
    io.stderr.write(`warren: internal error: ${(e as Error).message}\n`);
    if (process.env.WARREN_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
    return EXIT_USAGE;
  }
}
