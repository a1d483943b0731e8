// Evaluation on ingest: after a batch is stored, every entity it created or changed — and the
// entities at both ends of each new relation, since a relation can give an existing match a new
// target — is matched against every organisation's enabled signatures.
import type { IngestRecord } from '../ingest/records.js';
import { relationEnd } from '../store/relations.js';
import { certificateNames, isEntityName } from '../store/write.js';
import type { EntityRef } from './entity.js';
import { applyActions, planForRefs, type Applied, type EvaluationContext } from './evaluate.js';
import { compiledOrgs } from './org-matcher.js';

export function touchedRefs(records: readonly IngestRecord[]): EntityRef[] {
  const refs: EntityRef[] = [];
  const domain = (id: string): void => {
    if (isEntityName(id)) refs.push({ kind: 'domain', id });
  };
  for (const r of records) {
    switch (r.kind) {
      case 'certificate':
        refs.push({ kind: 'certificate', id: r.sha256 });
        for (const name of certificateNames(r.fields)) domain(name);
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
    }
  }
  return refs;
}

/** Matches a stored batch against every organisation's enabled signatures and applies the actions. */
export async function evaluateBatch(ctx: EvaluationContext, records: readonly IngestRecord[], now: string): Promise<Applied> {
  const orgs = await compiledOrgs(ctx.store);
  if (orgs.length === 0) return { tags: 0, classifications: 0, notifications: 0 };
  return applyActions(ctx.store, await planForRefs(ctx, touchedRefs(records), orgs), now);
}
