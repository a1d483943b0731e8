// The live look-up settings of live.md: flag, then variable, then default. Parsing is pure so a
// wrong value is reported by name before anything is fetched.
import { parseServers } from '../../live/dns.js';
import { parsePorts } from '../../live/tls.js';

export const LIVE_MODES = ['off', 'missing', 'always'] as const;
export type LiveMode = (typeof LIVE_MODES)[number];

export interface LiveSettings {
  readonly mode: LiveMode;
  readonly ttlMs: number;
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  /** A base URL or a local folder; undefined: IANA's. */
  readonly bootstrap: string | undefined;
  /** host:port of the first WHOIS referral server. */
  readonly whoisServer: string;
  /** host:port each; empty: the system's resolvers. */
  readonly dnsServers: readonly string[];
  readonly tlsPorts: readonly number[];
}

export class SettingError extends Error {}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `6h`, `7d`, `5s`, `250ms` → milliseconds; undefined when it is none of these. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]) * UNITS[m[2]!]!;
  return Number.isFinite(v) && v > 0 ? Math.round(v) : undefined;
}

export function parseMode(text: string, from: string): LiveMode {
  const t = text.trim().toLowerCase();
  if ((LIVE_MODES as readonly string[]).includes(t)) return t as LiveMode;
  throw new SettingError(`${from}: "${text}" is not one of ${LIVE_MODES.join(', ')}`);
}

function duration(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  const text = env[name] ?? fallback;
  const v = parseDuration(text);
  if (v === undefined) throw new SettingError(`${name}: "${text}" is not a duration like 30m, 6h, 7d or 5s`);
  return v;
}

/** A list parser's complaint, under the name of the variable it came from. */
function named<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new SettingError(`${name}: ${(e as Error).message}`);
  }
}

/** The settings the environment gives; a SettingError names the variable that is wrong. */
export function liveSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LiveSettings {
  const allow = env.WARREN_LIVE_ALLOW_PRIVATE ?? '0';
  if (allow !== '0' && allow !== '1') throw new SettingError(`WARREN_LIVE_ALLOW_PRIVATE: "${allow}" is not 0 or 1`);
  const bootstrap = env.WARREN_RDAP_BOOTSTRAP?.trim();
  return {
    mode: parseMode(env.WARREN_LIVE ?? 'missing', 'WARREN_LIVE'),
    ttlMs: duration(env, 'WARREN_LIVE_TTL', '24h'),
    timeoutMs: duration(env, 'WARREN_LIVE_TIMEOUT', '5s'),
    allowPrivate: allow === '1',
    bootstrap: bootstrap === '' ? undefined : bootstrap,
    whoisServer: env.WARREN_WHOIS_SERVER?.trim() || 'whois.iana.org:43',
    dnsServers: named('WARREN_DNS_SERVERS', () => parseServers(env.WARREN_DNS_SERVERS ?? '')),
    tlsPorts: named('WARREN_TLS_PORTS', () => parsePorts(env.WARREN_TLS_PORTS ?? '443')),
  };
}

/** With a queue (docs/DEPLOY.md): how long a view waits for a worker's look-up, and how many look-ups a worker runs at once. */
export interface LiveQueueSettings {
  /** WARREN_LIVE_WAIT; default three request timeouts (a registry, then its registrar, then TLS) and 5 s for the queue and the store. */
  readonly waitMs: number;
  /** WARREN_LIVE_CONCURRENCY (default 4): look-ups wait on the network, not the CPU. */
  readonly concurrency: number;
}

export function liveQueueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, timeoutMs = liveSettingsFromEnv(env).timeoutMs): LiveQueueSettings {
  const waitMs = env.WARREN_LIVE_WAIT === undefined || env.WARREN_LIVE_WAIT === '' ? 3 * timeoutMs + 5000 : duration(env, 'WARREN_LIVE_WAIT', '');
  const text = env.WARREN_LIVE_CONCURRENCY ?? '4';
  const concurrency = Number(text);
  if (!/^\d+$/.test(text.trim()) || concurrency < 1 || concurrency > 100) throw new SettingError(`WARREN_LIVE_CONCURRENCY: "${text}" is not a whole number from 1 to 100`);
  return { waitMs, concurrency };
}
