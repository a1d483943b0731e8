// IP → AS on a full-size pfx2as table (pfx2as-table.ts): load it into a SQLite store through the
// ingest pipeline's reader, then time the in-memory index (build, bulk lookups) and the store
// query (one-off lookups), and count answers that differ from the naive longest-prefix match.
// node dist/bench/as-lookup.js [v4 prefixes, default 1,000,000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalNetwork } from '../fields/ip.js';
import { formatByName } from '../ingest/detect.js';
import { FORMATS } from '../ingest/formats.js';
import { bufferInput } from '../ingest/input.js';
import { emptySummary, ingestInput } from '../services/ingest/read.js';
import { Store } from '../store/store.js';
import { NaiveLongestPrefix, addressesInside, generatePfx2asTable, v4Text, v6Text } from './pfx2as-table.js';

async function main(): Promise<void> {
  const v4 = Number(process.argv[2] ?? 1_000_000);
  let t = performance.now();
  const table = generatePfx2asTable(v4, Math.round(v4 / 8));
  process.stderr.write(`generated ${table.prefixes.length} prefixes in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const dir = mkdtempSync(join(tmpdir(), 'warren-as-bench-'));
  const store = await Store.open(`sqlite:${join(dir, 'as.db')}`);
  try {
    t = performance.now();
    const format = formatByName(FORMATS, 'pfx2as');
    if (!format) throw new Error('no pfx2as format');
    const s = emptySummary();
    await ingestInput(store, bufferInput('full.pfx2as', Buffer.from(table.text)), format, { onReject: () => undefined }, s);
    process.stderr.write(`stored ${s.stored['as-range'] ?? 0} ranges in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    const ref = new NaiveLongestPrefix(table.prefixes);
    const sample = addressesInside(table.prefixes, 100_000);
    t = performance.now();
    const index = await store.loadAsIndex();
    process.stderr.write(`index loaded and built in ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
    t = performance.now();
    const answers = sample.map((a) => index.lookup(a.text));
    const lookupUs = ((performance.now() - t) * 1000) / sample.length;
    const expected = (a: (typeof sample)[number]): string => {
      const p = ref.lookup(a.family, a.value)!;
      return canonicalNetwork(`${a.family === 4 ? v4Text(p.value) : v6Text(p.value)}/${p.length}`)!;
    };
    let wrongIndex = 0;
    sample.forEach((a, i) => {
      const got = answers[i];
      const p = ref.lookup(a.family, a.value)!;
      if (!got || got.asn !== p.asn || got.network !== expected(a)) wrongIndex++;
    });
    const sqlSample = sample.slice(0, 2_000);
    t = performance.now();
    let wrongStore = 0;
    for (const a of sqlSample) {
      const got = await store.asForIp(a.text);
      const p = ref.lookup(a.family, a.value)!;
      if (!got || got.asn !== p.asn || got.network !== expected(a)) wrongStore++;
    }
    const storeUs = ((performance.now() - t) * 1000) / sqlSample.length;
    process.stderr.write(
      `index: ${lookupUs.toFixed(2)} µs per lookup, ${wrongIndex} of ${sample.length} differ from the naive longest-prefix match\n` +
        `store: ${storeUs.toFixed(1)} µs per lookup, ${wrongStore} of ${sqlSample.length} differ\n`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
