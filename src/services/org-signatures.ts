// An organisation's signatures: import (atomic), list, export, enable, disable, remove, history
// and preview. Every change is a new version; each bumps the organisation's revision so the
// compiled matcher is rebuilt once; a signature that is new, enabled or changed is retro-hunted
// over the store, and what an earlier version (or a disabled or removed signature) added
// automatically and the current one no longer supports is withdrawn. A change made by someone
// (opts.actor: a user's email over the API, cli:<OS user> from the CLI) is audited here, in the
// transaction that makes it: signature.create / .change (before and after as file objects),
// .enable / .disable (the new version), .delete (what was removed).
import { actionLabel } from '../signatures/actions.js';
import { toFileObject } from '../signatures/serialise.js';
import type { Signature } from '../signatures/types.js';
import { withdrawSignature } from '../store/actions.js';
import { signatureHits } from '../store/signature-hits.js';
import { bumpRevision, ensureOrg } from '../store/orgs.js';
import { signatureHistory, signatureRows, writeVersion, type SignatureChange, type SignatureVersionRow } from '../store/signature-rows.js';
import type { Store } from '../store/store.js';
import { audit, type Actor } from './audit.js';
import { EvaluationContext } from './evaluate.js';
import { compile, signatureFromRow, type VersionedSignature } from './org-matcher.js';
import { retroHunt, type HuntProgress, type HuntReport } from './retro-hunt.js';

/** A hunt handed to the work queue (services/jobs/hunt-jobs.ts): its job and how many parts. */
export interface HuntJobRef {
  readonly id: string;
  readonly parts: number;
}

/**
 * Where a change's retro-hunt runs when not here and now: a server with a queue (`--queue`)
 * makes it a job that workers run in parallel, withdrawing at its end.
 */
export interface HuntDispatcher {
  submit(store: Store, org: string, signatures: readonly VersionedSignature[], opts: { readonly now: string; readonly actor?: Actor }): Promise<HuntJobRef>;
}

export interface ChangeOptions {
  readonly now: string;
  /** Hunts go to the work queue (default: they run in this call). */
  readonly hunts?: HuntDispatcher;
  /**
   * Who makes the change, for the audit log. Every use case a person starts (API, CLI) passes
   * it; without it (the demo's own setup, benches, tests of the machinery) nothing is audited.
   */
  readonly actor?: Actor;
  readonly onProgress?: (p: HuntProgress) => void;
}

/** The stored form: the file object as JSON (parse is faster than YAML with 10,000 of them). */
export function storedSource(s: Signature): string {
  return JSON.stringify(toFileObject(s));
}

export interface ImportReport {
  readonly created: string[];
  readonly changed: string[];
  readonly unchanged: string[];
  /** The retro-hunt of the created and changed enabled signatures, when there were any. */
  readonly hunt?: HuntReport;
  /** Instead, with a work queue: the hunt's job (GET /hunts/:id follows it). */
  readonly huntJob?: HuntJobRef;
  readonly withdrawn: { tags: number; classifications: number };
}

/** Retro-hunts with the given signatures, then withdraws what their earlier versions added and they no longer support. */
export async function huntAndWithdraw(
  store: Store,
  org: string,
  hunted: readonly VersionedSignature[],
  opts: ChangeOptions,
): Promise<{ hunt?: HuntReport; huntJob?: HuntJobRef; withdrawn: { tags: number; classifications: number } }> {
  const withdrawn = { tags: 0, classifications: 0 };
  // The job withdraws when its last part has run: withdrawing now would drop what it confirms.
  if (opts.hunts && hunted.length > 0) return { huntJob: await opts.hunts.submit(store, org, hunted, { now: opts.now, ...(opts.actor !== undefined ? { actor: opts.actor } : {}) }), withdrawn };
  let hunt: HuntReport | undefined;
  if (hunted.length > 0) {
    hunt = await retroHunt(new EvaluationContext(store), compile(org, hunted), {
      apply: true,
      now: opts.now,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  }
  // Rows the hunt confirmed carry the new version; older ones are no longer supported.
  for (const h of hunted) {
    const w = await withdrawSignature(store.db, org, h.signature.id, h.version);
    withdrawn.tags += w.tags;
    withdrawn.classifications += w.classifications;
  }
  return { ...(hunt ? { hunt } : {}), withdrawn };
}

/** Stores a validated set of signatures in one transaction, then hunts with the new ones. */
export async function importSignatures(store: Store, org: string, signatures: readonly Signature[], opts: ChangeOptions): Promise<ImportReport> {
  const created: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  const hunted: VersionedSignature[] = [];
  const disabled: string[] = [];
  await store.db.transaction().execute(async (trx) => {
    await ensureOrg(trx, org, opts.now);
    const current = new Map((await signatureRows(trx, org, signatures.map((s) => s.id))).map((r) => [r.id, r]));
    const written = new Map<string, Signature>();
    for (const s of signatures) {
      const source = storedSource(s);
      const before = current.get(s.id);
      if (before && before.source === source && before.enabled === s.enabled) {
        unchanged.push(s.id);
        continue;
      }
      (before ? changed : created).push(s.id);
      written.set(s.id, s);
      const version = await writeVersion(trx, org, s.id, 'import', s.enabled, source, opts.now);
      if (s.enabled) hunted.push({ signature: s, version });
      else disabled.push(s.id);
    }
    if (created.length + changed.length > 0) await bumpRevision(trx, org);
    if (opts.actor === undefined) return;
    // The created first, then the changed, as the API has always listed them.
    for (const id of [...created, ...changed]) {
      const row = current.get(id);
      await audit(
        store,
        opts.actor,
        {
          at: opts.now,
          org,
          action: row ? 'signature.change' : 'signature.create',
          target: `signature:${id}`,
          ...(row ? { before: toFileObject(signatureFromRow(row)) } : {}),
          after: toFileObject(written.get(id)!),
        },
        trx,
      );
    }
  });
  const { hunt, huntJob, withdrawn } = await huntAndWithdraw(store, org, hunted, opts);
  for (const id of disabled) {
    const w = await withdrawSignature(store.db, org, id);
    withdrawn.tags += w.tags;
    withdrawn.classifications += w.classifications;
  }
  return { created, changed, unchanged, ...(hunt ? { hunt } : {}), ...(huntJob ? { huntJob } : {}), withdrawn };
}

export interface SignatureSummary {
  readonly id: string;
  readonly version: number;
  readonly enabled: boolean;
  readonly title: string;
  readonly field: string;
  readonly match: string;
  readonly patterns: number;
  readonly actions: string[];
  readonly updated: string;
  readonly status: string;
  readonly author: string | null;
  /** Distinct entities it currently tags, classifies or raised a notification on (see store/signature-hits.ts). */
  readonly hits: number;
  /** The latest last_matched of its tags/classifications or created of its notifications. */
  readonly last_hit: string | null;
}

export async function listSignatures(store: Store, org: string): Promise<SignatureSummary[]> {
  const hits = await signatureHits(store.db, org);
  return (await signatureRows(store.db, org)).map((r) => {
    const s = signatureFromRow(r);
    const h = hits.get(r.id);
    return {
      id: r.id,
      version: r.version,
      enabled: r.enabled,
      title: s.title,
      field: s.field,
      match: s.match,
      patterns: s.patterns.length,
      actions: s.actions.map(actionLabel),
      updated: r.updated,
      status: s.status,
      author: s.author ?? null,
      hits: h?.hits ?? 0,
      last_hit: h?.lastHit ?? null,
    };
  });
}

/** The organisation's signatures (all, or the ids given) as loaded from the store. */
export async function exportSignatures(store: Store, org: string, ids?: readonly string[]): Promise<{ signatures: Signature[]; missing: string[] }> {
  const rows = await signatureRows(store.db, org, ids);
  const found = new Set(rows.map((r) => r.id));
  return { signatures: rows.map(signatureFromRow), missing: (ids ?? []).filter((id) => !found.has(id)) };
}

export type ChangeResult =
  | { readonly status: 'missing' }
  | { readonly status: 'unchanged' }
  | { readonly status: 'done'; readonly version: number; readonly hunt?: HuntReport; readonly huntJob?: HuntJobRef; readonly withdrawn: { tags: number; classifications: number } };

/** enable, disable or rm one signature (audited when it changed something and opts.actor is given). */
export async function changeSignature(store: Store, org: string, id: string, change: Exclude<SignatureChange, 'import'>, opts: ChangeOptions): Promise<ChangeResult> {
  const outcome = await store.db.transaction().execute(async (trx) => {
    const [row] = await signatureRows(trx, org, [id]);
    if (!row) return { status: 'missing' as const };
    const enabled = change === 'enable';
    if (change !== 'rm' && row.enabled === enabled) return { status: 'unchanged' as const };
    const signature = { ...signatureFromRow(row), enabled };
    const version = await writeVersion(trx, org, id, change, enabled, storedSource(signature), opts.now);
    await bumpRevision(trx, org);
    if (opts.actor !== undefined) {
      const what = change === 'rm' ? { action: 'signature.delete', before: toFileObject(signatureFromRow(row)) } : { action: `signature.${change}`, after: { version } };
      await audit(store, opts.actor, { at: opts.now, org, target: `signature:${id}`, ...what }, trx);
    }
    return { status: 'changed' as const, signature, version };
  });
  if (outcome.status !== 'changed') return outcome;
  if (change === 'enable') {
    const { hunt, huntJob, withdrawn } = await huntAndWithdraw(store, org, [{ signature: outcome.signature, version: outcome.version }], opts);
    return { status: 'done', version: outcome.version, ...(hunt ? { hunt } : {}), ...(huntJob ? { huntJob } : {}), withdrawn };
  }
  return { status: 'done', version: outcome.version, withdrawn: await withdrawSignature(store.db, org, id) };
}

export function history(store: Store, org: string, id: string): Promise<SignatureVersionRow[]> {
  return signatureHistory(store.db, org, id);
}

/** What signatures would do over the stored data, storing nothing. */
export async function previewSignatures(store: Store, org: string, signatures: readonly Signature[], opts: ChangeOptions): Promise<HuntReport> {
  return retroHunt(new EvaluationContext(store), compile(org, signatures.filter((s) => s.enabled).map((signature) => ({ signature, version: 0 }))), {
    apply: false,
    now: opts.now,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
}
