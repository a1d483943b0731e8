// Entries per second over a sliding window, from the times batches were committed. Only the
// window's samples are held, so memory stays bounded however long a feed runs.
export class SlidingRate {
  private readonly samples: { at: number; n: number }[] = [];
  private sum = 0;

  constructor(
    private readonly windowMs: number,
    /** When counting began: a young runner's rate is over its lifetime, not a mostly empty window. */
    private readonly startedAt: number,
  ) {}

  add(at: number, n: number): void {
    this.samples.push({ at, n });
    this.sum += n;
    this.prune(at);
  }

  /** Entries per second over the window ending at `at` (the runner's lifetime while shorter, at least a second). */
  rate(at: number): number {
    this.prune(at);
    const span = Math.max(1000, Math.min(this.windowMs, at - this.startedAt));
    return (this.sum * 1000) / span;
  }

  private prune(at: number): void {
    while (this.samples.length > 0 && this.samples[0]!.at <= at - this.windowMs) this.sum -= this.samples.shift()!.n;
  }
}
