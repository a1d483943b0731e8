// JSON signature files read through json-nodes.ts equal the same files read through the YAML
// parser: the same signatures, the same id lines, and (for files with mistakes, which are read
// again by the YAML parser) the same errors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { LineCounter } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonDocument } from './json-nodes.js';
import { readText } from './read-text.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Compares both readings; true when the file had no errors, i.e. the node reading stood. */
const both = (text: string): boolean => {
  const fast = readText(text, 'f.json');
  const slow = readText(text, 'f.json', { jsonNodes: false });
  expect(fast).toEqual(slow);
  return fast.errors.length === 0;
};

// Text with the escapes and characters JSON files carry: quotes, backslashes (regexes), unicode
// escapes, a surrogate pair, non-ASCII as is.
const textArb = fc
  .array(fc.constantFrom('a', 'paypal', '\\.', '\\d', '"', '\\', '/', 'é', '\u00e9', '😀', '\t', ' ', '^', '$', '(x|y)', '[0-9]{2}', '\u2028'), { minLength: 1, maxLength: 6 })
  .map((a) => a.join(''));

const signatureArb = fc.record(
  {
    id: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
    title: textArb,
    field: fc.constantFrom('domain', 'whois.registrant.email', 'x509.subject.common_name', 'as.number', 'ip'),
    match: fc.constantFrom('regex', 'literal'),
    case_sensitive: fc.boolean(),
    patterns: fc.array(fc.oneof(textArb, fc.constantFrom('13335', '^a\\.b$')), { minLength: 1, maxLength: 3 }),
    exclude: fc.array(textArb, { maxLength: 1 }),
    status: fc.constantFrom('experimental', 'stable', 'test'),
    actions: fc.constantFrom([{ tag: 'T' }], [{ tag: 'T' }, { classify: 'malicious' }], [{ alert: { severity: 'high' } }]),
  },
  { requiredKeys: ['id', 'title', 'field', 'patterns', 'actions'] },
);

describe('JSON signature files through json-nodes.ts', () => {
  it('equal the YAML reading on the fixture and on random files, compact or indented', () => {
    expect(both(readFileSync(fixture('array.json'), 'utf8'))).toBe(true);
    let valid = 0;
    fc.assert(
      fc.property(fc.uniqueArray(signatureArb, { minLength: 1, maxLength: 8, selector: (s) => s.id }), fc.constantFrom(0, 1, 2, '\t'), fc.boolean(), (sigs, indent, single) => {
        if (both(JSON.stringify(single ? sigs[0] : sigs, null, indent))) valid++;
      }),
      { numRuns: 500 },
    );
    // Most random files are valid, so the comparison is about the node reading, not the fallback.
    expect(valid).toBeGreaterThan(100);
  });

  it('build the value JSON.parse reads, each node at its own offset', () => {
    const text = '[\n {"id": "a", "n": 13335, "f": 1.5e3, "t": true, "z": null, "s": "q\\"\\\\\\u00e9"},\n  []\n]';
    const lines = new LineCounter();
    const doc = jsonDocument(text, lines);
    expect(doc.toJS()).toEqual(JSON.parse(text));
    const seq = doc.contents as unknown as { items: { range: number[]; items?: { key: { range: number[] } }[] }[] };
    expect(text[seq.items[0]!.range[0]!]).toBe('{');
    expect(lines.linePos(seq.items[0]!.items![1]!.key.range[0]!)).toEqual({ line: 2, col: 14 });
    expect(text[seq.items[1]!.range[0]!]).toBe('[');
    expect(lines.linePos(seq.items[1]!.range[0]!).line).toBe(3);
  });

  it('leave the reports of a file with mistakes to the YAML reading', () => {
    const text = JSON.stringify([{ id: 'ok', title: 't', field: 'domain', patterns: ['a'], actions: [{ tag: 'T' }] }, { id: 'bad', title: 't', field: 'domian', patterns: ['('], actions: [] }], null, 2);
    const fast = readText(text, 'f.json');
    expect(fast.errors.length).toBeGreaterThan(0);
    both(text);
    // Duplicate keys: JSON.parse would keep the last; the checker reports both lines.
    both('{"id": "x", "id": "y", "title": "t", "field": "domain", "patterns": ["a"], "actions": [{"tag": "T"}]}');
  });
});
