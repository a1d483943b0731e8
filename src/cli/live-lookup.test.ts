// Live look-ups end to end through `warren lookup` (issue 13), against real servers this test
// starts on 127.0.0.1 (RDAP with IANA-format bootstrap and real ICANN replies, DNS, TLS with a
// generated certificate): with nothing ingested, a registrant-email signature tags the domain, a
// certificate-CN signature tags the IP that served it, and a network-name signature tags the IP.
// On SQLite and (when reachable) PostgreSQL: live_fetches is written by both dialects.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISBEHAVING, haveRealReplies, liveSignatures, startTestInternet, type TestInternet } from '../live/test-support/internet.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-live-cli-'));
let internet: TestInternet | undefined;
const saved: Record<string, string | undefined> = {};

function setEnv(vars: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!(k in saved)) saved[k] = process.env[k];
    process.env[k] = v;
  }
}

beforeAll(async () => {
  internet = await startTestInternet();
  if (internet) setEnv(internet.env);
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await internet?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SIGNATURES = liveSignatures;

interface Live {
  source: string;
  status: string;
  at: string;
  detail?: string;
}
interface View {
  known: boolean;
  fields: Record<string, string[]>;
  tags: { name: string }[];
  related: { ips: string[]; certificates: string[] };
  live: Live[];
}

function suite(label: string, getDb: () => string | undefined): void {
  describe.skipIf(!haveRealReplies())(label, () => {
    const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => runCli([...args, '--db', getDb()!]);
    const view = async (entity: string, ...extra: string[]): Promise<View> => {
      const r = await cli('lookup', entity, '--json', ...extra);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as View;
    };
    const status = (v: View): Record<string, string> => Object.fromEntries(v.live.map((l) => [l.source, l.status]));
    const tags = (v: View): string[] => v.tags.map((t) => t.name).sort();

    it('tags a never-ingested domain and its IP from what the view fetches', async (ctx) => {
      if (getDb() === undefined) ctx.skip();
      const net = internet!;
      const file = join(dir, `${label}-sigs.yaml`);
      writeFileSync(file, SIGNATURES(net));
      expect((await cli('sig', 'import', file)).code).toBe(0);
      expect((await cli('stats', '--json')).stdout).toMatch(/"domains":0/);

      const v = await view(net.domain, '--live', 'always');
      expect(status(v)).toEqual({ rdap: 'ok', dns: 'ok', tls: 'ok' });
      expect(v.known).toBe(true);
      expect(v.fields['whois.registrant.email']).toEqual([net.registrantEmail]);
      expect(tags(v)).toEqual(['Malicious_Registrant']);
      expect(v.related.ips).toEqual([net.ip]);
      expect(v.live.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(l.at))).toBe(true);

      // The certificate the IP served was stored, and its CN signature tagged the IP.
      const ip = await view(net.ip, '--live', 'off');
      expect(ip.related.certificates).toContain(net.leafSha256);
      expect(tags(ip)).toEqual(['KnownBadCert']);
      // Viewing the IP fetches its network registration: the network-name signature tags it.
      const ipLive = await view(net.ip, '--live', 'always');
      expect(status(ipLive)).toEqual({ 'rdap-ip': 'ok', tls: 'ok' });
      expect(ipLive.fields['network.name']).toEqual([net.networkName]);
      expect(tags(ipLive)).toEqual(['Bulletproof', 'KnownBadCert']);

      // Within the TTL a view answers from the store.
      const warm = await view(net.domain);
      expect(status(warm)).toEqual({ rdap: 'cached', dns: 'cached', tls: 'cached' });
      expect(tags(warm)).toEqual(['Malicious_Registrant']);
    });

    it('a server that hangs, resets, answers garbage, 404 or 429 fails its source, never the view', async (ctx) => {
      if (getDb() === undefined) ctx.skip();
      for (const [name, what] of Object.entries(MISBEHAVING)) {
        const v = await view(name, '--live', 'always');
        const rdap = v.live.find((l) => l.source === 'rdap');
        expect(rdap?.status, `${name} (${what})`).toBe('failed');
        expect(rdap?.detail ?? '', name).not.toMatch(/\n\s+at |Error:/);
        // DNS and TLS still answered for it.
        expect(status(v).dns).toBe('ok');
      }
    });

    it('with WARREN_LIVE_ALLOW_PRIVATE=0 a name resolving to 127.0.0.1 is never connected to, and the view says so', async (ctx) => {
      if (getDb() === undefined) ctx.skip();
      const net = internet!;
      // The bootstrap is the operator's configuration and is read; the RDAP server it names is a target.
      const rdapQueries = (): number => net.rdap.requests.filter((r) => r.kind !== 'bootstrap').length;
      const before = { tls: net.tlsConnections(), rdap: rdapQueries() };
      setEnv({ WARREN_LIVE_ALLOW_PRIVATE: '0' });
      try {
        const v = await view(net.other, '--live', 'always');
        expect(v.live.find((l) => l.source === 'rdap')).toMatchObject({ status: 'refused' });
        expect(v.live.find((l) => l.source === 'tls')).toMatchObject({ status: 'refused', detail: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) as unknown });
        expect(net.tlsConnections()).toBe(before.tls);
        expect(rdapQueries()).toBe(before.rdap);
        // Nothing but the resolution is known; the registrant signature did not fire.
        expect(tags(v)).toEqual([]);
      } finally {
        setEnv({ WARREN_LIVE_ALLOW_PRIVATE: '1' });
      }
    });

    it('off fetches nothing and a never-seen name is "nothing known"', async (ctx) => {
      if (getDb() === undefined) ctx.skip();
      const requests = internet!.rdap.requests.length;
      const r = await cli('lookup', 'never-seen.click', '--live', 'off');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/nothing known/);
      expect(internet!.rdap.requests.length).toBe(requests);
      const bad = await cli('lookup', 'x.click', '--live', 'sometimes');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--live: "sometimes" is not one of off, missing, always/);
    });
  });
}

suite('SQLite', () => `sqlite:${join(dir, 'live.db')}`);

let pg: { url: string; drop: () => Promise<void> } | undefined;
let pgSkip: string | undefined;
beforeAll(async () => {
  const db = await createTestDatabase();
  if ('skip' in db) pgSkip = db.skip;
  else pg = db;
});
afterAll(async () => {
  await pg?.drop();
});
suite('PostgreSQL', () => {
  if (pgSkip !== undefined) console.warn(`live look-ups on PostgreSQL skipped: ${pgSkip}`);
  return pg?.url;
});
