// Pack names: PUBLISHER/NAME reads back as written, and the id a pack signature runs under in a
// subscriber's organisation can never be an id of the organisation's own (signatures.md's id rule)
// and always splits back into its pack and signature.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSignatureText } from '../signatures/load.js';
import { packRefText, packSignatureId, parsePackRef, splitPackSignatureId } from './pack-ref.js';

const first = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
const rest = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._-'), maxLength: 20 });
const name = fc.tuple(first, rest).map(([a, b]) => a + b);

describe('pack names', () => {
  it('read back as written, and a pack signature id splits back into pack and id', () => {
    fc.assert(
      fc.property(name, name, name, (publisher, pack, id) => {
        const ref = { publisher, name: pack };
        expect(parsePackRef(packRefText(ref))).toEqual(ref);
        expect(splitPackSignatureId(packSignatureId(ref, id))).toEqual({ ...ref, signature: id });
      }),
    );
  });

  it('never give a pack signature an id a signature file may hold', () => {
    fc.assert(
      fc.property(name, name, name, (publisher, pack, id) => {
        const text = `id: '${packSignatureId({ publisher, name: pack }, id)}'\ntitle: t\nfield: domain\npatterns: [x]\nactions: [{tag: T}]\n`;
        const { signatures, errors } = parseSignatureText(text, 'pack.yaml');
        expect(signatures).toEqual([]);
        expect(errors.map((e) => e.message).join(' ')).toMatch(/id/);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses what is not PUBLISHER/NAME', () => {
    for (const text of ['acme', 'acme/', '/phish', 'acme/phish/x', 'Acme/phish', 'acme/-phish', `acme/${'a'.repeat(65)}`]) expect(parsePackRef(text), text).toBeUndefined();
    expect(splitPackSignatureId('brand-paypal')).toBeUndefined();
  });
});
