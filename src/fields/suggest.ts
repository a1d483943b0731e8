// "Did you mean" for field names, shared by `warren scan` input checks and signature validation.
import { FIELDS } from './catalogue.js';

/** Edit distance (insertions, deletions, substitutions) between two strings, by UTF-16 unit. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * The catalogue field an unknown name most likely meant, or undefined. First by the whole name
 * (typos: `whois.registrant.mail`), then by the last dotted segment alone (a missing or wrong
 * prefix: `sha256` → `x509.sha256`). The segment pass allows fewer edits, max(1, len/4), because
 * short segments such as `name` or `email` are shared by many fields and a loose match there
 * suggests noise. Ties go to the closer whole name, then to catalogue order.
 */
export function suggestField(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return undefined;
  return closestWholeName(wanted) ?? closestLastSegment(wanted);
}

function closestWholeName(wanted: string): string | undefined {
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  let best: { name: string; distance: number } | undefined;
  for (const field of FIELDS) {
    const distance = levenshtein(wanted, field.name);
    if (distance <= limit && (!best || distance < best.distance)) best = { name: field.name, distance };
  }
  return best?.name;
}

function closestLastSegment(wanted: string): string | undefined {
  const segment = lastSegment(wanted);
  const limit = Math.max(1, Math.floor(segment.length / 4));
  let best: { name: string; segmentDistance: number; wholeDistance: number } | undefined;
  for (const field of FIELDS) {
    const segmentDistance = levenshtein(segment, lastSegment(field.name));
    if (segmentDistance > limit) continue;
    const wholeDistance = levenshtein(wanted, field.name);
    const better =
      !best ||
      segmentDistance < best.segmentDistance ||
      (segmentDistance === best.segmentDistance && wholeDistance < best.wholeDistance);
    if (better) best = { name: field.name, segmentDistance, wholeDistance };
  }
  return best?.name;
}
