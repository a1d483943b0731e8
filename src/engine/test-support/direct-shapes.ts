// Random patterns of the shapes direct-check.ts reads (and near-misses it must refuse), and
// values that meet them: shared by its own test against RE2 and by the equivalence test.
import fc from 'fast-check';
import RE2 from 're2';

// Characters where folding is subtle (K, KELVIN SIGN, s, LONG S), digits for class runs, the
// punctuation of domains and e-mail addresses, and a non-ASCII letter.
const CHARS = ['a', 'b', 'k', 'K', '\u212A', 's', 'S', '\u017F', '0', '1', '7', '.', '-', '@', ' ', 'é'];
const FRAGMENTS = ['ab', 'kw', 'KW', 'login', 'LOGIN', 'secure', '\u017Fecure', 'ltd', 'Inc', '2024', '99', '123456', 'a.b', 'a-b', 'kw12.', 'kw-login'];
export const directValueArb = fc
  .array(fc.oneof(fc.constantFrom(...CHARS), fc.constantFrom(...FRAGMENTS)), { minLength: 0, maxLength: 8 })
  .map((a) => a.join(''));

const litArb = fc.array(fc.constantFrom('a', 'b', 'k', 'K', 's', 'S', '0', '1', '\\.', '\\-', '@', ' ', 'kw', 'login', 'secure', 'ltd'), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
const classArb = fc.constantFrom('[0-9]', '\\d', '[.-]', '[-.]', '[a-b]', '[kK]', '[A-K]', '[sS0]', '[\\.\\-]', '[0-9a-b]', '[\\d.]');
const quantArb = fc.constantFrom('', '?', '{2}', '{1,3}', '{0,2}', '{2,4}', '+', '*', '??', '{1,2}?');
const groupArb = fc
  .tuple(fc.array(litArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '?', '{1,2}'), fc.boolean())
  .map(([alts, q, bare]) => `(${bare ? '' : '?:'}${alts.join('|')})${q}`);
const atomArb = fc.oneof(
  litArb,
  litArb.map((l) => `${l}?`),
  fc.tuple(classArb, quantArb).map(([c, q]) => c + q),
  groupArb,
);
/** Shapes the reader accepts or refuses; the test only needs both to agree with RE2 when accepted. */
export const directPatternArb = fc
  .tuple(fc.constantFrom('', '', '^'), fc.array(atomArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '', '$'))
  .map(([h, atoms, t]) => h + atoms.join('') + t)
  .filter((p) => {
    try {
      new RE2(p, 'u');
      return true;
    } catch {
      return false;
    }
  });

/** Keywords for the hit-heavy shapes: short, overlapping, so values meet several at once. */
const KEYWORDS = ['kw', 'pay', 'paypa', 'sec', 'ab', 'lo'];
const kwArb = fc.constantFrom(...KEYWORDS);

/** The hit-heavy workload's shapes (bench/generate-hits.ts), over a small vocabulary. */
export const hitShapeArb: fc.Arbitrary<string> = fc.oneof(
  kwArb,
  kwArb.map((k) => `${k}[0-9]{2,4}\\.`),
  kwArb.map((k) => `${k}-?(secure|login|verify)`),
  fc.tuple(kwArb, kwArb).map(([a, b]) => `(${a}|${b})[.-](login|verify|secure|account)`),
  kwArb.map((k) => `${k} (ltd|llc|inc|gmbh)`),
  kwArb.map((k) => `(^|\\.)${k}\\.com$`),
  kwArb.map((k) => `\\.${k}\\.com$`),
  kwArb.map((k) => `^${k}1\\@mail\\.ru$`),
);

/** Values built from the same vocabulary, with digits runs, lures, organisation suffixes and the folding cases. */
export const hitValueArb = fc
  .array(
    fc.constantFrom(...KEYWORDS, '1', '12', '123', '12345', '.', '-', ' ', '.com', '@mail.ru', 'ltd', 'LLC', 'Inc', 'secure', 'Login', 'verify', 'account', 'K', '\u212Aw', '\u017Fec', 'x'),
    { minLength: 1, maxLength: 7 },
  )
  .map((a) => a.join(''));
