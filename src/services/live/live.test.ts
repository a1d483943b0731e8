// LiveLookups on a real store with scripted fetchers: what is fetched when (TTL, failure
// back-off, modes), that fetched records are stored and evaluated like an ingested file's, and
// that a name nothing is known of raises no alert. The fetchers themselves are tested in src/live/
// against local servers; the whole path in live-e2e tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/store.js';
import { listNotifications } from '../notifications.js';
import { lookup } from '../lookup.js';
import { LiveLookups } from './live.js';
import { liveQueueSettingsFromEnv, liveSettingsFromEnv, parseDuration, SettingError, type LiveSettings } from './settings.js';
import { importLiveSignatures, scripted } from './test-support/scripted.js';

const T0 = '2026-06-01T00:00:00Z';
const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const settings: LiveSettings = { ...liveSettingsFromEnv({}), ttlMs: 60 * 60_000, tlsPorts: [443, 8443] };

const dir = mkdtempSync(join(tmpdir(), 'warren-live-'));
let store: Store;
beforeAll(async () => {
  store = await Store.open(`sqlite:${join(dir, 'x.db')}`);
  await importLiveSignatures(store, T0);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('reads durations, modes and ports, and names the variable that is wrong', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('5s')).toBe(5_000);
    expect(parseDuration('soon')).toBeUndefined();
    const d = liveSettingsFromEnv({});
    expect(d).toMatchObject({ mode: 'missing', ttlMs: 86_400_000, timeoutMs: 5_000, allowPrivate: false, whoisServer: 'whois.iana.org:43', dnsServers: [], tlsPorts: [443] });
    expect(liveSettingsFromEnv({ WARREN_LIVE: 'ALWAYS', WARREN_TLS_PORTS: '443, 8443,443', WARREN_DNS_SERVERS: '127.0.0.1:5353, 9.9.9.9' })).toMatchObject({
      mode: 'always',
      tlsPorts: [443, 8443],
      dnsServers: ['127.0.0.1:5353', '9.9.9.9:53'],
    });
    expect(() => liveSettingsFromEnv({ WARREN_LIVE: 'sometimes' })).toThrow(SettingError);
    expect(() => liveSettingsFromEnv({ WARREN_LIVE_TTL: '1 fortnight' })).toThrow(/WARREN_LIVE_TTL/);
    expect(() => liveSettingsFromEnv({ WARREN_TLS_PORTS: '443,99999' })).toThrow(/WARREN_TLS_PORTS: "99999"/);
    expect(() => liveSettingsFromEnv({ WARREN_LIVE_ALLOW_PRIVATE: 'yes' })).toThrow(/WARREN_LIVE_ALLOW_PRIVATE/);
  });

  it('with a queue: a view waits three request timeouts and 5 s unless WARREN_LIVE_WAIT says; a worker runs 4 look-ups at once unless told', () => {
    expect(liveQueueSettingsFromEnv({})).toEqual({ waitMs: 20_000, concurrency: 4 });
    expect(liveQueueSettingsFromEnv({ WARREN_LIVE_TIMEOUT: '2s' })).toEqual({ waitMs: 11_000, concurrency: 4 });
    expect(liveQueueSettingsFromEnv({ WARREN_LIVE_WAIT: '8s', WARREN_LIVE_CONCURRENCY: '16' })).toEqual({ waitMs: 8_000, concurrency: 16 });
    expect(() => liveQueueSettingsFromEnv({ WARREN_LIVE_WAIT: 'a while' })).toThrow(/WARREN_LIVE_WAIT: "a while"/);
    expect(() => liveQueueSettingsFromEnv({ WARREN_LIVE_CONCURRENCY: '0' })).toThrow(/WARREN_LIVE_CONCURRENCY: "0"/);
    expect(() => liveQueueSettingsFromEnv({ WARREN_LIVE_CONCURRENCY: '2.5' })).toThrow(SettingError);
  });
});

describe('LiveLookups', () => {
  it('fetches a new domain on first view, stores and evaluates it, and tags it on that view', async () => {
    const { fetchers, calls } = scripted();
    const live = new LiveLookups(settings, fetchers);
    const v = await lookup(store, 'fresh-one.example', { org: 'acme', now: T0, live: { lookups: live } });
    expect(calls.registration).toEqual(['fresh-one.example']);
    // TLS on the address DNS gave, on each configured port, with SNI.
    expect(calls.tls).toEqual([
      [
        { ip: '198.51.100.7', port: 443, servername: 'fresh-one.example' },
        { ip: '198.51.100.7', port: 8443, servername: 'fresh-one.example' },
      ],
    ]);
    expect(v?.known).toBe(true);
    expect(v?.fields['whois.registrant.email']).toEqual(['46313@qq.com']);
    expect(v?.related.ips).toEqual(['198.51.100.7']);
    expect(v?.tags.map((t) => t.name)).toEqual(['Malicious_Registrant']);
    expect(v?.live).toEqual([
      { source: 'rdap', status: 'ok', at: T0 },
      { source: 'dns', status: 'ok', at: T0 },
      { source: 'tls', status: 'failed', at: T0, detail: 'connection reset' },
    ]);
  });

  it('within the TTL answers from the store ("cached"); a failure is retried after its short back-off; "always" fetches anyway', async () => {
    const { fetchers, calls } = scripted();
    const live = new LiveLookups(settings, fetchers);
    const view = (now: string, mode?: 'always'): ReturnType<typeof lookup> => lookup(store, 'fresh-two.example', { org: 'acme', now, live: { lookups: live, ...(mode ? { mode } : {}) } });
    await view(at(0));
    const warm = await view(at(3));
    expect(calls.registration).toHaveLength(1);
    expect(calls.tls).toHaveLength(1);
    expect(warm?.live.map((l) => [l.source, l.status, l.at])).toEqual([
      ['rdap', 'cached', at(0)],
      ['dns', 'cached', at(0)],
      ['tls', 'cached', at(0)],
    ]);
    expect(warm?.live.find((l) => l.source === 'tls')?.detail).toMatch(/failed: connection reset/);
    // After the failure back-off (5 minutes) TLS is asked again, on the stored addresses.
    const later = await view(at(6));
    expect(calls.registration).toHaveLength(1);
    expect(calls.tls).toHaveLength(2);
    expect(calls.tls[1]![0]).toEqual({ ip: '198.51.100.7', port: 443, servername: 'fresh-two.example' });
    expect(later?.live.find((l) => l.source === 'tls')).toMatchObject({ status: 'failed', at: at(6) });
    // Past the TTL everything is fetched again; "always" fetches whatever the age.
    await view(at(61));
    expect(calls.registration).toHaveLength(2);
    await view(at(62), 'always');
    expect(calls.registration).toHaveLength(3);
    expect(calls.dns).toHaveLength(3);
  });

  it('off fetches nothing; a name nothing is known of says so and raises no alert, even when every source failed', async () => {
    const failing = scripted({
      registration: () => Promise.resolve({ source: 'rdap', status: 'failed', detail: 'no answer within 5000 ms', records: [] }),
      dns: () => Promise.resolve({ source: 'dns', status: 'failed', detail: 'no answer', records: [] }),
    });
    const off = await lookup(store, 'acmebrand-login.example', { org: 'acme', now: T0, live: { lookups: new LiveLookups(settings, failing.fetchers), mode: 'off' } });
    expect(failing.calls.registration).toEqual([]);
    expect(off).toMatchObject({ known: false, live: [], tags: [] });
    const failed = await lookup(store, 'acmebrand-login.example', { org: 'acme', now: T0, live: { lookups: new LiveLookups(settings, failing.fetchers) } });
    expect(failed?.known).toBe(false);
    expect(failed?.live.map((l) => [l.source, l.status])).toEqual([
      ['rdap', 'failed'],
      ['dns', 'failed'],
      ['tls', 'failed'],
    ]);
    expect(failed?.live.find((l) => l.source === 'tls')?.detail).toMatch(/no address/);
    expect((await listNotifications(store, 'acme', {})).filter((n) => n.entity === 'acmebrand-login.example')).toEqual([]);
  });

  it('an IP gets RDAP for IPs and a TLS grab without SNI; a fetcher that throws is a failed source, not a failed view', async () => {
    const { fetchers, calls } = scripted({ tls: () => Promise.reject(new Error('boom')) });
    const v = await lookup(store, '203.0.113.9', { org: 'acme', now: T0, live: { lookups: new LiveLookups(settings, fetchers) } });
    expect(calls.ip).toEqual(['203.0.113.9']);
    expect(v?.live).toEqual([
      { source: 'rdap-ip', status: 'refused', at: T0, detail: '203.0.113.9 is a private address' },
      { source: 'tls', status: 'failed', at: T0, detail: 'internal error: boom' },
    ]);
  });

  it('two views of one entity at once share one fetch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const base = scripted();
    const { fetchers } = scripted({
      registration: async (ctx, d) => {
        await gate;
        return base.fetchers.registration(ctx, d);
      },
    });
    const live = new LiveLookups(settings, fetchers);
    const views = [1, 2].map(() => lookup(store, 'fresh-three.example', { org: 'acme', now: T0, live: { lookups: live } }));
    release();
    const [a, b] = await Promise.all(views);
    expect(base.calls.registration).toEqual(['fresh-three.example']);
    expect(a?.live).toEqual(b?.live);
  });
});
