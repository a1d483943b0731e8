// `npm run bench:api`: autocannon against `warren serve` in its own process, on a SQLite store
// with 100,000 domains and 10,000 active signatures: lookups (which evaluate signatures as a
// view does), the notifications list and PassiveTotal's enrichment call, at 32 connections.
// The baseline in the same run is /healthz on the same server (no authentication, no work).
// Then responsiveness: /healthz probed one request at a time while a 200 MB upload is ingested
// (WARREN_BENCH_INGEST_MB) and 4 MB signature texts are linted — its p99 must stay under 100 ms.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
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
import { toYaml } from '../signatures/serialise.js';
import { generateSignatures } from './generate.js';
import { generateCof } from './ingest-data.js';

const DOMAINS = Number(process.env.WARREN_BENCH_DOMAINS ?? 100_000);
const SIGS = Number(process.env.WARREN_BENCH_SIGNATURES ?? 10_000);
const DURATION = Number(process.env.WARREN_BENCH_SECONDS ?? 10);
const INGEST_MB = Number(process.env.WARREN_BENCH_INGEST_MB ?? 200);
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

/** Passive DNS (COF NDJSON) of at least `mb` MB, written in slices: never whole in memory. */
async function writeUpload(file: string, mb: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  for (let seed = 100; bytes < mb * 1_000_000; seed++) {
    const chunk = generateCof(50_000, seed);
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return statSync(file).size;
}

function post(port: number, path: string, auth: string, contentType: string, body: NodeJS.ReadableStream | string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: auth, 'content-type': contentType } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    if (typeof body === 'string') req.end(body);
    else body.pipe(req);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/** /healthz one request at a time (every 10 ms) until `stop` settles: the latencies in ms. */
async function probe(port: number, stop: Promise<unknown>): Promise<number[]> {
  let done = false;
  void stop.finally(() => (done = true));
  const times: number[] = [];
  while (!done) {
    const t = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  return times.sort((a, b) => a - b);
}

async function responsiveness(port: number, auth: string, dir: string): Promise<string[]> {
  const file = join(dir, 'upload.cof.ndjson');
  const size = await writeUpload(file, INGEST_MB);
  const sigText = toYaml(generateSignatures(19_000, 71));
  log(`responsiveness: upload of ${fmt(size / 1e6, 1)} MB, lint of ${fmt(sigText.length / 1e6, 1)} MB of signatures and 4 MB of nested [`);
  const t0 = performance.now();
  const work = (async () => {
    const started = await post(port, '/api/v1/ingest?format=cof', auth, 'application/x-ndjson', createReadStream(file));
    if (started.status !== 202) throw new Error(`ingest answered ${started.status}: ${started.text}`);
    const { job } = JSON.parse(started.text) as { job: string };
    const lints = await Promise.all([
      post(port, '/api/v1/signatures/lint', auth, 'application/json', JSON.stringify({ text: '['.repeat(4 * 1024 * 1024) })),
      post(port, '/api/v1/signatures/lint', auth, 'application/json', JSON.stringify({ text: sigText })),
    ]);
    const lintMs = performance.now() - t0;
    for (const l of lints) if (l.status !== 200) throw new Error(`lint answered ${l.status}: ${l.text.slice(0, 200)}`);
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/ingest/${job}`, { headers: { authorization: auth } });
      const view = (await res.json()) as { status: string; summary: { read: number; rejected: number }; error?: string };
      if (view.status !== 'running') return { view, lintMs };
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const [times, { view, lintMs }] = await Promise.all([probe(port, work), work]);
  const seconds = (performance.now() - t0) / 1000;
  const p99 = percentile(times, 99);
  const lines = [
    '',
    `Responsiveness: GET /healthz one at a time every 10 ms while a ${fmt(size / 1e6, 1)} MB upload is ingested (job ${view.status}, ${fmt(view.summary.read)} records in ${fmt(seconds, 1)} s${view.error ? `: ${view.error}` : ''}) and two lints run (4 MB of nested [ and ${fmt(sigText.length / 1e6, 1)} MB of 19,000 signatures, answered after ${fmt(lintMs / 1000, 1)} s)`,
    '',
    '| probes | p50 ms | p99 ms | max ms | p99 < 100 ms |',
    '|---:|---:|---:|---:|---|',
    `| ${fmt(times.length)} | ${fmt(percentile(times, 50), 1)} | ${fmt(p99, 1)} | ${fmt(times[times.length - 1] ?? 0, 1)} | ${p99 < 100 ? 'yes' : 'NO'} |`,
  ];
  log(lines.slice(1).join('\n'));
  return lines;
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
        ...(INGEST_MB > 0 ? await responsiveness(server.port, auth, dir) : []),
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
