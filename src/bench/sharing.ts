// `npm run bench:sharing`: the sharing formats of one list on a SQLite store, N tagged domains
// (WARREN_BENCH_SHARING, default 5,000: half the export cap), each with a WHOIS registrant and
// two resolutions. Times the CSV export (the baseline: the same list pages, nothing read per
// entity), the STIX bundle, the MISP event, and a TAXII client reading the collection whole at
// limit 1,000; prints each with its ratio to the baseline and the load average.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestRecord } from '../ingest/records.js';
import { importSignatures } from '../services/org-signatures.js';
import { pivotExport } from '../services/pivot.js';
import { exportMispEvent, exportStix } from '../services/sharing/export.js';
import { taxiiCollections, taxiiObjects } from '../services/sharing/taxii.js';
import { makeSignature } from '../signatures/make.js';
import { Store } from '../store/store.js';

const N = Number(process.env.WARREN_BENCH_SHARING ?? 5_000);
const NOW = '2026-01-01T00:00:00Z';
const ORG = 'bench';

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warren-bench-sharing-'));
  const store = await Store.open(`sqlite:${join(dir, 'bench.db')}`);
  try {
    const records: IngestRecord[] = [];
    for (let i = 0; i < N; i++) {
      const domain = `shared-${i}.example`;
      const observation = { source: 'bench', firstSeen: NOW };
      records.push({ kind: 'whois', domain, observed: NOW, source: 'bench', fields: { 'whois.registrant.email': [`op${i % 50}@bad.example`] } });
      records.push({ kind: 'resolution', domain, rrtype: 'A', value: `198.51.${(i >> 8) & 255}.${i & 255}`, observation });
      records.push({ kind: 'resolution', domain, rrtype: 'A', value: `203.0.${(i >> 8) & 255}.${i & 255}`, observation });
    }
    for (let i = 0; i < records.length; i += 10_000) await store.write(records.slice(i, i + 10_000));
    await importSignatures(store, ORG, [makeSignature({ id: 'bad-ops', field: 'whois.registrant.email', match: 'regex', patterns: ['@bad\\.example$'], actions: [{ tag: 'Bad_Ops' }, { classify: 'malicious' }] })], { now: NOW });

    const csv = await timed(async () => {
      let n = 0;
      const pages = pivotExport(store, ORG, 'tag', 'Bad_Ops');
      for (let r = await pages.next(); !r.done; r = await pages.next()) n += r.value.length;
      return n;
    });
    const stix = await timed(() => exportStix(store, ORG, 'tag', 'Bad_Ops'));
    const misp = await timed(() => exportMispEvent(store, ORG, 'tag', 'Bad_Ops'));
    const taxii = await timed(async () => {
      const id = (await taxiiCollections(store, ORG)).find((c) => c.title === 'tag Bad_Ops')!.id;
      let objects = 0;
      let next: string | undefined;
      for (;;) {
        const page = await taxiiObjects(store, ORG, id, { limit: 1000, ...(next !== undefined ? { next } : {}) });
        objects += page.objects.length;
        if (!page.more) return objects;
        next = page.next!;
      }
    });
    const [l1, l5] = loadavg();
    log(`sharing exports of ${N.toLocaleString('en-US')} tagged domains (load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)}: figures are noisy while other work runs)`);
    const row = (name: string, ms: number, what: string): void => log(`  ${name.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / csv.ms).toFixed(1).padStart(6)}× baseline  ${what}`);
    row('CSV export (baseline)', csv.ms, `${csv.value} entities`);
    row('STIX 2.1 bundle', stix.ms, `${stix.value.body.objects.length.toLocaleString('en-US')} objects, ${(N / (stix.ms / 1000)).toFixed(0)} entities/s`);
    row('MISP event', misp.ms, `${misp.value.body.Event.Attribute.length.toLocaleString('en-US')} attributes`);
    row('TAXII walk (limit 1,000)', taxii.ms, `${taxii.value.toLocaleString('en-US')} objects`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
