// Evaluation: entities in, planned actions out, then applied. The one path for all three
// moments (ingest, view, retro-hunt): fields are built for the entities, the organisation's
// compiled matcher matches them, each hit's actions go to its targets. Planning reads only;
// applying writes in one transaction and is idempotent (tags and classifications upserted,
// notifications deduplicated), so evaluating the same entity twice changes nothing but
// last_matched.
import type { Hit } from '../engine/types.js';
import { describeWhy } from '../engine/lookalike/why.js';
import type { FieldValues } from '../fields/normalise.js';
import type { Kysely } from 'kysely';
import { actionKind, type ActionKind, type ActionOf } from '../signatures/actions.js';
import type { Action } from '../signatures/types.js';
import { upsertSignatureClassifications, upsertSignatureTags, type EntityKey, type Provenance, type SignatureMark } from '../store/actions.js';
import { issuanceCertificate } from '../store/certificate-issuance.js';
import { createNotification } from '../store/notifications.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { refKey, type EntityRef } from './entity.js';
import { AsLookup, evaluationNeeds, loadFieldValues, needsKind, unionNeeds, type Material } from './field-provider.js';
import type { CompiledOrg, VersionedSignature } from './org-matcher.js';
import { defaultTargets, TargetResolver } from './targets.js';

export interface PlannedAction {
  readonly org: string;
  readonly signature: VersionedSignature;
  readonly hit: Hit;
  /** The entity whose field matched. */
  readonly owner: EntityRef;
  /** The entity that receives the action. */
  readonly target: EntityRef;
  readonly action: Action;
}

/** Lookups shared across the batches of one run (the AS index, loaded once when needed). */
export class EvaluationContext {
  readonly as: AsLookup;
  constructor(readonly store: Store) {
    this.as = new AsLookup(store);
  }
}

function uniqueRefs(refs: readonly EntityRef[]): EntityRef[] {
  const seen = new Map<string, EntityRef>();
  for (const r of refs) seen.set(refKey(r), r);
  return [...seen.values()];
}

/** Matches entities given their field values (already built) and plans the hits' actions. */
export async function planFromFields(
  store: Store,
  subjects: readonly { ref: EntityRef; fields: FieldValues }[],
  orgs: readonly CompiledOrg[],
  resolver = new TargetResolver(store),
): Promise<PlannedAction[]> {
  const planned: PlannedAction[] = [];
  for (const org of orgs) {
    const needs = evaluationNeeds(org.matcher.fields);
    const mine = subjects.filter((s) => needsKind(needs, s.ref.kind));
    if (mine.length === 0) continue;
    const hits = org.matcher.matchMany(mine.map((s) => s.fields));
    for (let i = 0; i < mine.length; i++) {
      const owner = mine[i]!.ref;
      for (const hit of hits[i]!) {
        const signature = org.signatures.get(hit.signature);
        if (!signature) continue;
        const kinds = signature.signature.target ?? defaultTargets(hit.field);
        for (const target of await resolver.targets(owner, kinds)) {
          for (const action of signature.signature.actions) planned.push({ org: org.org, signature, hit, owner, target, action });
        }
      }
    }
  }
  return planned;
}

/**
 * Builds the entities' fields (from the store, or from `known` for what the caller holds already),
 * matches them and plans the actions.
 */
export async function planForRefs(ctx: EvaluationContext, refs: readonly EntityRef[], orgs: readonly CompiledOrg[], known?: ReadonlyMap<string, Material>): Promise<PlannedAction[]> {
  if (orgs.length === 0 || refs.length === 0) return [];
  const needs = unionNeeds(orgs.map((o) => evaluationNeeds(o.matcher.fields)));
  const wanted = uniqueRefs(refs).filter((r) => needsKind(needs, r.kind));
  if (wanted.length === 0) return [];
  const fields = await loadFieldValues(ctx.store, wanted, needs, ctx.as, known);
  const subjects = wanted.flatMap((ref) => {
    const f = fields.get(refKey(ref));
    return f ? [{ ref, fields: f }] : [];
  });
  return planFromFields(ctx.store, subjects, orgs);
}

function provenance(p: PlannedAction): Provenance {
  return {
    signature: p.signature.signature.id,
    signatureVersion: p.signature.version,
    field: p.hit.field,
    value: p.hit.value,
    pattern: p.hit.pattern,
    ...(p.hit.why ? { why: describeWhy(p.hit.why, p.hit.value) } : {}),
  };
}

/** "Signature brand-paypal matched domain login-paypal.example.com on field domain" (signatures.md). */
export function headline(p: PlannedAction): string {
  const via = p.owner.kind === p.target.kind && p.owner.id === p.target.id ? '' : ` (through ${p.owner.kind} ${p.owner.id})`;
  return `Signature ${p.signature.signature.id} matched ${p.target.kind} ${p.target.id} on field ${p.hit.field}${via}`;
}

function content(p: PlannedAction, severity: string, loggedAs?: string): string {
  const s = p.signature.signature;
  return [
    `Signature: ${s.id} (version ${p.signature.version}): ${s.title}`,
    `Entity: ${p.target.kind} ${p.target.id}`,
    ...(loggedAs !== undefined ? [`Also seen as: certificate ${loggedAs} (same issuer and serial number: one issuance)`] : []),
    ...(headline(p).includes('(through') ? [`Matched on: ${p.owner.kind} ${p.owner.id}`] : []),
    `Field: ${p.hit.field}`,
    `Value: ${p.hit.value}`,
    `Pattern ${p.hit.pattern}: ${s.patterns[p.hit.pattern] ?? ''}`,
    ...(p.hit.why ? [`Why: ${describeWhy(p.hit.why, p.hit.value)}`] : []),
    `Severity: ${severity}`,
  ].join('\n');
}

export interface Applied {
  tags: number;
  classifications: number;
  notifications: number;
}

function plannedKey(p: PlannedAction): string {
  return JSON.stringify([p.org, p.target.kind, p.target.id, p.action, p.signature.signature.id, p.hit.field, p.hit.value]);
}

/** A planned action with its action as its own kind. */
interface Planned<K extends ActionKind> {
  readonly p: PlannedAction;
  readonly a: ActionOf<K>;
}

/** What applying one kind of action does, and which count of `Applied` its writes add to. */
interface ActionApplier<K extends ActionKind> {
  readonly counts: keyof Applied;
  /** Writes the actions; returns how many count (tags and classifications all, notifications the new ones). */
  applyAll(db: Kysely<Database>, planned: readonly Planned<K>[], now: string): Promise<number>;
}

function entityKey(p: PlannedAction): EntityKey {
  return { org: p.org, kind: p.target.kind, entity: p.target.id };
}

/** The services' side of the action registry (signatures/actions.ts): one applier per kind. */
const APPLY: { readonly [K in ActionKind]: ActionApplier<K> } = {
  tag: {
    counts: 'tags',
    async applyAll(db, planned, now) {
      await upsertSignatureTags(db, planned.map(({ p, a }): SignatureMark => ({ key: entityKey(p), name: a.tag, provenance: provenance(p) })), now);
      return planned.length;
    },
  },
  classify: {
    counts: 'classifications',
    async applyAll(db, planned, now) {
      await upsertSignatureClassifications(db, planned.map(({ p, a }): SignatureMark => ({ key: entityKey(p), name: a.classify, provenance: provenance(p) })), now);
      return planned.length;
    },
  },
  alert: {
    counts: 'notifications',
    async applyAll(db, planned, now) {
      let created = 0;
      for (const { p, a } of planned) if (await notify(db, p, a, now)) created++;
      return created;
    },
  },
};

/**
 * An alert's notification; true when new. A certificate's alert goes to the certificate that
 * stands for its issuance (a pre-certificate and its final certificate are one:
 * store/certificate-issuance.ts), so the notification's unique key makes the pair alert once.
 * Tags and classifications stay on each certificate: they describe that row.
 */
async function notify(db: Kysely<Database>, given: PlannedAction, a: ActionOf<'alert'>, now: string): Promise<boolean> {
  let p = given;
  let loggedAs: string | undefined;
  if (given.target.kind === 'certificate') {
    const issuance = await issuanceCertificate(db, given.target.id);
    if (issuance !== given.target.id) {
      p = { ...given, target: { kind: 'certificate', id: issuance } };
      loggedAs = given.target.id;
    }
  }
  return createNotification(
    db,
    {
      org: p.org,
      signature: p.signature.signature.id,
      signatureVersion: p.signature.version,
      kind: p.target.kind,
      entity: p.target.id,
      field: p.hit.field,
      value: p.hit.value,
      severity: a.alert.severity,
      ...(a.alert.channels !== undefined ? { channels: a.alert.channels } : {}),
      headline: headline(p),
      content: content(p, a.alert.severity, loggedAs),
    },
    now,
  );
}

/** The planned actions by kind, each with its action as that kind (actionKind reads which it is). */
function byKind(planned: Iterable<PlannedAction>): { readonly [K in ActionKind]: Planned<K>[] } {
  const out: { [K in ActionKind]: Planned<K>[] } = { tag: [], classify: [], alert: [] };
  for (const p of planned) {
    const kind = actionKind(p.action);
    switch (kind) {
      case 'tag':
        out.tag.push({ p, a: p.action as ActionOf<'tag'> });
        break;
      case 'classify':
        out.classify.push({ p, a: p.action as ActionOf<'classify'> });
        break;
      case 'alert':
        out.alert.push({ p, a: p.action as ActionOf<'alert'> });
        break;
    }
  }
  return out;
}

/** Applies planned actions in one transaction. `notifications` counts only new ones. */
export async function applyActions(store: Store, planned: readonly PlannedAction[], now: string): Promise<Applied> {
  const applied: Applied = { tags: 0, classifications: 0, notifications: 0 };
  if (planned.length === 0) return applied;
  const unique = new Map<string, PlannedAction>();
  for (const p of planned) if (!unique.has(plannedKey(p))) unique.set(plannedKey(p), p);
  const kinds = byKind(unique.values());
  await store.db.transaction().execute(async (trx) => {
    applied.tags += await APPLY.tag.applyAll(trx, kinds.tag, now);
    applied.classifications += await APPLY.classify.applyAll(trx, kinds.classify, now);
    applied.notifications += await APPLY.alert.applyAll(trx, kinds.alert, now);
  });
  return applied;
}
