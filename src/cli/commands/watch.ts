// `warren watch SOURCE… [--from N|latest-N] [--every 1h] [--log-list FILE-or-URL [--usable]]`
// follows feeds (live.md "Feeds") until SIGINT/SIGTERM, which finish the batch in hand, commit it
// and exit 0; `warren watch --status [--json]` prints where each feed stands and exits.
import type { Command } from 'commander';
import type { FeedSource } from '../../feeds/types.js';
import { isoSeconds, systemClock } from '../../services/clock.js';
import { ServiceError } from '../../services/errors.js';
import type { FeedRunProgress, FeedRunSummary } from '../../services/feeds/runner.js';
import { tightenHeap } from '../heap.js';
import { feedLease, feedSettingsFromEnv, runnerTiming, type FeedSettings } from '../../services/feeds/settings.js';
import { feedStatus, type FeedStatus } from '../../services/feeds/status.js';
import { feedSources, watchFeeds } from '../../services/feeds/watch.js';
import { parseDuration, SettingError } from '../../services/live/settings.js';
import { UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { openStore, withDb, withStore } from '../store-options.js';

interface WatchFlags {
  db?: string;
  from?: string;
  every?: string;
  logList?: string;
  usable?: boolean;
  status?: boolean;
  json?: boolean;
}

const n = (v: number): string => v.toLocaleString('en-US');

function positionText(s: { index: number | null; position: unknown }): string {
  if (s.index !== null) return n(s.index);
  return s.position === null ? '—' : JSON.stringify(s.position);
}

function statusTable(list: readonly FeedStatus[]): string {
  if (list.length === 0) return 'no feeds followed yet (warren watch SOURCE…)\n';
  const rows = list.map((s) => [
    s.feed,
    positionText(s),
    s.size === null ? '—' : n(s.size),
    s.lag === null ? '—' : n(s.lag),
    String(s.rate),
    n(s.entries),
    s.lastError === null ? '' : `${s.lastErrorAt ?? ''} ${s.lastError} (${n(s.errors)} in all)`,
  ]);
  const head = ['FEED', 'POSITION', 'SIZE', 'LAG', 'ENTRIES/S', 'ENTRIES', 'LAST ERROR'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

function progressLine(p: FeedRunProgress): string {
  const where = p.position === undefined ? 'start' : typeof p.position.index === 'number' ? n(p.position.index) : JSON.stringify(p.position);
  const size = p.size === undefined ? '' : ` of ${n(p.size)}`;
  const lag = p.lag === undefined ? '' : `, lag ${n(p.lag)}`;
  const state =
    p.state === 'error' ? `  retrying in ${Math.ceil((p.waitMs ?? 0) / 1000)}s: ${p.error}` : p.state === 'idle' ? '  up to date' : p.state === 'standby' ? `  standing by (${p.holder ?? 'another process'} follows it)` : '';
  return `${p.feed}: ${where}${size}${lag}, ${p.rate.toFixed(1)} entries/s${state}`;
}

/** One line per feed on a terminal, redrawn in place; log lines (errors, rejects) scroll above it. */
class TerminalProgress {
  private readonly lines = new Map<string, string>();
  private drawn = 0;
  private last = 0;
  constructor(
    private readonly out: NodeJS.WritableStream,
    feeds: readonly string[],
  ) {
    for (const f of feeds) this.lines.set(f, `${f}: starting`);
  }
  update(p: FeedRunProgress): void {
    this.lines.set(p.feed, progressLine(p));
    const now = performance.now();
    if (p.state === 'batch' && now - this.last < 200) return;
    this.last = now;
    this.draw();
  }
  log(text: string): void {
    this.clear();
    this.out.write(text);
    this.draw();
  }
  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }
  draw(): void {
    this.clear();
    const cols = (this.out as NodeJS.WriteStream).columns ?? 120;
    for (const l of this.lines.values()) this.out.write(`${l.length > cols - 1 ? `${l.slice(0, cols - 2)}…` : l}\n`);
    this.drawn = this.lines.size;
  }
}

function summaryLine(s: FeedRunSummary): string {
  const where = s.position === undefined ? 'nothing read' : `at ${JSON.stringify(s.position)}`;
  return `${s.feed}: ${n(s.entries)} entries in ${n(s.batches)} batches, ${n(s.records)} records, ${n(s.rejected)} rejected, ${n(s.errors)} errors; ${s.actions.notifications} new notifications; ${where}\n`;
}

export function registerWatch(program: Command, ctx: CommandContext): void {
  withDb(
    program
      .command('watch')
      .description('follow feeds (CT logs, certstream, new-domain lists) until SIGINT/SIGTERM; --status shows where each stands')
      .argument('[sources...]', 'ct:URL, ct-tiles:URL, certstream:ws(s)://…, domains:URL-or-PATH')
      .option('--from <n>', 'where a feed starts on its first run: an index, or latest-N (default: the source’s own)')
      .option('--every <duration>', 'how often a domains: list is read again (e.g. 1h, 30m)')
      .option('--log-list <file-or-url>', 'follow every log of a CT log list (v3 JSON)')
      .option('--usable', 'with --log-list: only the logs in the usable state')
      .option('--status', 'print each feed’s position, size, lag, entries/s and last error, and exit')
      .option('--json', 'with --status: as JSON; otherwise the final summary as JSON'),
  ).action(async (args: string[], opts: WatchFlags) => {
    if (opts.status) {
      if (args.length > 0 || opts.logList !== undefined) throw new UsageError('--status takes no sources: it shows every feed the store knows');
      await withStore(opts, async (store) => {
        const list = await feedStatus(store);
        await write(ctx.io.stdout, opts.json ? `${JSON.stringify(list)}\n` : statusTable(list));
      });
      return;
    }
    let everyMs: number | undefined;
    if (opts.every !== undefined) {
      everyMs = parseDuration(opts.every);
      if (everyMs === undefined) throw new UsageError(`--every "${opts.every}" is not a duration like 30m, 1h or 1d`);
    }
    let settings: FeedSettings;
    try {
      settings = feedSettingsFromEnv();
      tightenHeap();
    } catch (e) {
      if (e instanceof SettingError) throw new UsageError(e.message);
      throw e;
    }
    let sources: FeedSource[];
    try {
      sources = await feedSources({
        sources: args,
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(everyMs !== undefined ? { everyMs } : {}),
        ...(opts.logList !== undefined ? { logList: opts.logList } : {}),
        ...(opts.usable ? { usable: true } : {}),
        ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      });
    } catch (e) {
      if (e instanceof ServiceError) throw new UsageError(e.message);
      throw e;
    }
    const store = await openStore(opts).catch(async (e: unknown) => {
      await Promise.all(sources.map((s) => s.close()));
      throw e;
    });
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const err = ctx.io.stderr as NodeJS.WriteStream;
    const terminal = err.isTTY ? new TerminalProgress(err, sources.map((s) => s.id)) : undefined;
    const log = (text: string): void => {
      if (terminal) terminal.log(text);
      else err.write(text);
    };
    try {
      terminal?.draw();
      const summaries = await watchFeeds(store, sources, {
        signal: stop.signal,
        ...runnerTiming(settings),
        onProgress: (p) => {
          // Off a terminal (a service's log), only what an operator must know: failures, replays.
          if (p.state === 'error') log(`${isoSeconds(systemClock())} ${p.feed}: ${p.error}; retrying in ${Math.ceil((p.waitMs ?? 0) / 1000)}s\n`);
          if (p.state === 'resume' && p.position !== undefined && opts.from !== undefined) {
            log(`${p.feed}: continuing from its stored position ${JSON.stringify(p.position)}; --from applies to a feed's first run only\n`);
          }
          if (p.state === 'standby') log(`${isoSeconds(systemClock())} ${p.feed}: followed by ${p.holder ?? 'another process'}; standing by to take over\n`);
          if (p.state === 'resume' && p.committed !== undefined) {
            log(`${p.feed}: fetching again from ${JSON.stringify(p.position ?? null)} what was stored up to ${JSON.stringify(p.committed)} before its signatures ran\n`);
          }
          terminal?.update(p);
        },
        onReject: (feed, r) => log(`${feed} ${r.at}: ${r.message}\n`),
      }, feedLease(settings));
      if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(summaries)}\n`);
      else for (const s of summaries) await write(ctx.io.stdout, summaryLine(s));
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await store.close();
    }
  });
}
