// Network fields (live.md) end to end through the CLI, on SQLite and (when reachable) PostgreSQL:
// an RDAP ip network file is ingested, and a signature on network.name ("tag every IP whose
// network name matches ^BULLETPROOF-") reaches the IPs inside it by retro-hunt, on ingest of a
// new IP and on view; the most specific registration is the one that counts.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { runCli } from './test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'warren-network-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(name: string, content: string): string {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, content);
  return p;
}

const CORPUS = join(import.meta.dirname, '../../../shared/data/rdap/icann/network_192_198_0_0.json');

const BULLETPROOF = `
id: bulletproof-network
title: Networks registered under a bulletproof hoster's name
field: network.name
patterns: ['^BULLETPROOF-']
actions:
  - tag: Bulletproof
`;

const ABUSE = `
id: hoster-abuse-mailbox
title: The hoster's abuse mailbox
field: network.abuse_email
match: literal
patterns: ['abuse@bp-hosting.example']
actions:
  - tag: BP_Abuse
`;

/** An RIR's reply for a block, shaped as RIPE's (rdap/fixtures/network-ripe.json). */
function rdapNetwork(start: string, end: string, name: string, abuse: string): string {
  return JSON.stringify({
    rdapConformance: ['cidr0', 'rdap_level_0', 'nro_rdap_profile_0'],
    objectClassName: 'ip network',
    handle: `${start} - ${end}`,
    name,
    country: 'nl',
    startAddress: start,
    endAddress: end,
    entities: [
      { objectClassName: 'entity', handle: 'ORG-BP1-RIPE', roles: ['registrant'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'BP Hosting Ltd'], ['kind', {}, 'text', 'org']]] },
      { objectClassName: 'entity', handle: 'AR1-RIPE', roles: ['abuse'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Abuse'], ['email', {}, 'text', abuse]]] },
    ],
    events: [{ eventAction: 'registration', eventDate: '2019-05-02T10:00:00Z' }],
    port43: 'whois.ripe.net',
  });
}

function cof(rows: [string, string][]): string {
  return rows.map(([rrname, ip]) => JSON.stringify({ rrname, rrtype: 'A', rdata: ip, time_first: 1704067200, time_last: 1704067200, count: 1 })).join('\n') + '\n';
}

interface View {
  fields: Record<string, string[]>;
  tags: { name: string; field?: string; value?: string }[];
}

interface Summary {
  stored: Record<string, number>;
  rejected: number;
  actions: { tags: number };
}

function suite(label: string, getDb: () => string): void {
  describe(label, () => {
    const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => runCli([...args, '--db', getDb()]);
    const view = async (entity: string): Promise<View> => {
      const r = await cli('lookup', entity, '--json');
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as View;
    };
    const ingest = async (path: string): Promise<Summary> => {
      const r = await cli('ingest', '--json', path);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Summary;
    };

    it('a signature on network.name tags the IPs of an ingested RDAP ip network: by retro-hunt, on ingest and on view', async () => {
      // An IP stored before anything else.
      expect((await ingest(file('early.cof.ndjson', cof([['early.example', '203.0.113.9']])))).stored).toEqual({ resolution: 1 });
      // The /24 registered to the bulletproof hoster, inside a /16 registered to someone else.
      const wide = await ingest(file('wide.rdap.json', rdapNetwork('203.0.0.0', '203.0.255.255', 'TRANSIT-16', 'noc@transit.example')));
      const narrow = await ingest(file('narrow.rdap.json', rdapNetwork('203.0.113.0', '203.0.113.255', 'BULLETPROOF-NET-1', 'abuse@bp-hosting.example')));
      // A registration is stored as such (no IP entity for it).
      expect(narrow).toMatchObject({ stored: { network: 1 }, rejected: 0 });
      expect(wide.stored).toEqual({ network: 1 });

      // The signature arrives: its retro-hunt finds the stored IP through its registration.
      const imp = await cli('sig', 'import', '--json', file('bp.yaml', BULLETPROOF), file('abuse.yaml', ABUSE));
      expect(imp.code, imp.stderr).toBe(0);
      expect((JSON.parse(imp.stdout) as { hunt: { matched: number; applied: { tags: number } } }).hunt).toMatchObject({ matched: 1, applied: { tags: 2 } });

      // A new IP in the block is tagged when it is ingested (evaluation reads its registration).
      const later = await ingest(file('later.cof.ndjson', cof([['later.example', '203.0.113.77'], ['elsewhere.example', '203.0.7.7']])));
      expect(later.actions.tags).toBe(2);

      for (const ip of ['203.0.113.9', '203.0.113.77']) {
        const v = await view(ip);
        expect(v.fields).toMatchObject({
          'network.name': ['BULLETPROOF-NET-1'],
          'network.handle': ['203.0.113.0 - 203.0.113.255'],
          'network.range': ['203.0.113.0/24'],
          'network.country': ['NL'],
          'network.organization': ['BP Hosting Ltd'],
          'network.abuse_email': ['abuse@bp-hosting.example'],
          'network.registry': ['ripe'],
          'network.created': ['2019-05-02T10:00:00Z'],
        });
        expect(v.tags.map((t) => [t.name, t.field, t.value]).sort()).toEqual([
          ['BP_Abuse', 'network.abuse_email', 'abuse@bp-hosting.example'],
          ['Bulletproof', 'network.name', 'BULLETPROOF-NET-1'],
        ]);
      }
      // Outside the /24, the /16's registration: no tag.
      const outside = await view('203.0.7.7');
      expect(outside.fields['network.name']).toEqual(['TRANSIT-16']);
      expect(outside.tags).toEqual([]);
      // An IP never ingested: its registration is there on view, and so is the tag.
      const unseen = await view('203.0.113.200');
      expect(unseen.fields['network.name']).toEqual(['BULLETPROOF-NET-1']);
      expect(unseen.tags.map((t) => t.name).sort()).toEqual(['BP_Abuse', 'Bulletproof']);

      // Re-ingesting the same reply changes nothing and tags nothing again.
      expect(await ingest(file('again.rdap.json', rdapNetwork('203.0.113.0', '203.0.113.255', 'BULLETPROOF-NET-1', 'abuse@bp-hosting.example')))).toMatchObject({
        stored: { network: 1 },
        actions: { tags: 0 },
      });
    });

    it.skipIf(!existsSync(CORPUS))('the ARIN network 192.198.0.0/22 of the shared corpus gives its IPs network.* fields and an AS', async () => {
      expect((await ingest(CORPUS)).stored).toEqual({ network: 1, 'as-range': 1 });
      const v = await view('192.198.1.2');
      expect(v.fields).toEqual({
        ip: ['192.198.1.2'],
        network: ['192.198.0.0/22'],
        'as.number': ['53301'],
        'network.name': ['RADIOLINK-ARIN-1'],
        'network.handle': ['NET-192-198-0-0-1'],
        'network.range': ['192.198.0.0/22'],
        'network.organization': ['Radio Link Internet'],
        'network.abuse_email': ['daniel.petsinger@radiolinkinternet.com'],
        'network.registry': ['arin'],
        'network.created': ['2013-01-31T23:11:17Z'],
      });
    });
  });
}

const sqliteDb = `sqlite:${join(dir, 'warren.db')}`;
suite('SQLite', () => sqliteDb);

const pg = await createTestDatabase();
if ('skip' in pg) {
  describe.skip(`network fields on PostgreSQL (${pg.skip})`, () => undefined);
} else {
  afterAll(() => pg.drop());
  suite('PostgreSQL', () => pg.url);
}
