// A false positive's way back into its signature: signatures.md has `exclude` ("a value that
// matches any of these never fires", same match kind and case rule), so the exclusion that stops
// exactly this notification's value is one more exclude pattern — `^value$` (escaped) for a
// regex signature, the value itself for a literal one, the address as a /32 or /128 for a cidr
// one. Adding it is an ordinary import of the changed signature (a new version, audited as
// signature.change, retro-hunted: what it tagged on that value is withdrawn). The value also
// moves from the signature's own `tests.match` to `tests.no_match`, where a false positive belongs.
import { anyTester } from '../engine/pattern-testers.js';
import { normaliseDomain } from '../fields/domain.js';
import { canonicalIp } from '../fields/ip.js';
import { parseSignatureText } from '../signatures/load.js';
import { toYaml } from '../signatures/serialise.js';
import type { Signature } from '../signatures/types.js';
import { notificationById } from '../store/notifications.js';
import { signatureRows } from '../store/signature-rows.js';
import type { Store } from '../store/store.js';
import type { Actor } from './audit.js';
import { conflict, invalid, notFound } from './errors.js';
import { exportSignatures, importSignatures } from './org-signatures.js';

/** What the exclusion would be, or why there is none to offer. */
export type ExclusionOffer =
  | {
      readonly applicable: true;
      readonly signature: string;
      readonly field: string;
      readonly match: string;
      readonly value: string;
      /** The exclude pattern to add. */
      readonly pattern: string;
      /** The whole signature with it, as YAML: what the editor would show. */
      readonly text: string;
    }
  | { readonly applicable: false; readonly signature: string; readonly reason: string };

/** RE2 metacharacters escaped: the pattern matches the text literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** The exclude pattern that matches exactly `value` under the signature's match kind. */
export function exclusionPattern(s: Pick<Signature, 'match'>, value: string): string | undefined {
  switch (s.match) {
    case 'regex':
      return `^${escapeRegex(value)}$`;
    case 'literal':
      return value;
    case 'cidr': {
      if (value.includes('/')) return value;
      const ip = canonicalIp(value);
      return ip === undefined ? undefined : `${ip}/${ip.includes(':') ? 128 : 32}`;
    }
    case 'lookalike':
      // Excludes are domains (and what is under them): the value itself, when it is a name.
      return normaliseDomain(value.replace(/^\*\./, ''));
  }
}

function withExclusion(s: Signature, pattern: string, value: string): Signature {
  const same = (v: string): boolean => (s.caseSensitive ? v === value : v.toLowerCase() === value.toLowerCase());
  const tests = s.tests ? { match: s.tests.match.filter((v) => !same(v)), noMatch: s.tests.noMatch.some(same) ? s.tests.noMatch : [...s.tests.noMatch, value] } : undefined;
  const { source: _where, ...rest } = s;
  return { ...rest, exclude: [...s.exclude, pattern], ...(tests ? { tests } : {}) };
}

interface Planned {
  readonly offer: ExclusionOffer;
  readonly changed?: Signature;
}

/** A value a signature matched on a field: what an exclusion is offered for. */
export interface MatchedValue {
  readonly signature: string;
  readonly field: string;
  readonly value: string;
}

async function plan(store: Store, org: string, id: string): Promise<Planned> {
  const n = await notificationById(store.db, org, id);
  if (!n) throw notFound(`notification ${id}`);
  return planFor(store, org, n);
}

async function planFor(store: Store, org: string, n: MatchedValue): Promise<Planned> {
  const { signatures } = await exportSignatures(store, org, [n.signature]);
  const s = signatures[0];
  const no = (reason: string): Planned => ({ offer: { applicable: false, signature: n.signature, reason } });
  if (!s) return no(`signature ${n.signature} no longer exists`);
  if (s.field !== n.field) return no(`signature ${s.id} now reads field ${s.field}, not ${n.field} (it changed since this notification)`);
  if (anyTester(s.match, s.exclude, s.caseSensitive)?.(n.value)) return no(`signature ${s.id} already excludes ${n.value}`);
  const pattern = exclusionPattern(s, n.value);
  if (pattern === undefined) return no(`${n.value} is not an address or network a cidr exclusion can name`);
  const changed = withExclusion(s, pattern, n.value);
  const text = toYaml([changed]).replace(/^---\n/, '');
  // The changed signature is checked as any text an analyst sends (RE2, lengths, counts), and
  // must really stop this value: otherwise the offer would be a promise it cannot keep.
  const load = parseSignatureText(text, `${s.id}.yaml`);
  if (load.errors.length > 0) return no(`the exclusion would make ${s.id} invalid: ${load.errors.map((e) => e.message).join('; ')}`);
  if (!anyTester(changed.match, changed.exclude, changed.caseSensitive)?.(n.value)) return no(`no exclude pattern of ${s.id} can stop ${n.value}`);
  return { offer: { applicable: true, signature: s.id, field: s.field, match: s.match, value: n.value, pattern, text }, changed: load.signatures[0]! };
}

/** The exclusion a false positive would add to its signature (nothing is changed). */
export async function exclusionOffer(store: Store, org: string, id: string): Promise<ExclusionOffer> {
  return (await plan(store, org, id)).offer;
}

/**
 * Adds the offered exclusion: a new version of the signature, audited (signature.change) and
 * retro-hunted like any import. Conflict when there is none to add (the offer's reason).
 */
export async function addExclusion(store: Store, actor: Actor, org: string, id: string, now: string): Promise<AddedExclusion> {
  return added(store, actor, org, await plan(store, org, id), now);
}

export interface AddedExclusion {
  readonly signature: string;
  readonly pattern: string;
  readonly version: number;
  readonly withdrawn: { readonly tags: number; readonly classifications: number };
}

/**
 * The same for a value a signature matched without a notification (a look-alike the brand page
 * lists from its tag): the exclusion that stops exactly that value, added as a new version.
 */
export async function addValueExclusion(store: Store, actor: Actor, org: string, hit: MatchedValue, now: string): Promise<AddedExclusion> {
  return added(store, actor, org, await planFor(store, org, hit), now);
}

async function added(store: Store, actor: Actor, org: string, { offer, changed }: Planned, now: string): Promise<AddedExclusion> {
  if (!offer.applicable || !changed) throw conflict(offer.applicable ? 'nothing to add' : offer.reason);
  const report = await importSignatures(store, org, [changed], { now, actor });
  if (report.changed.length !== 1) throw invalid(`signature ${offer.signature} was not changed`);
  const [row] = await signatureRows(store.db, org, [offer.signature]);
  return { signature: offer.signature, pattern: offer.pattern, version: row?.version ?? 0, withdrawn: report.withdrawn };
}
