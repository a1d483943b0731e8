// Picking an input's format: by name when given (`--format`), else the format most sure of the
// input's first bytes.
import type { Format } from './records.js';

export const DETECT_THRESHOLD = 0.5;

export function formatByName(formats: readonly Format[], name: string): Format | undefined {
  return formats.find((f) => f.name === name);
}

export function detectFormat(formats: readonly Format[], head: Buffer, fileName?: string): Format | undefined {
  // A .gz suffix says nothing about the content's own format.
  const name = fileName?.replace(/\.gz$/i, '');
  let best: Format | undefined;
  let bestScore = DETECT_THRESHOLD - 1e-9;
  for (const f of formats) {
    let score = 0;
    try {
      score = f.sniff(head, name);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}
