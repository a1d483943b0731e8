// What `warren watch SOURCE…` and `warren serve --watch SOURCE…` accept: `PREFIX:URL`, the
// prefix naming the kind of source (live.md "Feeds") and a factory per prefix building it. A new
// kind of source is one registration here.
import { certstreamSource } from './certstream.js';
import { ctSource } from './ct/source.js';
import { logsToFollow, parseLogList, readLogList } from './ct/log-list.js';
import { domainListSource } from './domain-list.js';
import type { FeedSource } from './types.js';
import { TEST_FEED_PREFIX, testFeed } from './test-feed.js';

/** What a factory is given: the URL (or path) after the prefix, and the command's flags. */
export interface FeedSpec {
  readonly url: string;
  /** `--from`: an index (`120000`) or `latest-N`; checked here (checkFrom) before any factory sees it. */
  readonly from?: string;
  /** `--every`: how often a list is read again (domains:), in ms. */
  readonly everyMs?: number;
  /** One request to the source (ct:, ct-tiles:, domains: over HTTP), in ms; the source's own default without it. */
  readonly timeoutMs?: number;
}

/**
 * Builds a source. It must not connect yet (the first next() does) and must throw FeedSpecError
 * for a spec it cannot follow (a bad URL): the command reports it, exit 2. The source's `id` is
 * the feed's key in the store: `PREFIX:URL` as given, or a normal form of it that stays the same
 * across runs.
 */
export type FeedFactory = (spec: FeedSpec) => FeedSource;

/** A source argument or flag that cannot be followed: a usage error. */
export class FeedSpecError extends Error {}

export const FEED_KINDS: readonly { readonly prefix: string; readonly form: string; readonly what: string }[] = [
  { prefix: 'ct', form: 'ct:URL', what: 'an RFC 6962 Certificate Transparency log (its base URL)' },
  { prefix: 'ct-tiles', form: 'ct-tiles:URL', what: 'a static-ct-api (tiled) CT log' },
  { prefix: 'certstream', form: 'certstream:ws(s)://…', what: 'a certstream websocket server' },
  { prefix: 'domains', form: 'domains:URL-or-PATH', what: 'a new-domain list, one domain a line, read again every --every' },
];

/** How often a domain list is read again when --every is not given (live.md: `--every 1h`). */
export const DEFAULT_LIST_EVERY_MS = 3_600_000;

/** A source's own complaint about its configuration (a bad URL) as a usage error. */
function asSpecError(prefix: string, build: FeedFactory): FeedFactory {
  return (spec) => {
    try {
      return build(spec);
    } catch (e) {
      if (e instanceof FeedSpecError) throw e;
      throw new FeedSpecError(`${prefix}:${spec.url}: ${(e as Error).message}`);
    }
  };
}

const ctOptions = (s: FeedSpec): { from?: string; timeoutMs?: number } => ({
  ...(s.from !== undefined ? { from: s.from } : {}),
  ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
});

const factories = new Map<string, FeedFactory>([
  ['ct', asSpecError('ct', (s) => ctSource(`ct:${s.url}`, ctOptions(s)))],
  ['ct-tiles', asSpecError('ct-tiles', (s) => ctSource(`ct-tiles:${s.url}`, ctOptions(s)))],
  ['certstream', asSpecError('certstream', (s) => certstreamSource({ url: s.url }))],
  [
    'domains',
    asSpecError('domains', (s) => domainListSource({ location: s.url, everyMs: s.everyMs ?? DEFAULT_LIST_EVERY_MS, ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}) })),
  ],
]);

/** Registers (or replaces) the factory of a prefix. */
export function registerFeedFactory(prefix: string, factory: FeedFactory): void {
  factories.set(prefix, factory);
}

/**
 * The test-only source (feeds/test-feed.ts) exists only when WARREN_TEST_FEEDS=1, read at each
 * look-up so a test may set it after this module loaded.
 */
function factoryFor(prefix: string): FeedFactory | undefined {
  if (prefix === TEST_FEED_PREFIX) return process.env.WARREN_TEST_FEEDS === '1' ? testFeed : undefined;
  return factories.get(prefix);
}

/** `--from`: a non-negative index or `latest-N`. */
export function checkFrom(text: string): string {
  if (!/^(latest-)?\d{1,18}$/.test(text)) throw new FeedSpecError(`--from "${text}": expected an index (120000) or latest-N (latest-100000)`);
  return text;
}

/** A source from one `PREFIX:URL` argument. */
export function createFeed(arg: string, opts: { readonly from?: string; readonly everyMs?: number; readonly timeoutMs?: number } = {}): FeedSource {
  const colon = arg.indexOf(':');
  const prefix = colon > 0 ? arg.slice(0, colon) : '';
  const url = colon > 0 ? arg.slice(colon + 1) : '';
  const factory = prefix ? factoryFor(prefix) : undefined;
  if (!factory) {
    throw new FeedSpecError(`"${arg}" is not a feed: expected ${FEED_KINDS.map((k) => k.form).join(', ')}`);
  }
  if (url.trim() === '') throw new FeedSpecError(`"${arg}": the ${prefix} source needs a URL or path after "${prefix}:"`);
  return factory({
    url,
    ...(opts.from !== undefined ? { from: checkFrom(opts.from) } : {}),
    ...(opts.everyMs !== undefined ? { everyMs: opts.everyMs } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
}

export interface LogListOptions {
  /** Only the logs the list says are usable (state `usable`), not also qualified/readonly ones. */
  readonly usable: boolean;
  readonly from?: string;
  readonly timeoutMs?: number;
}

/**
 * `--log-list FILE-or-URL`: a source for each log a CT log list (v3 JSON) says to follow, built
 * through createFeed so their ids match the same logs given by hand.
 */
export async function feedsFromLogList(location: string, opts: LogListOptions): Promise<FeedSource[]> {
  let specs: string[];
  try {
    specs = logsToFollow(parseLogList(await readLogList(location)), { usableOnly: opts.usable });
  } catch (e) {
    throw new FeedSpecError(`--log-list ${location}: ${(e as Error).message}`);
  }
  return specs.map((spec) => createFeed(spec, { ...(opts.from !== undefined ? { from: opts.from } : {}), ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) }));
}
