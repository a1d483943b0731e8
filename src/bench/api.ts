// `npm run bench:api`: autocannon against `warren serve` in its own process, on a SQLite store
// with 100,000 domains and 10,000 active signatures: lookups (which evaluate signatures as a
// view does), the notifications list and PassiveTotal's enrichment call, at 32 connections.
// The baseline in the same run is /healthz on the same server (no authentication, no work).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { rng, Words } from '../demo/words.js';
import type { IngestRecord } from '../ingest/records.js';
import { addUser, createApiKey } from '../services/accounts.js';
import { importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { Store } from '../store/store.js';
import { generateSignatures } from './generate.js';

const DOMAINS = Number(process.env.WARREN_BENCH_DOMAINS ?? 100_000);
const SIGS = Number(process.env.WARREN_BENCH_SIGNATURES ?? 10_000);
const DURATION = Number(process.env.WARREN_BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const NOW = '2026-01-01T00:00:00Z';

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

async function prepare(url: string): Promise<{ auth: string; domains: string[] }> {
  process.env.WARREN_SCRYPT_N ??= '16384';
  const store = await Store.open(url);
  try {
    const w = new Words(rng(51));
    const domains: string[] = [];
    const records: IngestRecord[] = [];
    for (let i = 0; i < DOMAINS; i++) {
      const d = `${w.chance(0.01) ? 'login-passivetotal-' : ''}${w.word(2, 4)}${i}.${w.pick(['com', 'net', 'org'])}`;
      domains.push(d);
      records.push({ kind: 'domain', domain: d, observation: { source: 'bench', firstSeen: NOW } });
      if (i % 3 === 0) records.push({ kind: 'resolution', domain: d, rrtype: 'A', value: `198.51.${(i >> 8) & 255}.${i & 255}`, observation: { source: 'bench', firstSeen: NOW } });
    }
    for (let i = 0; i < records.length; i += 10_000) await store.write(records.slice(i, i + 10_000));
    const sigs = [
      ...generateSignatures(SIGS - 1, 61),
      makeSignature({ id: 'brand', field: 'domain', patterns: ['passivetotal'], actions: [{ tag: 'Brand' }, { alert: { severity: 'high' } }] }),
    ];
    await addUser(store, { email: 'bench@example.com', org: 'bench', role: 'analyst', password: 'bench-password-long', now: NOW });
    const report = await importSignatures(store, 'bench', sigs, { now: NOW });
    log(`stored ${fmt(DOMAINS)} domains; ${fmt(sigs.length)} signatures; retro-hunt: ${report.hunt?.applied.notifications ?? 0} notifications`);
    const { key } = await createApiKey(store, 'bench@example.com', 'bench', NOW);
    return { auth: `Basic ${Buffer.from(`bench@example.com:${key}`).toString('base64')}`, domains };
  } finally {
    await store.close();
  }
}

async function startServer(url: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'api-server.js');
  const child = spawn(process.execPath, [script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Row {
  readonly what: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function load(what: string, port: number, paths: () => string, auth?: string): Promise<Row> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: auth ? { authorization: auth, accept: 'application/json' } : {},
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths() }) }],
  });
  const row = { what, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
  log(`${what}: ${fmt(row.rps)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}`);
  return row;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warren-bench-api-'));
  try {
    const url = `sqlite:${join(dir, 'api.db')}`;
    const { auth, domains } = await prepare(url);
    const server = await startServer(url);
    try {
      let i = 0;
      const next = (): string => domains[(i = (i + 7919) % domains.length)]!;
      const rows: Row[] = [];
      rows.push(await load('baseline: GET /healthz (no auth, no work)', server.port, () => '/healthz'));
      rows.push(await load('GET /api/v1/entities/DOMAIN (lookup, evaluates 10,000 signatures)', server.port, () => `/api/v1/entities/${next()}`, auth));
      rows.push(await load('GET /api/v1/notifications (first page of 100)', server.port, () => '/api/v1/notifications', auth));
      rows.push(await load('GET /v2/enrichment?query=DOMAIN (PassiveTotal)', server.port, () => `/v2/enrichment?query=${next()}`, auth));
      const base = rows[0]!.rps;
      const lines = [
        `API benchmark: node ${process.version}, SQLite, ${fmt(DOMAINS)} domains, ${fmt(SIGS)} signatures; autocannon ${CONNECTIONS} connections × ${DURATION} s; server and load generator on this machine's cores`,
        '',
        '| request | requests/s | p50 ms | p99 ms | non-2xx | errors | vs baseline |',
        '|---|---:|---:|---:|---:|---:|---:|',
        ...rows.map((r) => `| ${r.what} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${fmt(r.rps / base, 2)}× |`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
