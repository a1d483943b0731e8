// An organisation's enabled signatures compiled into one matcher. Compiled once per change of
// the organisation's signatures (its revision in the store), never per record; the cache is
// only a cache: a second process reads the same revision and compiles the same matcher.
// The signatures of the packs it subscribes to join its own (named publisher/pack/id, at the
// pack version its subscription runs: services/packs.ts), minus those it switched off; every
// subscription change bumps the subscriber's revision too.
import { FastMatcher } from '../engine/fast-matcher.js';
import type { Matcher } from '../engine/types.js';
import { parseSignatureText } from '../signatures/load.js';
import type { Signature } from '../signatures/types.js';
import { orgNames, orgRevision } from '../store/orgs.js';
import { subscribedSignatureRows, type SubscribedSignatureRow } from '../store/packs.js';
import { enabledSignatureRows, type SignatureRow } from '../store/signature-rows.js';
import type { Store } from '../store/store.js';
import { packSignatureId } from './pack-ref.js';

export interface VersionedSignature {
  readonly signature: Signature;
  readonly version: number;
}

export interface CompiledOrg {
  readonly org: string;
  readonly matcher: Matcher;
  readonly signatures: ReadonlyMap<string, VersionedSignature>;
}

/** A stored signature back in memory; stored ones were validated on import. */
export function signatureFromRow(row: Pick<SignatureRow, 'id' | 'source' | 'enabled'>): Signature {
  const { signatures, errors } = parseSignatureText(row.source, `stored signature ${row.id}`);
  if (errors.length > 0 || signatures.length !== 1) {
    throw new Error(`stored signature ${row.id} no longer loads: ${errors[0]?.message ?? 'not one signature'}`);
  }
  return { ...signatures[0]!, enabled: row.enabled };
}

/** A pack's signature as a subscriber runs it: under its pack-qualified id, versioned by the pack. */
export function packSignature(row: Pick<SubscribedSignatureRow, 'publisher' | 'name' | 'version' | 'signature' | 'source'>): VersionedSignature {
  const signature = signatureFromRow({ id: row.signature, source: row.source, enabled: true });
  return { signature: { ...signature, id: packSignatureId(row, row.signature) }, version: row.version };
}

export function compile(org: string, signatures: readonly VersionedSignature[]): CompiledOrg {
  return {
    org,
    matcher: new FastMatcher(signatures.map((s) => s.signature)),
    signatures: new Map(signatures.map((s) => [s.signature.id, s])),
  };
}

type OrgCache = Map<string, { revision: number; compiled: CompiledOrg | undefined }>;

/** Signatures in the matchers this process holds compiled, by organisation (for /metrics). */
const compiledSizes = new Map<string, number>();

export function compiledSignatureCount(): number {
  let n = 0;
  for (const v of compiledSizes.values()) n += v;
  return n;
}

// By the store's identity: its deferringCommits() sibling reads the same signatures.
const cache = new WeakMap<object, OrgCache>();

/** The organisation's compiled enabled signatures, or undefined when it has none. */
export async function compiledOrg(store: Store, org: string): Promise<CompiledOrg | undefined> {
  let byOrg = cache.get(store.identity);
  if (!byOrg) cache.set(store.identity, (byOrg = new Map() as OrgCache));
  const revision = await orgRevision(store.db, org);
  const hit = byOrg.get(org);
  if (hit && hit.revision === revision) return hit.compiled;
  // Revision and rows read together, so a change between the two cannot be cached as current.
  const { rows, packRows, at } = await store.db.transaction().execute(async (trx) => ({
    at: await orgRevision(trx, org),
    rows: await enabledSignatureRows(trx, org),
    packRows: (await subscribedSignatureRows(trx, org)).filter((r) => r.enabled),
  }));
  const signatures = [...rows.map((r) => ({ signature: signatureFromRow(r), version: r.version })), ...packRows.map(packSignature)];
  const compiled = signatures.length === 0 ? undefined : compile(org, signatures);
  byOrg.set(org, { revision: at, compiled });
  compiledSizes.set(org, compiled?.signatures.size ?? 0);
  return compiled;
}

/** Every organisation that has enabled signatures, compiled. */
export async function compiledOrgs(store: Store): Promise<CompiledOrg[]> {
  const out: CompiledOrg[] = [];
  for (const org of await orgNames(store.db)) {
    const c = await compiledOrg(store, org);
    if (c) out.push(c);
  }
  return out;
}
