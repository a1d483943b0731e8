// `node dist/bench/whois-fidelity.js [dir] [--mismatches]`: the WHOIS parser's agreement with the
// likexian corpus's expected parses, field by field (see ingest/whois-fidelity.ts for the rules).
// The corpus lives outside the project (../shared/data), so its absence is not an error.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { measureWhoisFidelity, type FidelityReport } from '../ingest/whois-fidelity.js';

const DEFAULT_DIR = '../shared/data/whois/likexian';

function percent(agreed: number, cases: number): string {
  return cases === 0 ? '—' : `${((100 * agreed) / cases).toFixed(1)}%`;
}

function table(report: FidelityReport): string {
  const header = ['field', 'expected', 'agree', 'rate', 'placeholders'];
  const rows = report.rows.map((r) => [r.field, String(r.cases), String(r.agreed), percent(r.agreed, r.cases), String(r.placeholders)]);
  rows.push(['overall', String(report.total.cases), String(report.total.agreed), percent(report.total.agreed, report.total.cases), String(report.total.placeholders)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows.at(-1)!)].join('\n');
}

function main(argv: readonly string[]): number {
  const showMismatches = argv.includes('--mismatches');
  const dirArg = argv.find((a) => !a.startsWith('--'));
  const dir = resolve(process.cwd(), dirArg ?? DEFAULT_DIR);
  if (!existsSync(dir)) {
    console.log(`No WHOIS corpus at ${dir}: nothing to measure.`);
    console.log('Pass the likexian corpus directory (the one holding noterror/ and notfound/), e.g.');
    console.log(`  node dist/bench/whois-fidelity.js ${DEFAULT_DIR}`);
    return 0;
  }
  const report = measureWhoisFidelity(dir);
  console.log(`WHOIS parser fidelity against ${dir}`);
  console.log(`${report.files} replies with expected parses; "expected" counts cases whose expected value is non-empty`);
  console.log('("placeholders": how many of those expected values are redaction text; they count like any other).\n');
  console.log(table(report));
  console.log(`\nOverall agreement: ${percent(report.total.agreed, report.total.cases)} (target ≥ 98%).`);
  const nf = report.notFound;
  console.log(`Not-found replies: ${nf.rejected}/${nf.files} gave no record and an error${nf.accepted.length > 0 ? ` (not: ${nf.accepted.join(', ')})` : ''}.`);
  if (report.unparsed.length > 0) console.log(`Replies that gave no record: ${report.unparsed.join(', ')}`);
  if (showMismatches) {
    console.log('\nDisagreements:');
    for (const m of report.mismatches) console.log(`  ${m.file}  ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual ?? null)}`);
  } else if (report.mismatches.length > 0) {
    console.log(`(${report.mismatches.length} disagreements; --mismatches lists them.)`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
