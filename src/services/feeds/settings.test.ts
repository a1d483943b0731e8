// WARREN_FEED_POLL / _BACKOFF / _TIMEOUT: read by name, wrong values refused by name, and what
// the runner and the sources are given from them.
import { describe, expect, it } from 'vitest';
import { SettingError } from '../live/settings.js';
import { feedLease, feedSettingsFromEnv, runnerTiming } from './settings.js';

describe('feed settings from the environment', () => {
  it('gives nothing when nothing is set: the runner and sources keep their defaults', () => {
    expect(feedSettingsFromEnv({})).toEqual({});
    expect(runnerTiming(feedSettingsFromEnv({ WARREN_FEED_POLL: ' ' }))).toEqual({});
  });

  it('reads durations; the back-off still doubles up to 5 minutes; a fetch may take four requests’ time', () => {
    const s = feedSettingsFromEnv({ WARREN_FEED_POLL: '250ms', WARREN_FEED_BACKOFF: '2s', WARREN_FEED_TIMEOUT: '5s' });
    expect(s).toEqual({ pollMs: 250, backoff: { initialMs: 2000, maxMs: 300_000 }, timeoutMs: 5000, nextTimeoutMs: 20_000 });
    expect(runnerTiming(s)).toEqual({ pollMs: 250, backoff: { initialMs: 2000, maxMs: 300_000 }, nextTimeoutMs: 20_000 });
    expect(feedSettingsFromEnv({ WARREN_FEED_BACKOFF: '10m' }).backoff).toEqual({ initialMs: 600_000, maxMs: 600_000 });
  });

  it('reads the lease length, and gives every process its own holder name', () => {
    const s = feedSettingsFromEnv({ WARREN_FEED_LEASE: '3s' });
    expect(s).toEqual({ leaseMs: 3000 });
    const [a, b] = [feedLease(s), feedLease({})];
    expect(a.ttlMs).toBe(3000);
    expect(b.ttlMs).toBe(20_000);
    expect(a.holder).toMatch(new RegExp(`:${process.pid}:[0-9a-f]{6}$`));
    expect(a.holder).not.toBe(b.holder);
  });

  it('reads how many entries one commit may gather', () => {
    expect(runnerTiming(feedSettingsFromEnv({ WARREN_FEED_COMMIT_ENTRIES: '40' }))).toEqual({ commitEntries: 40 });
    expect(() => feedSettingsFromEnv({ WARREN_FEED_COMMIT_ENTRIES: '0' })).toThrow(/^WARREN_FEED_COMMIT_ENTRIES: "0" is not a whole number from 1/);
    expect(() => feedSettingsFromEnv({ WARREN_FEED_COMMIT_ENTRIES: '2k' })).toThrow(SettingError);
  });

  it('names the variable that is wrong', () => {
    expect(() => feedSettingsFromEnv({ WARREN_FEED_POLL: 'often' })).toThrow(SettingError);
    expect(() => feedSettingsFromEnv({ WARREN_FEED_TIMEOUT: '0s' })).toThrow(/^WARREN_FEED_TIMEOUT: "0s" is not a duration/);
  });
});
