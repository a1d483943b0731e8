// `warren demo` (what `npm start` runs). For now it shows the engine on the bundled samples:
// the seed scenarios' signatures, their own tests, and a scan of sample records. The store,
// server and web UI will take this command over as they arrive.
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { EXIT_OK, EXIT_PROBLEMS, write } from '../io.js';
import type { CommandContext } from '../main.js';
import { FastMatcher } from '../../engine/fast-matcher.js';
import { readLines } from '../../io/lines.js';
import { Scanner } from '../../services/scan.js';
import { runSignatureTests } from '../../services/signature-tests.js';
import { formatError, loadSignatureFiles } from '../../signatures/load.js';
import { createReadStream } from 'node:fs';

const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('show Warren on the bundled sample signatures and records')
    .action(async () => {
      const out = (s: string): Promise<void> => write(ctx.io.stdout, s);
      const sigFile = `${SAMPLES}signatures/seed-scenarios.yaml`;
      const { signatures, errors } = await loadSignatureFiles([sigFile]);
      for (const e of errors) await write(ctx.io.stderr, `${formatError(e)}\n`);
      const report = runSignatureTests(signatures);
      await out(`Warren demo: ${signatures.length} sample signatures (${sigFile})\n`);
      for (const s of signatures) await out(`  ${s.id.padEnd(30)} ${s.field.padEnd(26)} ${s.title}\n`);
      await out(`Their own tests: ${report.cases} cases, ${report.failures.length} failed\n\n`);
      const scanner = new Scanner(new FastMatcher(signatures), signatures);
      await out(`Scanning ${SAMPLES}records.jsonl:\n`);
      for await (const line of readLines(createReadStream(`${SAMPLES}records.jsonl`))) {
        for (const h of scanner.scanLine(line).hits) {
          const acts = h.actions.map((a) => ('tag' in a ? `tag ${a.tag}` : 'classify' in a ? `classify ${a.classify}` : `alert (${a.alert.severity})`));
          await out(`  ${String(h.id).padEnd(8)} ${h.signature} matched ${h.field} = ${h.value} → ${acts.join(', ')}\n`);
        }
      }
      await out('\nTry: npx warren scan --signatures samples/signatures/seed-scenarios.yaml samples/records.jsonl\n');
      ctx.exitCode = errors.length > 0 || report.failures.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
    });
}
