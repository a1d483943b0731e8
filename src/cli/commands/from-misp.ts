// `warren sig from-misp FILE…` (docs/SHARING.md): MISP events (an event, a list of them, a REST
// search answer, a feed's event files or its manifest.json, whose events are read from beside it)
// as signatures: printed as YAML (re-importable with `sig import`), or with --import stored in
// the organisation and retro-hunted. Attributes Warren cannot read are reported with file, event
// and index, and the rest kept (exit 1); a file that is no MISP at all stops the work (exit 2).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { isoSeconds, systemClock } from '../../services/clock.js';
import { importSignatures } from '../../services/org-signatures.js';
import { signaturesFromMisp } from '../../services/sharing/from-misp.js';
import { formatError, parseSignatureText } from '../../signatures/load.js';
import { toYaml } from '../../signatures/serialise.js';
import type { Signature } from '../../signatures/types.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { cliActor, withDb, withOrg, withStore } from '../store-options.js';

interface Opts {
  db?: string;
  org: string;
  import?: boolean;
  json?: boolean;
}

async function readText(file: string): Promise<string | Error> {
  return readFile(file, 'utf8').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
}

export function registerFromMisp(sig: Command, ctx: CommandContext): void {
  withOrg(
    withDb(
      sig
        .command('from-misp')
        .description('MISP events (event JSON, feed files or manifest.json) as signatures: one per attribute type and event, literal patterns, the event tags as tags')
        .argument('<files...>', 'MISP JSON files')
        .option('--import', 'store them in the organisation (and retro-hunt) instead of printing YAML')
        .option('--json', 'with --import: print the report as one JSON object'),
    ),
  ).action(async (files: string[], opts: Opts) => {
    const signatures: Signature[] = [];
    let problems = 0;
    let fatal = false;
    const queue = [...files];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = await readText(file);
      if (text instanceof Error) {
        await write(ctx.io.stderr, `${file}: ${text.message}\n`);
        fatal = true;
        continue;
      }
      const got = signaturesFromMisp(text);
      for (const p of got.problems) await write(ctx.io.stderr, `${file}: ${p.at}: ${p.message}\n`);
      if (got.problems.some((p) => p.at === 'document')) fatal = true;
      problems += got.problems.length;
      signatures.push(...got.signatures);
      // A feed's manifest: its events are the files beside it.
      for (const uuid of got.manifest ?? []) queue.push(join(dirname(file), `${uuid}.json`));
    }
    if (fatal) {
      ctx.exitCode = EXIT_USAGE;
      return;
    }
    // Through the file format's own checks, as `sig import` would read the printed YAML.
    const yaml = toYaml(signatures);
    const checked = parseSignatureText(yaml, 'from-misp');
    if (checked.errors.length > 0) {
      for (const e of checked.errors) await write(ctx.io.stderr, `${formatError(e)}\n`);
      ctx.exitCode = EXIT_USAGE;
      return;
    }
    if (!opts.import) {
      await write(ctx.io.stdout, yaml);
      await write(ctx.io.stderr, `${checked.signatures.length} signature${checked.signatures.length === 1 ? '' : 's'} from ${files.length} file${files.length === 1 ? '' : 's'}${problems > 0 ? `; ${problems} attribute${problems === 1 ? '' : 's'} left out` : ''}\n`);
      ctx.exitCode = problems > 0 ? EXIT_PROBLEMS : EXIT_OK;
      return;
    }
    await withStore(opts, async (store) => {
      const report = await importSignatures(store, opts.org, checked.signatures, { now: isoSeconds(systemClock()), actor: cliActor() });
      if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(report)}\n`);
      else {
        await write(ctx.io.stdout, `imported into ${opts.org}: ${report.created.length} new, ${report.changed.length} changed, ${report.unchanged.length} unchanged\n`);
        if (report.hunt) await write(ctx.io.stdout, `retro-hunt: ${report.hunt.matched} matched; tags ${report.hunt.applied.tags}, classifications ${report.hunt.applied.classifications}\n`);
      }
      ctx.exitCode = problems > 0 ? EXIT_PROBLEMS : EXIT_OK;
    });
  });
}
