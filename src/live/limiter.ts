// Politeness towards upstream servers (live.md): at most `perServer` requests in flight to one
// RDAP / WHOIS / DNS / TLS server, in arrival order; a server that said 429 (or sent
// Retry-After) gets nothing until the time it named. The limit is per process: a second worker
// has its own, so N workers may have 2·N requests in flight to one server (docs/LIVE.md).
export class RetryLater extends Error {
  constructor(
    /** Milliseconds the server asked for (Retry-After), or a default back-off. */
    readonly afterMs: number,
    message: string,
  ) {
    super(message);
  }
}

interface ServerState {
  active: number;
  readonly waiting: (() => void)[];
  /** Epoch ms before which nothing is sent (after a 429). */
  notBefore: number;
}

export interface LimiterOptions {
  readonly perServer?: number;
  /** Longest wait for a 429's Retry-After; a longer one fails the request instead of waiting. */
  readonly maxWaitMs?: number;
  /** Injectable for tests. */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class ServerLimiter {
  private readonly servers = new Map<string, ServerState>();
  private readonly perServer: number;
  private readonly maxWaitMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The most requests ever in flight to one server (tests and the benchmark read it). */
  peak = 0;

  constructor(opts: LimiterOptions = {}) {
    this.perServer = opts.perServer ?? 2;
    this.maxWaitMs = opts.maxWaitMs ?? 10_000;
    this.clock = opts.clock ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Requests in flight to `server` now. */
  active(server: string): number {
    return this.servers.get(server)?.active ?? 0;
  }

  /**
   * Runs `task` when `server` (host:port, lower case) has a free slot. A task that throws
   * RetryLater marks the server as resting for that long; the error is passed on.
   */
  async run<T>(server: string, task: () => Promise<T>): Promise<T> {
    const s = this.state(server);
    if (s.active >= this.perServer) await new Promise<void>((r) => s.waiting.push(r));
    else s.active++;
    this.peak = Math.max(this.peak, s.active);
    try {
      const wait = s.notBefore - this.clock();
      if (wait > this.maxWaitMs) throw new RetryLater(wait, `${server} asked to wait ${Math.ceil(wait / 1000)} s`);
      if (wait > 0) await this.sleep(wait);
      return await task();
    } catch (e) {
      if (e instanceof RetryLater) s.notBefore = Math.max(s.notBefore, this.clock() + e.afterMs);
      throw e;
    } finally {
      const next = s.waiting.shift();
      // The slot passes to the next in line (active unchanged), or is freed.
      if (next) next();
      else s.active--;
    }
  }

  private state(server: string): ServerState {
    let s = this.servers.get(server);
    if (!s) {
      s = { active: 0, waiting: [], notBefore: 0 };
      this.servers.set(server, s);
    }
    return s;
  }
}
