// `npm run bench:ingest`: records per second through parse + store for certificates (PEM), WHOIS
// replies and passive DNS (COF), into SQLite and PostgreSQL; loading the full @ip-location-db/asn
// table; and IP → AS lookup latency. The baseline in the same run is parsing alone (no store),
// so the ratio shows what storing costs. Then passive DNS with 0 and with 10,000 active
// signatures (ingest-signatures.ts). `WARREN_BENCH_INGEST=signatures` runs only that part.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rng } from '../demo/words.js';
import { formatByName } from '../ingest/detect.js';
import { FORMATS } from '../ingest/formats.js';
import { bufferInput, openInput } from '../ingest/input.js';
import type { Format, IngestRecord } from '../ingest/records.js';
import { emptySummary, ingestInput } from '../services/ingest/read.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { Store } from '../store/store.js';
import { generateCof, generatePem, generateWhoisReplies } from './ingest-data.js';
import { benchIngestSignatures } from './ingest-signatures.js';

const CERTS = Number(process.env.WARREN_BENCH_CERTS ?? 5_000);
const WHOIS = Number(process.env.WARREN_BENCH_WHOIS ?? 10_000);
const PDNS = Number(process.env.WARREN_BENCH_PDNS ?? 200_000);

function format(name: string): Format {
  const f = formatByName(FORMATS, name);
  if (!f) throw new Error(`format ${name} is not registered`);
  return f;
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

interface Row {
  what: string;
  store: string;
  records: number;
  perSec: number;
  parseOnlyPerSec: number;
}

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

async function benchStore(label: string, url: string, data: { pem: Buffer; whois: { domain: string; text: string }[]; cof: Buffer }): Promise<Row[]> {
  const store = await Store.open(url);
  const rows: Row[] = [];
  const noReject = (): void => undefined;
  try {
    // Certificates: one PEM file of CERTS certificates.
    const pemParse = await timed(() => Promise.resolve(format('pem').parse(data.pem, {}).records.length));
    const pem = await timed(async () => {
      const s = emptySummary();
      await ingestInput(store, bufferInput('bench.pem', data.pem), format('pem'), { onReject: noReject }, s);
      return s.stored.certificate ?? 0;
    });
    rows.push({ what: 'certificates (PEM)', store: label, records: pem.value, perSec: pem.value / (pem.ms / 1000), parseOnlyPerSec: pemParse.value / (pemParse.ms / 1000) });

    // WHOIS: one reply per input, as `warren ingest` reads a folder of replies; batches of 2,000.
    const whois = format('whois');
    const whoisParse = await timed(() => Promise.resolve(data.whois.reduce((n, w) => n + whois.parse(Buffer.from(w.text), { fileName: w.domain }).records.length, 0)));
    const whoisRun = await timed(async () => {
      let batch: IngestRecord[] = [];
      let n = 0;
      for (const w of data.whois) {
        for (const r of whois.parse(Buffer.from(w.text), { fileName: w.domain }).records) {
          batch.push(r);
          n++;
        }
        if (batch.length >= 2_000) {
          await store.write(batch);
          batch = [];
        }
      }
      await store.write(batch);
      return n;
    });
    rows.push({ what: 'WHOIS replies', store: label, records: whoisRun.value, perSec: whoisRun.value / (whoisRun.ms / 1000), parseOnlyPerSec: whoisParse.value / (whoisParse.ms / 1000) });

    // Passive DNS: one COF NDJSON stream.
    const cofParse = await timed(() => Promise.resolve(format('cof').parse(data.cof, {}).records.length));
    const cof = await timed(async () => {
      const s = emptySummary();
      await ingestInput(store, bufferInput('bench.ndjson', data.cof), format('cof'), { onReject: noReject }, s);
      return s.stored.resolution ?? 0;
    });
    rows.push({ what: 'passive DNS (COF)', store: label, records: cof.value, perSec: cof.value / (cof.ms / 1000), parseOnlyPerSec: cofParse.value / (cofParse.ms / 1000) });

    // The full IP-to-AS table.
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@ip-location-db/asn/package.json'));
    const asn = await timed(async () => {
      const s = emptySummary();
      for (const file of ['asn-ipv4.csv', 'asn-ipv6.csv']) {
        await ingestInput(store, await openInput(join(dir, file), process.stdin), format('ip-location-db'), { onReject: noReject }, s);
      }
      return s.stored['as-range'] ?? 0;
    });
    rows.push({ what: '@ip-location-db/asn (full table)', store: label, records: asn.value, perSec: asn.value / (asn.ms / 1000), parseOnlyPerSec: NaN });
    process.stderr.write(`${label}: loaded ${fmt(asn.value)} AS ranges in ${fmt(asn.ms / 1000, 1)} s\n`);

    // IP → AS: the in-memory index (bulk) and one store query (one-off lookups).
    const r = rng(5);
    const ips = Array.from({ length: 100_000 }, () => `${1 + Math.floor(r() * 222)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`);
    const index = await timed(() => store.loadAsIndex());
    const look = await timed(() => Promise.resolve(ips.reduce((n, ip) => n + (index.value.lookup(ip) ? 1 : 0), 0)));
    const sqlIps = ips.slice(0, 2_000);
    const sqlLook = await timed(async () => {
      let n = 0;
      for (const ip of sqlIps) if (await store.asForIp(ip)) n++;
      return n;
    });
    process.stderr.write(
      `${label}: AS index built in ${fmt(index.ms / 1000, 2)} s; lookup ${fmt((look.ms * 1000) / ips.length, 2)} µs (index, ${fmt(look.value)} of ${fmt(ips.length)} found), ${fmt((sqlLook.ms * 1000) / sqlIps.length, 1)} µs (store query)\n`,
    );
    rows.push({ what: 'IP → AS lookup, in-memory index (µs)', store: label, records: ips.length, perSec: (look.ms * 1000) / ips.length, parseOnlyPerSec: NaN });
    rows.push({ what: 'IP → AS lookup, store query (µs)', store: label, records: sqlIps.length, perSec: (sqlLook.ms * 1000) / sqlIps.length, parseOnlyPerSec: NaN });
  } finally {
    await store.close();
  }
  return rows;
}

const PARTS = (process.env.WARREN_BENCH_INGEST ?? 'stores,signatures').split(',');

async function main(): Promise<void> {
  if (!PARTS.includes('stores')) return signaturesOnly();
  process.stderr.write(`generating ${fmt(CERTS)} certificates, ${fmt(WHOIS)} WHOIS replies, ${fmt(PDNS)} COF records…\n`);
  const data = {
    pem: Buffer.from(await generatePem(CERTS)),
    whois: generateWhoisReplies(WHOIS),
    cof: Buffer.from(generateCof(PDNS)),
  };
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'warren-bench-'));
  try {
    rows.push(...(await benchStore('SQLite', `sqlite:${join(dir, 'bench.db')}`, data)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pg = await createTestDatabase();
  if ('skip' in pg) process.stderr.write(`PostgreSQL skipped: ${pg.skip}\n`);
  else {
    try {
      rows.push(...(await benchStore('PostgreSQL', pg.url, data)));
    } finally {
      await pg.drop();
    }
  }
  const lines = [
    `Ingest benchmark: node ${process.version}, one process`,
    '',
    '| input | store | records | records/s (parse + store) | parse only, records/s | store share of the time |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) =>
      r.what.endsWith('(µs)')
        ? `| ${r.what} | ${r.store} | ${fmt(r.records)} | ${fmt(r.perSec, 2)} µs per lookup | | |`
        : `| ${r.what} | ${r.store} | ${fmt(r.records)} | ${fmt(r.perSec)} | ${Number.isNaN(r.parseOnlyPerSec) ? '' : fmt(r.parseOnlyPerSec)} | ${Number.isNaN(r.parseOnlyPerSec) ? '' : `${fmt(100 * (1 - r.perSec / r.parseOnlyPerSec))}%`} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (PARTS.includes('signatures')) await signaturesOnly(data.cof);
}

async function signaturesOnly(cof = Buffer.from(generateCof(PDNS))): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warren-bench-sigs-'));
  try {
    const rows = await benchIngestSignatures(dir, cof);
    process.stdout.write(`\nSignature evaluation on ingest: node ${process.version}, SQLite\n\n${rows.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
