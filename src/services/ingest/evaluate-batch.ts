// Evaluation on ingest: after a batch is stored, every entity it created or changed — and the
// entities at both ends of each new relation, since a relation can give an existing match a new
// target — is matched against enabled signatures. Whose signatures depends on who brought the
// data (docs/SERVER.md, "Whose signatures an ingest meets"): the operator's ingest (`warren
// ingest`, the demo, feeds) meets every organisation's; an upload by an organisation's member
// through the API meets that organisation's only, so its counts, tags and notifications never
// reveal or trigger another organisation's signatures. The data itself is shared: the other
// organisations' signatures meet it when they view an entity or retro-hunt.
import type { IngestRecord } from '../../ingest/records.js';
import { relationEnd } from '../../store/relations.js';
import { certificateNames, isEntityName } from '../../store/write.js';
import { refKey, type EntityRef } from '../entity.js';
import { applyActions, planForRefs, type Applied, type EvaluationContext } from '../evaluate.js';
import type { Material } from '../field-provider.js';
import { compiledOrg, compiledOrgs, type CompiledOrg } from '../org-matcher.js';

export function touchedRefs(records: readonly IngestRecord[]): EntityRef[] {
  const refs: EntityRef[] = [];
  const domain = (id: string): void => {
    if (isEntityName(id)) refs.push({ kind: 'domain', id });
  };
  for (const r of records) {
    switch (r.kind) {
      case 'certificate':
      case 'certificate-fields':
        refs.push({ kind: 'certificate', id: r.sha256 });
        for (const name of certificateNames(r.fields)) domain(name);
        break;
      case 'certificate-ref':
        // The relations it ties come back from the store's write as served / names records.
        break;
      case 'pending-relation':
        if (r.relation.kind === 'served') refs.push({ kind: 'ip', id: r.relation.ip });
        else domain(r.relation.domain);
        break;
      case 'whois':
      case 'domain':
        domain(r.domain);
        break;
      case 'resolution': {
        domain(r.domain);
        // What the value is, by the one definition of where a relation leads (store/relations.ts).
        const value = relationEnd('resolves-to', r.value, r.rrtype);
        if (value) refs.push(value);
        break;
      }
      case 'served':
        refs.push({ kind: 'certificate', id: r.sha256 }, { kind: 'ip', id: r.ip });
        break;
      case 'names':
        refs.push({ kind: 'certificate', id: r.sha256 });
        domain(r.domain);
        break;
      case 'as-range':
        // Routing data changes what IPs' network and AS fields say; a retro-hunt picks that up.
        break;
      case 'network':
        // A registration changes the network.* fields of every IP in its block, which may be a
        // /8: as with routing data, a view (which evaluates) or a retro-hunt picks that up. Stored
        // IPs are keyed by text, so finding those inside the block would be a scan of them all.
        break;
    }
  }
  return refs;
}

/** Whose signatures an ingest meets: every organisation's, or one organisation's only. */
export type EvaluationScope = { readonly kind: 'every-org' } | { readonly kind: 'org'; readonly org: string };

export const EVERY_ORG: EvaluationScope = { kind: 'every-org' };

async function scopedOrgs(ctx: EvaluationContext, scope: EvaluationScope): Promise<CompiledOrg[]> {
  switch (scope.kind) {
    case 'every-org':
      return compiledOrgs(ctx.store);
    case 'org': {
      const one = await compiledOrg(ctx.store, scope.org);
      return one ? [one] : [];
    }
  }
}

/**
 * Matches a stored batch against the enabled signatures of the scope's organisations and applies
 * the actions; the counts are of those organisations' actions only.
 */
export async function evaluateBatch(ctx: EvaluationContext, records: readonly IngestRecord[], now: string, scope: EvaluationScope = EVERY_ORG): Promise<Applied> {
  const orgs = await scopedOrgs(ctx, scope);
  if (orgs.length === 0) return { tags: 0, classifications: 0, notifications: 0 };
  return applyActions(ctx.store, await planForRefs(ctx, touchedRefs(records), orgs, batchMaterial(records)), now);
}

/**
 * What the batch itself says of its entities, so evaluation need not read back what was just
 * written: a certificate's fields are fixed by its DER (one SHA-256, one set of fields), so the
 * parsed record's fields are exactly the stored ones. A field-only certificate's fields are not
 * taken from the batch: the store may hold its DER, whose parsed fields win, so they are read
 * back. WHOIS is still read from the store (a batch's reply need not be the newest version), and
 * so are routing and registrations (ranges of earlier inputs).
 */
export function batchMaterial(records: readonly IngestRecord[]): Map<string, Material> {
  const known = new Map<string, Material>();
  for (const r of records) {
    if (r.kind === 'certificate') known.set(refKey({ kind: 'certificate', id: r.sha256 }), { certificate: r.fields });
  }
  return known;
}
