// `warren pack publish | grant | revoke | list | show | subscribe | unsubscribe | disable | enable`
// (cli.md, "Signature packs"; docs/PACKS.md): signature packs between organisations. `--org` is the
// acting organisation: the publisher for publish, grant and revoke; the subscriber for the rest.
// The use cases are services/packs.ts's, the API's too, audited there with the CLI's actor.
import type { Command } from 'commander';
import { isoSeconds, systemClock } from '../../services/clock.js';
import { grantPack, listPacks, publishPack, revokePack, setPackSignature, showPack, subscribePack, unsubscribePack, type SyncReport } from '../../services/packs.js';
import { parsePackRef, type PackRef } from '../../services/pack-ref.js';
import { EXIT_OK, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { cliActor, withDb, withOrg, withStore } from '../store-options.js';

interface StoreOpts {
  db?: string;
  org: string;
  json?: boolean;
}

function refArgument(text: string): PackRef {
  const ref = parsePackRef(text);
  if (!ref) throw new UsageError(`"${text}" is not a pack: write PUBLISHER/NAME (organisation and pack name)`);
  return ref;
}

function syncLines(r: SyncReport): string {
  if (!r.changed) return `${r.pack}: already at version ${r.version}\n`;
  const lines = [`${r.pack}: version ${r.version}; ${r.added.length} new, ${r.updated.length} changed, ${r.removed.length} removed signatures`];
  if (r.hunt) lines.push(`retro-hunt: ${r.hunt.matched} matched; tags ${r.hunt.applied.tags}, classifications ${r.hunt.applied.classifications}, new notifications ${r.hunt.applied.notifications}`);
  if (r.withdrawn.tags + r.withdrawn.classifications > 0) lines.push(`withdrawn: ${r.withdrawn.tags} tags, ${r.withdrawn.classifications} classifications`);
  return `${lines.join('\n')}\n`;
}

export function registerPack(program: Command, ctx: CommandContext): void {
  const pack = program.command('pack').description('signature packs: publish some of an organisation’s signatures to others, or subscribe to theirs');
  const now = (): string => isoSeconds(systemClock());
  const command = (name: string, description: string): Command => withOrg(withDb(pack.command(name).description(description))).option('--json', 'print the result as JSON');
  const done = async (opts: StoreOpts, result: unknown, text: string): Promise<void> => {
    await write(ctx.io.stdout, opts.json ? `${JSON.stringify(result)}\n` : text);
    ctx.exitCode = EXIT_OK;
  };

  command('publish', "publish a new version of a pack: a snapshot of the signatures' text now; subscribers move to it and retro-hunt")
    .argument('<name>', 'pack name')
    .argument('[ids...]', "signature ids (default: the current version's)")
    .option('--description <text>', 'what the pack is for')
    .action(async (name: string, ids: string[], opts: StoreOpts & { description?: string }) =>
      withStore(opts, async (store) => {
        const r = await publishPack(store, opts.org, name, {
          now: now(),
          actor: cliActor(),
          ...(ids.length > 0 ? { signatures: ids } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
        });
        await done(opts, r, r.unchanged ? `${r.pack}: unchanged at version ${r.version}\n` : `${r.pack}: version ${r.version} (${r.signatures.join(', ')}); ${r.subscribers} subscription${r.subscribers === 1 ? '' : 's'} updated\n`);
      }),
    );

  command('grant', 'allow another organisation to subscribe to a pack (the publisher’s consent)')
    .argument('<name>', 'pack name')
    .argument('<org>', 'the organisation allowed')
    .action(async (name: string, consumer: string, opts: StoreOpts) =>
      withStore(opts, async (store) => {
        const r = await grantPack(store, opts.org, name, consumer, { now: now(), actor: cliActor() });
        await done(opts, r, r.granted ? `${consumer} may subscribe to ${opts.org}/${name}\n` : `${consumer} could already subscribe to ${opts.org}/${name}\n`);
      }),
    );

  command('revoke', 'withdraw the consent: the organisation’s subscription ends and what the pack tagged there goes')
    .argument('<name>', 'pack name')
    .argument('<org>', 'the organisation')
    .action(async (name: string, consumer: string, opts: StoreOpts) =>
      withStore(opts, async (store) => {
        const r = await revokePack(store, opts.org, name, consumer, { now: now(), actor: cliActor() });
        await done(opts, r, `${consumer} may no longer subscribe to ${opts.org}/${name}${r.unsubscribed ? '; its subscription ended' : ''}\n`);
      }),
    );

  command('list', 'the packs the organisation publishes (and who may subscribe) and those offered to it (and its subscriptions)').action(async (opts: StoreOpts) =>
    withStore(opts, async (store) => {
      const r = await listPacks(store, opts.org);
      const lines = [
        ...r.published.map((p) => `published  ${p.pack}  v${p.version}  ${p.signatures.length} signatures  granted: ${p.grants.map((g) => `${g.org}${g.subscribed_version === null ? '' : ` (subscribed v${g.subscribed_version})`}`).join(', ') || 'nobody'}`),
        ...r.offered.map((p) => `offered    ${p.pack}  v${p.version}  ${p.signatures} signatures  ${p.subscription ? `subscribed v${p.subscription.version}${p.subscription.disabled.length > 0 ? `, off: ${p.subscription.disabled.join(', ')}` : ''}` : 'not subscribed'}`),
      ];
      await done(opts, r, lines.length === 0 ? `no packs published by or offered to ${opts.org}\n` : `${lines.join('\n')}\n`);
    }),
  );

  command('show', "a pack's signatures, read-only (a subscriber's: at its version, with its own hits)")
    .argument('<pack>', 'PUBLISHER/NAME')
    .action(async (text: string, opts: StoreOpts) =>
      withStore(opts, async (store) => {
        const v = await showPack(store, opts.org, refArgument(text));
        const head = `${v.pack} v${v.shown_version}${v.shown_version !== v.version ? ` (newest v${v.version})` : ''}${v.description ? `: ${v.description}` : ''}`;
        const rows = v.signatures.map((s) => `${s.enabled ? 'on ' : 'off'}  ${s.runs_as}  ${s.field}  ${s.hits === null ? '' : `${s.hits} hits  `}${s.title}`);
        await done(opts, v, `${[head, ...rows].join('\n')}\n`);
      }),
    );

  command('subscribe', 'subscribe the organisation to a pack offered to it (or bring it up to date); retro-hunts')
    .argument('<pack>', 'PUBLISHER/NAME')
    .action(async (text: string, opts: StoreOpts) =>
      withStore(opts, async (store) => {
        const r = await subscribePack(store, opts.org, refArgument(text), { now: now(), actor: cliActor() });
        await done(opts, r, syncLines(r));
      }),
    );

  command('unsubscribe', "end the subscription; the pack's tags and classifications are withdrawn")
    .argument('<pack>', 'PUBLISHER/NAME')
    .action(async (text: string, opts: StoreOpts) =>
      withStore(opts, async (store) => {
        const r = await unsubscribePack(store, opts.org, refArgument(text), { now: now(), actor: cliActor() });
        await done(opts, r, `unsubscribed from ${r.pack}; withdrawn: ${r.withdrawn.tags} tags, ${r.withdrawn.classifications} classifications\n`);
      }),
    );

  for (const change of ['disable', 'enable'] as const) {
    command(change, change === 'disable' ? "switch one of a subscribed pack's signatures off here; its tags are withdrawn" : "switch a pack's signature back on; it retro-hunts")
      .argument('<pack>', 'PUBLISHER/NAME')
      .argument('<id>', "the signature's id in the pack")
      .action(async (text: string, id: string, opts: StoreOpts) =>
        withStore(opts, async (store) => {
          const r = await setPackSignature(store, opts.org, refArgument(text), id, change === 'enable', { now: now(), actor: cliActor() });
          await done(opts, r, r.status === 'unchanged' ? `${text}/${id} is already ${change}d\n` : `${r.id} ${change}d${r.withdrawn.tags > 0 ? `; withdrawn ${r.withdrawn.tags} tags` : ''}${r.hunt ? `; retro-hunt tagged ${r.hunt.applied.tags}` : ''}\n`);
        }),
      );
  }
}
