// `warren sig import | list | export | enable | disable | rm | preview | history` (cli.md,
// "Signatures in an organisation").
import type { Command } from 'commander';
import { isoSeconds, systemClock } from '../../services/clock.js';
import type { HuntReport } from '../../services/retro-hunt.js';
import {
  type ChangeOptions,
  changeSignature,
  exportSignatures,
  history,
  importSignatures,
  listSignatures,
  previewSignatures,
} from '../../services/org-signatures.js';
import { ACTION_KINDS } from '../../signatures/actions.js';
import { formatError, loadSignatureFiles } from '../../signatures/load.js';
import { toYaml } from '../../signatures/serialise.js';
import { EXIT_OK, EXIT_USAGE, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { cliActor, openStore, withDb, withOrg } from '../store-options.js';

interface StoreOpts {
  db?: string;
  org: string;
  json?: boolean;
}

/** Change options for a service call: the time, and retro-hunt progress on a terminal. */
async function withHuntProgress<T>(ctx: CommandContext, now: string, f: (opts: ChangeOptions) => Promise<T>): Promise<T> {
  const err = ctx.io.stderr as NodeJS.WriteStream;
  if (!err.isTTY) return f({ now });
  const result = await f({
    now,
    onProgress: (p) => err.write(`\rretro-hunt: ${p.kind}s ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}   `),
  });
  err.write('\n');
  return result;
}

function huntLine(h: HuntReport): string {
  const scanned = Object.entries(h.scanned).map(([k, n]) => `${n.toLocaleString('en-US')} ${k}s`);
  return `retro-hunt: scanned ${scanned.join(', ') || 'nothing'}; ${h.matched} matched; tags ${h.applied.tags}, classifications ${h.applied.classifications}, new notifications ${h.applied.notifications}`;
}

async function loadOrFail(ctx: CommandContext, files: string[]): Promise<Awaited<ReturnType<typeof loadSignatureFiles>>['signatures'] | undefined> {
  const { signatures, errors } = await loadSignatureFiles(files);
  if (errors.length === 0) return signatures;
  for (const e of errors) await write(ctx.io.stdout, `${formatError(e)}\n`);
  await write(ctx.io.stderr, `${errors.length} error${errors.length === 1 ? '' : 's'}: nothing imported\n`);
  ctx.exitCode = EXIT_USAGE;
  return undefined;
}

export function registerOrgSig(sig: Command, ctx: CommandContext): void {
  const now = (): string => isoSeconds(systemClock());
  const command = (name: string, description: string): Command => withOrg(withDb(sig.command(name).description(description)));

  command('import', "store signature files in the organisation, all or none; retro-hunt the new and changed ones")
    .argument('<files...>', 'YAML or JSON signature files')
    .option('--json', 'print the report as one JSON object')
    .action(async (files: string[], opts: StoreOpts) => {
      const signatures = await loadOrFail(ctx, files);
      if (!signatures) return;
      const store = await openStore(opts);
      try {
        const report = await withHuntProgress(ctx, now(), (o) => importSignatures(store, opts.org, signatures, { ...o, actor: cliActor() }));
        if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(report)}\n`);
        else {
          await write(ctx.io.stdout, `imported into ${opts.org}: ${report.created.length} new, ${report.changed.length} changed, ${report.unchanged.length} unchanged\n`);
          if (report.hunt) await write(ctx.io.stdout, `${huntLine(report.hunt)}\n`);
          const w = report.withdrawn;
          if (w.tags + w.classifications > 0) await write(ctx.io.stdout, `withdrawn: ${w.tags} tags, ${w.classifications} classifications\n`);
        }
        ctx.exitCode = EXIT_OK;
      } finally {
        await store.close();
      }
    });

  command('list', "the organisation's signatures")
    .option('--json', 'print as JSON')
    .action(async (opts: StoreOpts) => {
      const store = await openStore(opts);
      try {
        const list = await listSignatures(store, opts.org);
        if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(list)}\n`);
        else
          for (const s of list) {
            await write(ctx.io.stdout, `${s.enabled ? 'on ' : 'off'}  ${s.id}  v${s.version}  ${s.field}  ${s.patterns} pattern${s.patterns === 1 ? '' : 's'}  ${s.actions.join(' ')}  ${s.title}\n`);
          }
      } finally {
        await store.close();
      }
    });

  command('export', "the organisation's signatures (all, or those named) as YAML, re-importable")
    .argument('[ids...]', 'signature ids')
    .action(async (ids: string[], opts: StoreOpts) => {
      const store = await openStore(opts);
      try {
        const { signatures, missing } = await exportSignatures(store, opts.org, ids.length > 0 ? ids : undefined);
        if (missing.length > 0) throw new UsageError(`no signature ${missing.join(', ')} in organisation ${opts.org}`);
        await write(ctx.io.stdout, toYaml(signatures));
      } finally {
        await store.close();
      }
    });

  for (const change of ['enable', 'disable', 'rm'] as const) {
    const what = { enable: 'enable a signature and retro-hunt with it', disable: 'disable a signature and withdraw what it added', rm: 'remove a signature (its history stays) and withdraw what it added' }[change];
    command(change, what)
      .argument('<id>', 'signature id')
      .option('--json', 'print the result as JSON')
      .action(async (id: string, opts: StoreOpts) => {
        const store = await openStore(opts);
        try {
          const r = await withHuntProgress(ctx, now(), (o) => changeSignature(store, opts.org, id, change, { ...o, actor: cliActor() }));
          if (r.status === 'missing') throw new UsageError(`no signature ${id} in organisation ${opts.org}`);
          if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(r)}\n`);
          else if (r.status === 'unchanged') await write(ctx.io.stdout, `${id} is already ${change === 'enable' ? 'enabled' : 'disabled'}\n`);
          else {
            await write(ctx.io.stdout, `${id}: ${change === 'rm' ? 'removed' : `${change}d`} (version ${r.version})\n`);
            if (r.hunt) await write(ctx.io.stdout, `${huntLine(r.hunt)}\n`);
            if (r.withdrawn.tags + r.withdrawn.classifications > 0) {
              await write(ctx.io.stdout, `withdrawn: ${r.withdrawn.tags} tags, ${r.withdrawn.classifications} classifications\n`);
            }
          }
        } finally {
          await store.close();
        }
      });
  }

  command('preview', 'what signature files would tag, classify or alert in the stored data; stores nothing')
    .argument('<files...>', 'YAML or JSON signature files')
    .option('--json', 'print the report as one JSON object')
    .action(async (files: string[], opts: StoreOpts) => {
      const signatures = await loadOrFail(ctx, files);
      if (!signatures) return;
      const store = await openStore(opts);
      try {
        const r = await withHuntProgress(ctx, now(), (o) => previewSignatures(store, opts.org, signatures, o));
        if (opts.json) {
          await write(ctx.io.stdout, `${JSON.stringify({ scanned: r.scanned, matched: r.matched, planned: r.planned, sample: r.sample })}\n`);
          return;
        }
        const scanned = Object.entries(r.scanned).map(([k, n]) => `${n.toLocaleString('en-US')} ${k}s`);
        await write(ctx.io.stdout, `scanned ${scanned.join(', ') || 'nothing'}; ${r.matched} matched; would ${ACTION_KINDS.map((k) => `${k} ${r.planned[k]}`).join(', ')}\n`);
        for (const s of r.sample) await write(ctx.io.stdout, `  ${s.action} → ${s.target.kind} ${s.target.id}  (${s.signature}: ${s.field} = ${s.value})\n`);
      } finally {
        await store.close();
      }
    });

  command('history', "every version of a signature, with what changed")
    .argument('<id>', 'signature id')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: StoreOpts) => {
      const store = await openStore(opts);
      try {
        const versions = await history(store, opts.org, id);
        if (versions.length === 0) throw new UsageError(`no signature ${id} in organisation ${opts.org}`);
        if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(versions)}\n`);
        else for (const v of versions) await write(ctx.io.stdout, `v${v.version}  ${v.at}  ${v.change.padEnd(7)}  ${v.enabled ? 'enabled' : 'disabled'}\n`);
      } finally {
        await store.close();
      }
    });
}
