import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDocumentItems, JsonValuesLineParser } from './json-documents.js';
import { parseByLines, type ParseResult } from './records.js';

describe('jsonDocumentItems (JsonValueScanner)', () => {
  const shown = (text: string, first = 1): unknown[] =>
    jsonDocumentItems(text, first).map((i) => ('value' in i ? [i.line, i.value] : [i.line, i.error]));

  it('gives array elements with the lines where they start', () => {
    expect(shown('[\n  {"a": "[,]"},\n  {\n    "b": "\\"}"\n  },\n  3, "x"\n]')).toEqual([
      [2, { a: '[,]' }],
      [3, { b: '"}' }],
      [6, 3],
      [6, 'x'],
    ]);
    expect(shown('[]')).toEqual([]);
  });

  it('splits concatenated pretty-printed values (jq . output)', () => {
    const text = '{\n  "a": "}{"\n}\n[\n  1,\n  {"b": 2}\n]\n  junk\n{"c": 3}';
    expect(shown(text, 10)).toEqual([
      [10, { a: '}{' }],
      [14, 1],
      [15, { b: 2 }],
      [17, expect.stringMatching(/^invalid JSON/) as unknown],
      [18, { c: 3 }],
    ]);
  });

  it('reports empty slots, missing commas, a bad element, and what does not close', () => {
    expect(shown('[1,,2,]')).toEqual([
      [1, 1],
      [1, 'invalid JSON: empty array element'],
      [1, 2],
      [1, 'invalid JSON: "," before "]"'],
    ]);
    expect(shown('[1 2]')).toEqual([
      [1, 1],
      [1, 'invalid JSON: missing "," between array elements'],
      [1, 2],
    ]);
    expect(shown('[\n{"a": }\n, {"b": 1}]')[0]).toEqual([2, expect.stringMatching(/^invalid JSON/) as unknown]);
    expect(shown('[\n{"b": 1}')).toEqual([
      [2, { b: 1 }],
      [2, 'invalid JSON: the array is not closed'],
    ]);
    expect(shown('{"a": [1,\n2')).toEqual([[1, 'invalid JSON: the value is not closed']]);
  });

  it('gives back any JSON values, however printed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(undefined, 2, '\t'),
        (values, indent) => {
          const text = values.map((v) => JSON.stringify(v, null, indent)).join('\n');
          const expected = values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
          const items = jsonDocumentItems(text, 1);
          expect(items.map((i) => ('value' in i ? i.value : i.error))).toEqual(JSON.parse(JSON.stringify(expected)));
        },
      ),
    );
  });
});

describe('JsonValuesLineParser', () => {
  /** Every value as a record-less result whose one "error" shows the value and its line. */
  const read = (text: string): string[] => {
    const parser = new JsonValuesLineParser((value, line) => ({ records: [], errors: [{ line, message: `value ${JSON.stringify(value)}` }] }));
    return parseByLines(text, parser).errors.map((e) => `${e.line}: ${e.message}`);
  };

  it('reads JSON Lines one value a line, a line holding an array element by element', () => {
    expect(read('{"a": 1}\n\n[2, {"b": 3}]\n"x"\n')).toEqual(['1: value {"a":1}', '3: value 2', '3: value {"b":3}', '4: value "x"']);
  });

  it('reports a broken JSON line at its number and reads on', () => {
    const lines = read('{"a": 1}\n{"a": \n{"c": 3}');
    expect(lines[0]).toBe('1: value {"a":1}');
    expect(lines[1]).toMatch(/^2: invalid JSON: /);
    expect(lines[2]).toBe('3: value {"c":3}');
  });

  it('reads a first line that opens an object as a pretty-printed document', () => {
    expect(read('{\n  "a": [1,\n    2]\n}\n{\n  "b": 2\n}')).toEqual(['1: value {"a":[1,2]}', '5: value {"b":2}']);
  });

  it('reads NDJSON whose first line is broken as NDJSON', () => {
    const lines = read('{"a": \n{"b": 2}\n{"c": 3}');
    expect(lines[0]).toMatch(/^1: invalid JSON: /);
    expect(lines.slice(1)).toEqual(['2: value {"b":2}', '3: value {"c":3}']);
  });

  it('reads a pretty-printed array element by element, and says when it does not close', () => {
    expect(read('\uFEFF[\n  {"a": 1},\n  {"b": 2}\n')).toEqual(['2: value {"a":1}', '3: value {"b":2}', '3: invalid JSON: the array is not closed']);
  });

  it("turns what the value reader throws into an error at the value's line", () => {
    const parser = new JsonValuesLineParser((value): ParseResult => {
      if (value === 2) throw new Error('boom');
      return { records: [], errors: [] };
    });
    expect(parseByLines('1\n2\n3', parser).errors).toEqual([{ line: 2, message: 'internal error: boom' }]);
  });

  it('starts afresh after end(): each input decides its own shape', () => {
    const parser = new JsonValuesLineParser((value, line) => ({ records: [], errors: [{ line, message: JSON.stringify(value) }] }));
    expect(parseByLines('{"a": 1}\n{"b": 2}', parser).errors.map((e) => e.message)).toEqual(['{"a":1}', '{"b":2}']);
    // Read as JSON Lines, as the first input was, each of these lines would be invalid JSON.
    expect(parseByLines('{\n  "c": 3\n}', parser).errors).toEqual([{ line: 1, message: '{"c":3}' }]);
  });
});
