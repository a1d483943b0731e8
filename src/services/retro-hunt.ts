// Retro-hunt: a new, enabled or changed signature matched against everything already stored,
// page by page (bounded memory), through the same planning as ingest and view. With `apply`
// false it is a preview: the same hits and planned actions, nothing stored.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FieldValues } from '../fields/normalise.js';
import { actionKind, describeAction, type ActionKind } from '../signatures/actions.js';
import { certificatePage, domainPage, entityCounts, ipPage } from '../store/read-many.js';
import { refKey, type EntityKind, type EntityRef } from './entity.js';
import { buildFields, evaluationNeeds, loadMaterial, needsKind, type FieldNeeds, type Material } from './field-provider.js';
import { applyActions, EvaluationContext, planFromFields, type Applied } from './evaluate.js';
import type { CompiledOrg } from './org-matcher.js';

export const HUNT_PAGE = 5_000;

const NOTHING_READ: Material = {};
const SAMPLE = 20;

export interface HuntProgress {
  readonly kind: EntityKind;
  readonly done: number;
  readonly total: number;
}

export interface HuntReport {
  /** Entities looked at, by kind. */
  readonly scanned: Partial<Record<EntityKind, number>>;
  /** Entities with at least one hit. */
  matched: number;
  /** Planned actions by type (tag, classify, alert), counted per target. */
  readonly planned: Record<ActionKind, number>;
  /** Applied (only when applying): tags and classifications written, notifications created. */
  readonly applied: Applied;
  /** The first planned actions, for a preview. */
  readonly sample: { target: EntityRef; action: string; signature: string; field: string; value: string }[];
}

/** One slice of a hunt (a queued hunt's part): one kind's keys in (after, until]. */
export interface HuntRange {
  readonly kind: EntityKind;
  readonly after?: string;
  readonly until?: string;
}

export interface HuntOptions {
  readonly apply: boolean;
  readonly now: string;
  readonly onProgress?: (p: HuntProgress) => void;
  /** Only this range (default: everything). */
  readonly range?: HuntRange;
  /** Asked after every page: true stops the hunt there (a cancelled job). */
  readonly stop?: () => Promise<boolean>;
}

async function* pages(ctx: EvaluationContext, kind: EntityKind, needs: FieldNeeds, range?: HuntRange): AsyncGenerator<{ ref: EntityRef; fields: FieldValues }[]> {
  const db = ctx.store.db;
  let after: string | undefined = range?.after;
  const until = range?.until;
  for (;;) {
    let page: { ref: EntityRef; fields: FieldValues }[];
    if (kind === 'certificate') {
      // The page's rows are the certificates' stored fields: built here, not read twice.
      const certs = await certificatePage(db, after, HUNT_PAGE, until);
      if (certs.length === 0) return;
      after = certs[certs.length - 1]!.sha256;
      page = certs.flatMap((c) => {
        const ref: EntityRef = { kind, id: c.sha256 };
        const fields = buildFields(ref, needs.certificate, { certificate: c.fields });
        return fields ? [{ ref, fields: new Map(Object.entries(fields)) }] : [];
      });
    } else {
      const ids = kind === 'domain' ? await domainPage(db, after, HUNT_PAGE, until) : await ipPage(db, after, HUNT_PAGE, until);
      if (ids.length === 0) return;
      after = ids[ids.length - 1];
      const refs = ids.map((id): EntityRef => ({ kind, id }));
      // Built straight from what was read (often nothing: a signature on `domain` reads no
      // source), without a keyed map of field maps per page: a hunt builds millions of these.
      const material = await loadMaterial(ctx.store, refs, needs, ctx.as);
      const sources = needs[kind];
      page = [];
      for (const ref of refs) {
        const fields = buildFields(ref, sources, material.size === 0 ? NOTHING_READ : (material.get(refKey(ref)) ?? NOTHING_READ));
        if (fields) page.push({ ref, fields: new Map(Object.entries(fields)) });
      }
    }
    yield page;
  }
}

/** Runs the compiled signatures over every stored entity they can match. */
export async function retroHunt(ctx: EvaluationContext, compiled: CompiledOrg, opts: HuntOptions): Promise<HuntReport> {
  const report: HuntReport = {
    scanned: {},
    matched: 0,
    planned: { tag: 0, classify: 0, alert: 0 },
    applied: { tags: 0, classifications: 0, notifications: 0 },
    sample: [],
  };
  const needs = evaluationNeeds(compiled.matcher.fields);
  // A range's part counts nothing: its job knows the sizes (counting millions of rows per part
  // would cost more than some parts).
  const totals = opts.range ? { domains: 0, ips: 0, certificates: 0 } : await entityCounts(ctx.store.db);
  const total: Record<EntityKind, number> = { domain: totals.domains, ip: totals.ips, certificate: totals.certificates };
  for (const kind of ['domain', 'ip', 'certificate'] as const) {
    if (!needsKind(needs, kind) || (opts.range && opts.range.kind !== kind)) continue;
    let done = 0;
    for await (const page of pages(ctx, kind, needs, opts.range)) {
      const planned = await planFromFields(ctx.store, page, [compiled]);
      done += page.length;
      report.scanned[kind] = done;
      report.matched += new Set(planned.map((p) => p.owner.id)).size;
      for (const p of planned) {
        report.planned[actionKind(p.action)]++;
        if (report.sample.length < SAMPLE) {
          report.sample.push({ target: p.target, action: describeAction(p.action), signature: p.signature.signature.id, field: p.hit.field, value: p.hit.value });
        }
      }
      if (opts.apply && planned.length > 0) {
        const applied = await applyActions(ctx.store, planned, opts.now);
        report.applied.tags += applied.tags;
        report.applied.classifications += applied.classifications;
        report.applied.notifications += applied.notifications;
      }
      opts.onProgress?.({ kind, done, total: total[kind] });
      if (opts.stop && (await opts.stop())) return report;
      // A page is a few tens of milliseconds of synchronous work on SQLite; between pages the
      // server answers other requests, so a hunt over millions of entities never holds it.
      await nextTurn();
    }
  }
  return report;
}
