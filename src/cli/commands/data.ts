// `warren ingest`, `warren stats`, `warren lookup` (cli.md, "Data").
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { FORMATS } from '../../ingest/formats.js';
import { InputError, openInput } from '../../ingest/input.js';
import { isoSeconds, systemClock } from '../../services/clock.js';
import { EVERY_ORG } from '../../services/ingest/evaluate-batch.js';
import { IngestPipeline } from '../../services/ingest/pipeline.js';
import { chooseFormat, type Progress } from '../../services/ingest/read.js';
import { identify, lookup } from '../../services/lookup.js';
import { createLiveLookups } from '../../services/live/create.js';
import type { LiveLookups } from '../../services/live/live.js';
import { liveSettingsFromEnv, parseMode, SettingError, type LiveMode } from '../../services/live/settings.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { openStore, withDb, withOrg } from '../store-options.js';

function progressBar(ctx: CommandContext): ((p: Progress) => void) | undefined {
  const err = ctx.io.stderr as NodeJS.WriteStream;
  if (!err.isTTY) return undefined;
  const started = performance.now();
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 200) return;
    last = now;
    const secs = (now - started) / 1000;
    const rate = p.records / Math.max(secs, 0.001);
    let eta = '';
    if (p.size && p.bytesRead > 0) {
      const left = (secs * (p.size - p.bytesRead)) / p.bytesRead;
      eta = `  ETA ${Math.floor(left / 60)}:${String(Math.round(left % 60)).padStart(2, '0')}`;
    }
    err.write(`\r${p.input}: ${p.records.toLocaleString('en-US')} records  ${Math.round(rate).toLocaleString('en-US')}/s${eta}   `);
  };
}

export function registerData(program: Command, ctx: CommandContext): void {
  withDb(
    program
      .command('ingest')
      .description('load data files into the store (format detected from content; .gz read transparently)')
      .argument('<inputs...>', "files, or '-' for standard input")
      .option('--format <name>', 'input format (default: detected)')
      .option('--domain <name>', 'the domain of a WHOIS reply that does not name it')
      .option('--rejects <file>', 'also write rejected records (input:line: reason) to this file')
      .option('--json', 'print the summary as one JSON object'),
  ).action(async (inputs: string[], opts: { db?: string; format?: string; domain?: string; rejects?: string; json?: boolean }) => {
    const store = await openStore(opts);
    let rejects: WriteStream | undefined;
    try {
      rejects = opts.rejects ? createWriteStream(opts.rejects) : undefined;
      const onProgress = progressBar(ctx);
      const report = async (line: string): Promise<void> => {
        await write(ctx.io.stderr, line);
        if (rejects) await write(rejects, line);
      };
      // The operator's data: every organisation's enabled signatures see each batch as it is stored.
      const pipeline = new IngestPipeline(store, {
        scope: EVERY_ORG,
        now: () => isoSeconds(systemClock()),
        ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
        ...(onProgress ? { onProgress } : {}),
        onReject: (r) => report(`${r.input}:${r.line}: ${r.message}\n`),
      });
      const summary = pipeline.summary;
      for (const path of inputs) {
        let input;
        try {
          input = await openInput(path, ctx.io.stdin);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          summary.rejected++;
          await report(`${e.message}\n`);
          continue;
        }
        const chosen = chooseFormat(FORMATS, input, opts.format, '--format');
        if ('error' in chosen) {
          await pipeline.refuse(input.name, chosen.error);
          continue;
        }
        await pipeline.ingest(input, chosen.format);
      }
      const actions = summary.actions;
      if (onProgress) ctx.io.stderr.write('\n');
      if (opts.json) {
        await write(ctx.io.stdout, `${JSON.stringify(summary)}\n`);
      } else {
        const kinds = Object.entries<number>(summary.stored).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`);
        await write(
          ctx.io.stdout,
          `read ${summary.read.toLocaleString('en-US')}; stored ${kinds.length > 0 ? kinds.join(', ') : 'nothing'}; rejected ${summary.rejected.toLocaleString('en-US')}\n`,
        );
        if (actions.tags + actions.classifications + actions.notifications > 0) {
          await write(ctx.io.stdout, `signatures: ${actions.tags} tags, ${actions.classifications} classifications, ${actions.notifications} new notifications\n`);
        }
      }
      ctx.exitCode = summary.rejected > 0 ? EXIT_PROBLEMS : EXIT_OK;
    } finally {
      if (rejects) {
        const file = rejects;
        await new Promise<void>((resolve) => file.end(resolve));
      }
      await store.close();
    }
  });

  withDb(program.command('stats').description('counts of entities and relations in the store').option('--json', 'print as one JSON object')).action(
    async (opts: { db?: string; json?: boolean }) => {
      const store = await openStore(opts);
      try {
        const s = await store.stats();
        if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(s)}\n`);
        else for (const [k, v] of Object.entries<number>({ ...s })) await write(ctx.io.stdout, `${k.padEnd(14)} ${v.toLocaleString('en-US')}\n`);
      } finally {
        await store.close();
      }
    },
  );

  withOrg(
    withDb(
      program
        .command('lookup')
        .description('show a domain, IP or certificate (SHA-1 or SHA-256): its fields and related entities')
        .argument('<entity>', 'domain, IP address, or certificate fingerprint')
        .option('--live <mode>', 'live look-ups for this view: off, missing or always (default: WARREN_LIVE, else missing)')
        .option('--json', 'print as one JSON object'),
    ),
  ).action(async (entity: string, opts: { db?: string; org: string; json?: boolean; live?: string }) => {
    let lookups: LiveLookups;
    let mode: LiveMode | undefined;
    try {
      lookups = createLiveLookups(liveSettingsFromEnv());
      mode = opts.live === undefined ? undefined : parseMode(opts.live, '--live');
    } catch (e) {
      if (e instanceof SettingError) throw new UsageError(e.message);
      throw e;
    }
    const store = await openStore(opts);
    try {
      if (!identify(entity)) throw new UsageError(`"${entity}" is not a domain, an IP address or a certificate fingerprint`);
      const v = await lookup(store, entity, { org: opts.org, now: isoSeconds(systemClock()), live: { lookups, ...(mode !== undefined ? { mode } : {}) } });
      if (!v) {
        await write(ctx.io.stderr, `no certificate ${entity} in the store\n`);
        ctx.exitCode = EXIT_PROBLEMS;
        return;
      }
      if (opts.json) {
        await write(ctx.io.stdout, `${JSON.stringify(v)}\n`);
        return;
      }
      await write(ctx.io.stdout, `${v.kind} ${v.id}${v.der === false ? '  (fields only — no DER)' : ''}${v.known ? '' : '  — nothing known'}\n`);
      for (const l of v.live) await write(ctx.io.stdout, `  live ${l.source.padEnd(8)} ${l.status.padEnd(8)} ${l.at}${l.detail ? `  ${l.detail}` : ''}\n`);
      for (const [f, vals] of Object.entries(v.fields)) {
        if (f === 'whois.raw') continue;
        await write(ctx.io.stdout, `  ${f.padEnd(32)} ${vals.join(', ')}\n`);
      }
      for (const [k, ids] of Object.entries(v.related)) if (ids.length > 0) await write(ctx.io.stdout, `  related ${k}: ${ids.join(', ')}\n`);
      for (const t of v.tags) {
        await write(ctx.io.stdout, `  tag ${t.name}  ${t.source === 'manual' ? 'by hand' : `by ${t.signature} (${t.field} = ${t.value})`}\n`);
      }
      if (v.classification) {
        const c = v.classification;
        await write(ctx.io.stdout, `  classification ${c.value}  ${c.source === 'manual' ? 'by hand' : `by ${c.signature}`}\n`);
      }
    } finally {
      await store.close();
    }
  });
}
