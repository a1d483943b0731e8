// Where a relation leads: the one definition of "a relation of kind R (from an entity of kind K)
// leads to an entity of kind K2". The relation kind says both ends (resolves-to is always from a
// domain, serves always from an IP, …); a resolution's value is an entity only for record types
// whose value is an address or a domain name, and a certificate's wildcard names are patterns,
// not domains. The writer creates entities by these rules, and every reader (lookup's related
// entities, targets, the entities an ingest batch touched) follows relations by them.
import type { EntityKind } from '../fields/catalogue.js';

export type RelationKind = 'resolves-to' | 'resolved-from' | 'served-on' | 'serves' | 'names' | 'named-by';

/** DNS record types whose value is a domain name, stored as a domain of its own. */
const DOMAIN_VALUED: ReadonlySet<string> = new Set(['CNAME', 'NS', 'MX', 'PTR', 'DNAME']);

/** A name that is an entity of its own (wildcards name a pattern, not a domain). */
export function isEntityName(name: string): boolean {
  return !name.includes('*');
}

/** What a resolution's value is: an IP (A, AAAA), a domain (CNAME, NS, MX, PTR, DNAME), or no entity (TXT, …). */
export function resolutionValueKind(rrtype: string): 'ip' | 'domain' | undefined {
  if (rrtype === 'A' || rrtype === 'AAAA') return 'ip';
  return DOMAIN_VALUED.has(rrtype) ? 'domain' : undefined;
}

/** One end of a relation: an entity's kind and id. */
export interface RelationEnd {
  readonly kind: EntityKind;
  readonly id: string;
}

function domainEnd(id: string): RelationEnd | undefined {
  return isEntityName(id) ? { kind: 'domain', id } : undefined;
}

/**
 * The entity at the other end of a relation of kind `kind` whose other end is `id` (a resolution's
 * `rrtype` decides what its value is), or undefined when that end is not an entity Warren keeps.
 */
export function relationEnd(kind: RelationKind, id: string, rrtype?: string): RelationEnd | undefined {
  switch (kind) {
    case 'resolves-to': {
      const valueKind = rrtype === undefined ? undefined : resolutionValueKind(rrtype);
      return valueKind === 'ip' ? { kind: 'ip', id } : valueKind === 'domain' ? domainEnd(id) : undefined;
    }
    case 'resolved-from': // the name holding the record
    case 'names': // a name in a certificate
      return domainEnd(id);
    case 'served-on':
      return { kind: 'ip', id };
    case 'serves':
    case 'named-by':
      return { kind: 'certificate', id };
  }
}

/** The kind of entity a relation leads to (its id is the relation's `id`), or null for none. */
export function relationEndKind(kind: RelationKind, id: string, rrtype?: string): EntityKind | null {
  return relationEnd(kind, id, rrtype)?.kind ?? null;
}
