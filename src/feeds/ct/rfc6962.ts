// An RFC 6962 CT log as a feed (live.md "Feeds", `ct:URL`): `ct/v1/get-sth` for the tree size,
// `ct/v1/get-entries?start=&end=` for the entries, each decoded from its MerkleTreeLeaf and
// extra_data (leaf.ts) into records (entry-records.ts).
//
// Batch size: logs cap how many entries one get-entries returns (each log its own number) and
// answer a larger range with fewer entries, which RFC 6962 allows. The
// source asks for `batchSize`, takes what comes back, and continues from there; once the log has
// answered short it asks for the largest count the log ever returned in a short answer (so one
// short answer at a page edge of the log does not shrink later requests below the log's cap).
// Every PROBE_EVERY requests it asks for `batchSize` again: a cap learnt from an answer cut at a
// page edge (a first request starting mid-page) is raised to the log's real cap, and a log that
// stopped capping is asked for `batchSize` again.
import { FeedError, type FeedSource } from '../types.js';
import { logBaseUrl, positiveInteger } from './config.js';
import { ctEntryRecords, ctObservationSource, type EntryOutcome } from './entry-records.js';
import { followLog, type CtFrom, type LogHead, type LogProtocol, type LogRead } from './follow.js';
import { ctGet } from './http.js';
import { decodeExtraData, decodeMerkleTreeLeaf, type ExtraData, type TimestampedEntry } from './leaf.js';

export interface CtLogOptions {
  /** The log's base URL (the part before `ct/v1/`). */
  readonly url: string;
  /** Start on first contact: an index, or `latest-N` (default `latest-0`: the tail). */
  readonly from?: CtFrom;
  /** Most entries asked for at once (default 256). */
  readonly batchSize?: number;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
  /** Most bytes of one answer (default 64 MiB). */
  readonly maxBodyBytes?: number;
  /** How old the STH may get while reading behind it before it is asked again (default 60 s). */
  readonly sthMaxAgeMs?: number;
  readonly now?: () => Date;
}

const PROBE_EVERY = 32;

/**
 * Standard padded base64 (RFC 4648 §4), or undefined. Node's decoder skips what is not base64 and
 * stops at padding, so bytes short of what the length promises mean a bad character; it also
 * reads the URL alphabet, which a log may not use. (A regular expression over every entry's
 * kilobytes of base64 was 2 % of a feed's CPU.)
 */
export function base64(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || value.length % 4 !== 0) return undefined;
  if (value.includes('-') || value.includes('_')) return undefined;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === (value.length / 4) * 3 - padding ? bytes : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function json(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    const start = body.subarray(0, 60).toString('utf8').replace(/\s+/g, ' ');
    throw new FeedError(`${what}: the answer is not JSON (${body.length} bytes starting ${JSON.stringify(start)})`);
  }
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

/** One get-entries entry → its records, or why not (which part failed to decode, and how). */
function entryOutcome(leafInput: Uint8Array, extraData: Uint8Array, source: string): EntryOutcome {
  let entry: TimestampedEntry;
  try {
    entry = decodeMerkleTreeLeaf(leafInput);
  } catch (e) {
    return { error: `leaf_input: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (entry.type === 'x509') return ctEntryRecords(entry, undefined, source); // its chain is not stored (entry-records.ts): not decoded
  let pre: ExtraData;
  try {
    pre = decodeExtraData('precert', extraData);
  } catch (e) {
    return { error: `extra_data: ${e instanceof Error ? e.message : String(e)}` };
  }
  return ctEntryRecords(entry, pre.type === 'precert' ? pre.preCertificate : undefined, source);
}

export function ctLogSource(opts: CtLogOptions): FeedSource {
  const base = logBaseUrl('ct', opts.url);
  const source = ctObservationSource(base);
  const batchSize = positiveInteger(opts.batchSize, 256, 'batch size');
  const timeoutMs = positiveInteger(opts.timeoutMs, 30_000, 'timeout');
  const maxBodyBytes = positiveInteger(opts.maxBodyBytes, 64 * 1024 * 1024, 'answer size cap');
  const now = opts.now ?? (() => new Date());
  // The largest count the log returned when it returned fewer than asked: its page size.
  let logLimit: number | undefined;
  let requests = 0;

  const get = (path: string, what: string, signal: AbortSignal): Promise<Buffer> => ctGet(new URL(path, base).href, { timeoutMs, signal, maxBodyBytes, now, what });

  const protocol: LogProtocol = {
    async head(signal): Promise<LogHead> {
      const sth = json(await get('ct/v1/get-sth', 'get-sth', signal), 'get-sth');
      const size = isRecord(sth) ? count(sth.tree_size) : undefined;
      const timestamp = isRecord(sth) ? count(sth.timestamp) : undefined;
      if (size === undefined || timestamp === undefined) {
        throw new FeedError(`get-sth: the answer is not a signed tree head (no whole tree_size and timestamp): ${JSON.stringify(sth).slice(0, 120)}`);
      }
      return { size, timestamp };
    },

    async read(start, size, signal): Promise<LogRead> {
      const probe = ++requests % PROBE_EVERY === 0;
      const ask = Math.min(probe ? batchSize : (logLimit ?? batchSize), batchSize, size - start);
      const end = start + ask - 1;
      const what = `get-entries ${start}-${end}`;
      const answer = json(await get(`ct/v1/get-entries?start=${start}&end=${end}`, what, signal), what);
      const entries = isRecord(answer) ? answer.entries : undefined;
      if (!Array.isArray(entries)) throw new FeedError(`${what}: the answer has no "entries" list`);
      if (entries.length === 0) throw new FeedError(`${what}: the log returned no entries`);
      const got = Math.min(entries.length, ask);
      if (entries.length < ask) logLimit = Math.max(logLimit ?? 0, entries.length);
      else if (probe && ask === batchSize) logLimit = undefined; // the log gives all that is asked

      const out: LogRead = { records: [], entries: got, rejected: [] };
      for (let i = 0; i < got; i++) {
        const at = `entry ${start + i}`;
        const e: unknown = entries[i];
        const leafInput = isRecord(e) ? base64(e.leaf_input) : undefined;
        const extraData = isRecord(e) ? base64(e.extra_data) : undefined;
        if (leafInput === undefined || extraData === undefined) {
          out.rejected.push({ at, message: 'leaf_input and extra_data are not both base64 text' });
          continue;
        }
        const outcome = entryOutcome(leafInput, extraData, source);
        if ('error' in outcome) out.rejected.push({ at, message: outcome.error });
        else for (const r of outcome.records) out.records.push(r);
      }
      return out;
    },
  };

  return followLog(`ct:${opts.url}`, protocol, { from: opts.from, now, headMaxAgeMs: opts.sthMaxAgeMs ?? 60_000 });
}
