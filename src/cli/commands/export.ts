// `warren export` (docs/SHARING.md): one of the organisation's lists — a tag, a classification,
// a signature's hits, or every entity with a catalogue field's value (`--pivot field=value`) —
// as CSV (what GET /pivot?format=csv gives), a STIX 2.1 bundle or a MISP event; or with
// `--feed DIR`, the organisation's whole MISP feed (manifest.json and one event per tag and
// signature) written into DIR for a MISP instance to subscribe to.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { csvLine } from '../../api/csv.js';
import { EXPORT_CAP, pivotExport } from '../../services/pivot.js';
import { exportMispEvent, exportStix, mispFeedEvent, mispFeedHashes, mispFeedManifest } from '../../services/sharing/export.js';
import { EXIT_OK, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { withDb, withOrg, withStore } from '../store-options.js';

interface Opts {
  db?: string;
  org: string;
  format: string;
  tag?: string;
  classification?: string;
  signature?: string;
  pivot?: string;
  feed?: string;
}

const FORMATS = ['stix', 'misp', 'csv'] as const;

/** The one list the flags name, as the pivot's field and value. */
function selected(opts: Opts): { field: string; value: string } {
  const given: { field: string; value: string }[] = [];
  if (opts.tag !== undefined) given.push({ field: 'tag', value: opts.tag });
  if (opts.classification !== undefined) given.push({ field: 'classification', value: opts.classification });
  if (opts.signature !== undefined) given.push({ field: 'signature', value: opts.signature });
  if (opts.pivot !== undefined) {
    const eq = opts.pivot.indexOf('=');
    if (eq <= 0 || eq === opts.pivot.length - 1) throw new UsageError(`--pivot takes FIELD=VALUE, e.g. whois.registrant.email=46313@qq.com (got "${opts.pivot}")`);
    given.push({ field: opts.pivot.slice(0, eq), value: opts.pivot.slice(eq + 1) });
  }
  if (given.length !== 1) throw new UsageError('name exactly one list: --tag T, --classification C, --signature ID or --pivot FIELD=VALUE (or --feed DIR)');
  return given[0]!;
}

function warnTruncated(truncated: string | null): string {
  return truncated === null ? '' : `export stopped early (${truncated === 'limit' ? `at ${EXPORT_CAP.toLocaleString('en-US')} entities` : 'at its scan cap'})\n`;
}

export function registerExport(program: Command, ctx: CommandContext): void {
  withOrg(
    withDb(
      program
        .command('export')
        .description('export a list (tag, classification, signature, pivot) as STIX 2.1, a MISP event or CSV; or the MISP feed of every tag and signature')
        .option('--format <format>', `${FORMATS.join(' | ')}`, 'csv')
        .option('--tag <name>', 'entities carrying the tag')
        .option('--classification <value>', 'entities with this effective classification')
        .option('--signature <id>', 'entities the signature tags, classifies or alerted on')
        .option('--pivot <field=value>', 'entities with this value of a catalogue field')
        .option('--feed <dir>', 'write the MISP feed (manifest.json, hashes.csv and one event per tag and signature) into DIR'),
    ),
  ).action((opts: Opts) =>
    withStore(opts, async (store) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
      if (opts.feed !== undefined) {
        if (opts.format !== 'misp') throw new UsageError('--feed writes a MISP feed: give --format misp');
        if (opts.tag ?? opts.classification ?? opts.signature ?? opts.pivot) throw new UsageError('--feed exports every tag and signature: name no list');
        const manifest = await mispFeedManifest(store, opts.org);
        await mkdir(opts.feed, { recursive: true });
        for (const uuid of Object.keys(manifest)) await writeFile(join(opts.feed, `${uuid}.json`), JSON.stringify(await mispFeedEvent(store, opts.org, uuid)));
        await writeFile(join(opts.feed, 'hashes.csv'), await mispFeedHashes(store, opts.org));
        await writeFile(join(opts.feed, 'manifest.json'), JSON.stringify(manifest));
        await write(ctx.io.stderr, `MISP feed of ${opts.org}: ${Object.keys(manifest).length} events in ${opts.feed}\n`);
        ctx.exitCode = EXIT_OK;
        return;
      }
      const { field, value } = selected(opts);
      if (opts.format === 'csv') {
        const pages = pivotExport(store, opts.org, field, value);
        await write(ctx.io.stdout, csvLine(['kind', 'id', 'value']));
        for (let r = await pages.next(); ; r = await pages.next()) {
          if (r.done) {
            await write(ctx.io.stderr, warnTruncated(r.value.truncated));
            break;
          }
          await write(ctx.io.stdout, r.value.map((i) => csvLine([i.kind, i.id, i.value ?? ''])).join(''));
        }
      } else {
        const done = opts.format === 'stix' ? await exportStix(store, opts.org, field, value) : await exportMispEvent(store, opts.org, field, value);
        await write(ctx.io.stdout, `${JSON.stringify(done.body, null, 1)}\n`);
        await write(ctx.io.stderr, warnTruncated(done.truncated));
      }
      ctx.exitCode = EXIT_OK;
    }),
  );
}
