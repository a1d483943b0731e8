// The CT log list, v3 JSON (the schema Google and Apple publish their lists in): operators, each
// with RFC 6962 `logs` (`url`) and static-ct-api `tiled_logs` (`submission_url`,
// `monitoring_url`), each log in one state (pending, qualified, usable, readonly, retired,
// rejected). `warren watch --log-list FILE-or-URL [--usable]` follows the logs it names.
import { readFile } from 'node:fs/promises';
import { ctGet } from './http.js';

export const CT_LOG_STATES = ['pending', 'qualified', 'usable', 'readonly', 'retired', 'rejected'] as const;
export type CtLogState = (typeof CT_LOG_STATES)[number];

export interface CtLogInfo {
  readonly operator: string;
  readonly description: string;
  /** Base64 of the log's ID (SHA-256 of its key), as listed. */
  readonly logId?: string;
  readonly kind: 'rfc6962' | 'tiled';
  /** What is followed: an RFC 6962 log's `url`, a tiled log's `monitoring_url`. */
  readonly url: string;
  /** A tiled log's `submission_url`. */
  readonly submissionUrl?: string;
  /** Undefined when the list gives the log no state (a log being added). */
  readonly state?: CtLogState;
  /** When the log entered that state. */
  readonly stateSince?: string;
  /** Maximum merge delay, seconds. */
  readonly mmd?: number;
  /** The certificates' expiry range the log accepts (temporal shards). */
  readonly temporalInterval?: { readonly startInclusive: string; readonly endExclusive: string };
  /** `prod`, `test` … when given. */
  readonly logType?: string;
}

export interface CtLogList {
  readonly version?: string;
  readonly timestamp?: string;
  readonly logs: readonly CtLogInfo[];
  /** Entries of the list that were skipped, and why. */
  readonly problems: readonly string[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function httpUrl(v: unknown): string | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function stateOf(v: unknown): { state: CtLogState; since?: string } | undefined {
  if (!isObject(v)) return undefined;
  for (const s of CT_LOG_STATES) {
    const body = v[s];
    if (body !== undefined) {
      const since = isObject(body) ? str(body.timestamp) : undefined;
      return since === undefined ? { state: s } : { state: s, since };
    }
  }
  return undefined;
}

function logInfo(operator: string, log: Json, kind: CtLogInfo['kind'], where: string, problems: string[]): CtLogInfo | undefined {
  const url = httpUrl(kind === 'rfc6962' ? log.url : log.monitoring_url);
  if (url === undefined) {
    problems.push(`${where}: no http(s) ${kind === 'rfc6962' ? 'url' : 'monitoring_url'}`);
    return undefined;
  }
  const state = stateOf(log.state);
  if (log.state !== undefined && state === undefined) problems.push(`${where}: state ${JSON.stringify(log.state).slice(0, 80)} is none of ${CT_LOG_STATES.join(', ')}`);
  const interval = isObject(log.temporal_interval) ? log.temporal_interval : undefined;
  const start = str(interval?.start_inclusive);
  const end = str(interval?.end_exclusive);
  const submissionUrl = kind === 'tiled' ? httpUrl(log.submission_url) : undefined;
  return {
    operator,
    description: str(log.description) ?? url,
    ...(str(log.log_id) !== undefined && { logId: str(log.log_id) }),
    kind,
    url,
    ...(submissionUrl !== undefined && { submissionUrl }),
    ...(state !== undefined && { state: state.state }),
    ...(state?.since !== undefined && { stateSince: state.since }),
    ...(typeof log.mmd === 'number' && { mmd: log.mmd }),
    ...(start !== undefined && end !== undefined && { temporalInterval: { startInclusive: start, endExclusive: end } }),
    ...(str(log.log_type) !== undefined && { logType: str(log.log_type) }),
  };
}

/** Reads a v3 log list; throws when the text is not one (not JSON, no `operators` list). */
export function parseLogList(text: string): CtLogList {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`the CT log list is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(doc) || !Array.isArray(doc.operators)) throw new Error('the CT log list has no "operators" list (a v3 log list has)');
  const logs: CtLogInfo[] = [];
  const problems: string[] = [];
  doc.operators.forEach((op: unknown, i) => {
    if (!isObject(op)) {
      problems.push(`operator ${i}: not an object`);
      return;
    }
    const name = str(op.name) ?? `operator ${i}`;
    for (const [key, kind] of [
      ['logs', 'rfc6962'],
      ['tiled_logs', 'tiled'],
    ] as const) {
      const list = op[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        problems.push(`${name}: "${key}" is not a list`);
        continue;
      }
      list.forEach((log: unknown, j) => {
        const where = `${name} ${key}[${j}]`;
        if (!isObject(log)) problems.push(`${where}: not an object`);
        else {
          const info = logInfo(name, log, kind, where, problems);
          if (info) logs.push(info);
        }
      });
    }
  });
  return { ...(str(doc.version) !== undefined && { version: str(doc.version) }), ...(str(doc.log_list_timestamp) !== undefined && { timestamp: str(doc.log_list_timestamp) }), logs, problems };
}

/** The source a log is followed as: `ct:<url>` or `ct-tiles:<monitoring_url>`. */
export function logSpec(log: CtLogInfo): string {
  return log.kind === 'tiled' ? `ct-tiles:${log.url}` : `ct:${log.url}`;
}

/**
 * The sources to follow for a list: every listed log, or with `usableOnly` only those in the
 * `usable` state (what browsers currently accept SCTs from). Each source once, in list order.
 */
export function logsToFollow(list: CtLogList, opts: { readonly usableOnly?: boolean } = {}): string[] {
  const specs = list.logs.filter((l) => opts.usableOnly !== true || l.state === 'usable').map(logSpec);
  return [...new Set(specs)];
}

/**
 * The text of a log list from a file path or an http(s) URL (fetched like a log: the operator
 * chose it, so private addresses are allowed; timeout and size cap hold).
 */
export async function readLogList(location: string, opts: { readonly timeoutMs?: number; readonly signal?: AbortSignal; readonly now?: () => Date } = {}): Promise<string> {
  if (!/^https?:\/\//i.test(location)) return readFile(location, 'utf8');
  const body = await ctGet(location, {
    timeoutMs: opts.timeoutMs ?? 30_000,
    signal: opts.signal ?? new AbortController().signal,
    maxBodyBytes: 16 * 1024 * 1024,
    now: opts.now ?? (() => new Date()),
    what: `log list ${location}`,
  });
  return body.toString('utf8');
}
