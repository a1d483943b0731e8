import { describe, expect, it } from 'vitest';
import { RetryLater, ServerLimiter } from './limiter.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ServerLimiter', () => {
  it('keeps at most 2 requests in flight per server, in arrival order, others unaffected', async () => {
    const limiter = new ServerLimiter();
    const gates = Array.from({ length: 6 }, deferred);
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limiter.run('rdap.example:443', async () => {
        started.push(i);
        await g.promise;
      }),
    );
    const other = limiter.run('whois.example:43', () => Promise.resolve('other'));
    await expect(other).resolves.toBe('other');
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limiter.active('rdap.example:443')).toBe(2);
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limiter.peak).toBe(2);
    expect(limiter.active('rdap.example:443')).toBe(0);
  });

  it('rests a server after RetryLater: the next request waits (or fails when the wait is too long)', async () => {
    let now = 1_000_000;
    const slept: number[] = [];
    const limiter = new ServerLimiter({ clock: () => now, sleep: (ms) => ((slept.push(ms), (now += ms)), Promise.resolve()), maxWaitMs: 5_000 });
    await expect(limiter.run('s:1', () => Promise.reject(new RetryLater(3_000, '429')))).rejects.toBeInstanceOf(RetryLater);
    await expect(limiter.run('s:1', () => Promise.resolve(1))).resolves.toBe(1);
    expect(slept).toEqual([3_000]);
    await expect(limiter.run('s:1', () => Promise.reject(new RetryLater(60_000, '429')))).rejects.toBeInstanceOf(RetryLater);
    await expect(limiter.run('s:1', () => Promise.resolve(2))).rejects.toThrow(/asked to wait 60 s/);
    expect(limiter.active('s:1')).toBe(0);
  });
});
