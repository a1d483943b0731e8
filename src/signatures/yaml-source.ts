// YAML (and JSON, which the YAML parser reads too) to documents with line numbers, guarded
// against inputs that would hurt the process rather than merely be wrong.
import { Composer, Parser, isAlias, visit } from 'yaml';
import type { Alias, CST, Document, LineCounter, ParsedNode } from 'yaml';

/**
 * Deepest nesting of collections accepted. A signature needs 5 (document → actions → action →
 * alert → channels), 6 in a JSON array. Without a limit, composing a document nested some
 * hundreds deep exhausts the stack; yaml 2.9 reports that, but under Node 20 the next parse in
 * the same process can then die of a fatal V8 out-of-memory error — so refuse before composing.
 */
export const MAX_DEPTH = 64;

export type YamlItem =
  | { readonly kind: 'document'; readonly doc: Document.Parsed }
  | { readonly kind: 'too-deep'; readonly offset: number };

/**
 * The documents of `text`, one at a time, so a large multi-document file never holds more than
 * one document's syntax tree. `lines` fills as the text is read. After a `too-deep` item nothing
 * more is yielded: the file is refused.
 */
export function* readYaml(text: string, lines: LineCounter): Generator<YamlItem> {
  // parseAllDocuments(text, { lineCounter, prettyErrors: false }) is exactly Parser + Composer;
  // taking the two steps lets the depth check see each syntax tree before it is composed.
  // Duplicate keys are left to the checker, which reports both lines and goes on.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
  for (const token of new Parser(lines.addNewLine).parse(text)) {
    const deep = tooDeepOffset([token], MAX_DEPTH);
    if (deep !== undefined) {
      yield { kind: 'too-deep', offset: deep };
      return;
    }
    for (const doc of composer.next(token)) yield { kind: 'document', doc };
  }
  for (const doc of composer.end()) yield { kind: 'document', doc };
}

/** Offset of the first collection nested deeper than `limit`, found without recursion. */
export function tooDeepOffset(tokens: readonly CST.Token[], limit: number): number | undefined {
  const stack: Array<[CST.Token, number]> = tokens.map((t) => [t, 0]);
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [token, depth] = top;
    if (token.type === 'document' && token.value) stack.push([token.value, depth]);
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > limit) return token.offset;
    for (const item of token.items) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/**
 * What each alias of a document points at. `Alias.resolve` walks the whole document on every
 * call, which makes a file of many aliases quadratic; one walk in document order does it all.
 */
export function aliasTargets(doc: Document.Parsed): Map<Alias, ParsedNode | undefined> {
  const anchors = new Map<string, ParsedNode>();
  const targets = new Map<Alias, ParsedNode | undefined>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node as ParsedNode);
    },
  });
  return targets;
}
