// STIX 2.1 identifiers that do not change between exports, so a consumer that reads a list
// twice updates its objects instead of holding two of each.
//
// Cyber-observables use the specification's own deterministic ids (STIX 2.1 §2.9: UUIDv5 in the
// namespace 00abedb4-… over the canonical JSON of the type's "ID contributing properties"), so
// Warren's domain-name--… is the same id OpenCTI or the stix2 library computes for that domain.
// Objects of Warren's making (indicators, relationships, the organisation's identity) take a
// UUIDv5 in Warren's own namespace over the organisation and what the object is about.
import { v5 as uuidv5 } from 'uuid';

/** STIX 2.1's namespace for cyber-observable ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Warren's namespace for the objects it makes (a v5 of the project's URL in the URL namespace). */
export const WARREN_NAMESPACE = uuidv5('https://github.com/warren/warren#stix', uuidv5.URL);

/** RFC 8785 (JCS) for the JSON the ids hash: objects with sorted keys, strings and integers only. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A cyber-observable's id from its ID contributing properties (the caller picks them per type). */
export function scoId(type: string, contributing: Record<string, unknown>): string {
  return `${type}--${uuidv5(canonicalJson(contributing), STIX_SCO_NAMESPACE)}`;
}

/** An object Warren makes: the same organisation and parts give the same id. */
export function warrenId(type: string, org: string, ...parts: readonly string[]): string {
  return `${type}--${uuidv5([type, org, ...parts].join('\0'), WARREN_NAMESPACE)}`;
}

/**
 * Hashes as an ID contributing property: only one, the first present of MD5, SHA-1, SHA-256,
 * SHA-512 (the specification's order).
 */
export function oneHash(hashes: Readonly<Record<string, string>>): Record<string, string> {
  for (const name of ['MD5', 'SHA-1', 'SHA-256', 'SHA-512']) {
    const h = hashes[name];
    if (h !== undefined) return { [name]: h };
  }
  return {};
}
