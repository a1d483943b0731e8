// Cutting an upload into parts: the parts put back together are the input, each starts on a line
// of its own at the line number it says, none is far over the size asked; a Zeek log's header is
// read again before every later part; inputs that cannot be cut are one part.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Input } from '../../ingest/input.js';
import { pemFormat } from '../../ingest/parsers/x509/x509.js';
import { warrenFormat } from '../../ingest/parsers/warren-jsonl.js';
import { zeekFormat } from '../../ingest/parsers/zeek.js';
import { cutting, partText, splitInput, type UploadPart } from './split.js';

function input(text: string, chunk: number): Input {
  const b = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < b.length; i += chunk) chunks.push(b.subarray(i, i + chunk));
  return { name: 'upload', head: b.subarray(0, 64 * 1024), chunks: Readable.from(chunks), bytesRead: () => b.length };
}

async function parts(text: string, chunk: number, partBytes: number, how = cutting(warrenFormat, Buffer.from(text).subarray(0, 64 * 1024))): Promise<UploadPart[]> {
  const out: UploadPart[] = [];
  for await (const p of splitInput(input(text, chunk), how, partBytes)) out.push(p);
  return out;
}

const jsonLine = fc.record({ domain: fc.stringMatching(/^[a-z]{1,20}\.example$/), n: fc.nat() }).map((o) => JSON.stringify({ kind: 'domain', ...o }));

describe('splitting an upload into parts', () => {
  it('gives back the input, each part starting a line at the line number it names', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonLine, { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 64, max: 4096 }), async (lines, chunk, partBytes) => {
        const text = `${lines.join('\n')}\n`;
        const got = await parts(text, chunk, partBytes);
        expect(Buffer.concat(got.map((p) => p.data)).toString()).toBe(text);
        let offset = 0;
        for (const p of got) {
          expect(p.firstLine).toBe(text.slice(0, offset).split('\n').length);
          offset += p.data.length;
          // Whole lines only, and no part much over the size (one line at most).
          expect(p.data.toString().endsWith('\n')).toBe(true);
          expect(p.data.length).toBeLessThan(partBytes + 200);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads a Zeek log’s header again before every later part, and maps line numbers back', async () => {
    const header = ['#separator \\x09', '#fields\tts\tquery', '#types\ttime\tstring'];
    const body = Array.from({ length: 100 }, (_, i) => `1700000000.${i}\tq${i}.example`);
    const text = `${[...header, ...body].join('\n')}\n`;
    const how = cutting(zeekFormat, Buffer.from(text));
    expect(how?.preambleLines).toBe(3);
    const got = await parts(text, 97, 300, how);
    expect(got.length).toBeGreaterThan(5);
    const second = partText(1, got[1]!.data, got[1]!.firstLine, how);
    expect(second.text.toString().startsWith(`${header.join('\n')}\n`)).toBe(true);
    // Line 4 of the second part's text is its first own line: the input's line firstLine.
    expect(second.inputLine(4)).toBe(got[1]!.firstLine);
    expect(second.inputLine(2)).toBe(2);
    const first = partText(0, got[0]!.data, 1, how);
    expect(first.text).toBe(got[0]!.data);
    expect(first.inputLine(7)).toBe(7);
  });

  it('keeps an input that cannot be cut whole: PEM, pretty-printed JSON', async () => {
    const pretty = `${JSON.stringify([{ kind: 'domain', domain: 'a.example' }, { kind: 'domain', domain: 'b.example' }], null, 2)}\n`;
    expect(cutting(warrenFormat, Buffer.from(pretty))).toBeUndefined();
    expect(cutting(pemFormat, Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'))).toBeUndefined();
    const got = await parts(pretty.repeat(50), 10, 64, undefined);
    expect(got).toHaveLength(1);
    expect(got[0]!.data.toString()).toBe(pretty.repeat(50));
  });
});
