import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonSyntaxError, lineAndColumn } from './json-syntax.js';

describe('jsonErrorOffset', () => {
  it('finds nothing wrong in valid JSON', () => {
    fc.assert(fc.property(fc.json(), (text) => jsonErrorOffset(text) === undefined));
  });

  it.each([
    ['[1,]', 3],
    ['{"a": 1,}', 8],
    ["{'a': 1}", 1],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['"abc', 4],
    ['[tru]', 4],
    ['[01]', 2],
    ['[1.]', 3],
    ['[1e+]', 4],
    ['["\\u12x4"]', 6],
    ['{"a": "\\x"}', 8],
    ['[] []', 3],
    ['', 0],
  ])('locates the error in %j at %d', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('agrees with V8 wherever V8 gives a position', () => {
    const broken = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom(',', ']', '}', ':', '"', 'x', ' '))
      .map(([text, at, c]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + c + text.slice(i);
      });
    fc.assert(
      fc.property(broken, (text) => {
        let position: number | undefined;
        try {
          JSON.parse(text);
          return true;
        } catch (e) {
          const m = /at position (\d+)/.exec((e as Error).message);
          if (!m) return true;
          position = Number(m[1]);
        }
        return jsonErrorOffset(text) === position;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('jsonSyntaxError', () => {
  it('gives line, column and a message without the echo of the input', () => {
    expect(jsonSyntaxError('{\n  "a": [1,\n  ]\n}')).toEqual({ line: 3, column: 3, message: "Unexpected token ']'" });
    expect(jsonSyntaxError('[\n  1,\n  nul')).toEqual({ line: 3, column: 6, message: 'Unexpected end of JSON input' });
    expect(jsonSyntaxError('{"a": 1}')).toBeUndefined();
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
