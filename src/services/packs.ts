// Signature packs between organisations (issue 18, docs/PACKS.md).
//
// A publisher names some of its signatures as a pack; publishing snapshots their text as a new
// version (the publisher's later edits reach no one until it publishes again). Consent is the
// publisher's list of organisations allowed to subscribe (grant / revoke): nothing reaches an
// organisation unless the publisher named it and one of its admins subscribed. A subscription
// runs the pack's signatures in the subscriber's organisation under the ids publisher/pack/id
// (services/pack-ref.ts), read-only, each versioned by the pack version; so every tag,
// classification and notification they make is the subscriber's own row and names the pack and
// version it came from (signature, signature_version). A new version reaches every subscriber
// when it is published, and its new and changed signatures retro-hunt the subscriber's data;
// what the old text no longer supports, and whatever a dropped signature made, is withdrawn.
// Unsubscribing (or the publisher revoking its consent) withdraws every tag and classification
// the pack made; tags of the same name from other signatures or people are other rows and stay.
//
// What crosses organisations is exactly: the snapshots (to the organisations granted), the
// pack's name, version and description, and who subscribes at which version (to the publisher,
// in its list and audit log). Hunt results, hits, tags, disabled signatures stay with the
// subscriber. Audit: the acting side writes its row with its actor; the other side's row names
// the acting organisation as `org:<name>`, never a person of another organisation.
import { toFileObject } from '../signatures/serialise.js';
import { withdrawSignature } from '../store/actions.js';
import { bumpRevision, ensureOrg } from '../store/orgs.js';
import {
  addGrant,
  disabledPackSignatures,
  grantedPack,
  offeredPacks,
  packGrants,
  packRow,
  packSignatures,
  packVersions,
  publishedPacks,
  putSubscription,
  removeGrant,
  removeSubscription,
  setPackSignatureDisabled,
  subscribersOf,
  subscription,
  writePackVersion,
  type PackRow,
  type PackSignatureSource,
} from '../store/packs.js';
import { signatureHits } from '../store/signature-hits.js';
import { signatureRows } from '../store/signature-rows.js';
import type { Store } from '../store/store.js';
import { ORG_NAME } from './accounts.js';
import { audit, type Actor } from './audit.js';
import { invalid, notFound, ServiceError } from './errors.js';
import { huntAndWithdraw, storedSource, type ChangeOptions } from './org-signatures.js';
import { packSignature, signatureFromRow, type VersionedSignature } from './org-matcher.js';
import { packRefText, packSignatureId, PACK_NAME, type PackRef } from './pack-ref.js';
import type { HuntReport } from './retro-hunt.js';

/** Who the other side's audit row names: the acting organisation, never one of its people. */
function orgActor(org: string): Actor {
  return `org:${org}`;
}

function target(ref: PackRef): string {
  return `pack:${packRefText(ref)}`;
}

function checkName(name: string): void {
  if (!PACK_NAME.test(name)) throw invalid(`pack name "${name}" must be 1-64 of a-z 0-9 . _ - starting with a letter or digit`);
}

type Withdrawn = { tags: number; classifications: number };

async function withdrawAll(store: Store, org: string, ref: PackRef, signatures: readonly string[]): Promise<Withdrawn> {
  const total = { tags: 0, classifications: 0 };
  for (const id of signatures) {
    const w = await withdrawSignature(store.db, org, packSignatureId(ref, id));
    total.tags += w.tags;
    total.classifications += w.classifications;
  }
  return total;
}

// ---- the publisher's side ----------------------------------------------------------------------

export interface PublishOptions extends ChangeOptions {
  /** The signatures of the new version; without them, the same ids as the current version (their text now). */
  readonly signatures?: readonly string[];
  readonly description?: string;
}

export interface PublishReport {
  readonly pack: string;
  readonly version: number;
  readonly signatures: string[];
  /** True when nothing differed from the current version, so none was written. */
  readonly unchanged: boolean;
  /** How many subscriptions the new version reached (their hunts are the subscribers' own). */
  readonly subscribers: number;
}

function sameSnapshot(a: readonly PackSignatureSource[], b: readonly PackSignatureSource[]): boolean {
  return a.length === b.length && a.every((x, i) => x.signature === b[i]!.signature && x.source === b[i]!.source);
}

/** Publishes a new version of the pack (creating it): a snapshot of the named signatures' text, pushed to every subscriber. */
export async function publishPack(store: Store, org: string, name: string, opts: PublishOptions): Promise<PublishReport> {
  checkName(name);
  const ref = { publisher: org, name };
  const written = await store.db.transaction().execute(async (trx) => {
    await ensureOrg(trx, org, opts.now);
    const current = await packRow(trx, org, name);
    const previous = current ? await packSignatures(trx, org, name, current.version) : [];
    const ids = [...new Set(opts.signatures ?? previous.map((s) => s.signature))].sort();
    if (ids.length === 0) throw invalid(`name the signatures of pack ${name}`);
    const rows = await signatureRows(trx, org, ids);
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw invalid(`no signature ${missing.join(', ')} in organisation ${org}`);
    // The text travels, not the publisher's on/off switch: a subscriber runs what it receives.
    const snapshot = rows.map((r) => ({ signature: r.id, source: storedSource({ ...signatureFromRow(r), enabled: true }) }));
    if (current && sameSnapshot(previous, snapshot) && (opts.description === undefined || opts.description === current.description)) {
      return { version: current.version, ids, unchanged: true };
    }
    const version = await writePackVersion(trx, org, name, opts.description, snapshot, opts.now);
    if (opts.actor !== undefined) {
      await audit(store, opts.actor, { at: opts.now, org, action: 'pack.publish', target: target(ref), ...(current ? { before: { version: current.version } } : {}), after: { version, signatures: ids } }, trx);
    }
    return { version, ids, unchanged: false };
  });
  let subscribers = 0;
  if (!written.unchanged) {
    for (const s of await subscribersOf(store.db, org, name)) {
      try {
        await syncSubscription(store, s.org, ref, { now: opts.now, ...(opts.actor !== undefined ? { actor: orgActor(org) } : {}) }, 'pack.update');
        subscribers++;
      } catch (e) {
        // A grant revoked between the two (its subscription ending): the version is published
        // all the same, and the others still get it.
        if (!(e instanceof ServiceError)) throw e;
      }
    }
  }
  return { pack: packRefText(ref), version: written.version, signatures: written.ids, unchanged: written.unchanged, subscribers };
}

/** The publisher allows `consumer` to subscribe. */
export async function grantPack(store: Store, org: string, name: string, consumer: string, opts: ChangeOptions): Promise<{ granted: boolean }> {
  checkName(name);
  if (!ORG_NAME.test(consumer)) throw invalid(`"${consumer}" is not an organisation name`);
  if (consumer === org) throw invalid('an organisation runs its own signatures already: grant a pack to another one');
  return store.db.transaction().execute(async (trx) => {
    if (!(await packRow(trx, org, name))) throw notFound(`pack ${name}`);
    const granted = await addGrant(trx, org, name, consumer, opts.now);
    if (granted && opts.actor !== undefined) await audit(store, opts.actor, { at: opts.now, org, action: 'pack.grant', target: target({ publisher: org, name }), after: { org: consumer } }, trx);
    return { granted };
  });
}

/** The publisher withdraws its consent; a subscription of `consumer` ends with it (and what the pack tagged there goes). */
export async function revokePack(store: Store, org: string, name: string, consumer: string, opts: ChangeOptions): Promise<{ revoked: true; unsubscribed: boolean }> {
  const ref = { publisher: org, name };
  await store.db.transaction().execute(async (trx) => {
    if (!(await removeGrant(trx, org, name, consumer))) throw notFound(`grant of pack ${name} to ${consumer}`);
    if (opts.actor !== undefined) await audit(store, opts.actor, { at: opts.now, org, action: 'pack.revoke', target: target(ref), before: { org: consumer } }, trx);
  });
  const ended = await endSubscription(store, consumer, ref, { now: opts.now, ...(opts.actor !== undefined ? { actor: orgActor(org) } : {}) }, 'publisher');
  return { revoked: true, unsubscribed: ended !== undefined };
}

// ---- the subscriber's side ---------------------------------------------------------------------

export interface SyncReport {
  readonly pack: string;
  readonly version: number;
  /** False when the subscription already ran this version. */
  readonly changed: boolean;
  readonly added: string[];
  readonly updated: string[];
  readonly removed: string[];
  readonly hunt?: HuntReport;
  readonly withdrawn: Withdrawn;
}

/**
 * Brings the organisation's subscription to the pack's newest version (making it, for a
 * subscribe): the new and changed signatures retro-hunt its data, the dropped ones' rows go.
 */
async function syncSubscription(store: Store, org: string, ref: PackRef, opts: ChangeOptions, action: 'pack.subscribe' | 'pack.update'): Promise<SyncReport> {
  const plan = await store.db.transaction().execute(async (trx) => {
    const pack = await grantedPack(trx, ref.publisher, ref.name, org);
    // The same answer for a pack that does not exist and one not offered to this organisation.
    if (!pack) throw notFound(`pack ${packRefText(ref)}`);
    const sub = await subscription(trx, org, ref.publisher, ref.name);
    if (sub && sub.version === pack.version) return { version: pack.version, changed: false as const };
    const before = new Map((sub ? await packSignatures(trx, ref.publisher, ref.name, sub.version) : []).map((s) => [s.signature, s.source]));
    const after = await packSignatures(trx, ref.publisher, ref.name, pack.version);
    const added = after.filter((s) => !before.has(s.signature));
    const updated = after.filter((s) => before.has(s.signature) && before.get(s.signature) !== s.source);
    const kept = new Set(after.map((s) => s.signature));
    const removed = [...before.keys()].filter((id) => !kept.has(id));
    const disabled = await disabledPackSignatures(trx, org, ref.publisher, ref.name);
    await ensureOrg(trx, org, opts.now);
    await putSubscription(trx, org, ref.publisher, ref.name, pack.version, opts.now);
    await bumpRevision(trx, org);
    const change = { version: pack.version, added: added.map((s) => s.signature), updated: updated.map((s) => s.signature), removed };
    if (opts.actor !== undefined) {
      await audit(store, opts.actor, { at: opts.now, org, action, target: target(ref), ...(sub ? { before: { version: sub.version } } : {}), after: change }, trx);
      // The publisher's log learns who subscribed (its consent at work), never anything else of theirs.
      if (!sub) await audit(store, orgActor(org), { at: opts.now, org: ref.publisher, action: 'pack.subscriber.add', target: target(ref), after: { org, version: pack.version } }, trx);
    }
    const hunted = [...added, ...updated].filter((s) => !disabled.has(s.signature));
    return { ...change, changed: true as const, hunted };
  });
  if (!plan.changed) return { pack: packRefText(ref), version: plan.version, changed: false, added: [], updated: [], removed: [], withdrawn: { tags: 0, classifications: 0 } };
  const hunted: VersionedSignature[] = plan.hunted.map((s) => packSignature({ ...ref, version: plan.version, signature: s.signature, source: s.source }));
  const { hunt, withdrawn } = await huntAndWithdraw(store, org, hunted, opts);
  const gone = await withdrawAll(store, org, ref, plan.removed);
  return {
    pack: packRefText(ref),
    version: plan.version,
    changed: true,
    added: plan.added,
    updated: plan.updated,
    removed: plan.removed,
    ...(hunt ? { hunt } : {}),
    withdrawn: { tags: withdrawn.tags + gone.tags, classifications: withdrawn.classifications + gone.classifications },
  };
}

/** An admin subscribes the organisation to a pack it is granted (or brings its subscription up to date). */
export function subscribePack(store: Store, org: string, ref: PackRef, opts: ChangeOptions): Promise<SyncReport> {
  if (ref.publisher === org) return Promise.reject(invalid('an organisation runs its own signatures already: subscribe to another organisation\'s pack'));
  return syncSubscription(store, org, ref, opts, 'pack.subscribe');
}

async function endSubscription(store: Store, org: string, ref: PackRef, opts: ChangeOptions, by: 'subscriber' | 'publisher'): Promise<{ version: number; withdrawn: Withdrawn } | undefined> {
  const ended = await store.db.transaction().execute(async (trx) => {
    const sub = await subscription(trx, org, ref.publisher, ref.name);
    if (!sub) return undefined;
    const signatures = (await packSignatures(trx, ref.publisher, ref.name, sub.version)).map((s) => s.signature);
    await removeSubscription(trx, org, ref.publisher, ref.name);
    await bumpRevision(trx, org);
    if (opts.actor !== undefined) {
      const row = { at: opts.now, target: target(ref) };
      await audit(store, opts.actor, { ...row, org, action: by === 'publisher' ? 'pack.revoked' : 'pack.unsubscribe', before: { version: sub.version } }, trx);
      if (by === 'subscriber') await audit(store, orgActor(org), { ...row, org: ref.publisher, action: 'pack.subscriber.remove', before: { org, version: sub.version } }, trx);
    }
    return { version: sub.version, signatures };
  });
  if (!ended) return undefined;
  return { version: ended.version, withdrawn: await withdrawAll(store, org, ref, ended.signatures) };
}

/** Ends the subscription; every tag and classification the pack made in the organisation goes. */
export async function unsubscribePack(store: Store, org: string, ref: PackRef, opts: ChangeOptions): Promise<{ pack: string; version: number; withdrawn: Withdrawn }> {
  const ended = await endSubscription(store, org, ref, opts, 'subscriber');
  if (!ended) throw notFound(`subscription to pack ${packRefText(ref)}`);
  return { pack: packRefText(ref), ...ended };
}

export type PackSignatureChange =
  | { readonly status: 'unchanged' }
  | { readonly status: 'done'; readonly id: string; readonly hunt?: HuntReport; readonly withdrawn: Withdrawn };

/** The subscriber switches one of the pack's signatures off (its tags go) or back on (it retro-hunts). */
export async function setPackSignature(store: Store, org: string, ref: PackRef, signature: string, enabled: boolean, opts: ChangeOptions): Promise<PackSignatureChange> {
  const id = packSignatureId(ref, signature);
  const outcome = await store.db.transaction().execute(async (trx) => {
    const sub = await subscription(trx, org, ref.publisher, ref.name);
    if (!sub) throw notFound(`subscription to pack ${packRefText(ref)}`);
    const found = (await packSignatures(trx, ref.publisher, ref.name, sub.version)).find((s) => s.signature === signature);
    if (!found) throw notFound(`signature ${signature} in pack ${packRefText(ref)}`);
    if (!(await setPackSignatureDisabled(trx, org, ref.publisher, ref.name, signature, !enabled, opts.now))) return undefined;
    await bumpRevision(trx, org);
    if (opts.actor !== undefined) {
      await audit(store, opts.actor, { at: opts.now, org, action: enabled ? 'pack.signature.enable' : 'pack.signature.disable', target: `signature:${id}`, after: { version: sub.version } }, trx);
    }
    return packSignature({ ...ref, version: sub.version, signature, source: found.source });
  });
  if (!outcome) return { status: 'unchanged' };
  if (!enabled) return { status: 'done', id, withdrawn: await withdrawSignature(store.db, org, id) };
  const { hunt, withdrawn } = await huntAndWithdraw(store, org, [outcome], opts);
  return { status: 'done', id, ...(hunt ? { hunt } : {}), withdrawn };
}

// ---- views -------------------------------------------------------------------------------------

export interface PublishedPack {
  readonly pack: string;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly updated: string;
  readonly signatures: string[];
  /** The organisations allowed to subscribe, and the version each subscription runs (null: not subscribed). */
  readonly grants: { org: string; granted: string; subscribed_version: number | null }[];
}

export interface OfferedPack {
  readonly pack: string;
  readonly publisher: string;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly updated: string;
  readonly signatures: number;
  readonly subscription: { version: number; subscribed: string; updated: string; disabled: string[] } | null;
}

async function offered(store: Store, org: string, p: PackRow): Promise<OfferedPack> {
  const sub = await subscription(store.db, org, p.org, p.name);
  const count = (await packSignatures(store.db, p.org, p.name, p.version)).length;
  return {
    pack: packRefText({ publisher: p.org, name: p.name }),
    publisher: p.org,
    name: p.name,
    version: p.version,
    description: p.description,
    updated: p.updated,
    signatures: count,
    subscription: sub ? { version: sub.version, subscribed: sub.subscribed, updated: sub.updated, disabled: [...(await disabledPackSignatures(store.db, org, p.org, p.name))].sort() } : null,
  };
}

/** The organisation's published packs (with their grants) and the packs offered to it (with its subscriptions). */
export async function listPacks(store: Store, org: string): Promise<{ published: PublishedPack[]; offered: OfferedPack[] }> {
  const published: PublishedPack[] = [];
  for (const p of await publishedPacks(store.db, org)) {
    const subs = new Map((await subscribersOf(store.db, org, p.name)).map((s) => [s.org, s.version]));
    published.push({
      pack: packRefText({ publisher: org, name: p.name }),
      name: p.name,
      version: p.version,
      description: p.description,
      updated: p.updated,
      signatures: (await packSignatures(store.db, org, p.name, p.version)).map((s) => s.signature),
      grants: (await packGrants(store.db, org, p.name)).map((g) => ({ org: g.consumer, granted: g.granted, subscribed_version: subs.get(g.consumer) ?? null })),
    });
  }
  const out: OfferedPack[] = [];
  for (const p of await offeredPacks(store.db, org)) out.push(await offered(store, org, p));
  return { published, offered: out };
}

export interface PackSignatureView {
  readonly id: string;
  /** The id it runs under in the subscriber's organisation (what its tags name). */
  readonly runs_as: string;
  readonly title: string;
  readonly field: string;
  readonly enabled: boolean;
  /** The subscriber's own hits with it; null in the publisher's view. */
  readonly hits: number | null;
  readonly signature: Record<string, unknown>;
}

export interface PackView {
  readonly pack: string;
  readonly publisher: string;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** The version the signatures below are of: the subscription's, else the newest. */
  readonly shown_version: number;
  readonly versions: { version: number; published: string; signatures: number }[];
  readonly subscription: OfferedPack['subscription'];
  readonly signatures: PackSignatureView[];
}

/** One pack as its publisher or an organisation it is granted to sees it (read-only). */
export async function showPack(store: Store, org: string, ref: PackRef): Promise<PackView> {
  const own = ref.publisher === org;
  const pack = own ? await packRow(store.db, org, ref.name) : await grantedPack(store.db, ref.publisher, ref.name, org);
  if (!pack) throw notFound(`pack ${packRefText(ref)}`);
  const sub = own ? undefined : await offered(store, org, pack);
  const shown = sub?.subscription?.version ?? pack.version;
  const disabled = new Set(sub?.subscription?.disabled ?? []);
  const hits = sub?.subscription ? await signatureHits(store.db, org) : undefined;
  const signatures = (await packSignatures(store.db, ref.publisher, ref.name, shown)).map((s): PackSignatureView => {
    const sig = signatureFromRow({ id: s.signature, source: s.source, enabled: true });
    const runsAs = packSignatureId(ref, s.signature);
    return {
      id: s.signature,
      runs_as: runsAs,
      title: sig.title,
      field: sig.field,
      enabled: !disabled.has(s.signature),
      hits: hits ? (hits.get(runsAs)?.hits ?? 0) : null,
      signature: toFileObject(sig),
    };
  });
  return {
    pack: packRefText(ref),
    publisher: ref.publisher,
    name: ref.name,
    version: pack.version,
    description: pack.description,
    shown_version: shown,
    versions: await packVersions(store.db, ref.publisher, ref.name),
    subscription: sub?.subscription ?? null,
    signatures,
  };
}

