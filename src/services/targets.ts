// Who receives a signature's actions (signatures.md, "Targets"): the entity that owns the field,
// plus for certificate fields every IP that served it; or the kinds a `target:` list names,
// reached through stored relations.
import { fieldDef } from '../fields/catalogue.js';
import type { Relation, Store } from '../store/store.js';
import { refKey, type EntityKind, type EntityRef } from './entity.js';

export function defaultTargets(field: string): EntityKind[] {
  const owner = fieldDef(field)?.owner ?? 'domain';
  return owner === 'certificate' ? ['certificate', 'ip'] : [owner];
}

/** The entities of `kind` the owner's relations lead to (store/relations.ts says where each leads). */
function relatedOfKind(relations: readonly Relation[], kind: EntityKind): EntityRef[] {
  const ids = new Set<string>();
  for (const r of relations) if (r.to === kind) ids.add(r.id);
  return [...ids].sort().map((id) => ({ kind, id }));
}

/** Resolves targets, reading each owner's relations once per instance. */
export class TargetResolver {
  private readonly relations = new Map<string, Promise<Relation[]>>();
  constructor(private readonly store: Store) {}

  private relationsOf(owner: EntityRef): Promise<Relation[]> {
    const key = refKey(owner);
    let r = this.relations.get(key);
    if (!r) {
      r =
        owner.kind === 'domain'
          ? this.store.domainRelations(owner.id)
          : owner.kind === 'ip'
            ? this.store.ipRelations(owner.id)
            : this.store.certificateRelations(owner.id);
      this.relations.set(key, r);
    }
    return r;
  }

  async targets(owner: EntityRef, kinds: readonly EntityKind[]): Promise<EntityRef[]> {
    const out: EntityRef[] = [];
    for (const kind of kinds) {
      if (kind === owner.kind) out.push(owner);
      else out.push(...relatedOfKind(await this.relationsOf(owner), kind));
    }
    return out;
  }
}
