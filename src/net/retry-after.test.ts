import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.js';

describe('retryAfterMs', () => {
  it('reads delay-seconds or an HTTP date; nothing for what is absent or unreadable', () => {
    expect(retryAfterMs('7', 0)).toBe(7_000);
    expect(retryAfterMs([' 30 '], 0)).toBe(30_000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4_000)).toBe(6_000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 60_000)).toBe(0);
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});
