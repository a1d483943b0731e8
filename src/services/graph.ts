// The relationship graph of an entity (GET /api/v1/graph/{entity}, the entity page's graph): its
// neighbourhood out to `depth` hops as nodes and edges — domains ↔ IPs and domains ↔ domains
// (resolutions), certificates ↔ IPs (served), certificates ↔ domains (names), domains ↔
// registrant emails (the newest WHOIS version) — with at most `limit` nodes; `capped` says that
// something was left out. Relations are the shared data, read page by page as the records view
// reads them (records.ts); tags are the viewer's organisation's, and only theirs.
//
// An email is not an entity Warren stores: it is a node because analysts pivot on it, and its
// neighbours are the domains whose newest WHOIS names it as registrant (search.ts, exact and
// case-insensitive). Its id is the address in lower case, so one person is one node.
import { tagNamesMany } from '../store/actions.js';
import { certificateFieldsMany, newestWhoisMany } from '../store/read-many.js';
import type { Relation, Store } from '../store/store.js';
import type { EntityKind } from './entity.js';
import { invalid, notFound, ServiceError } from './errors.js';
import { identify } from './lookup.js';
import { relationsPage } from './records.js';
import { search } from './search.js';

export const GRAPH_LIMIT = { default: 200, max: 500 } as const;
export const GRAPH_DEPTH = { default: 1, max: 3 } as const;

/** Relations read per query while expanding a node. */
const RELATION_PAGE = 500;
/** Pages read per node at most: a node with more relations than this is shown capped. */
const MAX_RELATION_PAGES = 10;
/** Search pages per email node at most (each scans a bounded number of WHOIS rows). */
const MAX_EMAIL_PAGES = 5;
const REGISTRANT_EMAIL = 'whois.registrant.email';

export type GraphNodeKind = EntityKind | 'email';
/** Edges point one way whichever end was expanded: domain → IP or domain (resolves-to),
 * certificate → IP (served-on), certificate → domain (names), domain → email (registrant). */
export type GraphEdgeKind = 'resolves-to' | 'served-on' | 'names' | 'registrant';

export interface GraphNode {
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly label: string;
  /** The organisation's tag names on this entity, sorted (none for an email). */
  readonly tags: string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
}

export interface Graph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  /** True when a neighbour was left out because the graph reached `limit` nodes or a node had more relations than are read. */
  readonly capped: boolean;
}

export interface GraphOptions {
  readonly depth: number;
  readonly limit: number;
}

interface NodeRef {
  readonly kind: GraphNodeKind;
  readonly id: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/** The node an analyst names: a domain, an IP, a certificate (SHA-1 or SHA-256), or an email address. */
async function rootOf(store: Store, text: string): Promise<NodeRef> {
  const t = text.trim();
  if (t.includes('@')) {
    if (t.length > 254 || !EMAIL.test(t)) throw invalid(`"${text}" is not an email address`);
    return { kind: 'email', id: t.toLowerCase() };
  }
  const ref = identify(t);
  if (!ref) throw invalid(`"${text}" is not a domain, an IP address, a certificate fingerprint or an email address`);
  if (ref.kind !== 'certificate') return ref;
  // A SHA-1 names the certificate too; nodes are keyed by SHA-256, as relations are.
  const cert = await store.certificate(ref.id);
  if (!cert) throw notFound(`certificate ${text}`);
  return { kind: 'certificate', id: cert.sha256 };
}

/** The edge a relation of `node` stands for, pointing the one way every expansion agrees on. */
function edgeOf(node: NodeRef, r: Relation): GraphEdge {
  switch (r.kind) {
    case 'resolves-to':
      return { from: node.id, to: r.id, kind: 'resolves-to' };
    case 'resolved-from':
      return { from: r.id, to: node.id, kind: 'resolves-to' };
    case 'served-on':
      return { from: node.id, to: r.id, kind: 'served-on' };
    case 'serves':
      return { from: r.id, to: node.id, kind: 'served-on' };
    case 'names':
      return { from: node.id, to: r.id, kind: 'names' };
    case 'named-by':
      return { from: r.id, to: node.id, kind: 'names' };
  }
}

/** Nodes in the order they were met (the root first) and edges without repeats, up to `limit` nodes. */
class GraphBuilder {
  readonly nodes = new Map<string, NodeRef>();
  readonly edges = new Map<string, GraphEdge>();
  capped = false;

  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.nodes.size >= this.limit;
  }

  /** Adds `to` (when there is room) and the edge to it; false when `to` was left out. */
  link(to: NodeRef, edge: GraphEdge): boolean {
    if (!this.nodes.has(to.id)) {
      if (this.full) {
        this.capped = true;
        return false;
      }
      this.nodes.set(to.id, to);
    }
    const key = `${edge.from}\0${edge.to}\0${edge.kind}`;
    if (!this.edges.has(key)) this.edges.set(key, edge);
    return true;
  }
}

/** Adds an entity's related entities (relations that lead to no entity, like TXT values, are not nodes). */
async function expandEntity(store: Store, g: GraphBuilder, node: NodeRef): Promise<void> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_RELATION_PAGES; page++) {
    let answer: { items: Relation[]; next: string | null };
    try {
      answer = await relationsPage(store, node.id, { limit: RELATION_PAGE, ...(cursor !== undefined ? { cursor } : {}) });
    } catch (e) {
      // A neighbour met through a relation is stored; should one not be, it simply has no neighbours.
      if (e instanceof ServiceError && e.kind === 'not_found') return;
      throw e;
    }
    for (const r of answer.items) {
      if (r.to === null) continue;
      if (!g.link({ kind: r.to, id: r.id }, edgeOf(node, r))) return;
    }
    if (answer.next === null) return;
    cursor = answer.next;
  }
  g.capped = true;
}

/** Adds the domains whose newest WHOIS names `email` as registrant. */
async function expandEmail(store: Store, g: GraphBuilder, email: NodeRef): Promise<void> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_EMAIL_PAGES; page++) {
    const answer = await search(store, { field: REGISTRANT_EMAIL, value: email.id, mode: 'exact', caseSensitive: false, limit: RELATION_PAGE, ...(cursor !== undefined ? { cursor } : {}) });
    for (const item of answer.items) {
      if (!g.link({ kind: 'domain', id: item.id }, { from: item.id, to: email.id, kind: 'registrant' })) return;
    }
    if (answer.next === null) return;
    cursor = answer.next;
  }
  g.capped = true;
}

/** The registrant email of each domain of `domains` whose newest WHOIS names one, lower case. */
async function registrants(store: Store, domains: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (domains.length === 0) return out;
  for (const [domain, fields] of await newestWhoisMany(store.db, domains)) {
    const email = fields[REGISTRANT_EMAIL]?.[0]?.trim().toLowerCase();
    if (email && EMAIL.test(email)) out.set(domain, email);
  }
  return out;
}

/** What a certificate is called on a node: its subject CN, else its first SAN, else its SHA-256's start. */
function certificateLabel(sha256: string, fields: Record<string, string[]> | undefined): string {
  return fields?.['x509.subject.common_name']?.[0] ?? fields?.['x509.alternative_names']?.[0] ?? `${sha256.slice(0, 12)}…`;
}

/**
 * The neighbourhood of `text` (a domain, IP, certificate SHA-1 / SHA-256, or email address) out
 * to `depth` hops, at most `limit` nodes, with `org`'s tags on its nodes. Invalid for what names
 * none of these, not found for a certificate Warren has not stored; a name with nothing stored is
 * a graph of one node.
 */
export async function entityGraph(store: Store, org: string, text: string, opts: GraphOptions): Promise<Graph> {
  if (!Number.isInteger(opts.depth) || opts.depth < 1 || opts.depth > GRAPH_DEPTH.max) throw invalid(`depth must be 1 to ${GRAPH_DEPTH.max}`);
  if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > GRAPH_LIMIT.max) throw invalid(`limit must be 1 to ${GRAPH_LIMIT.max}`);
  const root = await rootOf(store, text);
  const g = new GraphBuilder(opts.limit);
  g.nodes.set(root.id, root);
  let frontier: NodeRef[] = [root];
  for (let hop = 0; hop < opts.depth && frontier.length > 0; hop++) {
    // A full graph still expands its frontier: its edges between nodes already there are drawn,
    // and `capped` is set only by a neighbour that is really left out (at most one page a node).
    const before = new Set(g.nodes.keys());
    // The registrant first: one node, and the one an analyst pivots on most.
    const emails = await registrants(store, frontier.filter((n) => n.kind === 'domain').map((n) => n.id));
    for (const node of frontier) {
      const email = emails.get(node.id);
      if (email !== undefined) g.link({ kind: 'email', id: email }, { from: node.id, to: email, kind: 'registrant' });
      if (node.kind === 'email') await expandEmail(store, g, node);
      else await expandEntity(store, g, node);
    }
    frontier = [...g.nodes.values()].filter((n) => !before.has(n.id));
  }
  const nodes = [...g.nodes.values()];
  const entityNodes = nodes.filter((n): n is NodeRef & { kind: EntityKind } => n.kind !== 'email');
  const tags = await tagNamesMany(
    store.db,
    org,
    entityNodes.map((n) => ({ kind: n.kind, entity: n.id })),
  );
  const certs = await certificateFieldsMany(
    store.db,
    nodes.filter((n) => n.kind === 'certificate').map((n) => n.id),
  );
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      label: n.kind === 'certificate' ? certificateLabel(n.id, certs.get(n.id)) : n.id,
      tags: n.kind === 'email' ? [] : (tags.get(`${n.kind}\0${n.id}`) ?? []),
    })),
    edges: [...g.edges.values()],
    capped: g.capped,
  };
}
