// `warren tag ENTITY NAME`, `warren untag ENTITY NAME`, `warren classify ENTITY VALUE`: what
// people decide by hand; signatures never touch it (cli.md, signatures.md).
import type { Command } from 'commander';
import { isoSeconds, systemClock } from '../../services/clock.js';
import { classifyEntity, resolveEntity, tagEntity, untagEntity } from '../../services/manual.js';
import { EXIT_PROBLEMS, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { cliActor, withDb, withOrg, withStore as run } from '../store-options.js';

interface Opts {
  db?: string;
  org: string;
}

export function registerManual(program: Command, ctx: CommandContext): void {
  const now = (): string => isoSeconds(systemClock());
  withOrg(withDb(program.command('tag').description('tag an entity by hand').argument('<entity>', 'domain, IP or certificate fingerprint').argument('<name>', 'tag'))).action(
    (entity: string, name: string, opts: Opts) =>
      run(opts, async (store) => {
        const ref = await resolveEntity(store, entity);
        await tagEntity(store, cliActor(), opts.org, ref, name, now());
        await write(ctx.io.stdout, `tagged ${ref.kind} ${ref.id} ${name}\n`);
      }),
  );
  withOrg(withDb(program.command('untag').description('remove a tag added by hand').argument('<entity>', 'domain, IP or certificate fingerprint').argument('<name>', 'tag'))).action(
    (entity: string, name: string, opts: Opts) =>
      run(opts, async (store) => {
        const ref = await resolveEntity(store, entity);
        if (await untagEntity(store, cliActor(), opts.org, ref, name, now())) {
          await write(ctx.io.stdout, `untagged ${ref.kind} ${ref.id} ${name}\n`);
          return;
        }
        await write(ctx.io.stderr, `${ref.kind} ${ref.id} has no tag ${name} added by hand (a signature's tag goes when the signature is disabled or changed)\n`);
        ctx.exitCode = EXIT_PROBLEMS;
      }),
  );
  withOrg(
    withDb(
      program
        .command('classify')
        .description('classify an entity by hand (wins over every signature)')
        .argument('<entity>', 'domain, IP or certificate fingerprint')
        .argument('<value>', 'malicious | suspicious | non-malicious | unknown'),
    ),
  ).action((entity: string, value: string, opts: Opts) =>
    run(opts, async (store) => {
      const ref = await resolveEntity(store, entity);
      await classifyEntity(store, cliActor(), opts.org, ref, value, now());
      await write(ctx.io.stdout, `classified ${ref.kind} ${ref.id} ${value}\n`);
    }),
  );
}
