// The entity page's relationship graph: the entity's neighbourhood (domains ↔ IPs ↔
// certificates ↔ registrant emails) from GET /graph/{entity}, drawn with Cytoscape.js. A click
// on a node adds its own neighbours; tagged nodes are ringed in red with their tags under the
// label; at most MAX_NODES nodes are drawn, and the page says when some were left out.
// Cytoscape is imported only when a graph is opened (its own chunk): other pages do not load it.
// `?graph=1` in the URL keeps the graph open, so a shared link opens it too.
import type { Core, ElementDefinition, NodeSingular, StylesheetJson } from 'cytoscape';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, message, type Answer } from '../api.js';
import { entityHref, href, Link, navigate, useLocation } from '../router.js';
import { ErrorText, Section, Spinner } from '../ui.js';
import './entity-research.css';

type GraphAnswer = Answer<'/api/v1/graph/{entity}', 'get'>;
type NodeKind = GraphAnswer['nodes'][number]['kind'];

export const MAX_NODES = 200;

/** What the page lists and shows of a drawn node (the canvas holds the rest). */
interface NodeInfo {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly tags: readonly string[];
  readonly expanded: boolean;
}

const COLOURS: Record<NodeKind, string> = { domain: '#1f5fbf', ip: '#19733a', certificate: '#b86e00', email: '#6a3fa0' };
const SHAPES: Record<NodeKind, string> = { domain: 'ellipse', ip: 'round-rectangle', certificate: 'diamond', email: 'triangle' };
const KIND_WORDS: Record<NodeKind, string> = { domain: 'domain', ip: 'IP', certificate: 'certificate', email: 'registrant email' };

const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(display)',
      'font-size': 9,
      color: '#1c2430',
      'text-wrap': 'wrap',
      'text-max-width': '150px',
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': '1px',
      width: 14,
      height: 14,
      'border-width': 0,
    },
  },
  ...(Object.keys(COLOURS) as NodeKind[]).map((k) => ({ selector: `node[kind = "${k}"]`, style: { 'background-color': COLOURS[k], shape: SHAPES[k] as 'ellipse' } })),
  { selector: 'node[?tagged]', style: { 'border-width': 3, 'border-color': '#b3261e', color: '#b3261e' } },
  { selector: 'node.root', style: { width: 24, height: 24, 'font-size': 11, 'font-weight': 'bold' } },
  { selector: 'node.expanded', style: { 'underlay-color': '#f0a500', 'underlay-opacity': 0.35, 'underlay-padding': 4 } },
  { selector: 'node:selected', style: { 'overlay-color': '#f0a500', 'overlay-opacity': 0.3, 'overlay-padding': 6 } },
  {
    selector: 'edge',
    style: { width: 1.2, 'line-color': '#9aa6b5', 'curve-style': 'straight', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#9aa6b5', 'arrow-scale': 0.6 },
  },
  { selector: 'edge[kind = "served-on"]', style: { 'line-style': 'dashed', 'line-color': '#d49a4a', 'target-arrow-color': '#d49a4a' } },
  { selector: 'edge[kind = "names"]', style: { 'line-style': 'dotted', 'line-color': '#d49a4a', 'target-arrow-color': '#d49a4a' } },
  { selector: 'edge[kind = "registrant"]', style: { 'line-color': '#a184c9', 'target-arrow-color': '#a184c9' } },
];

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function display(label: string, tags: readonly string[]): string {
  return tags.length === 0 ? clip(label, 34) : `${clip(label, 34)}\n⚑ ${clip(tags.join(', '), 40)}`;
}

const edgeId = (e: GraphAnswer['edges'][number]): string => `${e.from}\u0001${e.kind}\u0001${e.to}`;

/**
 * Adds what `answer` (the graph of its first node) holds that the drawing lacks, up to MAX_NODES
 * nodes (an edge only when both its ends are drawn): its first node, when new, `hop` from the
 * entity, the others one further; true when something was left out.
 */
function merge(cy: Core, answer: GraphAnswer, hop: number): boolean {
  let left = answer.capped;
  const add: ElementDefinition[] = [];
  let count = cy.nodes().length;
  const drawn = new Set<string>();
  for (const n of answer.nodes) {
    if (!cy.getElementById(n.id).empty()) {
      drawn.add(n.id);
      continue;
    }
    if (count >= MAX_NODES) {
      left = true;
      continue;
    }
    count++;
    drawn.add(n.id);
    add.push({ group: 'nodes', data: { id: n.id, kind: n.kind, label: n.label, tags: n.tags, tagged: n.tags.length > 0, display: display(n.label, n.tags), hop: n === answer.nodes[0] ? hop : hop + 1 } });
  }
  for (const e of answer.edges) {
    const id = edgeId(e);
    if (drawn.has(e.from) && drawn.has(e.to) && cy.getElementById(id).empty()) add.push({ group: 'edges', data: { id, source: e.from, target: e.to, kind: e.kind } });
  }
  cy.add(add);
  return left;
}

/** Nodes a ring holds: a hop with more is drawn on several rings, so a big fan-out stays compact. */
const RING = 40;

/** Rings by hop from the entity (the entity in the middle): deterministic, and quick for hundreds of nodes. */
function layout(cy: Core, stopped?: () => void): void {
  const hops = cy.nodes().map((n) => Number(n.data('hop')));
  const deepest = Math.max(0, ...hops);
  // Inner rings first: hop 0 innermost, and within a hop, its first RING nodes.
  const rank = new Map<string, number>();
  const seenAt = new Map<number, number>();
  cy.nodes().forEach((n, i) => {
    const hop = hops[i]!;
    const k = seenAt.get(hop) ?? 0;
    seenAt.set(hop, k + 1);
    rank.set(n.id(), (deepest - hop) * 1000 + 999 - Math.floor(k / RING));
  });
  const l = cy.layout({ name: 'concentric', concentric: (n: NodeSingular) => rank.get(n.id()) ?? 0, levelWidth: () => 1, minNodeSpacing: 36, avoidOverlap: true, animate: false, fit: true, padding: 24 });
  if (stopped) l.one('layoutstop', stopped);
  l.run();
}

function infos(cy: Core): NodeInfo[] {
  return cy.nodes().map((n) => ({ id: n.id(), kind: n.data('kind') as NodeKind, label: String(n.data('label')), tags: n.data('tags') as string[], expanded: n.hasClass('expanded') }));
}

function NodeLink({ node }: { node: NodeInfo }): JSX.Element {
  return node.kind === 'email' ? (
    <Link href={href('/search', { field: 'whois.registrant.email', value: node.id, mode: 'exact' })}>domains it registered</Link>
  ) : (
    <Link href={entityHref(node.id)}>open its page</Link>
  );
}

function GraphView({ entity }: { entity: string }): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | undefined>(undefined);
  const [nodes, setNodes] = useState<NodeInfo[]>([]);
  const [edges, setEdges] = useState(0);
  const [capped, setCapped] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(true);
  const [renderMs, setRenderMs] = useState<number | undefined>();

  const sync = (cy: Core): void => {
    setNodes(infos(cy));
    setEdges(cy.edges().length);
  };

  /** Adds the neighbours of `id` (once per node) and lays the graph out again. */
  const expand = async (id: string): Promise<void> => {
    const cy = cyRef.current;
    setSelected(id);
    if (!cy) return;
    const node = cy.getElementById(id);
    // A second click while its neighbours are on their way asks nothing more.
    if (node.empty() || node.hasClass('expanded') || node.hasClass('expanding')) return;
    node.addClass('expanding');
    setBusy(true);
    setError(undefined);
    try {
      const answer = await get<GraphAnswer>(`/graph/${encodeURIComponent(id)}`, { depth: 1, limit: MAX_NODES });
      if (cy.destroyed()) return;
      node.addClass('expanded');
      if (merge(cy, answer, Number(node.data('hop')))) setCapped(true);
      layout(cy);
      sync(cy);
    } catch (e) {
      setError(message(e));
    } finally {
      if (!cy.destroyed()) node.removeClass('expanding');
      setBusy(false);
    }
  };
  const expandRef = useRef(expand);
  expandRef.current = expand;

  useEffect(() => {
    let live = true;
    const started = performance.now();
    setBusy(true);
    Promise.all([import('cytoscape'), get<GraphAnswer>(`/graph/${encodeURIComponent(entity)}`, { depth: 1, limit: MAX_NODES })]).then(
      ([{ default: cytoscape }, answer]) => {
        if (!live || !box.current) return;
        const cy = cytoscape({ container: box.current, style: STYLE, minZoom: 0.05, maxZoom: 3 });
        cyRef.current = cy;
        const left = merge(cy, answer, 0);
        const root = answer.nodes[0] ? cy.getElementById(answer.nodes[0].id) : undefined;
        root?.addClass('root expanded');
        // The figure the page reports (data-render-ms): from the request to the laid-out graph.
        layout(cy, () => setRenderMs(Math.round(performance.now() - started)));
        cy.on('tap', 'node', (ev) => void expandRef.current((ev.target as NodeSingular).id()));
        setCapped(left);
        sync(cy);
        setBusy(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(message(e));
        setBusy(false);
      },
    );
    return () => {
      live = false;
      cyRef.current?.destroy();
      cyRef.current = undefined;
    };
  }, [entity]);

  const chosen = nodes.find((n) => n.id === selected);
  return (
    <div class="graph" data-testid="graph" data-ready={renderMs !== undefined ? '1' : undefined} data-render-ms={renderMs}>
      <ErrorText error={error} />
      <p class="graph-status small">
        <span data-testid="graph-count">
          {nodes.length} nodes · {edges} edges
        </span>{' '}
        <Spinner on={busy} />
        {capped ? (
          <span class="notice graph-capped" data-testid="graph-capped">
            Capped: at most {MAX_NODES} nodes are drawn, and some neighbours are left out.
          </span>
        ) : null}
      </p>
      <div class="graph-canvas" ref={box} data-testid="graph-canvas" role="img" aria-label={`Relationship graph of ${entity}: ${nodes.length} nodes, ${edges} edges; the list below has every node`} />
      <ul class="graph-legend small" aria-label="legend">
        {(Object.keys(COLOURS) as NodeKind[]).map((k) => (
          <li key={k}>
            <span class={`swatch swatch-${k}`} style={{ background: COLOURS[k] }} aria-hidden="true" /> {KIND_WORDS[k]}
          </li>
        ))}
        <li>
          <span class="swatch swatch-tagged" aria-hidden="true" /> tagged (tags under the name)
        </li>
        <li class="muted">Click a node to add its neighbours.</li>
      </ul>
      {chosen ? (
        <p class="graph-selected small" data-testid="graph-selected">
          <span class="kind">{KIND_WORDS[chosen.kind]}</span> <strong>{chosen.label}</strong>
          {chosen.label !== chosen.id ? <code class="muted"> {chosen.id}</code> : null}
          {chosen.tags.length > 0 ? <span class="graph-tags"> ⚑ {chosen.tags.join(', ')}</span> : null} — <NodeLink node={chosen} />
        </p>
      ) : null}
      <details class="graph-list">
        <summary>Every node as a list ({nodes.length})</summary>
        <ul data-testid="graph-nodes">
          {nodes.map((n) => (
            <li key={n.id} data-node={n.id}>
              <span class="kind">{KIND_WORDS[n.kind]}</span> {n.label}
              {n.tags.length > 0 ? <span class="graph-tags"> ⚑ {n.tags.join(', ')}</span> : null} <NodeLink node={n} />{' '}
              {n.expanded ? (
                <span class="muted">(neighbours shown)</span>
              ) : (
                <button type="button" class="small link" disabled={busy} onClick={() => void expand(n.id)}>
                  add its neighbours
                </button>
              )}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** The graph section: closed until asked for (nothing of Cytoscape is loaded until then). */
export function EntityGraph({ entity }: { entity: string }): JSX.Element {
  const loc = useLocation();
  const open = loc.query.get('graph') === '1';
  const toggle = (): void => {
    const q = new URLSearchParams(window.location.search);
    if (open) q.delete('graph');
    else q.set('graph', '1');
    const s = q.toString();
    navigate(`${window.location.pathname}${s ? `?${s}` : ''}`, { replace: true });
  };
  return (
    <Section
      title="Relationship graph"
      testid="graph-section"
      actions={
        <button type="button" class="small" onClick={toggle} aria-expanded={open} data-testid="graph-toggle">
          {open ? 'Hide graph' : 'Show graph'}
        </button>
      }
    >
      {open ? <GraphView key={entity} entity={entity} /> : <p class="muted small">Domains, IPs, certificates and registrant emails around {entity}, with their tags; each click adds a node's neighbours.</p>}
    </Section>
  );
}
