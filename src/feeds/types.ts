// Feeds (live.md "Feeds"): sources Warren follows on its own — CT logs (RFC 6962 and tiled),
// certstream, new-domain lists. A source turns "what comes after this position" into a batch of
// ingest records and the position after them; the runner (services/feeds/) stores the records
// through the one ingest pipeline and commits the position with them, so a restart continues
// exactly where the last committed batch ended. Sources hold no state a restart needs: the
// position says it all.
import type { IngestRecord } from '../ingest/records.js';

/**
 * Where a feed stands, as the source understands it (JSON-serialisable, stored as text):
 * `{ index }` for a CT log (the next entry to read), `{ line, … }` for a domain list, ….
 */
export type FeedPosition = Readonly<Record<string, unknown>>;

export interface FeedBatch {
  /** The records of the entries read (certificates, names, domains), each with its observation. */
  readonly records: IngestRecord[];
  /** Entries read (a CT entry, a certstream message, a list line), for rates and counts. */
  readonly entries: number;
  /** The position after these entries: where the next call starts. */
  readonly position: FeedPosition;
  /** Entries that could not be decoded: reported, skipped, never half-stored. */
  readonly rejected?: readonly { readonly at: string; readonly message: string }[];
}

/** What a source knows of the far end, for `warren watch --status` (tree size, lag …). */
export interface FeedProgress {
  /** How many entries the source has in all (a CT log's tree size), when known. */
  readonly size?: number;
  /** When the newest entry appeared at the source (ISO 8601), when known. */
  readonly newest?: string;
}

export interface FeedSource {
  /** The feed's name as given on the command line: `ct:https://…/`, `certstream:wss://…`, `domains:…`. */
  readonly id: string;
  /**
   * The entries after `position` (undefined: the start the source was configured with, --from).
   * `'idle'`: nothing new now — the runner waits and asks again. Throws FeedError on a failure
   * worth retrying (the runner backs off and retries; it never exits on one).
   */
  next(position: FeedPosition | undefined, signal: AbortSignal): Promise<FeedBatch | 'idle'>;
  /** What the source last learnt of the far end. */
  progress(): FeedProgress;
  /**
   * True when entries after `position` are known to be there already (a CT log behind its last
   * signed size), so a next() from it answers without waiting for anything new. The runner then
   * gathers several answers into one commit and asks for the next while it stores (a backfill's
   * speed); without it, or when false, each answer is committed alone as soon as it comes (a tail's
   * latency). Only sources that can fetch the same entries again implement it: an answer fetched
   * ahead is dropped when the batch before it fails, and fetched again later.
   */
  waiting?(position: FeedPosition): boolean;
  /** Releases connections (a websocket). */
  close(): Promise<void>;
}

/** A failure the runner reports and retries after `retryAfterMs` (or its own back-off). */
export class FeedError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
