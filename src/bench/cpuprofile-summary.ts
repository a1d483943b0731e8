// Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time per function, the top N, for
// docs/PERFORMANCE.md. `node dist/bench/cpuprofile-summary.js <file.cpuprofile> [N]`
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** node_modules/x/… and dist/… are shortened to what names the code; node:internal stays as is. */
function where(url: string, line: number): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  // A package keeps its own dist/ in the name (tldts/dist/cjs/index.js); ours drops it.
  const short = inModules >= 0 ? path.slice(inModules + '/node_modules/'.length) : path.replace(/^.*\/dist\//, '');
  return `${short}:${line + 1}`;
}

/** Self time per function (`byFile` false) or per script (`byFile` true), largest first. */
export function selfTimes(profile: Profile, byFile = false): { name: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = byFile
      ? where(url, 0).replace(/:1$/, '') || `(${functionName})`
      : `${functionName || '(anonymous)'} ${where(url, lineNumber)}`.trim();
    // timeDeltas[i] is the time before sample i; attributing it to sample i is V8's own convention.
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return [...totals].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

if (process.argv[1]?.endsWith('cpuprofile-summary.js')) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: cpuprofile-summary <file.cpuprofile> [N]');
  const top = Number(process.argv[3] ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const rows = selfTimes(profile);
  const total = rows.reduce((a, r) => a + r.ms, 0);
  const lines = ['| # | function (file:line) | self ms | share |', '|---:|---|---:|---:|'];
  rows.slice(0, top).forEach((r, i) => {
    lines.push(`| ${i + 1} | \`${r.name}\` | ${r.ms.toFixed(0)} | ${((100 * r.ms) / total).toFixed(1)}% |`);
  });
  lines.push('', `total sampled: ${total.toFixed(0)} ms`, '', '| script | self ms | share |', '|---|---:|---:|');
  for (const r of selfTimes(profile, true).slice(0, 12)) lines.push(`| \`${r.name}\` | ${r.ms.toFixed(0)} | ${((100 * r.ms) / total).toFixed(1)}% |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
