// The v3 CT log list: certificate-transparency-go's test list (../shared/data), a list with tiled
// logs pointing at the fake logs on 127.0.0.1, and the sources it gives.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedBatch } from '../types.js';
import { logsToFollow, parseLogList, readLogList } from './log-list.js';
import { ctSource, isCtSpec } from './source.js';
import { startCtLog, type CtLogServer } from './test-support/ct-log-server.js';
import { CT_CERTS_DIR, haveCtCertificates, realCtEntries } from './test-support/real-certs.js';
import { startTiledLog, type TiledLogServer } from './test-support/tiled-log-server.js';

const LIST = join(CT_CERTS_DIR, 'google-ct-go/testdata/loglist3.json');
const signal = new AbortController().signal;

describe.skipIf(!existsSync(LIST))('the CT log list of certificate-transparency-go', () => {
  const list = parseLogList(existsSync(LIST) ? readFileSync(LIST, 'utf8') : '{"operators":[]}');

  it('gives every log with its operator, url and state', () => {
    expect(list.version).toBe('9.4');
    expect(list.timestamp).toBe('2022-05-06T12:55:11Z');
    expect(list.problems).toEqual([]);
    expect(list.logs.map((l) => [l.operator, l.url, l.state ?? null, l.kind])).toEqual([
      ['Google', 'https://ct.googleapis.com/aviator/', 'readonly', 'rfc6962'],
      ['Google', 'https://ct.googleapis.com/icarus/', 'usable', 'rfc6962'],
      ['Google', 'https://ct.googleapis.com/racketeer/', null, 'rfc6962'],
      ['Google', 'https://ct.googleapis.com/rocketeer/', 'usable', 'rfc6962'],
      ['Google', 'https://ct.googleapis.com/logs/argon2020/', 'qualified', 'rfc6962'],
      ["Bob's CT Log Shop", 'https://log.bob.io/', 'retired', 'rfc6962'],
    ]);
    const argon = list.logs[4]!;
    expect(argon).toMatchObject({ description: "Google 'Argon2020' log", mmd: 86400, temporalInterval: { startInclusive: expect.any(String) as unknown, endExclusive: expect.any(String) as unknown } });
    expect(list.logs[0]!.stateSince).toBe('2016-11-30T13:24:18.33Z');
  });

  it('follows the usable logs only with usableOnly, every log without', () => {
    expect(logsToFollow(list, { usableOnly: true })).toEqual(['ct:https://ct.googleapis.com/icarus/', 'ct:https://ct.googleapis.com/rocketeer/']);
    expect(logsToFollow(list)).toHaveLength(6);
    expect(logsToFollow(list).every(isCtSpec)).toBe(true);
  });
});

describe('lists with tiled logs, and what is not a list', () => {
  const tiledList = (rfc: string, tiles: string): string =>
    JSON.stringify({
      version: '1.0',
      operators: [
        {
          name: 'Test operator',
          email: ['ct@example.org'],
          logs: [{ description: 'RFC 6962 test log', log_id: 'AAAA', url: rfc, mmd: 60, state: { usable: { timestamp: '2025-01-01T00:00:00Z' } } }],
          tiled_logs: [
            { description: 'Static test log', submission_url: 'https://submit.example.org/2026h1/', monitoring_url: tiles, mmd: 60, state: { usable: { timestamp: '2025-01-01T00:00:00Z' } } },
            { description: 'Pending static log', submission_url: 'https://submit.example.org/2027h1/', monitoring_url: `${tiles}2027h1/`, state: { pending: { timestamp: '2025-06-01T00:00:00Z' } } },
          ],
        },
      ],
    });

  it('a tiled log is followed at its monitoring URL', () => {
    const list = parseLogList(tiledList('https://rfc.example.org/log/', 'https://tiles.example.org/'));
    expect(list.logs[1]).toMatchObject({ kind: 'tiled', url: 'https://tiles.example.org/', submissionUrl: 'https://submit.example.org/2026h1/', state: 'usable' });
    expect(logsToFollow(list, { usableOnly: true })).toEqual(['ct:https://rfc.example.org/log/', 'ct-tiles:https://tiles.example.org/']);
    expect(logsToFollow(list)).toEqual(['ct:https://rfc.example.org/log/', 'ct-tiles:https://tiles.example.org/', 'ct-tiles:https://tiles.example.org/2027h1/']);
  });

  it('skips logs it cannot follow, saying why; refuses what is no log list', () => {
    const list = parseLogList(
      JSON.stringify({
        operators: [{ name: 'Odd', logs: [{ description: 'no url' }, { url: 'ftp://x.example/' }, { url: 'https://ok.example/', state: { sleeping: {} } }, 'text'], tiled_logs: 'no' }, 7],
      }),
    );
    expect(list.logs.map((l) => l.url)).toEqual(['https://ok.example/']);
    expect(list.logs[0]!.state).toBeUndefined();
    expect(list.problems).toEqual([
      'Odd logs[0]: no http(s) url',
      'Odd logs[1]: no http(s) url',
      'Odd logs[2]: state {"sleeping":{}} is none of pending, qualified, usable, readonly, retired, rejected',
      'Odd logs[3]: not an object',
      'Odd: "tiled_logs" is not a list',
      'operator 1: not an object',
    ]);
    expect(() => parseLogList('{"logs": []}')).toThrow(/no "operators" list/);
    expect(() => parseLogList('<html>')).toThrow(/not JSON/);
  });

  describe.skipIf(!haveCtCertificates())('a list pointing at fake logs on 127.0.0.1', () => {
    let rfc: CtLogServer | undefined;
    let tiles: TiledLogServer | undefined;
    let listServer: http.Server | undefined;
    afterEach(async () => {
      await rfc?.close();
      await tiles?.close();
      await new Promise((r) => (listServer ? listServer.close(r) : r(undefined)));
    });

    it('is read from a file or a URL, and its sources read both logs', async () => {
      const specs = realCtEntries(20);
      rfc = await startCtLog({ entries: specs.slice(0, 12) });
      tiles = await startTiledLog({ entries: specs.slice(0, 7) });
      const text = tiledList(rfc.url, tiles.url);
      const dir = mkdtempSync(join(tmpdir(), 'warren-loglist-'));
      try {
        writeFileSync(join(dir, 'list.json'), text);
        expect(await readLogList(join(dir, 'list.json'))).toBe(text);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      listServer = http.createServer((_req, res) => res.end(text));
      await new Promise<void>((r) => listServer!.listen(0, '127.0.0.1', r));
      const fromUrl = await readLogList(`http://127.0.0.1:${(listServer.address() as AddressInfo).port}/log_list.json`);
      const sources = logsToFollow(parseLogList(fromUrl), { usableOnly: true }).map((spec) => ctSource(spec, { from: 0 }));
      expect(sources.map((s) => s.id)).toEqual([`ct:${rfc.url}`, `ct-tiles:${tiles.url}`]);
      const batches = (await Promise.all(sources.map((s) => s.next(undefined, signal)))) as FeedBatch[];
      expect(batches.map((b) => b.entries)).toEqual([12, 7]);
    });
  });

  it('a source spec that is not CT is refused', () => {
    expect(() => ctSource('certstream:wss://x.example/')).toThrow(/not a CT source/);
    expect(isCtSpec('domains:/tmp/x')).toBe(false);
  });
});
