// `npm run bench:signatures`: signatures at work on SQLite.
//  1. Retro-hunt of one new signature over 1,000,000 stored domains and over 100,000 stored
//     certificates, against a baseline in the same run: paging through the same rows and building
//     their fields without matching or acting.
//  2. Ingest rate of passive DNS with 0 and with 10,000 active signatures (the engine
//     benchmark's analyst-style mix), through the path `warren ingest` runs.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rng, Words } from '../demo/words.js';
import { formatByName } from '../ingest/detect.js';
import { FORMATS } from '../ingest/formats.js';
import { bufferInput } from '../ingest/input.js';
import type { CertificateRecord, IngestRecord } from '../ingest/records.js';
import { EvaluationContext } from '../services/evaluate.js';
import { evaluateBatch } from '../services/ingest/evaluate-batch.js';
import { emptySummary, ingestInput } from '../services/ingest/read.js';
import { compiledOrgs } from '../services/org-matcher.js';
import { importSignatures } from '../services/org-signatures.js';
import { makeSignature } from '../signatures/make.js';
import { certificatePage, domainPage } from '../store/read-many.js';
import { Store } from '../store/store.js';
import { brandWords, generateSignatures } from './generate.js';
import { generateCof } from './ingest-data.js';

const COF = (() => {
  const f = formatByName(FORMATS, 'cof');
  if (!f) throw new Error('the cof format is not registered');
  return f;
})();

const DOMAINS = Number(process.env.WARREN_BENCH_DOMAINS ?? 1_000_000);
const CERTS = Number(process.env.WARREN_BENCH_HUNT_CERTS ?? 100_000);
const PDNS = Number(process.env.WARREN_BENCH_PDNS ?? 100_000);
const SIGS = Number(process.env.WARREN_BENCH_SIGNATURES ?? 10_000);
const NOW = '2026-01-01T00:00:00Z';

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

async function timed<T>(f: () => Promise<T>): Promise<{ s: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { s: (performance.now() - t) / 1000, value };
}

function domainRecords(count: number, seed: number): IngestRecord[] {
  const w = new Words(rng(seed));
  const brands = brandWords(7, 200);
  const out: IngestRecord[] = [];
  for (let i = 0; i < count; i++) {
    const main = w.chance(0.001) ? `login-passivetotal-${w.pick(brands)}` : `${w.word(2, 4)}${i}`;
    out.push({ kind: 'domain', domain: `${main}.${w.pick(['com', 'net', 'org', 'io', 'xyz'])}`, observation: { source: 'bench', firstSeen: NOW } });
  }
  return out;
}

/** Certificate records as the store keeps them (fields JSON); the DER is a stand-in. */
function certificateRecords(count: number, seed: number): CertificateRecord[] {
  const w = new Words(rng(seed));
  const out: CertificateRecord[] = [];
  for (let i = 0; i < count; i++) {
    const host = `${w.word(2, 4)}${i}.${w.pick(['com', 'net', 'org'])}`;
    const cn = w.chance(0.001) ? `www.lanxess-lab${i}.com` : host;
    const der = new Uint8Array(createHash('sha256').update(`cert ${i}`).digest());
    const sha256 = createHash('sha256').update(der).digest('hex');
    const sha1 = createHash('sha1').update(der).digest('hex');
    out.push({
      kind: 'certificate',
      der,
      sha256,
      sha1,
      fields: {
        'x509.subject.common_name': [cn],
        'x509.subject.distinguished_name': [`CN=${cn}`],
        'x509.issuer.organization': [w.pick(["Let's Encrypt", 'DigiCert Inc', 'Sectigo Limited'])],
        'x509.alternative_names': [cn, `www.${host}`],
        'x509.sha256': [sha256],
        'x509.sha1': [sha1],
      },
      observation: { source: 'bench', firstSeen: NOW },
    });
  }
  return out;
}

async function fill(store: Store, records: readonly IngestRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 10_000) await store.write(records.slice(i, i + 10_000));
}

async function retroHunts(dir: string): Promise<string[]> {
  const store = await Store.open(`sqlite:${join(dir, 'hunt.db')}`);
  const rows: string[] = [];
  try {
    log(`storing ${fmt(DOMAINS)} domains and ${fmt(CERTS)} certificates…`);
    const stored = await timed(async () => {
      await fill(store, domainRecords(DOMAINS, 21));
      await fill(store, certificateRecords(CERTS, 22));
    });
    log(`stored in ${fmt(stored.s, 1)} s`);

    // Baseline: page through the rows as the hunt does, without matching.
    const scanDomains = await timed(async () => {
      let after: string | undefined;
      let n = 0;
      for (;;) {
        const page = await domainPage(store.db, after, 5_000);
        if (page.length === 0) return n;
        for (const d of page) n += new Map([['domain', [d]]]).size;
        after = page[page.length - 1];
      }
    });
    const huntDomains = await timed(() =>
      importSignatures(
        store,
        'bench',
        [makeSignature({ id: 'brand', field: 'domain', patterns: ['passivetotal'], actions: [{ tag: 'Brand' }, { alert: { severity: 'high' } }] })],
        { now: NOW },
      ),
    );
    const hd = huntDomains.value.hunt!;
    rows.push(
      `| retro-hunt, 1 signature (field domain) | ${fmt(hd.scanned.domain ?? 0)} domains | ${fmt(huntDomains.s, 1)} s | ${fmt((hd.scanned.domain ?? 0) / huntDomains.s)} | ${fmt(scanDomains.s, 1)} s | ${fmt(huntDomains.s / scanDomains.s, 2)}× | ${hd.matched} matched, ${hd.applied.tags} tags, ${hd.applied.notifications} notifications |`,
    );

    const scanCerts = await timed(async () => {
      let after: string | undefined;
      let n = 0;
      for (;;) {
        const page = await certificatePage(store.db, after, 5_000);
        if (page.length === 0) return n;
        for (const c of page) n += new Map(Object.entries(c.fields)).size;
        after = page[page.length - 1]!.sha256;
      }
    });
    const huntCerts = await timed(() =>
      importSignatures(
        store,
        'bench',
        [makeSignature({ id: 'bad-cert', field: 'x509.subject.common_name', patterns: ['^www\\.lanxess-lab[0-9]*\\.com$'], actions: [{ tag: 'KnownBadCert' }] })],
        { now: NOW },
      ),
    );
    const hc = huntCerts.value.hunt!;
    rows.push(
      `| retro-hunt, 1 signature (x509.subject.common_name) | ${fmt(hc.scanned.certificate ?? 0)} certificates | ${fmt(huntCerts.s, 1)} s | ${fmt((hc.scanned.certificate ?? 0) / huntCerts.s)} | ${fmt(scanCerts.s, 1)} s | ${fmt(huntCerts.s / scanCerts.s, 2)}× | ${hc.matched} matched, ${hc.applied.tags} tags |`,
    );
  } finally {
    await store.close();
  }
  return rows;
}

interface IngestRun {
  /** Wall-clock seconds for the whole ingest. */
  readonly s: number;
  /** Of which spent evaluating signatures after each stored batch. */
  readonly evalS: number;
  readonly tags: number;
}

async function ingestWith(dir: string, name: string, signatures: number, cof: Buffer): Promise<IngestRun> {
  const store = await Store.open(`sqlite:${join(dir, `${name}.db`)}`);
  try {
    if (signatures > 0) {
      const sigs = generateSignatures(signatures, 31);
      const imported = await timed(() => importSignatures(store, 'bench', sigs, { now: NOW }));
      log(`${name}: imported ${fmt(signatures)} signatures in ${fmt(imported.s, 1)} s`);
      // Compiled once per change of the organisation's signatures, not per ingest: measured apart.
      const compiled = await timed(() => compiledOrgs(store));
      log(`${name}: compiled the organisation's matcher in ${fmt(compiled.s, 1)} s`);
    }
    const ctx = new EvaluationContext(store);
    let tags = 0;
    let evalMs = 0;
    const run = await timed(async () => {
      const summary = emptySummary();
      await ingestInput(
        store,
        bufferInput('bench.ndjson', cof),
        COF,
        {
          onReject: () => undefined,
          afterBatch: async (records) => {
            const t = performance.now();
            tags += (await evaluateBatch(ctx, records, NOW)).tags;
            evalMs += performance.now() - t;
          },
        },
        summary,
      );
      return summary;
    });
    return { s: run.s, evalS: evalMs / 1000, tags };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warren-bench-sigs-'));
  try {
    const hunts = await retroHunts(dir);
    const cof = Buffer.from(generateCof(PDNS, 41));
    // Three runs of each, alternating, each into a fresh store; medians compared. This VM's
    // timings vary by about ±30% between runs, so the time spent evaluating (measured inside
    // the same runs) is printed too: it is the cost itself, without the noise of the rest.
    const none: IngestRun[] = [];
    const many: IngestRun[] = [];
    for (let i = 0; i < 3; i++) {
      none.push(await ingestWith(dir, `none${i}`, 0, cof));
      many.push(await ingestWith(dir, `many${i}`, SIGS, cof));
    }
    const median = (runs: IngestRun[]): IngestRun => [...runs].sort((a, b) => a.s - b.s)[1]!;
    const base = median(none).s;
    const withMany = median(many);
    const evalShare = withMany.evalS / (withMany.s - withMany.evalS);
    const lines = [
      `Signatures benchmark: node ${process.version}, SQLite, one process (fixed data: seeds in the script)`,
      '',
      '| retro-hunt | stored | time | entities/s | baseline: page + build fields only | ratio | result |',
      '|---|---:|---:|---:|---:|---:|---|',
      ...hunts,
      '',
      '| ingest (COF passive DNS, batches of 2,000) | records | time | records/s | cost vs 0 signatures |',
      '|---|---:|---:|---:|---:|',
      `| 0 active signatures (median of 3) | ${fmt(PDNS)} | ${fmt(base, 1)} s | ${fmt(PDNS / base)} | baseline (runs: ${none.map((r) => fmt(r.s, 1)).join(', ')} s) |`,
      `| ${fmt(SIGS)} active signatures (median of 3) | ${fmt(PDNS)} | ${fmt(withMany.s, 1)} s | ${fmt(PDNS / withMany.s)} | ${fmt(100 * (withMany.s / base - 1), 1)}% slower wall-clock (runs: ${many.map((r) => fmt(r.s, 1)).join(', ')} s); evaluation ${fmt(withMany.evalS, 2)} s = ${fmt(100 * evalShare, 1)}% on top of the rest of that run; ${withMany.tags} tags applied |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
