// The pre-scan refuses hostile signature text before the parser (which took seconds on it), and
// lets every real signature shape through: brackets in plain regexes, quotes, block scalars.
import { describe, expect, it } from 'vitest';
import { parseSignatureText } from './load.js';
import { MAX_DOCUMENTS, prescanSignatureText } from './prescan.js';

const NESTED = 'nested more than 64 levels deep; a signature needs far fewer';

describe('prescanSignatureText', () => {
  it('refuses 4 MB of nested [ (YAML or JSON) with the line, before the parser', () => {
    const flat = '['.repeat(4 * 1024 * 1024);
    expect(prescanSignatureText(flat)).toEqual({ line: 1, message: NESTED });
    expect(parseSignatureText(flat, 'request').errors).toEqual([{ file: 'request', line: 1, message: NESTED }]);
    const yaml = `id: a\ntitle: t\nx-deep: ${'{"a": '.repeat(700_000)}`;
    expect(parseSignatureText(yaml, 'request.yaml').errors).toEqual([{ file: 'request.yaml', line: 3, message: NESTED }]);
  });

  it('refuses a million --- lines and one-line compact nesting', () => {
    const docs = parseSignatureText('---\n'.repeat(1_000_000), 'request').errors;
    expect(docs).toHaveLength(1);
    expect(docs[0]!.message).toBe(`more than ${MAX_DOCUMENTS.toLocaleString('en-US')} YAML documents (--- lines) in one text`);
    expect(docs[0]!.line).toBe(MAX_DOCUMENTS);
    expect(prescanSignatureText('- '.repeat(2 * 1024 * 1024))).toEqual({ line: 1, message: NESTED });
    expect(prescanSignatureText(`a:\n${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')}`)?.message).toBe(NESTED);
  });

  it('does not count brackets in plain or quoted scalars, comments or block scalars', () => {
    const text = [
      'id: brackets',
      'title: pay[a-z]+al ]]] {{{',
      `description: |`,
      `  ${'['.repeat(200)}`,
      `     ${'- '.repeat(200)}`,
      'field: domain',
      `patterns: ["${'['.repeat(100)}", '${'{'.repeat(100)}', pay[a-z]+al] # ${'['.repeat(100)}`,
      `x-note: it's [fine] ${'['.repeat(100)}`,
      'actions: [{tag: Brand}, {alert: {channels: [a, b]}}]',
      '---',
      'id: two',
      'title: "a \\" [[[ quote"',
      'field: domain',
      'patterns:',
      "  - 'it''s [[[['",
      '  - x[',
      'actions:',
      '  - tag: T',
    ].join('\n');
    expect(prescanSignatureText(text)).toBeUndefined();
    expect(prescanSignatureText('[{"id": "a", "patterns": ["[[[[[[", "x"], "actions": [{"alert": {"channels": ["c"]}}]}]')).toBeUndefined();
    expect(prescanSignatureText('---\n'.repeat(MAX_DOCUMENTS - 1))).toBeUndefined();
  });
});
