// A CT source from its command-line form (live.md "Feeds"): `ct:URL` (RFC 6962) or
// `ct-tiles:URL` (static-ct-api). `warren watch` and `--log-list` (logsToFollow) speak these.
import type { FeedSource } from '../types.js';
import type { CtFrom } from './follow.js';
import { ctLogSource } from './rfc6962.js';
import { ctTilesSource } from './tiles.js';

export interface CtSourceOptions {
  readonly from?: CtFrom;
  /** RFC 6962 logs only: most entries asked for at once (default 256). */
  readonly batchSize?: number;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** Whether `spec` names a CT source. */
export function isCtSpec(spec: string): boolean {
  return spec.startsWith('ct:') || spec.startsWith('ct-tiles:');
}

/** The source `spec` names; throws (a configuration error) when it is not a CT source or its URL is bad. */
export function ctSource(spec: string, opts: CtSourceOptions = {}): FeedSource {
  const common = { ...(opts.from !== undefined && { from: opts.from }), ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }), ...(opts.now && { now: opts.now }) };
  if (spec.startsWith('ct-tiles:')) return ctTilesSource({ url: spec.slice('ct-tiles:'.length), ...common });
  if (spec.startsWith('ct:')) return ctLogSource({ url: spec.slice('ct:'.length), ...common, ...(opts.batchSize !== undefined && { batchSize: opts.batchSize }) });
  throw new Error(`${spec}: not a CT source (ct:URL or ct-tiles:URL)`);
}
